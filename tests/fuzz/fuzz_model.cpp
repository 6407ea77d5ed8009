// Model files: load_model (architecture, then every tensor), load_params, and the class
// names ch16 --predict reads from model.json's meta, into each network of fuzz_nets.hpp
// (convolutional, LSTM, GRU over steps, Embedding + RNN); a model that loads runs forward.
#include "dlcore/io/params.hpp"
#include "fuzz_input.hpp"
#include "fuzz_nets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string archive = fuzz::archive_from(std::string(reinterpret_cast<const char*>(data), size));
  const std::string& path = fuzz::mem_file().write(archive);
  static std::vector<fuzz::ModelCase> cases = fuzz::model_cases();
  for (auto& c : cases) {
    fuzz::expect_only_dl_errors([&] {
      const nlohmann::json info = dl::load_model(path, c.net);
      dl::model_class_names(info, fuzz::kModelClasses, path);
      c.net.forward(c.x);
    });
    fuzz::expect_only_dl_errors([&] { dl::load_params(path, c.net.params()); });
  }
  return 0;
}
