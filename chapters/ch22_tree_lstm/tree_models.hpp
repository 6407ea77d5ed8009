#pragma once
// Chapter 22's tree models: the binary (N-ary, N = 2) Tree-LSTM ("tree") and the Child-Sum
// Tree-LSTM ("childsum") of Tai, Socher & Manning (2015), a label predicted at every node.
//
// HOOK (issue 13): the cells (dlcore/layers/tree_lstm.hpp) are wired in here. What the
// chapter needs from this file is run_tree_model(): train on the training trees (a loss at
// every labelled node, Adam, the gradient norm clipped at s.clip, s.epochs epochs, dev root
// accuracy after each as History's val_accuracy, checkpoints through `ck` as
// ch22::train_phrases writes them), save the model to `model_file`, and return a ModelRun whose predict() gives class
// probabilities (nodes, 5) for every node of any trees. Leaves carry their word ids
// (Tree::Node::token, 0..vocab-1); unlabelled nodes (label -1, e.g. from datasets::binarize)
// get no loss. The binary model needs binary trees: datasets::is_binary / binarize.
// Until then tree_models_available is false and --model tree / childsum are refused.
#include "baselines.hpp"

namespace ch22 {

/// True once run_tree_model trains the Tree-LSTMs.
inline constexpr bool tree_models_available = false;

/// Train the Tree-LSTM `kind` ("tree": binary, "childsum": Child-Sum) on the training trees.
inline ModelRun run_tree_model(const std::string& kind, std::size_t vocab, const std::vector<Tree>& train,
                               const std::vector<Tree>& dev, const Settings& s, Rng& rng,
                               const CheckpointOptions& ck, const std::filesystem::path& model_file) {
  (void)vocab, (void)train, (void)dev, (void)s, (void)rng, (void)ck, (void)model_file;
  throw ValueError(fmt::format("--model {}: the {} Tree-LSTM is not wired into ch22 yet (chapters/ch22_tree_lstm/"
                               "tree_models.hpp); the models available are bilstm and bow",
                               kind, kind == "tree" ? "binary" : "Child-Sum"));
}

}  // namespace ch22
