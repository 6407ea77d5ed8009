// The bidirectional wrapper: the reversal within each sequence's length; each sequence of a
// padded batch gets what it gets alone, the right-to-left half being the plain layer run over
// the reversed sequence; central differences through both directions (inputs, initial states,
// final-state gradients, every parameter) with ragged lengths; parity with PyTorch's
// bidirectional nn.LSTM / nn.GRU on packed sequences; inside Sequential; bad input.
#include <catch2/catch.hpp>

#include "dlcore/layers/bidirectional.hpp"
#include "dlcore/layers/flatten_steps.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/recurrent.hpp"

using namespace dl;
using testing::golden;
using testing::random_tensor;
using testing::require_close;

namespace {

using Shape3 = std::array<std::size_t, 3>;
using Shape2 = std::array<std::size_t, 2>;

// Objective L = sum(R Y) + sum over both directions of sum(Rh h_T) [+ sum(Rc c_T)]; checks
// dX, both initial states and every parameter against central differences.
template <class Layer>
void check_bidirectional(Layer& layer, Tensor3<double> x, BidirectionalState<double> init,
                         const Lengths* lengths) {
  typename Layer::Cache cache;
  const Tensor3<double> y = layer.run(x, init, lengths, cache);
  const auto ff = cache.fwd.final_state(), fb = cache.bwd.final_state();
  const auto R = testing::random_like(y, 99);
  BidirectionalState<double> dfin{{testing::random_like(ff.h, 98), {}}, {testing::random_like(fb.h, 97), {}}};
  if (ff.c.size()) {
    dfin.fwd.c = testing::random_like(ff.c, 96);
    dfin.bwd.c = testing::random_like(fb.c, 95);
  }
  zero_grad(layer.params());
  const auto g = layer.backward_full(R, dfin, cache);
  auto objective = [&] {
    typename Layer::Cache c;
    const auto yy = layer.run(x, init, lengths, c);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    const RecurrentState<double> fins[2] = {c.fwd.final_state(), c.bwd.final_state()};
    const RecurrentState<double>* ds[2] = {&dfin.fwd, &dfin.bwd};
    for (int k = 0; k < 2; ++k) {
      for (std::size_t i = 0; i < fins[k].h.size(); ++i) s += ds[k]->h.data()[i] * fins[k].h.data()[i];
      for (std::size_t i = 0; i < fins[k].c.size(); ++i) s += ds[k]->c.data()[i] * fins[k].c.data()[i];
    }
    return s;
  };
  REQUIRE(g.dx.size() == x.size());
  testing::require_gradient("dX", x.data(), g.dx.data(), x.size(), objective);
  testing::require_gradient("dh0", init.fwd.h.data(), g.fwd.dh0.data(), init.fwd.h.size(), objective);
  testing::require_gradient("dh0_reverse", init.bwd.h.data(), g.bwd.dh0.data(), init.bwd.h.size(), objective);
  if (init.fwd.c.size()) {
    testing::require_gradient("dc0", init.fwd.c.data(), g.fwd.dc0.data(), init.fwd.c.size(), objective);
    testing::require_gradient("dc0_reverse", init.bwd.c.data(), g.bwd.dc0.data(), init.bwd.c.size(), objective);
  }
  for (const auto& p : layer.params())
    testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
}

template <class Layer>
BidirectionalState<double> random_states(std::size_t N, std::size_t H, bool with_c, std::uint64_t seed) {
  BidirectionalState<double> s{{random_tensor<Tensor2<double>>(Shape2{N, H}, seed, 0.5), {}},
                               {random_tensor<Tensor2<double>>(Shape2{N, H}, seed + 1, 0.5), {}}};
  if (with_c) {
    s.fwd.c = random_tensor<Tensor2<double>>(Shape2{N, H}, seed + 2, 0.5);
    s.bwd.c = random_tensor<Tensor2<double>>(Shape2{N, H}, seed + 3, 0.5);
  }
  return s;
}

// Golden case `name` of tools/golden/sequence_labeling.py: forward, final states, backward.
template <class T, class Cell>
void require_golden_bidirectional(const std::string& name, bool has_c, double rtol, double atol) {
  Bidirectional<T, Cell> layer;
  testing::load_golden_weights<T>(layer.fwd, name);
  layer.bwd.W_ih = golden<T, 2>(name, "W_ih_reverse");
  layer.bwd.W_hh = golden<T, 2>(name, "W_hh_reverse");
  layer.bwd.b_ih = golden<T, 1>(name, "b_ih_reverse");
  layer.bwd.b_hh = golden<T, 1>(name, "b_hh_reverse");
  layer.bwd.dW_ih = xt::zeros_like(layer.bwd.W_ih);
  layer.bwd.dW_hh = xt::zeros_like(layer.bwd.W_hh);
  layer.bwd.db_ih = xt::zeros_like(layer.bwd.b_ih);
  layer.bwd.db_hh = xt::zeros_like(layer.bwd.b_hh);
  BidirectionalState<T> init{{golden<T, 2>(name, "h0"), {}}, {golden<T, 2>(name, "h0_reverse"), {}}};
  BidirectionalState<T> dfin{{golden<T, 2>(name, "dhT"), {}}, {golden<T, 2>(name, "dhT_reverse"), {}}};
  if (has_c) {
    init.fwd.c = golden<T, 2>(name, "c0");
    init.bwd.c = golden<T, 2>(name, "c0_reverse");
    dfin.fwd.c = golden<T, 2>(name, "dcT");
    dfin.bwd.c = golden<T, 2>(name, "dcT_reverse");
  }
  Lengths lengths;
  for (auto v : golden<std::int64_t, 1>(name, "lengths")) lengths.push_back(std::size_t(v));
  typename Bidirectional<T, Cell>::Cache cache;
  const auto y = layer.run(golden<T, 3>(name, "x"), init, &lengths, cache);
  require_close("Y", y, golden<T, 3>(name, "y"), rtol, atol);
  require_close("h_T", cache.fwd.final_state().h, golden<T, 2>(name, "hT"), rtol, atol);
  require_close("h_T reverse", cache.bwd.final_state().h, golden<T, 2>(name, "hT_reverse"), rtol, atol);
  if (has_c) {
    require_close("c_T", cache.fwd.final_state().c, golden<T, 2>(name, "cT"), rtol, atol);
    require_close("c_T reverse", cache.bwd.final_state().c, golden<T, 2>(name, "cT_reverse"), rtol, atol);
  }
  const auto g = layer.backward_full(golden<T, 3>(name, "dy"), dfin, cache);
  require_close("dX", g.dx, golden<T, 3>(name, "dx"), rtol, atol);
  require_close("dh0", g.fwd.dh0, golden<T, 2>(name, "dh0"), rtol, atol);
  require_close("dh0 reverse", g.bwd.dh0, golden<T, 2>(name, "dh0_reverse"), rtol, atol);
  if (has_c) {
    require_close("dc0", g.fwd.dc0, golden<T, 2>(name, "dc0"), rtol, atol);
    require_close("dc0 reverse", g.bwd.dc0, golden<T, 2>(name, "dc0_reverse"), rtol, atol);
  }
  require_close("dW_ih", layer.fwd.dW_ih, golden<T, 2>(name, "dW_ih"), rtol, atol);
  require_close("dW_hh", layer.fwd.dW_hh, golden<T, 2>(name, "dW_hh"), rtol, atol);
  require_close("db_ih", layer.fwd.db_ih, golden<T, 1>(name, "db_ih"), rtol, atol);
  require_close("db_hh", layer.fwd.db_hh, golden<T, 1>(name, "db_hh"), rtol, atol);
  require_close("dW_ih reverse", layer.bwd.dW_ih, golden<T, 2>(name, "dW_ih_reverse"), rtol, atol);
  require_close("dW_hh reverse", layer.bwd.dW_hh, golden<T, 2>(name, "dW_hh_reverse"), rtol, atol);
  require_close("db_ih reverse", layer.bwd.db_ih, golden<T, 1>(name, "db_ih_reverse"), rtol, atol);
  require_close("db_hh reverse", layer.bwd.db_hh, golden<T, 1>(name, "db_hh_reverse"), rtol, atol);
}

}  // namespace

