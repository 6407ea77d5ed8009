// IDX datasets as the user hands them over: plain or gzip'd (gzopen tells them apart by
// their first bytes), images (rank 3) and labels (rank 1).
#include "datasets/idx.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::mem_file().write(std::string(reinterpret_cast<const char*>(data), size));
  fuzz::expect_only_dl_errors([&] { datasets::read_idx_images(path); });
  fuzz::expect_only_dl_errors([&] { datasets::read_idx_labels(path); });
  return 0;
}
