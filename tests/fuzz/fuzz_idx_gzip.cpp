// IDX through gzip: the fuzzer's bytes are an IDX file, compressed here before the reader
// sees them, so mutations explore the IDX header and the chunked reading of a stream whose
// size is unknown until it ends (raw gzip bytes are fuzz_idx's part).
#include <zlib.h>

#include "datasets/idx.hpp"
#include "fuzz_input.hpp"

namespace {
std::string gzip(const std::uint8_t* data, std::size_t size) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();  // 16: gzip
  std::string out(deflateBound(&z, uLong(size)), '\0');
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = uInt(size);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::mem_file().write(gzip(data, size));
  fuzz::expect_only_dl_errors([&] { datasets::read_idx_images(path); });
  fuzz::expect_only_dl_errors([&] { datasets::read_idx_labels(path); });
  return 0;
}