TEST_CASE("reverse_within_lengths reverses each sequence inside its own length", "[bidirectional]") {
  // T = 4, N = 2, D = 1: sequence 0 is 1 2 3 4 (length 4), sequence 1 is 5 6 7 (length 3) + padding 9
  const Tensor3<double> x = {{{1}, {5}}, {{2}, {6}}, {{3}, {7}}, {{4}, {9}}};
  const Lengths lengths{4, 3};
  const Tensor3<double> r = reverse_within_lengths(x, &lengths);
  const Tensor3<double> want = {{{4}, {7}}, {{3}, {6}}, {{2}, {5}}, {{1}, {0}}};  // padding -> 0
  CHECK(bool(r == want));
  // twice: the valid steps come back, the padding stays 0
  const Tensor3<double> back = reverse_within_lengths(r, &lengths);
  const Tensor3<double> want_back = {{{1}, {5}}, {{2}, {6}}, {{3}, {7}}, {{4}, {0}}};
  CHECK(bool(back == want_back));
  // no lengths: the whole time axis
  const Tensor3<double> full = reverse_within_lengths(x, nullptr);
  CHECK(full(0, 1, 0) == 9.0);
  CHECK(full(3, 1, 0) == 5.0);
  const Lengths bad{4, 5};
  CHECK_THROWS_AS(reverse_within_lengths(x, &bad), ValueError);
}

