#pragma once
/// \file
/// The figures and numbers most chapters report after training: learning curves, a
/// confusion matrix, a grid of misclassified images, and flat metrics for metrics.json.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dlcore/train/fit.hpp"

namespace dl {

/// DIR/loss.svg and DIR/accuracy.svg (train and validation per epoch), with
/// DIR/history.csv holding every per-epoch figure. `prefix` starts the file names
/// (e.g. "lenet5_" -> lenet5_loss.svg) so several runs can share a directory.
void plot_history(const std::filesystem::path& dir, const History& h, const std::string& title,
                  const std::string& prefix = "");

/// Confusion matrix heat map (rows: true class, columns: predicted).
void plot_confusion(const std::filesystem::path& svg, const xt::xtensor<std::int64_t, 2>& C,
                    const std::vector<std::string>& class_names, const std::string& title);

/// Up to `max_images` misclassified images (X rows of H*W pixels in [0, 1], or (N,1,H,W)),
/// each captioned "true -> predicted".
template <class XT>
void plot_misclassified(const std::filesystem::path& svg, const XT& X, const Labels& truth,
                        const Labels& predicted, const std::vector<std::string>& class_names,
                        std::size_t max_images = 24);

/// Per-class precision/recall/F1 as flat keys ("f1_CLASS", "precision_CLASS", ...) plus
/// the macro averages, for metrics.json. Class names are made key-safe ("T-shirt/top" ->
/// "t_shirt_top").
nlohmann::json class_report_json(const ClassReport& r, const std::vector<std::string>& names);

/// "T-shirt/top" -> "t_shirt_top".
std::string key_safe(const std::string& name);

}  // namespace dl
