#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/train/data.hpp"

using namespace dl;

namespace {
// Every index 0 ... n - 1 exactly once over the batches.
bool partition_of(const std::vector<std::vector<std::size_t>>& batches, std::size_t n) {
  std::vector<std::size_t> all;
  for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  if (all.size() != n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (all[i] != i) return false;
  return true;
}
}  // namespace

TEST_CASE("length_batches without a generator: pools of 20 batches sorted by length, by hand",
          "[data]") {
  // batch 2: one pool of 40 > 7 examples, sorted stably by length, cut into 2, 2, 2, 1.
  const Lengths lengths = {5, 1, 3, 1, 9, 3, 2};
  const auto batches = length_batches(lengths, 2, nullptr);
  const std::vector<std::vector<std::size_t>> want = {{1, 3}, {6, 2}, {5, 0}, {4}};
  CHECK(batches == want);
}

TEST_CASE("length_batches: pools are sorted separately, the generator shuffles reproducibly",
          "[data]") {
  Lengths lengths(1000);
  Rng fill(3);
  for (auto& l : lengths) l = 1 + fill.below(40);
  const auto plain = length_batches(lengths, 10, nullptr);  // pools of 200 in index order
  REQUIRE(plain.size() == 100);
  CHECK(partition_of(plain, 1000));
  for (std::size_t b = 0; b < plain.size(); ++b) {
    for (std::size_t i : plain[b]) CHECK(i / 200 == b / 20);  // each batch inside its pool
    if (b % 20 != 19) CHECK(lengths[plain[b].back()] <= lengths[plain[b + 1].front()]);
  }
  Rng r1(7), r2(7), r3(8);
  const auto a = length_batches(lengths, 10, &r1), b = length_batches(lengths, 10, &r2),
             c = length_batches(lengths, 10, &r3);
  CHECK(a == b);  // same seed, same batches
  CHECK(a != c);
  CHECK(partition_of(a, 1000));
  for (const auto& batch : a) {  // each batch still holds similar lengths: sorted within
    CHECK(batch.size() == 10);
    CHECK(std::is_sorted(batch.begin(), batch.end(),
                         [&](std::size_t x, std::size_t y) { return lengths[x] < lengths[y]; }));
  }
  CHECK_THROWS_AS(length_batches(lengths, 0, nullptr), ValueError);
  CHECK(length_batches(Lengths{}, 4, nullptr).empty());
}
