#pragma once
/// \file
/// Saving and loading a network's parameters as one .npz file that NumPy can read:
/// one "NAME.npy" entry per tensor (e.g. "0.W.npy") and a "model.json" entry with the
/// architecture. Loading checks the architecture and every shape, and names the file,
/// the layer and both shapes when they differ.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dlcore/core/param.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// Write the tensors (values, not gradients) and `meta` (stored under "meta") atomically.
template <class T>
void save_params(const std::filesystem::path& path, const std::vector<ParamRef<T>>& tensors,
                 const nlohmann::json& meta = nlohmann::json::object());

/// Fill the tensors from a file written by save_params (any float type is converted).
/// Returns the file's model.json. Throws FileError (missing/corrupt file or entry) or
/// ShapeError (a tensor of another shape), naming the file and the tensor.
template <class T>
nlohmann::json load_params(const std::filesystem::path& path,
                           const std::vector<ParamRef<T>>& tensors);

/// Every tensor a model file holds: the parameters, then the buffers (BatchNorm's running
/// statistics), in network order.
template <class T>
std::vector<ParamRef<T>> model_tensors(Sequential<T>& net) {
  auto t = net.params();
  for (auto& b : net.buffers()) t.push_back(b);
  return t;
}

/// The architecture stored with a model or checkpoint and compared on loading: one
/// description per module.
template <class T>
nlohmann::json model_architecture(Sequential<T>& net) {
  nlohmann::json a = nlohmann::json::array();
  for (std::size_t i = 0; i < net.size(); ++i) a.push_back(net.module(i).describe());
  return a;
}

/// Save a whole Sequential: parameters, buffers (e.g. BatchNorm statistics) and the list
/// of its modules, so load_model can check the architecture.
template <class T>
void save_model(const std::filesystem::path& path, Sequential<T>& net,
                const nlohmann::json& meta = nlohmann::json::object());
/// Load into a network of the same architecture; a different module list is an error that
/// names the first differing layer.
template <class T>
nlohmann::json load_model(const std::filesystem::path& path, Sequential<T>& net);

/// The class names a model file stores in its meta ("classes"), for the model.json that
/// load_model returned: `count` strings; "0", "1", ... when the file has none. A FileError
/// names the file and the field when they are of another type or number.
std::vector<std::string> model_class_names(const nlohmann::json& model, std::size_t count,
                                           const std::filesystem::path& path);

}  // namespace dl
