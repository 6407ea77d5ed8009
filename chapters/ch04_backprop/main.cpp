// Chapter 4: backpropagation. A scalar example by hand; the numerical gradient check and why
// its error has a V shape in the step h; then MLPs learning XOR and spirals, drawn as
// decision regions.
// Text: docs/ch04_backprop.md
#include <dlcore/core/compare.hpp>
#include <dlcore/dlcore.hpp>
#include <dlcore/io/regions.hpp>
#include <dlcore/train/check_gradients.hpp>
#include <datasets/synthetic.hpp>

#include "exercise.hpp"
#include "scalar_example.hpp"

using namespace dl;
using Data = datasets::Points<float>;

// Train `net` on `train`, watching `val`, then measure it once on `test`. Plots STEM_loss.svg,
// STEM_accuracy.svg and STEM_regions.svg (the decision regions over [-r, r]^2).
void train_and_draw(const ChapterOptions& opt, const std::string& stem, const std::string& title,
                    Sequential<float>& net, const Data& train, const Data& val, const Data& test,
                    std::size_t K, float lr, double r, Rng& rng, nlohmann::json& m) {
  //! [train]
  Adam<float> adam(lr);
  FitOptions fo;
  fo.epochs = opt.epochs;
  fo.batch_size = 32;
  fo.progress = opt.progress;
  const History history = fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo, &val);
  const Evaluation ev = evaluate(net, SoftmaxCrossEntropy<float>{}, test.X, test.y);
  //! [train]
  plot_history(opt.out, history, title, stem + "_");
  //! [regions]
  const std::size_t n = 200;  // grid points per axis
  const Labels grid_class = argmax_rows(predict(net, datasets::grid_points<float>(-r, r, -r, r, n, n)));
  plot::Figure fig(title + ": decision regions and test points", "x1", "x2");
  plot::class_regions(fig, grid_class, n, n, -r, r, -r, r, K);
  plot::class_points(fig, test.X, test.y, K).size(560, 520).key("off").save(opt.out / (stem + "_regions.svg"));
  //! [regions]
  m.update({{stem + "_train_accuracy", history.epochs.back().train_accuracy},
            {stem + "_val_accuracy", history.epochs.back().val_accuracy}, {stem + "_accuracy", ev.accuracy}});
  fmt::print("{}: test accuracy {:.4f}\n", title, ev.accuracy);
}

