// Writes the seed corpora of the fuzz harnesses: small valid files of every kind each
// parser reads, made by the library's own writers (and libpng's), into DIR/<harness>/.
//   build-fuzz/fuzz/make_fuzz_corpus tests/fuzz/corpus
// The committed corpora were made by this program; rerun it after a format changes.
#include <png.h>
#include <zlib.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "datasets/idx.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/image.hpp"
#include "dlcore/io/npy.hpp"
#include "dlcore/io/params.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/train/early_stopping.hpp"
#include "dlcore/train/fit.hpp"
#include "fuzz_input.hpp"
#include "fuzz_nets.hpp"

namespace fs = std::filesystem;

namespace {

fs::path root;

void put(const std::string& harness, const std::string& name, const std::string& bytes) {
  fs::create_directories(root / harness);
  std::ofstream(root / harness / name, std::ios::binary) << bytes;
}

std::string gzip(const std::string& bytes) {
  const fs::path tmp = root / "tmp.gz";
  gzFile f = gzopen(tmp.c_str(), "wb9");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
  std::string out = dl::read_file(tmp);
  fs::remove(tmp);
  return out;
}

void npy_seeds() {
  put("npy", "f4_2x3.npy", dl::to_npy(dl::Tensor2<float>{{1, 2, 3}, {-4, 0.5f, 1e30f}}));
  put("npy", "f8_vector.npy", dl::to_npy(dl::Tensor1<double>{0.25, -1, 3}));
  put("npy", "f8_scalar.npy", dl::npy_encode("<f8", {}, "\0\0\0\0\0\0\xf0\x3f", 8));
  const std::int32_t i4[6] = {1, -2, 3, 4, 5, 6};
  put("npy", "i4_1x2x3.npy", dl::npy_encode("<i4", {1, 2, 3}, i4, sizeof(i4)));
  const std::int64_t i8[2] = {7, -9};
  put("npy", "i8_2.npy", dl::npy_encode("<i8", {2}, i8, sizeof(i8)));
  const std::uint8_t u1[4] = {0, 1, 254, 255};
  put("npy", "u1_1x1x2x2.npy", dl::npy_encode("|u1", {1, 1, 2, 2}, u1, sizeof(u1)));
  put("npy", "f4_empty.npy", dl::npy_encode("<f4", {0, 3}, u1, 0));
}

// A model file of the harness's network, with class names in its meta.
dl::NpzEntries model_entries(const fs::path& file) {
  dl::Sequential<float> net = fuzz::model_net();
  dl::save_model(file, net, {{"classes", {"cat", "dog", "bird"}}});
  return dl::read_npz(file);
}

void npz_and_model_seeds() {
  const fs::path file = root / "model.tmp.npz";
  const dl::NpzEntries model = model_entries(file);
  put("npz", "model.npz", dl::read_file(file));
  put("npz", "two_entries.npz", dl::encode_npz({{"a.npy", dl::to_npy(dl::Tensor1<float>{1, 2})},
                                                {"b.txt", "hello"}}));
  put("npz", "empty.npz", dl::encode_npz({}));
  put("model", "model.npz", dl::read_file(file));
  put("model", "model.entries", fuzz::entry_list(model));
  dl::Sequential<float> net = fuzz::model_net();
  dl::save_model(file, net);  // without class names
  put("model", "no_classes.entries", fuzz::entry_list(dl::read_npz(file)));
  for (auto& c : fuzz::model_cases()) {  // the recurrent models, as files and entry lists
    if (std::string(c.name) == "model") continue;
    dl::save_model(file, c.net, {{"classes", {"cat", "dog", "bird"}}});
    put("model", std::string(c.name) + ".npz", dl::read_file(file));
    put("model", std::string(c.name) + ".entries", fuzz::entry_list(dl::read_npz(file)));
  }
  fs::remove(file);
}

void checkpoint_seeds() {
  // a run of the harness's network: 12 examples, batches of 4, 6 for validation
  dl::Rng data_rng(3);
  dl::Dataset<dl::Tensor2<float>> train{dl::Tensor2<float>::from_shape({12, 2}), dl::Labels::from_shape({12})};
  dl::Dataset<dl::Tensor2<float>> val{dl::Tensor2<float>::from_shape({6, 2}), dl::Labels::from_shape({6})};
  for (auto* d : {&train, &val})
    for (std::size_t i = 0; i < d->size(); ++i) {
      d->y(i) = std::int32_t(i % 2);
      d->X(i, 0) = float(data_rng.normal(double(i % 2), 1));
      d->X(i, 1) = float(data_rng.normal());
    }
  for (const bool early_stopping : {false, true}) {
    const fs::path file = root / "ck.tmp.npz";
    dl::Sequential<float> net = fuzz::checkpoint_net();
    dl::Adam<float> opt(0.01f);
    dl::Rng rng(4);
    dl::EarlyStopping<float> early(net, dl::Monitor::val_loss, 2);
    dl::FitOptions o;
    o.epochs = 2;
    o.batch_size = 4;
    o.progress = false;
    o.checkpoint = {file, 0, false};
    if (early_stopping) {
      o.on_epoch_end = early.hook();
      early.keep_in(o.checkpoint);
      o.on_step = [](std::size_t step, double) {  // stop in the middle of epoch 2
        if (step == 5) std::raise(SIGTERM);
      };
    }
    try {
      dl::fit(net, dl::SoftmaxCrossEntropy<float>{}, opt, train.X, train.y, rng, o, &val);
    } catch (const dl::Interrupted&) {
    }
    const std::string stem = early_stopping ? "mid_epoch_early_stopping" : "finished";
    put("checkpoint", stem + ".npz", dl::read_file(file));
    put("checkpoint", stem + ".entries", fuzz::entry_list(dl::read_npz(file)));
    fs::remove(file);
  }
}

void idx_seeds() {
  xt::xtensor<std::uint8_t, 3> images = xt::xtensor<std::uint8_t, 3>::from_shape({2, 3, 4});
  for (std::size_t i = 0; i < images.size(); ++i) images.data()[i] = std::uint8_t(i * 10);
  const xt::xtensor<std::uint8_t, 1> labels = {3, 9, 0};
  const fs::path a = root / "images.tmp", b = root / "labels.tmp";
  datasets::write_idx_images(a, images);
  datasets::write_idx_labels(b, labels);
  for (const char* harness : {"idx", "idx_gzip"}) {
    put(harness, "images-idx3-ubyte", dl::read_file(a));
    put(harness, "labels-idx1-ubyte", dl::read_file(b));
  }
  put("idx", "images-idx3-ubyte.gz", gzip(dl::read_file(a)));
  put("idx", "labels-idx1-ubyte.gz", gzip(dl::read_file(b)));
  fs::remove(a);
  fs::remove(b);
}

void png_seed(const std::string& name, png_uint_32 format, std::size_t w, std::size_t h) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = png_uint_32(w);
  image.height = png_uint_32(h);
  image.format = format;
  std::vector<std::uint8_t> pixels(PNG_IMAGE_SIZE(image));
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint8_t(i * 37);
  png_alloc_size_t size = 0;
  png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr);
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr))
    throw dl::Error("png_image_write_to_memory failed for " + name);
  out.resize(size);
  put("png", name, out);
}

