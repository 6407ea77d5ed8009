#include "dlcore/train/checkpoint.hpp"

#include <map>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/npy.hpp"
#include "dlcore/io/npz.hpp"
#include "dlcore/io/params.hpp"

namespace dl {

namespace {

constexpr const char* kFormat = "dlbook-checkpoint";
constexpr int kVersion = 1;
constexpr std::size_t kHistoryColumns = 7;  // epoch, train loss/acc, val loss/acc, lr, seconds

std::string f8(const std::vector<std::size_t>& shape, const std::vector<double>& v) {
  const double none = 0;  // a valid pointer for empty arrays
  return npy_encode("<f8", shape, v.empty() ? &none : v.data(), v.size() * sizeof(double));
}

// The entries of a checkpoint by name, with errors that name the file.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path) : path_(path), entries_(read_npz(path)) {
    for (const auto& [name, data] : entries_) by_name_[name] = &data;
  }
  const std::string& bytes(const std::string& name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      throw FileError(fmt::format("{}: not a complete checkpoint: no entry {}", path_.string(),
                                  name));
    return *it->second;
  }
  bool has(const std::string& name) const { return by_name_.count(name) > 0; }
  NpyArray array(const std::string& name) const {
    return npy_decode(bytes(name), where(name));
  }
  template <class V>
  std::vector<V> values(const std::string& name, std::size_t expected) const {
    const NpyArray a = array(name);
    if (a.size() != expected)
      throw FileError(fmt::format("{}: entry {} holds {} values, {} expected", path_.string(),
                                  name, a.size(), expected));
    return npy_values<V>(a, where(name));
  }
  std::string where(const std::string& name) const { return path_.string() + ":" + name; }

 private:
  std::filesystem::path path_;
  NpzEntries entries_;
  std::map<std::string, const std::string*> by_name_;
};

// A setting of the checkpoint that must equal this run's, or a clear error.
void require_same(const std::filesystem::path& path, const std::string& what,
                  const nlohmann::json& file, const nlohmann::json& run) {
  if (file != run)
    throw ValueError(fmt::format(
        "{}: the checkpoint was written with {} {}, this run has {}; run without --resume (or "
        "delete the file) to start afresh",
        path.string(), what, file.dump(), run.dump()));
}

}  // namespace

template <class T>
void save_checkpoint(const std::filesystem::path& path, Sequential<T>& net, Optimizer<T>& opt,
                     const FitState& s, const nlohmann::json& settings) {
  nlohmann::json j = {{"format", kFormat},
                      {"version", kVersion},
                      {"architecture", model_architecture(net)},
                      {"optimizer", opt.describe()},
                      {"optimizer_steps", opt.steps()},
                      {"settings", settings},
                      {"epoch", s.epoch},
                      {"batch", s.batch},
                      {"global_step", s.global_step},
                      {"stopped", s.stopped},
                      {"hits", s.hits},
                      {"rng", s.rng_state},
                      {"order_rng", s.order_rng_state},
                      {"extra", s.extra}};
  NpzEntries entries;
  entries.emplace_back("checkpoint.json", j.dump(2));
  for (const auto& p : model_tensors(net))
    entries.emplace_back(p.name + ".npy",
                         npy_encode(npy_descr<T>(), p.shape, p.value, p.size() * sizeof(T)));
  for (const auto& st : opt.state())
    entries.emplace_back("optim/" + st.name + ".npy",
                         npy_encode(npy_descr<T>(), {st.data->size()}, st.data->data(),
                                    st.data->size() * sizeof(T)));
  // doubles in .npy, not JSON: bit-exact, and NaN (no validation set) survives
  std::vector<double> rows;
  for (const auto& r : s.history.epochs)
    rows.insert(rows.end(), {double(r.epoch), r.train_loss, r.train_accuracy, r.val_loss,
                             r.val_accuracy, r.lr, r.seconds});
  entries.emplace_back("history.npy", f8({s.history.epochs.size(), kHistoryColumns}, rows));
  entries.emplace_back("step_loss.npy", f8({s.history.step_loss.size()}, s.history.step_loss));
  entries.emplace_back("scalars.npy", f8({3}, {s.loss_sum, s.lr, s.history.seconds}));
  write_npz(path, entries);
}