TEMPLATE_TEST_CASE("Bidirectional: each sequence of a padded batch gets (left-to-right, reversed right-to-left) of itself alone",
                   "[bidirectional][masking]", BiRNN<double>, BiLSTM<double>, BiGRU<double>) {
  Rng rng(12);
  TestType bi(3, 4, rng);
  const std::size_t T = 5, N = 3, H = 4;
  const Lengths lengths{2, 5, 4};
  Tensor3<double> x = random_tensor<Tensor3<double>>(Shape3{T, N, 3}, 1);
  for (std::size_t n = 0; n < N; ++n)  // garbage in the padding: it must not matter
    for (std::size_t t = lengths[n]; t < T; ++t)
      for (std::size_t j = 0; j < 3; ++j) x(t, n, j) = 1e3;
  typename TestType::Cache cache;
  const Tensor3<double> y = bi.forward(x, cache, Context{Mode::eval, nullptr, &lengths});
  REQUIRE(y.shape(2) == 2 * H);
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = lengths[n];
    Tensor3<double> s = Tensor3<double>::from_shape({L, 1, 3}), sr = s;
    for (std::size_t t = 0; t < L; ++t)
      for (std::size_t j = 0; j < 3; ++j) s(t, 0, j) = x(t, n, j), sr(t, 0, j) = x(L - 1 - t, n, j);
    typename decltype(bi.fwd)::Cache c1, c2;
    const Tensor3<double> yf = bi.fwd.forward(s, c1);   // the sequence alone, left to right
    const Tensor3<double> yr = bi.bwd.forward(sr, c2);  // the sequence alone, reversed
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t j = 0; j < H; ++j) {
        INFO("sequence " << n << ", step " << t << ", unit " << j);
        CHECK(y(t, n, j) == Approx(t < L ? yf(t, 0, j) : 0.0).margin(1e-13));
        CHECK(y(t, n, H + j) == Approx(t < L ? yr(L - 1 - t, 0, j) : 0.0).margin(1e-13));
      }
  }
}

TEST_CASE("BiLSTM backward matches central differences with ragged lengths, h0, c0 and final-state gradients",
          "[bidirectional][gradcheck]") {
  Rng rng(13);
  BiLSTM<double> bi(4, 5, rng);
  const Lengths lengths{6, 2, 4};
  check_bidirectional(bi, random_tensor<Tensor3<double>>(testing::kSeqShape, 14),
                      random_states<BiLSTM<double>>(3, 5, true, 15), &lengths);
}

TEST_CASE("BiGRU backward matches central differences with ragged lengths", "[bidirectional][gradcheck]") {
  Rng rng(16);
  BiGRU<double> bi(4, 5, rng);
  const Lengths lengths{1, 6, 3};
  check_bidirectional(bi, random_tensor<Tensor3<double>>(testing::kSeqShape, 17),
                      random_states<BiGRU<double>>(3, 5, false, 18), &lengths);
}

