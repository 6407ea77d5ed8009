#include "dlcore/io/report.hpp"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/io/files.hpp"
#include "dlcore/io/plot.hpp"

namespace dl {

namespace fs = std::filesystem;

void plot_history(const fs::path& dir, const History& h, const std::string& title,
                  const std::string& prefix) {
  std::vector<double> epoch, tl, ta, vl, va, secs;
  for (const auto& r : h.epochs) {
    epoch.push_back(r.epoch);
    tl.push_back(r.train_loss), ta.push_back(r.train_accuracy);
    vl.push_back(r.val_loss), va.push_back(r.val_accuracy);
    secs.push_back(r.seconds);
  }
  write_csv(dir / (prefix + "history.csv"),
            {"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds"},
            {epoch, tl, ta, vl, va, secs});
  const bool has_val = !h.epochs.empty() && !std::isnan(h.epochs[0].val_loss);
  const bool has_acc = !h.epochs.empty() && !std::isnan(h.epochs[0].train_accuracy);
  plot::Figure loss(title + ": loss per epoch", "epoch", "loss");
  loss.linespoints("train", epoch, tl).key("top right");
  if (has_val) loss.linespoints("validation", epoch, vl, "lw 2 dt 2 pt 6 ps 0.7");
  loss.save(dir / (prefix + "loss.svg"));
  if (has_acc) {
    plot::Figure acc(title + ": accuracy per epoch", "epoch", "accuracy");
    acc.linespoints("train", epoch, ta).key("bottom right");
    if (has_val) acc.linespoints("validation", epoch, va, "lw 2 dt 2 pt 6 ps 0.7");
    acc.save(dir / (prefix + "accuracy.svg"));
  }
}

void plot_confusion(const fs::path& svg, const xt::xtensor<std::int64_t, 2>& C,
                    const std::vector<std::string>& class_names, const std::string& title) {
  Tensor2<double> v = xt::cast<double>(C);
  plot::heatmap(svg, v, class_names, class_names, title, "predicted class", "true class");
}

template <class XT>
void plot_misclassified(const fs::path& svg, const XT& X, const Labels& truth,
                        const Labels& predicted, const std::vector<std::string>& class_names,
                        std::size_t max_images) {
  const std::size_t N = X.shape(0);
  const std::size_t pixels = X.size() / std::max<std::size_t>(N, 1);
  const std::size_t side = std::size_t(std::lround(std::sqrt(double(pixels))));
  std::vector<Tensor2<double>> images;
  std::vector<std::string> captions;
  for (std::size_t i = 0; i < N && images.size() < max_images; ++i) {
    if (truth(i) == predicted(i)) continue;
    Tensor2<double> img = Tensor2<double>::from_shape({side, side});
    for (std::size_t p = 0; p < side * side; ++p) img.data()[p] = double(X.data()[i * pixels + p]);
    images.push_back(std::move(img));
    captions.push_back(class_names.at(std::size_t(truth(i))) + " -> " +
                       class_names.at(std::size_t(predicted(i))));
  }
  if (images.empty()) return;
  plot::image_grid(svg, images, captions, 6, "Misclassified test images (true -> predicted)");
}

std::string key_safe(const std::string& name) {
  std::string k;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) k += char(std::tolower(static_cast<unsigned char>(c)));
    else if (!k.empty() && k.back() != '_') k += '_';
  }
  while (!k.empty() && k.back() == '_') k.pop_back();
  return k;
}

nlohmann::json class_report_json(const ClassReport& r, const std::vector<std::string>& names) {
  nlohmann::json j;
  for (std::size_t k = 0; k < r.f1.size(); ++k) {
    const std::string n = key_safe(k < names.size() ? names[k] : std::to_string(k));
    j["precision_" + n] = r.precision[k];
    j["recall_" + n] = r.recall[k];
    j["f1_" + n] = r.f1[k];
  }
  j["macro_precision"] = r.macro_precision;
  j["macro_recall"] = r.macro_recall;
  j["macro_f1"] = r.macro_f1;
  return j;
}

template void plot_misclassified(const fs::path&, const Tensor2<float>&, const Labels&,
                                 const Labels&, const std::vector<std::string>&, std::size_t);
template void plot_misclassified(const fs::path&, const Tensor4<float>&, const Labels&,
                                 const Labels&, const std::vector<std::string>&, std::size_t);

}  // namespace dl
