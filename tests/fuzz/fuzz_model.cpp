// Model files: load_model (architecture, then every tensor), load_params, and the class
// names ch16 --predict reads from model.json's meta.
#include "dlcore/io/params.hpp"
#include "fuzz_input.hpp"
#include "fuzz_nets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string archive = fuzz::archive_from(std::string(reinterpret_cast<const char*>(data), size));
  const std::string& path = fuzz::mem_file().write(archive);
  static dl::Sequential<float> net = fuzz::model_net();
  fuzz::expect_only_dl_errors([&] {
    const nlohmann::json info = dl::load_model(path, net);
    dl::model_class_names(info, fuzz::kModelClasses, path);
  });
  fuzz::expect_only_dl_errors([&] { dl::load_params(path, net.params()); });
  return 0;
}