int main(int argc, char** argv) {
  ChapterCli cli("ch04_backprop", "Chapter 4: backpropagation, the gradient check, XOR and spirals");
  cli.epochs(100, 40);
  std::size_t K = 3, hidden = 64;
  cli.app().add_option("--classes", K, "Number of spiral arms (classes)")->capture_default_str()->check(CLI::Range(2, 6));
  cli.app().add_option("--hidden", hidden, "Hidden units per layer of the spiral MLP")->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;

    // ---- A scalar example: backpropagation by hand
    const ch04::ScalarExample s = ch04::scalar_example();
    fmt::print("scalar example: L = {:.6f}, dL/dw = {:.6f} (numerical {:.6f}), dL/db = {:.6f}, dL/dx = {:.6f}\n",
               s.L, s.dw, s.num_dw, s.db, s.dx);
    m["scalar_example_max_error"] = s.max_error();

    // ---- Checking a gradient: central differences, in double and in float
    const std::size_t per_arm = opt.quick ? 60 : 200;  // points per spiral arm
    const Data spirals = datasets::spirals<float>(per_arm, K, rng);
    const Data batch = split(spirals, 16, rng.permutation(spirals.size())).second;  // 16 random points
    const Tensor2<double> Xd = xt::cast<double>(batch.X);
    //! [gradcheck]
    Rng init_d(opt.seed), init_f(opt.seed);  // the same weights in both precisions
    Sequential<double> net_d;
    net_d.add(Linear<double>(2, 8, init_d)).add(Tanh<double>{}).add(Linear<double>(8, K, init_d));
    Sequential<float> net_f;
    net_f.add(Linear<float>(2, 8, init_f)).add(Tanh<float>{}).add(Linear<float>(8, K, init_f));
    const auto checks = check_gradients(net_d, SoftmaxCrossEntropy<double>{}, Xd, batch.y, 1e-5);
    //! [gradcheck]
    for (const auto& c : checks) fmt::print("  gradient check of {}: relative error {:.1e}\n", c.name, c.rel_error);
    m["gradcheck_rel_error_double"] = max_rel_error(checks);

    // Exercise 4.1: your backward pass of the same network, against the library's gradients
    const ch04::MlpGrads mine = ch04::mlp2_backward(Xd, net_d.layer<Linear<double>>(0).W, net_d.layer<Linear<double>>(0).b,
                                                    net_d.layer<Linear<double>>(2).W, net_d.layer<Linear<double>>(2).b,
                                                    batch.y, ch04::Hidden::tanh);
    const double ex_err = std::max({relative_error(mine.dW1, net_d.layer<Linear<double>>(0).dW),
                                    relative_error(mine.db1, net_d.layer<Linear<double>>(0).db),
                                    relative_error(mine.dW2, net_d.layer<Linear<double>>(2).dW),
                                    relative_error(mine.db2, net_d.layer<Linear<double>>(2).db)});
    m["exercise_backward_rel_error"] = ex_err;
    m["exercise_backward_matches"] = ex_err < 1e-10;

    // The error of the check against the step h: the V shape
    //! [step_sweep]
    std::vector<double> hs, err_d, err_f;
    for (double h : xt::eval(xt::logspace(-0.5, -12.0, 24))) {
      hs.push_back(h);
      err_d.push_back(max_rel_error(check_gradients(net_d, SoftmaxCrossEntropy<double>{}, Xd, batch.y, h)));
      err_f.push_back(max_rel_error(check_gradients(net_f, SoftmaxCrossEntropy<float>{}, batch.X, batch.y, float(h))));
    }
    //! [step_sweep]
    plot::Figure("Gradient check: relative error against the step h", "step h", "max relative error")
        .linespoints("float", hs, err_f).linespoints("double", hs, err_d)
        .line("1e-6 (the tests' tolerance)", {1e-12, 1}, {1e-6, 1e-6}, "lw 1 dt 2 lc rgb 'black'")
        .log_x().log_y().yrange(1e-13, 10).key("bottom left")
        .raw("set format x '10^{%L}'").raw("set format y '10^{%L}'").save(opt.out / "gradcheck_vs_h.svg");
    const auto best_d = std::min_element(err_d.begin(), err_d.end()), best_f = std::min_element(err_f.begin(), err_f.end());
    m.update({{"gradcheck_best_rel_error_double", *best_d}, {"gradcheck_best_h_double", hs[std::size_t(best_d - err_d.begin())]},
              {"gradcheck_best_rel_error_float", *best_f}, {"gradcheck_best_h_float", hs[std::size_t(best_f - err_f.begin())]}});

    // ---- XOR: one hidden layer is enough
    //! [xor]
    const Data xor_train = datasets::xor_points<float>(opt.quick ? 400 : 2000, rng);
    const Data xor_val = datasets::xor_points<float>(1000, rng), xor_test = datasets::xor_points<float>(1000, rng);
    Sequential<float> xor_net;
    xor_net.add(Linear<float>(2, 16, rng, Init::he_uniform)).add(ReLU<float>{}).add(Linear<float>(16, 2, rng));
    //! [xor]
    train_and_draw(opt, "xor", "XOR", xor_net, xor_train, xor_val, xor_test, 2, 0.01f, 1.2, rng, m);

    // ---- Spirals: two hidden layers
    //! [spirals]
    const Data spirals_val = datasets::spirals<float>(per_arm, K, rng), spirals_test = datasets::spirals<float>(per_arm, K, rng);
    Sequential<float> spiral_net;
    spiral_net.add(Linear<float>(2, hidden, rng, Init::he_uniform)).add(ReLU<float>{})
        .add(Linear<float>(hidden, hidden, rng, Init::he_uniform)).add(ReLU<float>{})
        .add(Linear<float>(hidden, K, rng));
    //! [spirals]
    train_and_draw(opt, "spirals", fmt::format("{} spirals", K), spiral_net, spirals, spirals_val, spirals_test, K, 0.003f, 1.1, rng, m);

    m.update({{"spirals_classes", K}, {"epochs", opt.epochs}, {"seconds", clock.seconds()}});
    write_json(opt.out / "metrics.json", m);
    fmt::print("gradient check: {:.1e} in double (h = 1e-5); best float {:.1e} at h = {:.0e}\nwrote {}\n",
               double(m["gradcheck_rel_error_double"]), *best_f, double(m["gradcheck_best_h_float"]),
               (opt.out / "metrics.json").string());
  });
}
