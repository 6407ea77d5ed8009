#pragma once
// Chapter 23: what the program writes for each Keras program (metrics, plots, the model file
// and its test outputs for tools/dlcore_to_torch.py), and the --predict mode.
#include <filesystem>
#include <string>

#include <dlcore/dlcore.hpp>

#include "keras_programs.hpp"

namespace ch23 {

/// Into `m`: NAME_<score> (test_accuracy or test_rmse), NAME_test_loss, NAME_epochs,
/// NAME_num_params, NAME_seconds_per_epoch, NAME_val_loss; into `out`: NAME_loss.svg (and
/// NAME_accuracy.svg for classifiers), NAME_history.csv, the model NAME.npz and its test
/// outputs NAME_logits.npy.
void report(const std::filesystem::path& out, const std::string& name, Outcome& o,
            const std::string& score, nlohmann::json& m);

/// dropout_mlp_fit.svg: predicted against true targets on the test points.
void plot_regression(const std::filesystem::path& out, Outcome& o, const Points& test);

/// Whether `net` has the architecture of dlcore's builder "lenet5" or "seed_cnn" (the
/// models chapter 13 trains and saves).
bool same_architecture(dl::Sequential<float>& net, const std::string& builder);

/// --predict: load a model file saved by chapter 7 (784-H-10 MLP) or 13 (LeNet-5, the seed
/// CNN), write its logits for `test` to OUT/<stem>_logits.npy. ValueError naming the file's
/// layers when it is none of those.
void predict_model_file(const std::filesystem::path& file, const Images& test,
                        const std::filesystem::path& out);

}  // namespace ch23
