#include "datasets/mnist.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "datasets/idx.hpp"
#include "dlcore/core/error.hpp"

namespace datasets {

namespace fs = std::filesystem;

fs::path find_idx_file(const fs::path& dir, const std::string& stem) {
  if (!fs::is_directory(dir))
    throw dl::FileError(fmt::format(
        "{}: no such directory (Fashion-MNIST comes from Debian's dataset-fashion-mnist package; "
        "--data points elsewhere)",
        dir.string()));
  // "train-images-idx3-ubyte" is also distributed as "train-images.idx3-ubyte"
  std::string dotted = stem;
  if (auto p = dotted.find("-idx"); p != std::string::npos) dotted[p] = '.';
  std::vector<fs::path> tried;
  for (const auto& name : {stem + ".gz", stem, dotted + ".gz", dotted}) {
    tried.push_back(dir / name);
    if (fs::is_regular_file(tried.back())) return tried.back();
  }
  std::string names;
  for (const auto& t : tried) names += "\n  " + t.string();
  throw dl::FileError(fmt::format("{}: no {} file; tried:{}", dir.string(), stem, names));
}

IdxSplit load_idx_split(const fs::path& dir, Split split) {
  const std::string prefix = split == Split::train ? "train" : "t10k";
  IdxSplit s;
  s.images_file = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  s.labels_file = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
  s.images = read_idx_images(s.images_file);
  if (s.images.shape(1) != 28 || s.images.shape(2) != 28)
    throw dl::FileError(fmt::format("{}: images of {} x {} pixels; MNIST and Fashion-MNIST images "
                                    "are 28 x 28",
                                    s.images_file.string(), s.images.shape(1), s.images.shape(2)));
  s.labels = read_idx_labels(s.labels_file);
  if (s.images.shape(0) != s.labels.shape(0))
    throw dl::FileError(fmt::format("{} holds {} labels but {} holds {} images",
                                    s.labels_file.string(), s.labels.shape(0),
                                    s.images_file.string(), s.images.shape(0)));
  for (std::size_t i = 0; i < s.labels.size(); ++i)
    if (s.labels(i) > 9)
      throw dl::FileError(fmt::format("{}: label {} at index {} is not a class 0-9",
                                      s.labels_file.string(), int(s.labels(i)), i));
  return s;
}

template <class T>
dl::Dataset<dl::Tensor2<T>> to_flat(const IdxSplit& s) {
  const std::size_t N = s.images.shape(0), D = s.images.shape(1) * s.images.shape(2);
  dl::Dataset<dl::Tensor2<T>> d;
  d.X = dl::Tensor2<T>::from_shape({N, D});
  const std::uint8_t* in = s.images.data();
  T* out = d.X.data();
  for (std::size_t i = 0; i < N * D; ++i) out[i] = T(in[i]) / T(255);
  d.y = xt::cast<std::int32_t>(s.labels);
  return d;
}

template <class T>
dl::Dataset<dl::Tensor4<T>> to_images(const IdxSplit& s) {
  auto flat = to_flat<T>(s);
  dl::Dataset<dl::Tensor4<T>> d;
  d.X = dl::Tensor4<T>::from_shape({s.images.shape(0), 1, s.images.shape(1), s.images.shape(2)});
  std::copy(flat.X.begin(), flat.X.end(), d.X.data());
  d.y = std::move(flat.y);
  return d;
}

template <class T>
dl::Dataset<dl::Tensor3<T>> to_rows(const IdxSplit& s) {
  const std::size_t N = s.images.shape(0), R = s.images.shape(1), C = s.images.shape(2);
  dl::Dataset<dl::Tensor3<T>> d;
  d.X = dl::Tensor3<T>::from_shape({R, N, C});
  const std::uint8_t* in = s.images.data();
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t r = 0; r < R; ++r) {  // X[r, n, :] = row r of image n
      const std::uint8_t* row = in + (n * R + r) * C;
      T* out = d.X.data() + (r * N + n) * C;
      for (std::size_t c = 0; c < C; ++c) out[c] = T(row[c]) / T(255);
    }
  d.y = xt::cast<std::int32_t>(s.labels);
  return d;
}

const std::vector<std::string>& fashion_mnist_classes() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress",
                                                 "Coat",        "Sandal",  "Shirt",    "Sneaker",
                                                 "Bag",         "Ankle boot"};
  return names;
}

std::vector<std::string> class_names_for(const fs::path& dir) {
  std::string s = fs::absolute(dir).string();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s.find("fashion") != std::string::npos) return fashion_mnist_classes();
  std::vector<std::string> digits;
  for (int k = 0; k < 10; ++k) digits.push_back(std::to_string(k));
  return digits;
}

template dl::Dataset<dl::Tensor2<float>> to_flat<float>(const IdxSplit&);
template dl::Dataset<dl::Tensor2<double>> to_flat<double>(const IdxSplit&);
template dl::Dataset<dl::Tensor4<float>> to_images<float>(const IdxSplit&);
template dl::Dataset<dl::Tensor4<double>> to_images<double>(const IdxSplit&);
template dl::Dataset<dl::Tensor3<float>> to_rows<float>(const IdxSplit&);
template dl::Dataset<dl::Tensor3<double>> to_rows<double>(const IdxSplit&);

}  // namespace datasets
