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
  cli.app().add_option("--points", n, "Points per dataset")->capture_default_str()->check(CLI::Range(10, 100000));
  cli.app().add_option("--lr", eta, "Learning rate eta")->capture_default_str()->check(CLI::PositiveNumber);
  cli.app().add_option("--margin", margin, "Gap around the separating line")->capture_default_str()->check(CLI::Range(0.0, 1.0));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    auto draw_line = [](plot::Figure& f, const Perceptron<double>& q, const std::string& name,
                        const std::string& style) {  // the decision line w.x + b = 0
      const auto seg = plot::line_in_box(q.w(0), q.w(1), q.b, -1, 1, -1, 1);
      if (!seg.empty()) f.line(name, seg.x, seg.y, style);
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
    fmt::print("separable: {} updates, {}; w = ({:.3f}, {:.3f}), b = {:.3f}\n", history.updates,
               history.converged_epoch ? fmt::format("no errors after epoch {}", history.converged_epoch)
                                       : fmt::format("still {} errors", history.errors.back()),
               p.w(0), p.w(1), p.b);

    plot::Figure fig("Perceptron on separable data: the line after a few epochs", "x1", "x2");
    plot::class_points(fig, sep.X, sep.y, 2);
    const std::size_t last = history.converged_epoch ? history.converged_epoch : po.epochs;
    const std::vector<std::string> greys = {"#c8c8c8", "#a0a0a0", "#707070"};
    for (std::size_t e = 1, k = 0; e < last && k < greys.size(); e *= 2, ++k)  // epochs 1, 2, 4
      draw_line(fig, history.snapshots[e - 1], "after epoch " + std::to_string(e),
                "lw 2 dt 2 lc rgb '" + greys[k] + "'");
    draw_line(fig, history.snapshots[last - 1], "after epoch " + std::to_string(last), "lw 3 lc rgb 'black'");
    fig.xrange(-1, 1).yrange(-1, 1).size(660, 540).key("outside right").save(opt.out / "separable.svg");

    // ---- Convergence: Novikoff's bound (R / gamma)^2 against the updates actually made
    //! [novikoff]
    const Tensor1<double> w_star = {1.0, -0.6};  // the line linearly_separable draws around
    const double b_star = 0.1;
    const NovikoffBound nb = novikoff_bound(sep.X, sep.y, w_star, b_star);
    //! [novikoff]
    fmt::print("Novikoff: R = {:.3f}, gamma = {:.4f}, bound (R/gamma)^2 = {:.0f} updates; made {}\n",
               nb.radius, nb.margin, nb.bound, history.updates);
    std::vector<double> gammas, measured, bounds;
    for (double m : {0.02, 0.05, 0.1, 0.2, 0.4, 0.8}) {  // a wider gap: fewer updates
      Rng r(opt.seed + 1);
      const auto d = datasets::linearly_separable<double>(n, r, m);
      Perceptron<double> pm(2);
      PerceptronOptions pmo = po;
      pmo.epochs = 10000, pmo.stop_when_converged = true;
      const auto hm = train_perceptron(pm, d.X, d.y, r, pmo);
      const NovikoffBound bm = novikoff_bound(d.X, d.y, w_star, b_star);
      gammas.push_back(bm.margin), measured.push_back(double(hm.updates)), bounds.push_back(bm.bound);
    }
    plot::Figure nov("Updates until no errors, and Novikoff's bound", "margin gamma of the data", "updates");
    nov.linespoints("bound (R/gamma)^2", gammas, bounds).linespoints("measured updates", gammas, measured);
    nov.log_x().log_y().key("top right").save(opt.out / "novikoff.svg");

    // ---- XOR: what one neuron cannot do
    Perceptron<double> p_xor(2);
    const auto h_xor = train_perceptron<double>(p_xor, xor_data.X, xor_data.y, rng, po, ch01::perceptron_update);
    const double xor_final_acc = accuracy(p_xor.predict(xor_data.X), xor_data.y);
    const double xor_best_acc = 1.0 - double(h_xor.best_errors) / double(n);
    fmt::print("XOR: {} errors of {} after {} epochs (accuracy {:.3f}; best epoch {:.3f})\n",
               h_xor.errors.back(), n, po.epochs, xor_final_acc, xor_best_acc);

    plot::Figure fx("Perceptron on XOR: the line after the last epoch", "x1", "x2");
    plot::class_points(fx, xor_data.X, xor_data.y, 2);
    draw_line(fx, p_xor, "after epoch " + std::to_string(po.epochs), "lw 3 lc rgb 'black'");
    fx.xrange(-1, 1).yrange(-1, 1).size(660, 540).key("outside right").save(opt.out / "xor.svg");

    std::vector<double> epochs(po.epochs);
    std::iota(epochs.begin(), epochs.end(), 1.0);
    const std::vector<double> err_sep(history.errors.begin(), history.errors.end());
    const std::vector<double> err_xor(h_xor.errors.begin(), h_xor.errors.end());
    plot::Figure fe("Misclassified points after each epoch (" + std::to_string(n) + " points)", "epoch", "errors");
    fe.linespoints("separable", epochs, err_sep).linespoints("XOR", epochs, err_xor);
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
    m["sweep_all_within_bound"] = std::equal(measured.begin(), measured.end(), bounds.begin(), std::less_equal<double>());
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
