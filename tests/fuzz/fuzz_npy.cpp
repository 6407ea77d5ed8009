// .npy: the header parser (magic, version, dict, shape), the size check, and the
// conversion of the values to every element type the library reads into.
#include "dlcore/io/npy.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  fuzz::expect_only_dl_errors([&] {
    const dl::NpyArray a = dl::npy_decode(bytes, "fuzz.npy");
    dl::npy_values<float>(a, "fuzz.npy");
    dl::npy_values<double>(a, "fuzz.npy");
    fuzz::expect_only_dl_errors([&] { dl::npy_values<std::int32_t>(a, "fuzz.npy"); });
    fuzz::expect_only_dl_errors([&] { dl::npy_values<std::int64_t>(a, "fuzz.npy"); });
    fuzz::expect_only_dl_errors([&] { dl::npy_values<std::uint8_t>(a, "fuzz.npy"); });
    switch (a.shape.size()) {  // as load_npy<T, N> builds a tensor
      case 1: dl::from_npy<float, 1>(a, "fuzz.npy"); break;
      case 2: dl::from_npy<float, 2>(a, "fuzz.npy"); break;
      case 3: dl::from_npy<double, 3>(a, "fuzz.npy"); break;
      case 4: dl::from_npy<float, 4>(a, "fuzz.npy"); break;
      default: break;
    }
  });
  fuzz::expect_only_dl_errors([&] {  // and through a file, as load_npy reads it
    dl::load_npy<float, 2>(fuzz::mem_file().write(bytes));
  });
  return 0;
}
