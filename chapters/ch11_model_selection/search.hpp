#pragma once
// Chapter 11's search: one trial (an MLP of `depth` hidden layers of `width` units, trained
// with Adam at one learning rate and an L2 penalty, scored on the validation set), the grid
// and the random draws, and the pictures of the search space.
// Text: docs/ch11_model_selection.md
#include <dlcore/dlcore.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace ch11 {

using Data = dl::Dataset<dl::Tensor2<float>>;

/// One point of the search and what it scored.
struct Trial {
  std::string search;  ///< "grid" or "random"
  std::size_t id = 0;  ///< 0-based within its search
  double lr = 0;
  std::size_t width = 0;
  std::size_t depth = 1;  ///< hidden layers, each of `width` ReLU units
  double l2 = 0;          ///< L2 penalty (lambda/2) |W|^2 on the weights (Chapter 8)
  double val_accuracy = NAN, val_loss = NAN, train_accuracy = NAN, seconds = 0;
  std::string name() const { return search + "_" + std::to_string(id); }
};

/// A trained trial: the network and its curves.
struct Trained {
  dl::Sequential<float> net;
  dl::History history;
};

/// Train trial `t` for `epochs` epochs from its own seed (so a trial's result does not depend
/// on the trials before it), checkpointing under its name; fills its scores.
inline Trained run_trial(Trial& t, const Data& train, const Data& val, int epochs,
                         const dl::ChapterOptions& opt) {
  dl::Rng rng(opt.seed * 1000 + (t.search == "grid" ? 0 : 500) + t.id);
  Trained out;
  //! [trial]
  std::size_t d_in = 784;
  for (std::size_t l = 0; l < t.depth; ++l, d_in = t.width)  // depth hidden layers of width units
    out.net.add(dl::Linear<float>(d_in, t.width, rng)).add(dl::ReLU<float>{});
  out.net.add(dl::Linear<float>(d_in, 10, rng));
  dl::Adam<float> adam(float(t.lr));
  dl::FitOptions fo;
  const auto params = out.net.params();
  if (t.l2 > 0) fo.before_step = [&] { dl::add_l2_grad(params, float(t.l2)); };  // grad += lambda W
  //! [trial]
  fo.epochs = epochs;
  fo.batch_size = 128;
  fo.progress = false;
  fo.checkpoint = {opt.checkpoint_file(t.name()), opt.checkpoint_every, opt.resume};
  out.history =
      dl::fit(out.net, dl::SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo, &val);
  const dl::EpochRecord& last = out.history.epochs.back();
  t.val_accuracy = last.val_accuracy;
  t.val_loss = last.val_loss;
  t.train_accuracy = last.train_accuracy;
  t.seconds = out.history.seconds;
  return out;
}

/// Every (lr, width) pair of the grid, learning rate major.
inline std::vector<Trial> grid_trials(const std::vector<double>& lrs,
                                      const std::vector<std::size_t>& widths) {
  std::vector<Trial> trials;
  for (double lr : lrs)
    for (std::size_t w : widths) trials.push_back({"grid", trials.size(), lr, w});
  return trials;
}

/// The ranges of the random search.
struct Space {
  double lr_lo = 1e-4, lr_hi = 3e-2;     ///< learning rate, log-uniform
  std::size_t w_lo = 16, w_hi = 1024;    ///< width, log-uniform
  std::size_t depth_max = 3;             ///< hidden layers, uniform in 1 ... depth_max
  double l2_lo = 1e-6, l2_hi = 3e-3;     ///< L2 strength, log-uniform
};

//! [random_trials]
/// `n` random points of `space`, each coordinate drawn independently.
inline std::vector<Trial> random_trials(std::size_t n, const Space& space, dl::Rng& rng) {
  std::vector<Trial> trials;
  for (std::size_t i = 0; i < n; ++i) {
    Trial t{"random", i};
    t.lr = dl::log_uniform(rng, space.lr_lo, space.lr_hi);
    t.width = dl::log_uniform_int(rng, space.w_lo, space.w_hi);
    t.depth = 1 + std::size_t(rng.below(space.depth_max));
    t.l2 = dl::log_uniform(rng, space.l2_lo, space.l2_hi);
    trials.push_back(t);
  }
  return trials;
}
//! [random_trials]

/// The index of the trial with the best validation accuracy (the first of equals).
inline std::size_t best_by_validation(const std::vector<Trial>& trials) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < trials.size(); ++i)
    if (trials[i].val_accuracy > trials[best].val_accuracy) best = i;
  return best;
}

