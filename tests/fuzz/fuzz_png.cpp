// PNG pictures through libpng's simplified API, converted to gray.
#include "dlcore/io/image.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  fuzz::expect_only_dl_errors([&] { dl::decode_png(bytes, "fuzz.png"); });
  return 0;
}
