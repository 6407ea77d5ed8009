// .npz: the ZIP reader (end record, central directory, local headers, CRC-32), on the raw
// bytes of an archive.
#include "dlcore/io/npz.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  fuzz::expect_only_dl_errors([&] {
    const dl::NpzEntries entries = dl::decode_npz(bytes, "fuzz.npz");
    std::size_t total = 0;
    for (const auto& e : entries) total += e.second.size();
    if (total > bytes.size()) std::abort();  // entries never hold more than the archive
  });
  return 0;
}
