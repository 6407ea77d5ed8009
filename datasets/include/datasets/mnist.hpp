#pragma once
/// \file
/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) and MNIST from a directory of IDX files:
/// Debian's dataset-fashion-mnist by default, or any folder with the same file names
/// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-..., gzip'd or not).

#include <filesystem>
#include <string>
#include <vector>

#include "dlcore/core/tensor.hpp"
#include "dlcore/train/data.hpp"

namespace datasets {

enum class Split { train, test };

/// Raw images (N, 28, 28) and labels (N) of one split, as bytes.
struct IdxSplit {
  xt::xtensor<std::uint8_t, 3> images;
  xt::xtensor<std::uint8_t, 1> labels;
  std::filesystem::path images_file, labels_file;
};

/// Find and read one split; checks that the images are 28 x 28, that image and label counts
/// agree and that labels are < 10.
/// FileError names the directory and the names it tried when a file is missing.
IdxSplit load_idx_split(const std::filesystem::path& dir, Split split);

/// The path of one IDX file in `dir` by its canonical stem ("train-images-idx3-ubyte"),
/// accepting ".gz" and the "train-images.idx3-ubyte" spelling.
std::filesystem::path find_idx_file(const std::filesystem::path& dir, const std::string& stem);

/// Images as rows of 784 values in [0, 1]: X (N, 784).
template <class T>
dl::Dataset<dl::Tensor2<T>> to_flat(const IdxSplit& s);
/// Images as a batch of 1-channel pictures in [0, 1]: X (N, 1, 28, 28).
template <class T>
dl::Dataset<dl::Tensor4<T>> to_images(const IdxSplit& s);

/// Images read row by row, as a sequence batch for a recurrent network: X (28, N, 28), step t
/// of sequence n is row t of image n (values in [0, 1]). Chapter 18.
template <class T>
dl::Dataset<dl::Tensor3<T>> to_rows(const IdxSplit& s);

/// The ten Fashion-MNIST class names ("T-shirt/top", "Trouser", ...).
const std::vector<std::string>& fashion_mnist_classes();
/// Class names for a data directory: Fashion-MNIST's names, or the digits "0".."9" when
/// the directory does not look like Fashion-MNIST (e.g. the original MNIST).
std::vector<std::string> class_names_for(const std::filesystem::path& dir);

}  // namespace datasets
