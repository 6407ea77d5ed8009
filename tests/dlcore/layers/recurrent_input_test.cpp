// Hostile input to the recurrent models (issue 10): token ids that are not ids, sequence
// batches of the wrong shape or length, gradients of the wrong shape, and model files whose
// recurrent tensors or architecture are not the network's. Each is an exception naming the
// layer (or the file) and both shapes or values, never a crash or a silent result.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "dlcore/io/npy.hpp"
#include "dlcore/io/npz.hpp"
#include "dlcore/io/params.hpp"
#include "dlcore/layers/embedding.hpp"
#include "dlcore/layers/flatten_steps.hpp"
#include "dlcore/layers/last_step.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/rnn.hpp"
#include "dlcore/models/recurrent.hpp"
#include "support/crafted.hpp"
#include "support/scratch.hpp"

using namespace dl;

TEMPLATE_TEST_CASE("Embedding refuses NaN, infinite, huge, negative and fractional ids, naming the layer",
                   "[embedding][errors][input]", float, double) {
  Rng rng(1);
  Embedding<TestType> emb(4, 2, rng);
  typename Embedding<TestType>::Cache cache;
  const TestType inf = std::numeric_limits<TestType>::infinity();
  for (TestType bad : {std::numeric_limits<TestType>::quiet_NaN(), inf, -inf, TestType(1e30), TestType(-1),
                       TestType(-0.5), TestType(3.5), TestType(4)}) {
    INFO(double(bad));
    Tensor2<TestType> ids = {{0, 1, 2}, {3, 2, 1}};
    ids(1, 2) = bad;
    CHECK_THROWS_WITH(emb.forward(ids, cache), Catch::Contains("Embedding(4 -> 2)") &&
                                                   Catch::Contains("sequence 1, step 2") &&
                                                   Catch::Contains("not an integer in [0, 4)"));
  }
  // -0 is the id 0
  const Tensor2<TestType> ids = {{-TestType(0), 3}};
  CHECK((emb.forward(ids, cache) == emb.forward(Tensor2<TestType>{{0, 3}}, cache)));
}

TEST_CASE("A recurrent model refuses sequence batches of the wrong shape, naming the layer and both shapes",
          "[recurrent][errors][input]") {
  Rng rng(2);
  Sequential<float> net = sequence_to_one<float>(CellKind::lstm, 3, 4, 2, rng);
  CHECK(net.forward2(Tensor3<float>(xt::ones<float>({5, 2, 3}))).shape(0) == 2);
  // D = 7 features where the LSTM takes 3
  CHECK_THROWS_WITH(net.forward2(Tensor3<float>(xt::ones<float>({5, 2, 7}))),
                    Catch::Contains("LSTM(3 -> 4)") && Catch::Contains("(5, 2, 7)") &&
                        Catch::Contains("(T, N, 3)"));
  // no steps, no sequences
  CHECK_THROWS_WITH(net.forward2(Tensor3<float>(xt::ones<float>({0, 2, 3}))),
                    Catch::Contains("LSTM(3 -> 4)") && Catch::Contains("(0, 2, 3)"));
  CHECK_THROWS_WITH(net.forward2(Tensor3<float>(xt::ones<float>({5, 0, 3}))),
                    Catch::Contains("LSTM(3 -> 4)") && Catch::Contains("(5, 0, 3)"));
  // a matrix or an image batch where a sequence batch belongs
  CHECK_THROWS_WITH(net.forward2(Tensor2<float>(xt::ones<float>({2, 3}))), Catch::Contains("LSTM(3 -> 4)"));
  CHECK_THROWS_WITH(net.forward2(Tensor4<float>(xt::ones<float>({2, 1, 3, 3}))), Catch::Contains("LSTM(3 -> 4)"));
  // lengths: one per sequence, each in [1, T]
  const Lengths too_long = {5, 6};
  Context ctx;
  ctx.lengths = &too_long;
  CHECK_THROWS_WITH(net.forward2(Tensor3<float>(xt::ones<float>({5, 2, 3})), ctx),
                    Catch::Contains("LSTM(3 -> 4)") && Catch::Contains("sequence 1 has length 6") &&
                        Catch::Contains("outside [1, 5]"));
  const Lengths three = {1, 2, 3};
  ctx.lengths = &three;
  CHECK_THROWS_WITH(net.forward2(Tensor3<float>(xt::ones<float>({5, 2, 3})), ctx),
                    Catch::Contains("3 sequence lengths for a batch of 2"));
  // ids (N, T) into a character model: a sequence batch of features is not a batch of ids
  Sequential<float> chars;
  chars.add(Embedding<float>(6, 3, rng)).add(RNN<float>(3, 4, rng)).add(LastStep<float>{});
  CHECK(chars.forward2(Tensor2<float>{{0, 5, 1}}).shape(1) == 4);
  CHECK_THROWS_WITH(chars.forward2(Tensor3<float>(xt::zeros<float>({3, 1, 6}))),
                    Catch::Contains("Embedding(6 -> 3)"));
  CHECK_THROWS_WITH(chars.forward2(Tensor2<float>{{0, 6, 1}}), Catch::Contains("Embedding(6 -> 3)"));
}

