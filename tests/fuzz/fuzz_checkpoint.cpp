// Checkpoints: load_checkpoint (checkpoint.json, parameters, optimizer state, history,
// running sums), then what fit() does with the result on --resume: restore the generator
// and an EarlyStopping's state.
#include "dlcore/train/checkpoint.hpp"
#include "dlcore/train/early_stopping.hpp"
#include "fuzz_input.hpp"
#include "fuzz_nets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string archive = fuzz::archive_from(std::string(reinterpret_cast<const char*>(data), size));
  const std::string& path = fuzz::mem_file().write(archive);
  static dl::Sequential<float> net = fuzz::checkpoint_net();
  fuzz::expect_only_dl_errors([&] {
    dl::Adam<float> opt(0.01f);
    const dl::FitState s = dl::load_checkpoint(path, net, opt, fuzz::checkpoint_settings());
    try {  // validated by load_checkpoint: fit()'s restores must not fail
      dl::Rng rng(0);
      rng.restore(s.rng_state);
      rng.restore(s.order_rng_state);
    } catch (const dl::Error& e) {
      std::fprintf(stderr, "finding: load_checkpoint passed a bad generator state: %s\n", e.what());
      std::abort();
    }
    if (s.extra.is_object() && s.extra.contains("early_stopping")) {
      dl::EarlyStopping<float> early(net, dl::Monitor::val_loss, 2);
      early.restore_state(s.extra["early_stopping"], s.extra_arrays, path);
      if (early.best_epoch() > 0) early.restore_best();
    }
  });
  return 0;
}
