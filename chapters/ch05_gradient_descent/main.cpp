// Chapter 5: gradient descent. The learning rate on an ill-conditioned quadratic, the
// Rosenbrock valley, a saddle point, local minima and noise; then stochastic and mini-batch
// gradients on real data: their variance, and what the batch size buys per step and per epoch.
// Text: docs/ch05_gradient_descent.md
#include <dlcore/dlcore.hpp>
#include <dlcore/io/contour.hpp>
#include <dlcore/optim/descend.hpp>
#include <dlcore/train/gradient_noise.hpp>
#include <dlcore/train/log_steps.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch05_gradient_descent", "Chapter 5: gradient descent, SGD and mini-batches");
  cli.data();
  std::size_t n_train = 10000;
  float lr = 0.01f;
  cli.app().add_option("--train-size", n_train, "Fashion-MNIST training images used")->capture_default_str()->check(CLI::Range(1000, 60000));
  cli.app().add_option("--lr", lr, "Learning rate of the mini-batch runs")->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;
    const auto& out = opt.out;

    // ---- The data, for the second half: Fashion-MNIST images (the 2-D landscapes need none)
    auto train = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::train));
    auto test = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::test));
    train = head(train, opt.quick ? std::min<std::size_t>(n_train, 2000) : n_train);
    test = head(test, opt.quick ? 1000 : 5000);
    const std::size_t N = train.size();
    const auto probe = head(train, 2000);  // the training loss is measured on these 2,000 images

    // ---- The learning rate on an ill-conditioned quadratic
    const TestFunction bowl = quadratic(1, 10);  // curvatures 1 and 10: stable iff eta < 2/10
    plot::Figure lr_paths = plot::contour_figure(bowl, "Gradient descent on " + bowl.formula);
    plot::Figure lr_dist("Distance to the minimum", "step", "|w - w*|");
    for (const auto& [label, eta] : {std::pair{"small", 0.02}, {"best", 2.0 / 11}, {"edge", 0.19}, {"large", 0.21}}) {
      //! [learning_rate]
      SGD<double> gd(eta);
      const Trajectory path = descend(gd, bowl, {-4.5, 1.2}, DescendOptions(40));
      const double measured = convergence_rate(path, bowl.minimum);
      const double predicted = ch05::contraction_factor(eta, {1, 10});  // exercise 5.2
      //! [learning_rate]
      const std::string name = fmt::format("eta = {:.3g}", eta);
      lr_paths.linespoints(name, path.x, path.y, "lw 1.5 pt 7 ps 0.5");
      lr_dist.line(name, path.step, path.distance_to(bowl.minimum));
      m[fmt::format("rate_{}", label)] = measured, m[fmt::format("rate_{}_predicted", label)] = predicted;
    }
    lr_paths.key("below").size(760, 480).save(out / "lr_paths.svg");
    plot::distinct_colors(lr_dist).log_y().key("bottom left").save(out / "lr_distance.svg");

    // ---- A curved valley: Rosenbrock
    const TestFunction banana = rosenbrock();
    plot::Figure ros = plot::contour_figure(banana, "Gradient descent on " + banana.formula);
    plot::Figure ros_gap("Rosenbrock: f - f* per step", "step", "f - f*");
    for (double eta : {1e-3, 1.9e-3, 2.1e-3}) {
      SGD<double> gd(eta);
      const Trajectory path = descend(gd, banana, {-1.2, 1}, DescendOptions(opt.quick ? 3000 : 20000).with_tol(1e-4));
      const Trajectory thin = path.log_thinned(), marks = path.every(1000);
      const std::string name = fmt::format("eta = {}", eta);
      if (eta == 1e-3) ros.line(name, thin.x, thin.y).points("every 1000 steps", marks.x, marks.y, "pt 7 ps 0.8 lc rgb 'black'");
      ros_gap.line(name, thin.step, thin.gap(banana.min_value, 1e-12));
      m[fmt::format("rosenbrock_steps_{}", eta)] = path.steps_to_tol, m[fmt::format("rosenbrock_final_{}", eta)] = path.f.back();
    }
    m["rosenbrock_lambda_max"] = eigenvalues(banana.hessian(1, 1)).y;
    ros.key("top left").size(620, 560).save(out / "rosenbrock.svg");
    plot::distinct_colors(ros_gap).log_x().log_y().key("bottom left").save(out / "rosenbrock_gap.svg");

    // ---- Saddle points
    //! [saddle]
    const TestFunction horse = saddle();
    SGD<double> gd(0.05), gd_off(0.05), noisy(0.05);
    const auto plain = DescendOptions(200).with_escape(2.2);  // |y| > 2.2: it escaped
    const Trajectory stuck = descend(gd, horse, {1.8, 0}, plain);           // on the stable manifold y = 0
    const Trajectory nudged = descend(gd_off, horse, {-1.8, 1e-6}, plain);  // a hair off it
    const Trajectory shaken = descend(noisy, horse, {-1.8, 0}, DescendOptions(plain).with_noise({0.2, 0.2}), &rng);
    //! [saddle]
    plot::Figure sad = plot::contour_figure(horse, "Gradient descent near the saddle of " + horse.formula);
    plot::Figure sad_f("The loss near a saddle: a plateau, then a drop", "step", "f(x, y)");
    for (const auto& [name, path] : {std::pair{"GD from y = 0 (right)", &stuck}, {"GD from y = 1e-6 (left)", &nudged}, {"noisy GD from y = 0 (left)", &shaken}}) {
      sad.linespoints(name, path->x, path->y, "lw 1.5 pt 7 ps 0.4");
      sad_f.line(name, path->step, path->f);
    }
    sad.key("below").size(600, 640).save(out / "saddle.svg");
    plot::distinct_colors(sad_f).key("bottom right").save(out / "saddle_loss.svg");
    m["saddle_stuck_grad_norm"] = stuck.grad_norm.back();
    m["saddle_nudged_escape_step"] = nudged.steps(), m["saddle_noisy_escape_step"] = shaken.steps();  // steps until |y| > 2.2

    // ---- Local minima and noise
    const TestFunction pits = wells();
    plot::Polylines gd_paths;
    int gd_global = 0, annealed_global = 0;
    for (int k = 0; k < 8; ++k) {  // plain GD from 8 points on a circle: the basin decides
      SGD<double> sgd(0.02);
      const double a = (22.5 + 45 * k) * M_PI / 180;
      const Trajectory path = descend(sgd, pits, {1.8 * std::cos(a), 1.8 * std::sin(a)}, DescendOptions(300));
      gd_paths.add(path.x, path.y);
      gd_global += path.ends_near(pits.minimum, 0.1);
    }
    plot::Figure wel = plot::contour_figure(pits, "Four wells: " + pits.formula);
    wel.line("GD from 8 starts", gd_paths.x, gd_paths.y, "lw 2");
    const int runs = opt.quick ? 20 : 100;
    for (int r = 0; r < runs; ++r) {
      //! [annealed]
      SGD<double> sgd(0.02);
      const auto annealed = DescendOptions(opt.quick ? 1000 : 5000).with_noise({8, 8}, true);
      const Trajectory path = descend(sgd, pits, {1, 1}, annealed, &rng);  // from the shallowest well
      //! [annealed]
      annealed_global += path.ends_near(pits.minimum, 0.1);
      if (r == 0) wel.line("annealed noisy GD from the shallowest well", path.x, path.y, "lw 0.5");
    }
    wel.key("below").size(600, 640).save(out / "wells.svg");
    m["wells_gd_global_fraction"] = gd_global / 8.0, m["wells_annealed_global_fraction"] = double(annealed_global) / runs;

    // ---- Real data: softmax regression on Fashion-MNIST, the loss averaged over N images
    const SoftmaxCrossEntropy<float> loss;
    auto make_net = [&] {  // softmax regression, the same initial weights for every run
      Rng init(opt.seed);
      return std::move(Sequential<float>().add(Linear<float>(784, 10, init)));
    };

    // ---- The stochastic gradient: unbiased, with variance sigma^2 / B
    //! [gradient_noise]
    std::vector<std::size_t> sizes;
    for (std::size_t B = 1; B < N / 2; B *= 2) sizes.push_back(B);
    Sequential<float> net0 = make_net();
    const GradientNoiseStudy at_start = gradient_noise(net0, loss, train.X, train.y, sizes, opt.quick ? 20 : 50, rng);
    //! [gradient_noise]
    {  // exercise 5.1 against the library, on 64 of the first 512 rows
      auto rows = rng.permutation(512);
      rows.resize(64);
      const auto& lin = net0.layer<Linear<float>>(0);
      const Tensor2<double> X512 = xt::cast<double>(xt::view(train.X, xt::range(0, 512)));
      const auto mine = ch05::minibatch_gradient(xt::cast<double>(lin.W), xt::cast<double>(lin.b), X512, train.y, rows);
      batch_gradient(net0, loss, train.X, train.y, rows);  // leaves the gradient in lin.dW, lin.db
      m["exercise_gradient_matches"] = xt::allclose(mine.dW, lin.dW, 1e-3, 1e-6) && xt::allclose(mine.db, lin.db, 1e-3, 1e-6);
    }

    // ---- Batch size: progress per step and per epoch
    plot::Figure per_step("Training loss against steps", "step", "training loss");
    plot::Figure per_epoch("Training loss against examples seen", "epochs (examples seen / N)", "training loss");
    Sequential<float> trained;
    for (const std::size_t B : {std::size_t(1), std::size_t(10), std::size_t(100), std::size_t(1000), N}) {
      //! [batch_sizes]
      Sequential<float> net = make_net();
      SGD<float> sgd(lr);
      FitOptions fo;
      fo.batch_size = B;  // at least 2 epochs and 300 steps (quick: 1 and 50)
      fo.epochs = int(std::max<std::size_t>(opt.quick ? 1 : 2, ((opt.quick ? 50 : 300) * B + N - 1) / N));
      fo.progress = false;
      std::vector<double> steps, epochs, losses;
      fo.on_step = every_log_step([&](std::size_t step) {  // the training loss, on the probe images
        steps.push_back(double(step));
        epochs.push_back(double(step * B) / double(N));
        losses.push_back(evaluate(net, loss, probe.X, probe.y).loss);
      }, 1.1, std::size_t(fo.epochs) * ((N + B - 1) / B));
      fit(net, loss, sgd, train.X, train.y, rng, fo);
      //! [batch_sizes]
      const std::string tag = B == N ? "full" : std::to_string(B), name = B == N ? fmt::format("B = N = {}", N) : "B = " + tag;
      per_step.line(name, steps, losses), per_epoch.line(name, epochs, losses);
      const Evaluation ev = evaluate(net, loss, test.X, test.y);
      m["loss_b" + tag] = losses.back(), m["test_accuracy_b" + tag] = ev.accuracy;
      fmt::print("B = {:>5}: {:>6} steps, {:>4} epochs, training loss {:.4f}, test accuracy {:.4f}\n", B, steps.back(), fo.epochs, losses.back(), ev.accuracy);
      if (B == 100) trained = std::move(net);
    }
    plot::distinct_colors(per_step).log_x().key("top right").save(out / "batch_steps.svg");
    plot::distinct_colors(per_epoch).log_x().key("top right").save(out / "batch_epochs.svg");

    // the gradient noise again after training: the signal |g|^2 has shrunk, the noise has not
    const GradientNoiseStudy at_end = gradient_noise(trained, loss, train.X, train.y, sizes, opt.quick ? 20 : 50, rng);
    plot_gradient_noise(out / "gradient_variance.svg", {{"start", &at_start}, {"trained", &at_end}});
    m["noise_scale_start"] = at_start.noise_scale(), m["noise_scale_end"] = at_end.noise_scale();
    m["variance_ratio_b1_b64"] = at_start.batches[0].variance / at_start.batches[6].variance;
    m["bias_ratio_b16"] = at_start.batches[4].bias_ratio;
    m["train_size"] = N, m["seconds"] = clock.seconds();
    write_json(out / "metrics.json", m);
    fmt::print("wrote {}\n", (out / "metrics.json").string());
  });
}
