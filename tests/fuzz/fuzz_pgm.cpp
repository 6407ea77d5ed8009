// PGM pictures (plain P2 and binary P5, 8 and 16 bits), and the dispatch of
// read_gray_image between PGM and PNG as ch16 --predict calls it.
#include "dlcore/io/image.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  fuzz::expect_only_dl_errors([&] { dl::decode_pgm(bytes, "fuzz.pgm"); });
  fuzz::expect_only_dl_errors([&] { dl::read_gray_image(fuzz::mem_file().write(bytes), 28, 28); });
  return 0;
}