TEST_CASE("LastStep and FlattenSteps refuse a gradient of the wrong shape, naming both shapes",
          "[last_step][errors][input]") {
  const Tensor3<double> x = xt::ones<double>({4, 3, 2});
  LastStep<double> last;
  LastStep<double>::Cache c;
  last.forward(x, c);
  CHECK(last.backward(xt::ones<double>({3, 2}), c).shape(0) == 4);
  // without lengths the shape was taken from dY itself: a (5, 2) or (3, 7) gradient went through
  CHECK_THROWS_WITH(last.backward(xt::ones<double>({5, 2}), c),
                    Catch::Contains("LastStep") && Catch::Contains("(5, 2)") && Catch::Contains("(3, 2)"));
  CHECK_THROWS_WITH(last.backward(xt::ones<double>({3, 7}), c),
                    Catch::Contains("LastStep") && Catch::Contains("(3, 7)") && Catch::Contains("(3, 2)"));
  FlattenSteps<double> flat;
  flat.k = 2;
  FlattenSteps<double>::Cache fc;
  CHECK(flat.forward(x, fc).shape(0) == 6);
  CHECK_THROWS_WITH(flat.backward(xt::ones<double>({4, 2}), fc),
                    Catch::Contains("FlattenSteps(last 2)") && Catch::Contains("(4, 2)") && Catch::Contains("(6, 2)"));
  CHECK_THROWS_WITH(flat.forward(Tensor3<double>(xt::ones<double>({1, 3, 2})), fc),
                    Catch::Contains("FlattenSteps(last 2)") && Catch::Contains("(1, 3, 2)"));
}

TEST_CASE("A recurrent model file with another architecture or a wrong tensor names the file, the layer and both shapes",
          "[recurrent][model][errors][input]") {
  const auto dir = testing::scratch_dir("layers", "recurrent_model_input");
  Rng rng(3);
  Sequential<float> lstm = sequence_to_one<float>(CellKind::lstm, 3, 4, 2, rng);
  Sequential<float> gru = sequence_to_one<float>(CellKind::gru, 3, 4, 2, rng);
  const auto file = dir / "lstm.npz";
  save_model(file, lstm);
  // another cell: the first differing layer is named with both descriptions
  CHECK_THROWS_WITH(load_model(file, gru), Catch::Contains("lstm.npz") && Catch::Contains("layer 0") &&
                                               Catch::Contains("LSTM(3 -> 4)") && Catch::Contains("GRU(3 -> 4)"));
  // the recurrent weights of another hidden size under the right architecture
  std::string w_hh;
  for (const auto& e : read_npz(file))
    if (e.first.find("W_hh") != std::string::npos) w_hh = e.first;
  REQUIRE_FALSE(w_hh.empty());
  testing::replace_entry(file, w_hh, to_npy(Tensor2<float>(xt::zeros<float>({5, 20}))));
  CHECK_THROWS_WITH(load_model(file, lstm), Catch::Contains("lstm.npz") && Catch::Contains("W_hh") &&
                                                Catch::Contains("(5, 20)") && Catch::Contains("(16, 4)"));
  // the right shape but 2 of its 64 values
  const float two[2] = {1, 2};
  testing::replace_entry(file, w_hh, npy_encode("<f4", {16, 4}, two, sizeof(two)));
  CHECK_THROWS_WITH(load_model(file, lstm), Catch::Contains("lstm.npz") && Catch::Contains("W_hh"));
}
