// Chapter 1: the perceptron. One neuron with a step activation learns a separating line with
// Rosenblatt's rule, in fewer updates than Novikoff's bound allows, and fails on XOR.
// Text: docs/ch01_perceptron.md
#include <dlcore/dlcore.hpp>
#include <dlcore/io/decision_line.hpp>
#include <dlcore/io/regions.hpp>
#include <dlcore/layers/perceptron.hpp>
#include <datasets/synthetic.hpp>

#include <functional>
#include <numeric>

#include "exercise.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch01_perceptron", "Chapter 1: the perceptron learns a line, and cannot learn XOR");
  cli.epochs(40, 40);
  std::size_t n = 200;
  double eta = 1.0, margin = 0.1;
  cli.app().add_option("--points", n, "Points per dataset")
      ->capture_default_str()->check(CLI::Range(10, 100000));
  cli.app().add_option("--lr", eta, "Learning rate eta")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cli.app().add_option("--margin", margin, "Width of the empty strip around the separating line")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    // The data with the line w.x + b = 0 after each of `epochs` (the last one solid).
    auto picture = [&](const auto& data, const PerceptronHistory<double>& h,
                       const std::vector<std::size_t>& epochs, const std::string& title,
                       const std::string& file) {
      plot::Figure fig(title, "x1", "x2");
      plot::class_points(fig, data.X, data.y, 2);
      const std::vector<std::string> styles = {"lw 2 dt 2 lc rgb '#c8c8c8'", "lw 2 dt 2 lc rgb '#a0a0a0'",
                                               "lw 2 dt 2 lc rgb '#707070'", "lw 3 lc rgb 'black'"};
      for (std::size_t k = 0; k < epochs.size(); ++k) {
        const Perceptron<double>& q = h.snapshots.at(epochs[k] - 1);
        const auto seg = plot::line_in_box(q.w(0), q.w(1), q.b, -1, 1, -1, 1);
        const std::string& style = k + 1 == epochs.size() ? styles.back() : styles[k % 3];
        if (!seg.empty()) fig.line("after epoch " + std::to_string(epochs[k]), seg.x, seg.y, style);
      }
      fig.xrange(-1, 1).yrange(-1, 1).size(660, 540).key("outside right").save(opt.out / file);
    };

    // ---- The data: two point clouds a line can separate, and XOR, which no line can
    const auto sep = datasets::linearly_separable<double>(n, rng, margin);
    const auto xor_data = datasets::xor_points<double>(n, rng);

    // ---- The perceptron learning rule: train with the exercise's update (and the library's)
    //! [train]
    Perceptron<double> p(2);  // w = 0, b = 0
    PerceptronOptions po;
    po.epochs = std::size_t(opt.epochs);
    po.eta = eta;
    Rng rng_lib = rng;  // the same visiting order for the library's rule
    const auto history = train_perceptron<double>(p, sep.X, sep.y, rng, po, ch01::perceptron_update);
    //! [train]
    Perceptron<double> p_lib(2);
    train_perceptron(p_lib, sep.X, sep.y, rng_lib, po);
    fmt::print("separable: {} updates, {} errors after epoch {} (first epoch without: {}); "
               "w = ({:.3f}, {:.3f}), b = {:.3f}\n", history.updates, history.errors.back(), po.epochs,
               history.converged_epoch, p.w(0), p.w(1), p.b);
    const std::size_t last = history.converged_epoch ? history.converged_epoch : po.epochs;
    std::vector<std::size_t> shown;
    for (std::size_t e = 1; e < last && shown.size() < 3; e *= 2) shown.push_back(e);  // 1, 2, 4
    shown.push_back(last);
    picture(sep, history, shown, "Perceptron on separable data: the line after a few epochs",
            "separable.svg");

    // ---- Convergence: Novikoff's bound (R / gamma)^2 against the updates actually made
    //! [novikoff]
    const Tensor1<double> w_star = {1.0, -0.6};  // the line linearly_separable draws around
    const double b_star = 0.1;
    const NovikoffBound nb = novikoff_bound(sep.X, sep.y, w_star, b_star);
    //! [novikoff]
    fmt::print("Novikoff: R = {:.3f}, gamma = {:.4f}, bound (R/gamma)^2 = {:.0f} updates; made {}\n",
               nb.radius, nb.margin, nb.bound, history.updates);
    std::vector<double> gammas, measured, bounds;
    for (double gap : {0.02, 0.05, 0.1, 0.2, 0.4, 0.8}) {  // a wider gap: fewer updates
      Rng r(opt.seed + 1);
      const auto d = datasets::linearly_separable<double>(n, r, gap);
      Perceptron<double> pg(2);
      PerceptronOptions until_done = po;
      until_done.epochs = 10000, until_done.stop_when_converged = true;
      measured.push_back(double(train_perceptron(pg, d.X, d.y, r, until_done).updates));
      const NovikoffBound bg = novikoff_bound(d.X, d.y, w_star, b_star);
      gammas.push_back(bg.margin), bounds.push_back(bg.bound);
    }
    plot::Figure nov("Updates until no errors, and Novikoff's bound", "margin gamma of the data",
                     "updates");
    nov.linespoints("bound (R/gamma)^2", gammas, bounds).linespoints("measured updates", gammas, measured);
    nov.log_x().log_y().key("top right").save(opt.out / "novikoff.svg");

    // ---- XOR: what one neuron cannot do
    Perceptron<double> p_xor(2);
    const auto h_xor =
        train_perceptron<double>(p_xor, xor_data.X, xor_data.y, rng, po, ch01::perceptron_update);
    const double xor_final_acc = accuracy(p_xor.predict(xor_data.X), xor_data.y);
    const double xor_best_acc = 1.0 - double(h_xor.best_errors) / double(n);
    fmt::print("XOR: {} errors of {} after {} epochs (accuracy {:.3f}; best epoch {:.3f})\n",
               h_xor.errors.back(), n, po.epochs, xor_final_acc, xor_best_acc);
    const std::size_t E = po.epochs;  // the line after a quarter, half, three quarters and all of them
    picture(xor_data, h_xor, {std::max<std::size_t>(1, E / 4), std::max<std::size_t>(1, E / 2),
                              std::max<std::size_t>(1, 3 * E / 4), E},
            "Perceptron on XOR: the line keeps moving", "xor.svg");

    std::vector<double> epochs(E);
    std::iota(epochs.begin(), epochs.end(), 1.0);
    plot::Figure fe("Misclassified points after each epoch (" + std::to_string(n) + " points)",
                    "epoch", "errors");
    fe.linespoints("separable", epochs, {history.errors.begin(), history.errors.end()});
    fe.linespoints("XOR", epochs, {h_xor.errors.begin(), h_xor.errors.end()});
    fe.raw("set yrange [0:*]").key("center right").save(opt.out / "errors.svg");

    // ---- Metrics
    nlohmann::json m;
    m["points"] = n;
    m["epochs"] = po.epochs;
    m["separable_final_errors"] = history.errors.back();
    m["separable_epochs_to_converge"] = history.converged_epoch;
    m["updates"] = history.updates;
    m["novikoff_radius"] = nb.radius;
    m["novikoff_margin"] = nb.margin;
    m["novikoff_bound"] = nb.bound;
    m["updates_within_bound"] = double(history.updates) <= nb.bound;
    m["sweep_all_within_bound"] =
        std::equal(measured.begin(), measured.end(), bounds.begin(), std::less_equal<double>());
    m["xor_final_errors"] = h_xor.errors.back();
    m["xor_final_accuracy"] = xor_final_acc;
    m["xor_best_accuracy"] = xor_best_acc;
    m["xor_ever_converged"] = h_xor.converged_epoch != 0;
    m["exercise_matches_library"] = xt::all(xt::equal(p.w, p_lib.w)) && p.b == p_lib.b;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
