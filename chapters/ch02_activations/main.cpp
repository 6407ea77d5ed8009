// Chapter 2: activation functions. Sigmoid, tanh, ReLU, leaky ReLU and softmax with the
// derivatives their backward passes compute (checked by central differences); why sigmoid
// gradients vanish through a deep stack; and why the naive formulas overflow.
// Text: docs/ch02_activations.md
#include <dlcore/dlcore.hpp>
#include <dlcore/train/grad_norms.hpp>

#include <cmath>

#include "exercise.hpp"
#include "overflow.hpp"

using namespace dl;

namespace {
// The values of a tensor expression as a std::vector, for plot::Figure.
template <class E>
std::vector<double> vec(const E& e) {
  const auto t = xt::eval(e);
  return {t.begin(), t.end()};
}
}  // namespace

int main(int argc, char** argv) {
  ChapterCli cli("ch02_activations",
                 "Chapter 2: activation functions, their derivatives, and vanishing gradients");
  std::size_t depth = 10, width = 64, batch = 128;
  cli.app().add_option("--depth", depth, "Layers in the deep stacks")
      ->capture_default_str()->check(CLI::Range(2, 100));
  cli.app().add_option("--width", width, "Units per layer in the deep stacks")
      ->capture_default_str()->check(CLI::Range(2, 4096));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;

    // ---- Four activations and their derivatives
    const Tensor2<double> x = xt::reshape_view(xt::linspace<double>(-6.0, 6.0, 241), {1, 241});
    auto study = [&](auto layer, const std::string& name, const std::string& title) {
      //! [derivative]
      typename decltype(layer)::Cache cache, tmp;
      const Tensor2<double> y = layer.forward(x, cache);
      const Tensor2<double> dydx = layer.backward(Tensor2<double>(xt::ones_like(x)), cache);
      const double h = 1e-5;  // central difference (f(x + h) - f(x - h)) / 2h
      const Tensor2<double> up = layer.forward(Tensor2<double>(x + h), tmp);
      const Tensor2<double> numeric = (up - layer.forward(Tensor2<double>(x - h), tmp)) / (2 * h);
      //! [derivative]
      const auto off_kink = xt::abs(x) > 2 * h;  // ReLU's derivative does not exist at 0
      const double check = xt::amax(xt::where(off_kink, xt::abs(dydx - numeric), 0.0))();
      m[name + "_max_derivative"] = xt::amax(dydx)();
      m[name + "_derivative_check_error"] = check;
      auto every8 = xt::range(0, 241, 8);
      plot::Figure fig(title, "x", "value");
      fig.line(name + "(x)", vec(x), vec(y));
      fig.line("derivative (backward pass)", vec(x), vec(dydx), "lw 2 dt 2");
      fig.points("central difference", vec(xt::view(x, xt::all(), every8)),
                 vec(xt::view(numeric, xt::all(), every8)), "pt 6 ps 0.8");
      fig.key("top left").save(opt.out / (name + ".svg"));
      fmt::print("{:<10} max f' = {:.4f}, backward vs central difference: {:.1e}\n", name,
                 xt::amax(dydx)(), check);
    };
    study(Sigmoid<double>{}, "sigmoid", "Sigmoid 1/(1+exp(-x)) and its derivative s(1-s)");
    study(Tanh<double>{}, "tanh", "tanh(x) and its derivative 1 - tanh^2");
    study(ReLU<double>{}, "relu", "ReLU max(x, 0) and its derivative [x > 0]");
    study(LeakyReLU<double>(0.1), "leaky_relu", "Leaky ReLU (alpha = 0.1) and its derivative");

    // Exercise 2.1 computes the same leaky ReLU by hand
    LeakyReLU<double>::Cache lc;
    const Tensor2<double> lib_y = LeakyReLU<double>(0.1).forward(x, lc), dy = xt::cos(x);
    const Tensor2<double> lib_dx = LeakyReLU<double>(0.1).backward(dy, lc);
    m["exercise_leaky_relu_matches"] =
        xt::allclose(ch02::leaky_relu_forward(x, 0.1), lib_y, 0.0, 1e-15) &&
        xt::allclose(ch02::leaky_relu_backward(dy, x, 0.1), lib_dx, 0.0, 1e-15);

    // ---- Softmax
    //! [temperature]
    const Tensor1<double> z = {3.0, 1.0, 0.2, -1.0};
    const Tensor1<double> T = xt::logspace<double>(-1.5, 1.5, 61);  // temperatures 0.03 ... 30
    const Tensor2<double> P = softmax_rows(Tensor2<double>(xt::view(z, xt::newaxis(), xt::all()) /
                                                           xt::view(T, xt::all(), xt::newaxis())));
    //! [temperature]
    plot::Figure ft("Softmax of the logits (3, 1, 0.2, -1) divided by a temperature T",
                    "temperature T", "probability");
    for (std::size_t k = 0; k < z.size(); ++k)
      ft.line(fmt::format("p{} (logit {})", k + 1, z(k)), vec(T), vec(xt::view(P, xt::all(), k)));
    ft.log_x().xrange(T(0), T(T.size() - 1)).yrange(0, 1).key("top right");
    ft.save(opt.out / "softmax_temperature.svg");
    m["softmax_max_prob_coldest"] = P(0, 0);
    m["softmax_max_prob_hottest"] = P(T.size() - 1, 0);

    Tensor2<double> zs = xt::zeros<double>({4, 5}), R = zs;
    init_weights(zs, Init::normal, 1, 1, rng, 1.0);  // N(0, 1) logits, and the gradient dL/dp
    init_weights(R, Init::normal, 1, 1, rng, 1.0);
    Softmax<double>::Cache sc;
    Softmax<double>{}.forward(zs, sc);
    const Tensor2<double> dz = Softmax<double>{}.backward(R, sc);  // L = sum(R * softmax(z))
    const GradCheck g = numerical_gradient_check<double>(
        "dz", zs.data(), dz.data(), zs.size(), [&] { return xt::sum(R * softmax_rows(zs))(); });
    m["softmax_gradcheck_rel_error"] = g.rel_error;
    fmt::print("softmax backward vs central differences: relative error {:.1e}\n", g.rel_error);

    // ---- Numerically stable sigmoid and softmax: the textbook formulas overflow in float
    m.update(ch02::naive_vs_stable());

    // ---- Vanishing gradients through a deep stack
    //! [deep_stack]
    Tensor2<float> X = xt::zeros<float>({batch, width}), G = X;
    init_weights(X, Init::normal, 1, 1, rng, 1.0);  // a batch of N(0, 1) inputs
    init_weights(G, Init::normal, 1, 1, rng, 1.0);  // the gradient arriving from a loss
    auto layer_norms = [&](auto activation) {
      Rng r(opt.seed + 1);  // the same weights for every activation
      Sequential<float> net;
      for (std::size_t l = 0; l < depth; ++l)
        net.add(Linear<float>(width, width, r)).add(activation);
      net.forward2(X);
      net.zero_grad();
      net.backward(G);
      std::vector<double> norms = grad_norms(net.params(), ".W");  // ||dL/dW||, layers 1 ... depth
      const double last = norms.back();
      for (double& v : norms) v /= last;  // relative to the last layer's
      return norms;
    };
    const auto n_sigmoid = layer_norms(Sigmoid<float>{}), n_tanh = layer_norms(Tanh<float>{}),
               n_relu = layer_norms(ReLU<float>{});
    //! [deep_stack]
    std::vector<double> layer, quarter;  // 1 ... depth, and a slope of 1/4 per layer
    for (std::size_t l = 1; l <= depth; ++l)
      layer.push_back(double(l)), quarter.push_back(std::pow(0.25, double(depth - l)));
    plot::Figure fg(fmt::format("Gradient reaching each of {} layers of {} units", depth, width),
                    "layer (1 = next to the input)", "||dL/dW|| relative to the last layer");
    fg.linespoints("sigmoid", layer, n_sigmoid).linespoints("tanh", layer, n_tanh);
    fg.linespoints("ReLU", layer, n_relu);
    fg.line("(1/4)^(depth - layer)", layer, quarter, "lw 1 dt 2 lc rgb 'black'");
    fg.log_y().raw("set format y '10^{%L}'").key("bottom right");
    fg.save(opt.out / "gradient_norms.svg");
    m["depth"] = depth;
    m["sigmoid_grad_first_over_last"] = n_sigmoid.front();
    m["tanh_grad_first_over_last"] = n_tanh.front();
    m["relu_grad_first_over_last"] = n_relu.front();
    m["sigmoid_grad_per_layer"] = std::pow(n_sigmoid.front(), 1.0 / double(depth - 1));
    fmt::print("gradient norm, first / last layer: sigmoid {:.2e}, tanh {:.2e}, ReLU {:.2e}\n",
               n_sigmoid.front(), n_tanh.front(), n_relu.front());

    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