void image_seeds() {
  png_seed("gray_5x4.png", PNG_FORMAT_GRAY, 5, 4);
  png_seed("gray_alpha_3x3.png", PNG_FORMAT_GA, 3, 3);
  png_seed("rgb_4x2.png", PNG_FORMAT_RGB, 4, 2);
  png_seed("rgba_2x5.png", PNG_FORMAT_RGBA, 2, 5);
  png_seed("gray16_3x2.png", PNG_FORMAT_LINEAR_Y, 3, 2);
  dl::Tensor2<float> img = dl::Tensor2<float>::from_shape({28, 28});
  for (std::size_t i = 0; i < img.size(); ++i) img.data()[i] = float(i % 29) / 28.0f;
  const fs::path p = root / "img.tmp";
  dl::write_pgm(p, img, 255);
  put("pgm", "p5_28x28.pgm", dl::read_file(p));
  dl::write_pgm(p, dl::Tensor2<float>{{0, 0.5f}, {1, 0.25f}}, 65535);
  put("pgm", "p5_16bit_2x2.pgm", dl::read_file(p));
  fs::remove(p);
  put("pgm", "p2_comments.pgm", "P2\n# a comment\n3 2\n# another\n15\n0 3 6\n9 12 15\n");
  put("pgm", "p2_minimal.pgm", "P2 1 1 1 1");
}

// Word lists: a few lines of each language as Debian's lists have them (capitals, accents,
// apostrophes, a word too short and one too long to keep).
void words_seeds() {
  put("words", "french.txt", "abaissa\nAbbeville\nabb\xc3\xa9\nc\xc5\x93ur\nd'accord\nna\xc3\xafve\n");
  put("words", "german.txt", "Stra\xc3\x9f" "e\n\xc3\xa4rger\nM\xc3\xbcnchen\nab\nDonaudampfschifffahrtsgesellschaft\n");
  put("words", "mixed.txt", "caf\xc3\xa9\r\n\xe2\x82\xac\nsmile\xf0\x9f\x98\x80\n\n-x-\nespa\xc3\xb1ol");
}

// Treebanks: SST lines as the generator writes them, a PTB-style tree of wider and unary
// nodes, blank and CRLF lines, and words with parentheses spelled as SST spells them.
void treebank_seeds() {
  put("treebank", "sst.txt",
      "(3 (2 not) (4 (3 very) (4 good)))\n(1 (2 (2 the) (2 movie)) (1 (2 is) (1 (3 good) (1 (2 but) (1 boring)))))\n");
  put("treebank", "ptb_wide.txt", "(2 (2 (2 a) (2 b) (2 c)) (3 (3 (4 d))))\r\n\n(0 -LRB-)\n");
  put("treebank", "nested.txt", "(4 (2 never) (1 (2 not) (3 (2 somewhat) (4 (2 very) (4 great)))))\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR (e.g. tests/fuzz/corpus)\n", argv[0]);
    return 2;
  }
  root = argv[1];
  fs::create_directories(root);
  npy_seeds();
  npz_and_model_seeds();
  checkpoint_seeds();
  idx_seeds();
  image_seeds();
  words_seeds();
  treebank_seeds();
  std::printf("seed corpora written to %s\n", root.string().c_str());
  return 0;
}
