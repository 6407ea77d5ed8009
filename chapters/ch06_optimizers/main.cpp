// Chapter 6: optimizers. Momentum and Nesterov on an ill-conditioned quadratic; every
// optimizer (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam) on three 2-D landscapes; Adam's
// bias correction and AdamW's decoupled weight decay measured; and the same MLP trained on
// Fashion-MNIST with each of the seven.
// Text: docs/ch06_optimizers.md
#include <dlcore/dlcore.hpp>
#include <dlcore/io/contour.hpp>
#include <dlcore/optim/descend.hpp>
#include <dlcore/optim/make_optimizer.hpp>
#include <dlcore/train/log_steps.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"

using namespace dl;

// Exercise 6.1 behind the optimizer interface: dl::RMSprop with the reader's step.
struct MyRMSprop : RMSprop<double> {
  using RMSprop<double>::RMSprop;
  void update(double* w, const double* g, std::size_t n, bool, double* const* slots) override {
    ch06::rmsprop_step(w, g, slots[0], n, lr, rho, eps);
  }
};

int main(int argc, char** argv) {
  ChapterCli cli("ch06_optimizers", "Chapter 6: momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW");
  cli.epochs(5, 1).data();
  std::size_t n_train = 10000;
  cli.app().add_option("--train-size", n_train, "Fashion-MNIST training images for the MLP")->capture_default_str()->check(CLI::Range(1000, 58000));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;
    const auto& out = opt.out;

    // ---- The data: Fashion-MNIST images for the MLP of the last section
    auto all = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::train));
    auto test = head(datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::test)), 2000);
    auto [train, val] = split(head(all, (opt.quick ? 2000 : n_train) + 2000), 2000, rng.permutation((opt.quick ? 2000 : n_train) + 2000));
    const auto probe = head(train, 2000);  // the training loss is measured on these

    // ---- Momentum: a heavy ball in an ill-conditioned valley
    //! [heavy_ball]
    const TestFunction valley = quadratic(1, 100);  // curvatures 1 and 100: kappa = 100
    const double r = std::sqrt(100.0);              // sqrt(kappa)
    SGD<double> gd(2.0 / 101);                                             // GD's best eta
    SGD<double> heavy(4 / ((1 + r) * (1 + r)), std::pow((r - 1) / (r + 1), 2));  // Polyak's best (eta, mu)
    SGD<double> nesterov(1.0 / 100, (r - 1) / (r + 1), true);             // Nesterov's (1/L, mu)
    //! [heavy_ball]
    plot::Figure rates("Quadratic with kappa = 100: distance to the minimum", "step", "|w - w*|");
    for (const auto& [key, label, o, predicted] : {std::tuple{"gd", "gradient descent", (Optimizer<double>*)&gd, 99.0 / 101},
                                                   {"heavy_ball", "heavy ball", &heavy, (r - 1) / (r + 1)},
                                                   {"nesterov", "Nesterov", &nesterov, 1 - 1 / r}}) {
      const Trajectory path = descend(*o, valley, {-4.5, 0.5}, DescendOptions(300));
      rates.line(label, path.step, path.distance_to(valley.minimum));
      m[std::string("rate_") + key] = convergence_rate(path, valley.minimum);
      m[std::string("rate_") + key + "_predicted"] = predicted;
    }
    plot::distinct_colors(rates).log_y().key("bottom left").save(out / "momentum_rate.svg");

    // ---- Every optimizer on three landscapes, each with its best learning rate
    const std::vector<std::string> names = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"};
    const std::vector<double> grid = {1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1};
    plot::Figure gaps("Rosenbrock: f - f* per step, best learning rate each", "step", "f - f*");
    const double c = std::cos(M_PI / 6), sn = std::sin(M_PI / 6);  // the turned bowl starts at the turned point
    for (const auto& [fn, start, options] : {std::tuple{quadratic(1, 30), Vec2{-4, 1}, DescendOptions(300).with_tol(1e-6)},
                                             {quadratic(1, 30, {}, 30), Vec2{-4 * c - sn, -4 * sn + c}, DescendOptions(300).with_tol(1e-6)},
                                             {rosenbrock(), Vec2{-1.2, 1}, DescendOptions(opt.quick ? 3000 : 10000).with_tol(1e-4)}}) {
      plot::Figure fig = plot::contour_figure(fn, "Each optimizer at its best learning rate: " + fn.formula);
      int fig_series = 0;
      for (const auto& name : names) {
        //! [tune]
        const TunedPath best = tune_learning_rate(name, fn, start, grid, options);
        //! [tune]
        const Trajectory thin = best.path.log_thinned(), start_of = best.path.first(40);
        if (fn.name == "rosenbrock") fig.line(fmt::format("{} (lr {})", name, best.lr), thin.x, thin.y);
        else fig.line(fmt::format("{} (lr {})", name, best.lr), start_of.x, start_of.y, fmt::format("lw 2 dt {}", 1 + fig_series++ / 3));
        if (fn.name == "rosenbrock") gaps.line(name, thin.step, thin.gap(0, 1e-12));
        m[fmt::format("{}_steps_{}", fn.name, name)] = best.path.steps_to_tol;
        m[fmt::format("{}_settle_{}", fn.name, name)] = best.path.steps_to_settle;
        m[fmt::format("{}_lr_{}", fn.name, name)] = best.lr;
      }
      const bool wide = fn.name != "rosenbrock";
      fig.key("below").size(wide ? 760 : 600, wide ? 520 : 680).save(out / (fn.name + "_paths.svg"));
    }
    plot::distinct_colors(gaps).log_x().log_y().key("bottom left").save(out / "rosenbrock_gap.svg");
    plot::Figure sad = plot::contour_figure(saddle(), "Leaving a saddle from y = 0.001, all with lr 0.01");
    for (const auto& name : names) {
      const auto o = make_optimizer<double>(name, 0.01);
      const Trajectory path = descend(*o, saddle(), {-1.8, 1e-3}, DescendOptions(600).with_escape(2.2));
      sad.line(name, path.x, path.y);
      m["saddle_escape_" + name] = path.diverged ? long(path.steps()) : -1L;
    }
    sad.key("below").size(600, 680).save(out / "saddle_paths.svg");

    // ---- Adam's bias correction: moments of a stationary noisy gradient, g ~ N(1, 0.5^2)
    //! [bias_correction]
    Adam<double> adam(1e-3);
    const Trajectory moments = descend(adam, plane(1, 0), {0, 0}, DescendOptions(500).with_noise({0.5, 0}).with_state(), &rng);
    const std::vector<double>& m_t = moments.state.at("m/w"), & v_t = moments.state.at("v/w");
    const std::vector<double> m_hat = bias_corrected(m_t, 0.9), v_hat = bias_corrected(v_t, 0.999);
    //! [bias_correction]
    const std::vector<double> t(moments.step.begin() + 1, moments.step.end());
    plot::Figure bias("Adam's moment estimates for g ~ N(1, 0.25)", "step t", "estimate");
    bias.line("m_t", t, m_t).line("m_t / (1 - beta1^t)", t, m_hat).line("v_t", t, v_t).line("v_t / (1 - beta2^t)", t, v_hat);
    bias.line("E[g] = 1", {1, 500}, {1, 1}, "lw 1 dt 2 lc rgb 'black'").line("E[g^2] = 1.25", {1, 500}, {1.25, 1.25}, "lw 1 dt 3 lc rgb 'black'");
    plot::distinct_colors(bias).log_x().yrange(0, 2.6).key("top right").save(out / "bias_correction.svg");
    m["adam_m_10"] = m_t[9], m["adam_m_hat_10"] = m_hat[9], m["adam_v_100"] = v_t[99], m["adam_v_hat_100"] = v_hat[99];

    // ---- AdamW: decoupled weight decay is not L2 inside Adam
    //! [weight_decay]
    const auto noise_only = DescendOptions(3000).with_noise({1, 0.01});  // a flat loss: only noise and decay
    const auto adam_l2 = make_optimizer<double>("adam", 1e-3, 0.5), adamw = make_optimizer<double>("adamw", 1e-3, 0.5);
    const Trajectory l2 = descend(*adam_l2, plane(0, 0), {1, 1}, noise_only, &rng);
    const Trajectory decoupled = descend(*adamw, plane(0, 0), {1, 1}, noise_only, &rng);
    //! [weight_decay]
    plot::Figure wd("Weight decay 0.5 on a flat loss: gradient noise 1 on x and 0.01 on y", "step", "weight");
    wd.line("Adam + L2: x", l2.step, l2.x).line("Adam + L2: y", l2.step, l2.y);
    wd.line("AdamW: x", decoupled.step, decoupled.x).line("AdamW: y", decoupled.step, decoupled.y, "lw 2 dt 2");
    plot::distinct_colors(wd).key("top right").save(out / "weight_decay.svg");
    m["adam_l2_final_x"] = l2.x.back(), m["adam_l2_final_y"] = l2.y.back();
    m["adamw_final_x"] = decoupled.x.back(), m["adamw_final_y"] = decoupled.y.back();

    // ---- Exercise 6.1: your RMSprop step on Rosenbrock, next to dl::RMSprop
    MyRMSprop mine(1e-3);
    RMSprop<double> reference(1e-3);
    m["exercise_rmsprop_distance"] = max_distance(descend(mine, rosenbrock(), {-1.2, 1}, DescendOptions(500)),
                                                  descend(reference, rosenbrock(), {-1.2, 1}, DescendOptions(500)));

    // ---- The same MLP, seven optimizers: 784 -> 512 ReLU -> 10 on Fashion-MNIST
    plot::Figure loss_fig("784-512-10 MLP: training loss", "step", "training loss");
    plot::Figure acc_fig("784-512-10 MLP: validation accuracy", "step", "validation accuracy");
    const SoftmaxCrossEntropy<float> loss;
    for (const auto& [name, lr] : std::vector<std::pair<std::string, float>>{
             {"sgd", 0.1f}, {"momentum", 0.01f}, {"nesterov", 0.01f}, {"adagrad", 0.01f},
             {"rmsprop", 1e-3f}, {"adam", 1e-3f}, {"adamw", 1e-3f}}) {
      //! [mlp]
      Rng init(opt.seed);  // the same initial weights and batches for every optimizer
      Sequential<float> net;
      net.add(Linear<float>(784, 512, init)).add(ReLU<float>{}).add(Linear<float>(512, 10, init));
      const auto optimizer = make_optimizer<float>(name, lr);
      FitOptions fo;
      fo.epochs = opt.epochs;
      fo.progress = opt.progress;
      std::vector<double> steps, train_loss, val_acc;
      fo.on_step = every_log_step([&, &val = val](std::size_t step) {  // C++17 captures bindings so
        steps.push_back(double(step));
        train_loss.push_back(evaluate(net, loss, probe.X, probe.y).loss);
        val_acc.push_back(evaluate(net, loss, val.X, val.y).accuracy);
      }, 1.15, std::size_t(opt.epochs) * ((train.size() + 127) / 128));
      fit(net, loss, *optimizer, train.X, train.y, init, fo);
      //! [mlp]
      const std::string label = fmt::format("{} (lr {})", name, lr);
      loss_fig.line(label, steps, train_loss);
      acc_fig.line(label, steps, val_acc);
      const double test_acc = evaluate(net, loss, test.X, test.y).accuracy;
      m["mlp_loss_" + name] = train_loss.back(), m["mlp_val_accuracy_" + name] = val_acc.back(), m["mlp_test_accuracy_" + name] = test_acc;
      m["mlp_peak_loss_" + name] = *std::max_element(train_loss.begin(), train_loss.end());
      fmt::print("{:<22} training loss {:.4f}, validation accuracy {:.4f}, test accuracy {:.4f}\n", label, train_loss.back(), val_acc.back(), test_acc);
    }
    plot::distinct_colors(loss_fig).log_x().log_y().key("top right").save(out / "mlp_loss.svg");
    plot::distinct_colors(acc_fig).log_x().key("bottom right").save(out / "mlp_accuracy.svg");

    m["epochs"] = opt.epochs, m["train_size"] = train.size(), m["seconds"] = clock.seconds();
    write_json(out / "metrics.json", m);
    fmt::print("wrote {}\n", (out / "metrics.json").string());
  });
}
