// Chapter 3: loss functions. Squared, absolute and Huber error for regression; binary and
// categorical cross-entropy for classification; the fused softmax + cross-entropy gradient
// measured against the unfused chain; KL divergence; and a line fit to data with outliers,
// once by MSE and once by Huber.
// Text: docs/ch03_losses.md
#include <dlcore/core/compare.hpp>
#include <dlcore/dlcore.hpp>
#include <dlcore/losses/l1.hpp>
#include <datasets/synthetic.hpp>
#include <xtensor/xsort.hpp>

#include "exercise.hpp"
#include "fusing.hpp"

using namespace dl;

template <class E>
std::vector<double> vec(const E& e) {  // a tensor's values, for a plot
  const auto v = xt::eval(e);
  return {v.begin(), v.end()};
}

int main(int argc, char** argv) {
  ChapterCli cli("ch03_losses", "Chapter 3: loss functions, and a robust line fit");
  cli.epochs(1000, 400);
  double delta = 1.0, outliers = 0.15, slope = 2.0, intercept = 1.0;
  std::size_t n_points = 100;
  float lr = 0.1f;
  cli.app().add_option("--delta", delta, "Huber threshold")->capture_default_str()->check(CLI::PositiveNumber);
  cli.app().add_option("--outliers", outliers, "Fraction of outliers in the data")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cli.app().add_option("--points", n_points, "Number of data points")->capture_default_str()->check(CLI::PositiveNumber);
  cli.app().add_option("--lr", lr, "Adam learning rate of the line fits")->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;

    // ---- Regression losses: squared error, absolute error and Huber
    //! [regression_losses]
    const Tensor2<double> e = xt::expand_dims(xt::linspace<double>(-4.0, 4.0, 401), 1);
    const Tensor2<double> zero = xt::zeros_like(e);
    const auto squared = per_example(MSELoss<double>{}, e, zero);   // e^2, gradient 2e
    const auto absolute = per_example(L1Loss<double>{}, e, zero);   // |e|, gradient sign(e)
    const auto huber = per_example(HuberLoss<double>(delta), e, zero);
    //! [regression_losses]
    const std::string hname = fmt::format("Huber (delta {})", delta);
    plot::Figure("Regression losses of one example", "error e = prediction - target", "loss")
        .line("half squared error e^2/2", vec(e), vec(0.5 * squared.loss))
        .line("absolute error |e|", vec(e), vec(absolute.loss))
        .line(hname, vec(e), vec(huber.loss), "lw 3 dt 2").yrange(0, 5).key("top center")
        .save(opt.out / "regression_losses.svg");
    plot::Figure("Their gradients: how hard one example pulls", "error e = prediction - target", "dloss/de")
        .line("half squared error: e", vec(e), vec(0.5 * squared.grad))
        .line("absolute error: sign(e)", vec(e), vec(absolute.grad))
        .line(hname + ": e clipped to +-delta", vec(e), vec(huber.grad), "lw 3 dt 2")
        .key("top left").save(opt.out / "regression_gradients.svg");

    // ---- Classification losses against the predicted probability
    //! [classification_losses]
    const double z_max = std::log(999.0);  // the logit of p = 0.999
    const Tensor2<double> z = xt::expand_dims(xt::linspace<double>(-z_max, z_max, 999), 1);  // logits
    Sigmoid<double> sigmoid;
    Sigmoid<double>::Cache sc;
    const Tensor2<double> p = sigmoid.forward(z, sc);  // the probability given to the true class
    const Tensor2<double> one = xt::ones_like(p);       // the true class: y = 1
    const auto ce = per_example(BinaryCrossEntropy<double>{}, p, one);  // -log p
    const auto sq = per_example(MSELoss<double>{}, p, one);             // (1 - p)^2
    const auto ce_z = per_example(SigmoidBinaryCrossEntropy<double>{}, z, one);  // dL/dz = p - 1
    const Tensor2<double> sq_z = sigmoid.backward(sq.grad, sc);  // dL/dz = 2 (p - 1) p (1 - p)
    //! [classification_losses]
    plot::Figure("Classification losses of one example", "probability p given to the true class", "loss")
        .line("cross-entropy -log p", vec(p), vec(ce.loss))
        .line("squared error (1 - p)^2", vec(p), vec(sq.loss)).yrange(0, 5)
        .save(opt.out / "classification_losses.svg");
    plot::Figure("Gradient reaching the logit z, p = sigmoid(z)", "probability p given to the true class", "dloss/dz")
        .line("cross-entropy: p - 1", vec(p), vec(ce_z.grad))
        .line("squared error: 2 (p - 1) p (1 - p)", vec(p), vec(sq_z)).key("bottom right")
        .save(opt.out / "classification_gradients.svg");
    m.update({{"ce_logit_grad_at_p001", ce_z.grad(0, 0)}, {"sq_logit_grad_at_p001", sq_z(0, 0)}});

    // ---- The fused softmax + cross-entropy gradient, against the unfused chain
    //! [fused_vs_unfused]
    const Tensor1<double> margin = xt::linspace<double>(0.0, 800.0, 401);
    Tensor2<double> Z = xt::zeros<double>({margin.size(), std::size_t(3)});
    xt::col(Z, 0) = -margin;  // the true class 0 is given logit -m: ever more confidently wrong
    const Labels y = xt::zeros<std::int32_t>({margin.size()});
    const Tensor2<float> Zf = xt::cast<float>(Z);
    const Tensor2<double> exact = ch03::fused_gradient(Z, y);  // in double: the reference
    const auto err_fused_f = row_relative_errors(ch03::fused_gradient(Zf, y), exact);
    const auto err_unfused_f = row_relative_errors(ch03::unfused_gradient(Zf, y), exact);
    const auto err_unfused_d = row_relative_errors(ch03::unfused_gradient(Z, y), exact);
    //! [fused_vs_unfused]
    plot::Figure("Softmax + cross-entropy gradient: fused vs unfused", "margin m of the mistake (true-class logit -m)",
                 "relative error of dL/dz")
        .line("unfused (double)", vec(margin), ch03::for_log_plot(err_unfused_d), "lw 2 dt 2")
        .line("unfused (float)", vec(margin), ch03::for_log_plot(err_unfused_f))
        .line("fused p - e_y (float)", vec(margin), ch03::for_log_plot(err_fused_f), "lw 3")
        .log_y().yrange(1e-18, 10).key("center right").raw("set format y '10^{%L}'").save(opt.out / "fused_vs_unfused.svg");
    m["fused_float_max_rel_error"] = *std::max_element(err_fused_f.begin(), err_fused_f.end());
    m["unfused_float_max_rel_error_below_80"] = *std::max_element(err_unfused_f.begin(), err_unfused_f.begin() + 41);
    m["unfused_float_fails_at_margin"] = ch03::first_failure(margin, err_unfused_f);
    m["unfused_double_fails_at_margin"] = ch03::first_failure(margin, err_unfused_d);

    // ---- KL divergence and cross-entropy: H(p, q) = H(p) + KL(p || q)
    //! [kl_divergence]
    Tensor2<double> Zq = xt::zeros<double>({std::size_t(99), std::size_t(2)});
    xt::col(Zq, 0) = xt::linspace<double>(-std::log(99.0), std::log(99.0), 99);  // q from 0.01 to 0.99
    const Tensor2<double> Q = softmax_rows(Zq), logQ = log_softmax_rows(Zq);       // model (q, 1 - q)
    const Tensor2<double> P = xt::ones<double>({Q.shape(0), std::size_t(1)}) * Tensor2<double>{{0.3, 0.7}};
    const auto cross = per_example(CategoricalCrossEntropy<double>{}, Q, P).loss;  // H(p, q)
    const auto entropy = per_example(CategoricalCrossEntropy<double>{}, P, P).loss;  // H(p) = H(p, p)
    const auto kl = per_example(KLDivLoss<double>{}, logQ, P).loss;               // KL(p || q)
    //! [kl_divergence]
    const Tensor1<double> q = xt::col(Q, 0);
    plot::Figure("Cross-entropy = entropy + KL divergence (target p = 0.3)", "model probability q", "nats")
        .line("cross-entropy H(p;q)", vec(q), vec(cross)).line("entropy H(p)", vec(q), vec(entropy), "lw 2 dt 2")
        .line("KL(p || q)", vec(q), vec(kl)).yrange(0, 3).key("top center").save(opt.out / "kl_divergence.svg");
    m["kl_identity_max_error"] = xt::amax(xt::abs(cross - entropy - kl))();
    m["kl_min_at_q"] = q(xt::argmin(kl)());

    // ---- A line through data with outliers: MSE against Huber
    //! [outlier_fit]
    const auto data = datasets::line_with_outliers<float>(n_points, slope, intercept, 1.0, outliers, rng);
    auto fit_line = [&](const auto& loss) {
      Sequential<float> net;
      net.add(Linear<float>(1, 1, rng, Init::zeros));  // y = w x + b, from w = b = 0
      Adam<float> adam(lr);
      FitOptions fo;
      fo.epochs = opt.epochs;
      fo.batch_size = n_points;  // the whole data set: plain gradient descent on its loss
      fo.progress = opt.progress;
      fit(net, loss, adam, data.X, data.y, rng, fo);
      return net;
    };
    Sequential<float> mse_net = fit_line(MSELoss<float>{});
    Sequential<float> huber_net = fit_line(HuberLoss<float>(float(delta)));
    //! [outlier_fit]
    const Linear<float>& mse_line = mse_net.layer<Linear<float>>(0);
    const Linear<float>& huber_line = huber_net.layer<Linear<float>>(0);
    const std::vector<double> ends = {0.0, 10.0};  // the line y = w x + b drawn over x in [0, 10]
    auto line_at = [&](double w, double b) { return std::vector<double>{b, 10.0 * w + b}; };
    plot::Figure("A line through data with outliers", "x", "y")
        .points("data", vec(data.X), vec(data.y), "pt 7 ps 0.6 lc rgb '#777777'")
        .line("true line", ends, line_at(slope, intercept), "lw 2 dt 2 lc rgb 'black'")
        .line("fit by MSE", ends, line_at(mse_line.W(0, 0), mse_line.b(0)), "lw 2 lc rgb '#e41a1c'")
        .line(hname, ends, line_at(huber_line.W(0, 0), huber_line.b(0)), "lw 2 lc rgb '#377eb8'")
        .key("top left").save(opt.out / "regression_fit.svg");
    for (auto [name, line] : {std::pair{"mse", &mse_line}, std::pair{"huber", &huber_line}}) {
      m.update({{fmt::format("{}_slope", name), line->W(0, 0)}, {fmt::format("{}_intercept", name), line->b(0)},
                {fmt::format("{}_slope_error", name), std::abs(line->W(0, 0) - slope)},
                {fmt::format("{}_intercept_error", name), std::abs(line->b(0) - intercept)}});
      fmt::print("{:>5} fit: y = {:.3f} x + {:.3f}   (true: y = {} x + {})\n", name, line->W(0, 0),
                 line->b(0), slope, intercept);
    }

    // Exercise 3.1: your Huber gradient at the Huber fit, against the library's
    const Tensor2<double> pred = xt::cast<double>(predict(huber_net, data.X)), target = xt::cast<double>(data.y);
    HuberLoss<double>::Cache hc;
    HuberLoss<double>(delta).forward(pred, target, hc);
    const double ex_err = relative_error(ch03::huber_gradient(pred, target, delta), HuberLoss<double>(delta).backward(hc));
    m.update({{"exercise_huber_gradient_rel_error", ex_err}, {"exercise_huber_gradient_matches", ex_err < 1e-12}});

    fmt::print("softmax + cross-entropy gradient: fused exact to {:.1e}; unfused fails from margin {} (float), {} (double)\n",
               double(m["fused_float_max_rel_error"]), double(m["unfused_float_fails_at_margin"]),
               double(m["unfused_double_fails_at_margin"]));
    m.update({{"true_slope", slope}, {"true_intercept", intercept}, {"huber_delta", delta},
              {"outlier_fraction", outliers}, {"epochs", opt.epochs}, {"seconds", clock.seconds()}});
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