/// Grid: a heat map of validation accuracy (rows: learning rate, columns: width), and the
/// same numbers as one curve per width over the learning rate.
inline void plot_grid(const std::filesystem::path& dir, const std::vector<Trial>& grid,
                      const std::vector<double>& lrs, const std::vector<std::size_t>& widths) {
  dl::Tensor2<double> acc = dl::Tensor2<double>::from_shape({lrs.size(), widths.size()});
  for (const Trial& t : grid) acc(t.id / widths.size(), t.id % widths.size()) = t.val_accuracy;
  std::vector<std::string> rows, cols;
  for (double lr : lrs) rows.push_back(fmt::format("{:.0e}", lr));
  for (std::size_t w : widths) cols.push_back(std::to_string(w));
  dl::plot::heatmap(dir / "grid_search.svg", acc, rows, cols,
                    "Grid search: validation accuracy", "hidden width", "learning rate");
  dl::plot::Figure f("Grid search: validation accuracy per width", "learning rate (Adam)",
                     "validation accuracy");
  f.log_x().key("bottom center");
  for (std::size_t c = 0; c < widths.size(); ++c) {
    std::vector<double> y;
    for (std::size_t r = 0; r < lrs.size(); ++r) y.push_back(acc(r, c));
    f.linespoints("width " + cols[c], lrs, y);
  }
  f.save(dir / "grid_curves.svg");
}

/// The random trials over two of their hyperparameters, coloured by validation accuracy, the
/// chosen model ringed: DIR/STEM.csv and DIR/STEM.svg. `axes` holds the gnuplot lines that
/// differ between the two pictures (terminal size, title, labels, scales, ranges).
inline void plot_trials(const std::filesystem::path& dir, const std::string& stem, const std::string& x_name,
                        const std::string& y_name, const std::vector<double>& x, const std::vector<double>& y,
                        const std::vector<double>& acc, double chosen_x, double chosen_y, const std::string& axes) {
  const std::filesystem::path csv = dir / (stem + ".csv"), svg = dir / (stem + ".svg");
  dl::write_csv(csv, {x_name, y_name, "val_accuracy"}, {x, y, acc});
  const std::string script = fmt::format(
      "{}set output '{}'\nset datafile separator ','\nset grid\nset key bottom right opaque\n"
      "set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')\n"
      "set cblabel 'validation accuracy'\n"
      "plot '{}' skip 1 using 1:2:3 with points pt 7 ps 1.6 lc palette notitle, "
      "'-' using 1:2 with points pt 6 ps 3 lw 2 lc rgb 'red' title 'chosen model'\n{},{}\ne\n",
      axes, svg.string(), csv.string(), chosen_x, chosen_y);
  dl::plot::run_gnuplot(script, svg);
}

/// Random search: every trial at (learning rate, width).
inline void plot_random(const std::filesystem::path& dir, const std::vector<Trial>& random,
                        const Trial& chosen) {
  std::vector<double> lr, width, acc;
  for (const Trial& t : random) {
    lr.push_back(t.lr);
    width.push_back(double(t.width));
    acc.push_back(t.val_accuracy);
  }
  plot_trials(dir, "random_search", "lr", "width", lr, width, acc, chosen.lr, double(chosen.width),
              "set terminal svg size 720,480 dynamic enhanced font 'sans,12' background 'white'\n"
              "set title 'Random search: validation accuracy (colour)' noenhanced\n"
              "set xlabel 'learning rate (Adam, log scale)'\nset ylabel 'hidden width (log scale)'\n"
              "set logscale xy\nset xrange [7e-5:4e-2]\nset yrange [12:1400]\nset format x '10^{%L}'\n");
}

/// Random search, the other two axes: every trial at (L2 strength, depth); a chosen grid cell
/// (no L2) is ringed off the left edge.
inline void plot_random_depth_l2(const std::filesystem::path& dir, const std::vector<Trial>& random,
                                 const Trial& chosen) {
  std::vector<double> l2, depth, acc;
  for (const Trial& t : random) {
    l2.push_back(t.l2);
    depth.push_back(double(t.depth));
    acc.push_back(t.val_accuracy);
  }
  plot_trials(dir, "random_depth_l2", "l2", "depth", l2, depth, acc, chosen.search == "random" ? chosen.l2 : 1e-9,
              double(chosen.depth),
              "set terminal svg size 720,400 dynamic enhanced font 'sans,12' background 'white'\n"
              "set title 'Random search: validation accuracy (colour) over L2 strength and depth' noenhanced\n"
              "set xlabel 'L2 strength {/Symbol l} (log scale)'\nset ylabel 'hidden layers'\n"
              "set logscale x\nset xrange [5e-7:6e-3]\nset yrange [0.5:3.5]\nset ytics 1\nset format x '10^{%L}'\n");
}

}  // namespace ch11
