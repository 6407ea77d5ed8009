#include "dlcore/train/checkpoint.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/npy.hpp"
#include "dlcore/io/npz.hpp"
#include "dlcore/io/params.hpp"

namespace dl {

namespace {

constexpr const char* kFormat = "dlbook-checkpoint";
constexpr int kVersion = 1;
constexpr std::size_t kHistoryColumns = 7;  // epoch, train loss/acc, val loss/acc, lr, seconds
const std::string kExtra = "extra/";        // prefix of the entries of FitState::extra_arrays

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
  const NpzEntries& entries() const { return entries_; }

 private:
  std::filesystem::path path_;
  NpzEntries entries_;
  std::map<std::string, const std::string*> by_name_;
};

// At most 200 characters of a JSON value, for messages.
std::string excerpt(const nlohmann::json& j) {
  const std::string s = j.dump();
  return s.size() > 200 ? s.substr(0, 200) + "..." : s;
}

// A setting of the checkpoint that must equal this run's, or a clear error.
void require_same(const std::filesystem::path& path, const std::string& what,
                  const nlohmann::json& file, const nlohmann::json& run) {
  if (file != run)
    throw ValueError(fmt::format(
        "{}: the checkpoint was written with {} {}, this run has {}; run without --resume (or "
        "delete the file) to start afresh",
        path.string(), what, excerpt(file), excerpt(run)));
}

// A field of checkpoint.json that must be there.
const nlohmann::json& field(const std::filesystem::path& path, const nlohmann::json& j,
                            const char* key) {
  const auto it = j.find(key);
  if (it == j.end())
    throw FileError(fmt::format("{}: checkpoint.json is incomplete: no field \"{}\"",
                                path.string(), key));
  return *it;
}

// A whole number field of checkpoint.json in [lo, hi]; a float, a negative number or a
// string is an error naming the field (converting it would be undefined behaviour).
std::size_t count_field(const std::filesystem::path& path, const nlohmann::json& j,
                        const char* key, std::size_t lo, std::size_t hi) {
  const nlohmann::json& v = field(path, j, key);
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() < lo || v.get<std::uint64_t>() > hi)
    throw FileError(fmt::format("{}: checkpoint.json field \"{}\" is {}, expected a whole "
                                "number from {} to {}",
                                path.string(), key, excerpt(v), lo, hi));
  return std::size_t(v.get<std::uint64_t>());
}

// A text field of checkpoint.json.
std::string text_field(const std::filesystem::path& path, const nlohmann::json& j,
                       const char* key) {
  const nlohmann::json& v = field(path, j, key);
  if (!v.is_string())
    throw FileError(fmt::format("{}: checkpoint.json field \"{}\" is a JSON {}, expected text",
                                path.string(), key, v.type_name()));
  return v.get<std::string>();
}

// A generator state of checkpoint.json, checked by restoring it into a scratch generator.
std::string rng_field(const std::filesystem::path& path, const nlohmann::json& j,
                      const char* key) {
  std::string state = text_field(path, j, key);
  try {
    Rng probe(0);
    probe.restore(state);
  } catch (const ValueError&) {
    throw FileError(fmt::format("{}: checkpoint.json field \"{}\" is not a generator state",
                                path.string(), key));
  }
  return state;
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
  for (const auto& [name, bytes] : s.extra_arrays) entries.emplace_back(kExtra + name, bytes);
  write_npz(path, entries);
}

template <class T>
FitState load_checkpoint(const std::filesystem::path& path, Sequential<T>& net,
                         Optimizer<T>& opt, const nlohmann::json& settings) {
  const Reader in(path);
  if (!in.has("checkpoint.json"))
    throw FileError(path.string() + ": not a checkpoint (it has no checkpoint.json entry)");
  const nlohmann::json j = parse_json(in.bytes("checkpoint.json"), in.where("checkpoint.json"));
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat)
    throw FileError(path.string() + ": not a checkpoint (checkpoint.json has no format \"" +
                    kFormat + "\")");
  const nlohmann::json& version = field(path, j, "version");
  if (version != kVersion)
    throw FileError(fmt::format("{}: checkpoint version {} is not supported (this is {})",
                                path.string(), excerpt(version), kVersion));
  require_same(path, "the architecture", field(path, j, "architecture"), model_architecture(net));
  require_same(path, "the optimizer", field(path, j, "optimizer"), opt.describe());
  require_same(path, "the settings", field(path, j, "settings"), settings);
  constexpr std::size_t kMost = std::size_t(1) << 53;  // exact in a double, like every count here
  FitState s;
  s.epoch = int(count_field(path, j, "epoch", 1, std::numeric_limits<int>::max()));
  s.global_step = count_field(path, j, "global_step", 0, kMost);
  // the position within the epoch: fewer batches than an epoch has (fit()'s settings say)
  std::size_t batches = kMost, examples = kMost;
  const auto ex = settings.find("examples"), bs = settings.find("batch_size");
  if (ex != settings.end() && bs != settings.end() && ex->is_number_unsigned() &&
      bs->is_number_unsigned() && bs->get<std::uint64_t>() > 0) {
    examples = std::size_t(ex->get<std::uint64_t>());
    batches = (examples + std::size_t(bs->get<std::uint64_t>()) - 1) / std::size_t(bs->get<std::uint64_t>());
  }
  s.batch = count_field(path, j, "batch", 0, std::min(s.global_step, batches ? batches - 1 : 0));
  s.hits = count_field(path, j, "hits", 0, std::min(kMost, examples));
  const nlohmann::json& stopped = field(path, j, "stopped");
  if (!stopped.is_boolean())
    throw FileError(fmt::format("{}: checkpoint.json field \"stopped\" is {}, expected true or "
                                "false",
                                path.string(), excerpt(stopped)));
  s.stopped = stopped.get<bool>();
  s.rng_state = rng_field(path, j, "rng");
  s.order_rng_state = rng_field(path, j, "order_rng");
  s.extra = field(path, j, "extra");
  opt.set_steps(count_field(path, j, "optimizer_steps", 0, kMost));

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
  if (h.shape[0] != std::size_t(s.epoch) - 1)  // the epochs before the one to run
    throw FileError(fmt::format("{}: history.npy holds {} epochs, but the checkpoint is at epoch {}",
                                path.string(), h.shape[0], s.epoch));
  for (std::size_t e = 0; e < h.shape[0]; ++e) {
    const double* r = rows.data() + e * kHistoryColumns;
    if (r[0] != double(e + 1))
      throw FileError(fmt::format("{}: history.npy row {} is for epoch {}, expected {}",
                                  path.string(), e, r[0], e + 1));
    s.history.epochs.push_back({int(e + 1), r[1], r[2], r[3], r[4], r[5], r[6]});
  }
  s.history.step_loss = npy_values<double>(in.array("step_loss.npy"), in.where("step_loss.npy"));
  if (s.history.step_loss.size() != s.global_step)
    throw FileError(fmt::format("{}: {} step losses for {} steps", path.string(),
                                s.history.step_loss.size(), s.global_step));
  const std::vector<double> sc = in.values<double>("scalars.npy", 3);
  s.loss_sum = sc[0];
  s.lr = sc[1];
  s.history.seconds = sc[2];
  // the callers' arrays (early stopping's best weights), handed back as they were saved
  for (const auto& [name, bytes] : in.entries())
    if (name.rfind(kExtra, 0) == 0) s.extra_arrays.emplace_back(name.substr(kExtra.size()), bytes);
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
