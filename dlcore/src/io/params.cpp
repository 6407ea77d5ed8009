#include "dlcore/io/params.hpp"

#include <map>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/npy.hpp"
#include "dlcore/io/npz.hpp"

namespace dl {

namespace {

template <class T>
NpzEntries encode(const std::vector<ParamRef<T>>& tensors, const nlohmann::json& model) {
  NpzEntries entries;
  entries.emplace_back("model.json", model.dump(2));
  for (const auto& p : tensors)
    entries.emplace_back(p.name + ".npy",
                         npy_encode(npy_descr<T>(), p.shape, p.value, p.size() * sizeof(T)));
  return entries;
}

nlohmann::json model_json(const std::filesystem::path& path, const NpzEntries& entries) {
  for (const auto& [name, data] : entries)
    if (name == "model.json") try {
        return nlohmann::json::parse(data);
      } catch (const nlohmann::json::parse_error& e) {
        throw FileError(path.string() + ": entry model.json is not valid JSON: " + e.what());
      }
  return nlohmann::json::object();
}

// Copy each tensor's entry into it, checking presence and shape.
template <class T>
void decode(const std::filesystem::path& path, const NpzEntries& entries,
            const std::vector<ParamRef<T>>& tensors) {
  std::map<std::string, const std::string*> by_name;
  for (const auto& [name, data] : entries) by_name[name] = &data;
  for (const auto& p : tensors) {
    const std::string entry = p.name + ".npy";
    auto it = by_name.find(entry);
    if (it == by_name.end())
      throw FileError(fmt::format("{}: no entry for parameter {} (the file holds {} entries)",
                                  path.string(), p.name, entries.size()));
    const std::string where = path.string() + ":" + entry;
    const NpyArray a = npy_decode(*it->second, where);
    if (a.shape != p.shape)
      throw ShapeError(fmt::format("{}: parameter {} has shape {} in the file but {} in the model",
                                   path.string(), p.name, shape_str(a.shape), shape_str(p.shape)));
    const std::vector<T> v = npy_values<T>(a, where);
    std::copy(v.begin(), v.end(), p.value);
  }
}

}  // namespace

template <class T>
void save_params(const std::filesystem::path& path, const std::vector<ParamRef<T>>& tensors,
                 const nlohmann::json& meta) {
  write_npz(path, encode(tensors, nlohmann::json{{"format", "dlbook-params"}, {"version", 1},
                                                 {"meta", meta}}));
}

template <class T>
nlohmann::json load_params(const std::filesystem::path& path,
                           const std::vector<ParamRef<T>>& tensors) {
  const NpzEntries entries = read_npz(path);
  decode(path, entries, tensors);
  return model_json(path, entries);
}

template <class T>
void save_model(const std::filesystem::path& path, Sequential<T>& net, const nlohmann::json& meta) {
  write_npz(path, encode(model_tensors(net),
                         nlohmann::json{{"format", "dlbook-model"}, {"version", 1},
                                        {"architecture", model_architecture(net)}, {"meta", meta}}));
}

template <class T>
nlohmann::json load_model(const std::filesystem::path& path, Sequential<T>& net) {
  // Check the architecture first: its message is clearer than a shape mismatch.
  const NpzEntries entries = read_npz(path);
  const nlohmann::json model = model_json(path, entries);
  if (!model.contains("architecture"))
    throw FileError(path.string() + ": not a model file (no architecture in model.json)");
  const nlohmann::json mine = model_architecture(net);
  const auto& theirs = model["architecture"];
  for (std::size_t i = 0; i < std::max(mine.size(), theirs.size()); ++i) {
    const std::string a = i < theirs.size() ? theirs[i].get<std::string>() : "(nothing)";
    const std::string b = i < mine.size() ? mine[i].get<std::string>() : "(nothing)";
    if (a != b)
      throw ShapeError(fmt::format("{}: architecture differs at layer {}: the file has {}, the "
                                   "model has {}",
                                   path.string(), i, a, b));
  }
  decode(path, entries, model_tensors(net));
  return model;
}

#define DL_INSTANTIATE(T)                                                                   \
  template void save_params<T>(const std::filesystem::path&, const std::vector<ParamRef<T>>&, \
                               const nlohmann::json&);                                      \
  template nlohmann::json load_params<T>(const std::filesystem::path&,                       \
                                         const std::vector<ParamRef<T>>&);                   \
  template void save_model<T>(const std::filesystem::path&, Sequential<T>&,                  \
                              const nlohmann::json&);                                        \
  template nlohmann::json load_model<T>(const std::filesystem::path&, Sequential<T>&);
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace dl