template <class T>
FitState load_checkpoint(const std::filesystem::path& path, Sequential<T>& net,
                         Optimizer<T>& opt, const nlohmann::json& settings) {
  const Reader in(path);
  if (!in.has("checkpoint.json"))
    throw FileError(path.string() + ": not a checkpoint (it has no checkpoint.json entry)");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in.bytes("checkpoint.json"));
  } catch (const nlohmann::json::parse_error& e) {
    throw FileError(fmt::format("{}: entry checkpoint.json is not valid JSON: {}", path.string(),
                                e.what()));
  }
  if (j.value("format", "") != kFormat)
    throw FileError(path.string() + ": not a checkpoint (checkpoint.json has no format \"" +
                    kFormat + "\")");
  FitState s;
  try {
    if (j.at("version").get<int>() != kVersion)
      throw FileError(fmt::format("{}: checkpoint version {} is not supported (this is {})",
                                  path.string(), j.at("version").get<int>(), kVersion));
    require_same(path, "the architecture", j.at("architecture"), model_architecture(net));
    require_same(path, "the optimizer", j.at("optimizer"), opt.describe());
    require_same(path, "the settings", j.at("settings"), settings);
    s.epoch = j.at("epoch").get<int>();
    s.batch = j.at("batch").get<std::size_t>();
    s.global_step = j.at("global_step").get<std::size_t>();
    s.stopped = j.at("stopped").get<bool>();
    s.hits = j.at("hits").get<std::size_t>();
    s.rng_state = j.at("rng").get<std::string>();
    s.order_rng_state = j.at("order_rng").get<std::string>();
    s.extra = j.at("extra");
    opt.set_steps(j.at("optimizer_steps").get<std::size_t>());
  } catch (const nlohmann::json::exception& e) {
    throw FileError(fmt::format("{}: checkpoint.json is incomplete: {}", path.string(), e.what()));
  }

  // parameters and buffers, shapes checked
  for (const auto& p : model_tensors(net)) {
    const std::string name = p.name + ".npy";
    const NpyArray a = in.array(name);
    if (a.shape != p.shape)
      throw ShapeError(fmt::format("{}: {} has shape {} in the checkpoint but {} in the model",
                                   path.string(), p.name, shape_str(a.shape), shape_str(p.shape)));
    const std::vector<T> v = npy_values<T>(a, in.where(name));
    std::copy(v.begin(), v.end(), p.value);
  }
  // the optimizer's state
  opt.prepare(net.params());
  for (const auto& st : opt.state()) {
    const std::vector<T> v = in.values<T>("optim/" + st.name + ".npy", st.data->size());
    std::copy(v.begin(), v.end(), st.data->begin());
  }
  // history and running sums
  const NpyArray h = in.array("history.npy");
  if (h.shape.size() != 2 || h.shape[1] != kHistoryColumns)
    throw FileError(fmt::format("{}: history.npy has shape {}, expected (E, {})", path.string(),
                                shape_str(h.shape), kHistoryColumns));
  const std::vector<double> rows = npy_values<double>(h, in.where("history.npy"));
  for (std::size_t e = 0; e < h.shape[0]; ++e) {
    const double* r = rows.data() + e * kHistoryColumns;
    s.history.epochs.push_back({int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]});
  }
  s.history.step_loss = npy_values<double>(in.array("step_loss.npy"), in.where("step_loss.npy"));
  if (s.history.step_loss.size() != s.global_step)
    throw FileError(fmt::format("{}: {} step losses for {} steps", path.string(),
                                s.history.step_loss.size(), s.global_step));
  const std::vector<double> sc = in.values<double>("scalars.npy", 3);
  s.loss_sum = sc[0];
  s.lr = sc[1];
  s.history.seconds = sc[2];
  return s;
}

#define DL_INSTANTIATE(T)                                                                      \
  template void save_checkpoint<T>(const std::filesystem::path&, Sequential<T>&, Optimizer<T>&, \
                                   const FitState&, const nlohmann::json&);                     \
  template FitState load_checkpoint<T>(const std::filesystem::path&, Sequential<T>&,            \
                                       Optimizer<T>&, const nlohmann::json&);
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace dl
