#include "dlcore/io/params.hpp"

#include <map>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
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

// The model.json entry: an object whose "meta", when present, is an object too.
nlohmann::json model_json(const std::filesystem::path& path, const NpzEntries& entries) {
  for (const auto& [name, data] : entries) {
    if (name != "model.json") continue;
    nlohmann::json j = parse_json(data, path.string() + ": entry model.json");
    if (!j.is_object())
      throw FileError(fmt::format("{}: entry model.json is a JSON {}, not an object",
                                  path.string(), j.type_name()));
    const auto meta = j.find("meta");
    if (meta != j.end() && !meta->is_object())
      throw FileError(fmt::format("{}: model.json field \"meta\" is a JSON {}, not an object",
                                  path.string(), meta->type_name()));
    return j;
  }
  return nlohmann::json::object();
}

// The "architecture" of a model.json: one description (a string) per layer.
std::vector<std::string> architecture_of(const std::filesystem::path& path,
                                         const nlohmann::json& model) {
  const auto a = model.find("architecture");
  if (a == model.end())
    throw FileError(path.string() + ": not a model file (no architecture in model.json)");
  if (!a->is_array())
    throw FileError(fmt::format("{}: model.json field \"architecture\" is a JSON {}, not a list "
                                "of layers",
                                path.string(), a->type_name()));
  std::vector<std::string> layers;
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string())
      throw FileError(fmt::format("{}: model.json field \"architecture\" has a JSON {} at layer "
                                  "{}, not a layer description",
                                  path.string(), (*a)[i].type_name(), i));
    layers.push_back((*a)[i].get<std::string>());
  }
  return layers;
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
  const std::vector<std::string> theirs = architecture_of(path, model);
  const nlohmann::json mine = model_architecture(net);
  for (std::size_t i = 0; i < std::max(mine.size(), theirs.size()); ++i) {
    const std::string a = i < theirs.size() ? theirs[i] : "(nothing)";
    const std::string b = i < mine.size() ? mine[i].get<std::string>() : "(nothing)";
    if (a != b)
      throw ShapeError(fmt::format("{}: architecture differs at layer {}: the file has {}, the "
                                   "model has {}",
                                   path.string(), i, a, b));
  }
  decode(path, entries, model_tensors(net));
  return model;
}

std::vector<std::string> model_class_names(const nlohmann::json& model, std::size_t count,
                                           const std::filesystem::path& path) {
  std::vector<std::string> names;
  const auto meta = model.find("meta");
  const auto classes = meta != model.end() && meta->is_object() ? meta->find("classes") : model.end();
  if (meta == model.end() || !meta->is_object() || classes == meta->end()) {
    for (std::size_t k = 0; k < count; ++k) names.push_back(std::to_string(k));
    return names;
  }
  if (!classes->is_array() || classes->size() != count)
    throw FileError(fmt::format("{}: model.json field \"meta\".\"classes\" is {}, expected a list "
                                "of {} class names",
                                path.string(),
                                classes->is_array() ? fmt::format("a list of {}", classes->size())
                                                    : "a JSON " + std::string(classes->type_name()),
                                count));
  for (std::size_t k = 0; k < count; ++k) {
    if (!(*classes)[k].is_string())
      throw FileError(fmt::format("{}: model.json field \"meta\".\"classes\" has a JSON {} at "
                                  "index {}, not a name",
                                  path.string(), (*classes)[k].type_name(), k));
    names.push_back((*classes)[k].get<std::string>());
  }
  return names;
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
