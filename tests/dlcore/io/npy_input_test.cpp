// Hostile .npy headers: shapes whose element count overflows, dimensions with too many
// digits, malformed tuples and types, and values that do not fit the type they are read
// into. Every one is a FileError naming the file and the field, never a crash, an
// out-of-bounds read or a raw std:: exception.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "dlcore/io/npy.hpp"
#include "support/crafted.hpp"

using namespace dl;
using Catch::Contains;

namespace {
std::string header(const std::string& descr, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
}
}  // namespace

TEST_CASE("A .npy shape whose element count overflows 64 bits is refused", "[npy][errors]") {
  // 2^32 x 2^32 elements: the product wraps to 0, which 0 bytes of data would satisfy
  const std::string wraps_to_zero = testing::npy_bytes(header("<f4", "(4294967296, 4294967296)"), "");
  REQUIRE_THROWS_AS(npy_decode(wraps_to_zero, "zero.npy"), FileError);
  REQUIRE_THROWS_WITH(npy_decode(wraps_to_zero, "zero.npy"),
                      Contains("zero.npy") && Contains("'shape'") && Contains("4294967296"));
  // (2635249153387078803, 7): 7 times the first is 2^64 + 5, so 5 doubles (40 bytes) would
  // have matched, and a reader trusting shape[0] reads far past them
  const std::string wraps_small =
      testing::npy_bytes(header("<f8", "(2635249153387078803, 7)"), testing::doubles(5));
  REQUIRE_THROWS_WITH(npy_decode(wraps_small, "small.npy"),
                      Contains("small.npy") && Contains("2635249153387078803"));
  // no elements, but strides of 2^40 x 2^40 that overflow inside xtensor
  const std::string strides = testing::npy_bytes(header("<f4", "(0, 1099511627776, 1099511627776)"), "");
  REQUIRE_THROWS_AS(npy_decode(strides, "strides.npy"), FileError);
  // the largest count that fits is fine as a claim, and then simply truncated
  REQUIRE_THROWS_WITH(npy_decode(testing::npy_bytes(header("|u1", "(1000000, 1000)"), "x"), "t.npy"),
                      Contains("t.npy") && Contains("truncated"));
}

TEST_CASE("A .npy dimension with more digits than 64 bits hold names the file", "[npy][errors]") {
  const std::string bytes = testing::npy_bytes(header("<f4", "(123456789012345678901234567890,)"), "");
  REQUIRE_THROWS_AS(npy_decode(bytes, "digits.npy"), FileError);  // not std::out_of_range
  REQUIRE_THROWS_WITH(npy_decode(bytes, "digits.npy"),
                      Contains("digits.npy") && Contains("'shape'") && Contains("64 bits"));
}

TEST_CASE("Malformed .npy shapes and types are refused, naming the field", "[npy][errors]") {
  for (const char* shape : {"(3, -4)", "(3 4)", "[3, 4]", "(3, 4", "(3.5,)", "(,)", "(3,,4)"}) {
    INFO(shape);
    REQUIRE_THROWS_WITH(npy_decode(testing::npy_bytes(header("<f4", shape), ""), "s.npy"),
                        Contains("s.npy") && Contains("'shape'"));
  }
  std::string many = "(";
  for (int i = 0; i < 33; ++i) many += "1, ";
  REQUIRE_THROWS_WITH(npy_decode(testing::npy_bytes(header("<f4", many + ")"), "\0\0\0\0"), "m.npy"),
                      Contains("m.npy") && Contains("32 dimensions"));
  const std::string unquoted = testing::npy_bytes(
      "{'descr': <f4, 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0'));
  REQUIRE_THROWS_WITH(npy_decode(unquoted, "q.npy"), Contains("q.npy") && Contains("'descr'"));
  // what numpy writes is still read: "()", "(5,)", "(2, 3)"
  CHECK(npy_decode(testing::npy_bytes(header("<f8", "()"), testing::doubles(1)), "a").shape.empty());
  CHECK(npy_decode(testing::npy_bytes(header("<f8", "(5,)"), testing::doubles(5)), "b").shape ==
        std::vector<std::size_t>{5});
  CHECK(npy_decode(testing::npy_bytes(header("<f8", "(2, 3)"), testing::doubles(6)), "c").shape ==
        std::vector<std::size_t>{2, 3});
}

TEST_CASE("Values that do not fit the integer type they are read into are refused", "[npy][errors]") {
  const NpyArray nan = npy_decode(testing::npy_bytes(header("<f8", "(2,)"), testing::doubles(2, NAN)), "n.npy");
  REQUIRE_THROWS_WITH(npy_values<std::int32_t>(nan, "n.npy"), Contains("n.npy") && Contains("nan"));
  CHECK(std::isnan(npy_values<float>(nan, "n.npy")[1]));  // a float keeps its NaN
  const NpyArray big = npy_decode(testing::npy_bytes(header("<f8", "(1,)"), testing::doubles(1, 3e9)), "b.npy");
  REQUIRE_THROWS_AS(npy_values<std::int32_t>(big, "b.npy"), FileError);
  CHECK(npy_values<std::int64_t>(big, "b.npy")[0] == 3000000000);
  const std::int32_t minus[1] = {-1};
  const NpyArray neg = npy_decode(npy_encode("<i4", {1}, minus, 4), "i.npy");
  REQUIRE_THROWS_WITH(npy_values<std::uint8_t>(neg, "i.npy"), Contains("i.npy") && Contains("-1"));
  CHECK(npy_values<double>(neg, "i.npy")[0] == -1.0);
}