TEST_CASE("BiRNN backward matches central differences, every sequence full length", "[bidirectional][gradcheck]") {
  Rng rng(19);
  BiRNN<double> bi(4, 5, rng);
  check_bidirectional(bi, random_tensor<Tensor3<double>>(testing::kSeqShape, 20),
                      random_states<BiRNN<double>>(3, 5, false, 21), nullptr);
}

TEST_CASE("BiLSTM equals PyTorch's bidirectional nn.LSTM on packed ragged sequences", "[bidirectional][golden]") {
  require_golden_bidirectional<double, LSTMCell<double>>("bilstm_ragged", true, 1e-10, 1e-12);
}

TEST_CASE("BiGRU equals PyTorch's bidirectional nn.GRU on packed ragged sequences", "[bidirectional][golden]") {
  require_golden_bidirectional<double, GRUCell<double>>("bigru_ragged", false, 1e-10, 1e-12);
}

TEST_CASE("BiLSTM in float equals PyTorch's in float over 30 steps of 8 ragged sequences", "[bidirectional][golden]") {
  require_golden_bidirectional<float, LSTMCell<float>>("bilstm_f32", true, 1e-4, 1e-5);
}

TEST_CASE("BiLSTM inside Sequential takes the lengths from the Context and checks through a Linear",
          "[bidirectional][gradcheck]") {
  Rng rng(22);
  Sequential<double> net;
  net.add(BiLSTM<double>(3, 4, rng)).add(FlattenSteps<double>(0)).add(Linear<double>(8, 2, rng));
  net.first_input_grad = true;
  const Lengths lengths{3, 1, 4};
  Tensor3<double> x = random_tensor<Tensor3<double>>(Shape3{4, 3, 3}, 23);
  const Context ctx{Mode::train, nullptr, &lengths};
  const Tensor2<double> y = net.forward2(x, ctx);
  REQUIRE(y.shape(0) == 12);
  const auto R = testing::random_like(y, 24);
  net.zero_grad();
  const auto dx = std::get<Tensor3<double>>(net.backward(R));
  auto objective = [&] {
    const Tensor2<double> yy = net.forward2(x, ctx);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    return s;
  };
  testing::require_gradient("dX", x.data(), dx.data(), x.size(), objective);
  for (const auto& p : net.params()) testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
  CHECK(net.module(0).describe() == "BiLSTM(3 -> 2x4)");
  // the parameter names of PyTorch's bidirectional layer
  std::vector<std::string> names;
  for (const auto& p : net.params()) names.push_back(p.name);
  CHECK(names[0] == "0.W_ih");
  CHECK(names[4] == "0.W_ih_reverse");
  CHECK(names[7] == "0.b_hh_reverse");
}

TEST_CASE("Bidirectional refuses bad input, naming the layer and the shapes", "[bidirectional][errors]") {
  Rng rng(25);
  BiLSTM<double> bi(3, 4, rng);
  BiLSTM<double>::Cache cache;
  const Tensor3<double> wrong = xt::zeros<double>({5, 2, 4});
  CHECK_THROWS_WITH(bi.forward(wrong, cache), Catch::Contains("BiLSTM(3 -> 2x4)") && Catch::Contains("(5, 2, 4)"));
  const Tensor3<double> x = xt::zeros<double>({5, 2, 3});
  const Lengths too_long{5, 6};
  CHECK_THROWS_AS(bi.forward(x, cache, Context{Mode::eval, nullptr, &too_long}), ValueError);
  bi.forward(x, cache);
  const Tensor3<double> dy_wrong = xt::zeros<double>({5, 2, 4});
  CHECK_THROWS_WITH(bi.backward(dy_wrong, cache), Catch::Contains("(5, 2, 8)") && Catch::Contains("(5, 2, 4)"));
  BiLSTM<double> empty;
  CHECK_THROWS_AS(empty.forward(x, cache), ValueError);
  BiLSTM<double> fresh(3, 4, rng);
  BiLSTM<double>::Cache unused;
  CHECK_THROWS_AS(fresh.backward(xt::zeros<double>({5, 2, 8}), unused), ValueError);
}
