// Chapter 12: convolution and pooling. Hand-made filters on a Fashion-MNIST image; the
// kernel flip that separates convolution from cross-correlation; im2col against the direct
// six-loop definition (the exercise); parameter sharing counted against dense layers; and a
// small CNN trained briefly, with its learned first-layer filters and feature maps.
// Text: docs/ch12_convolution.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"
#include "filters.hpp"

using namespace dl;
using datasets::Split;

int main(int argc, char** argv) {
  ChapterCli cli("ch12_convolution", "Chapter 12: convolution, pooling and what filters learn");
  cli.epochs(2, 1).data();
  std::size_t image_index = 0;
  cli.app().add_option("--image", image_index, "Test image to filter")->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;
    auto train_all = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::train));
    auto test = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::test));
    const auto classes = datasets::class_names_for(opt.data);
    if (opt.quick) train_all = head(train_all, 3000), test = head(test, 1000);
    if (image_index >= test.size())
      throw ValueError(fmt::format("--image {}: the test set has {} images", image_index, test.size()));
    const Tensor4<float> image = slice_rows(test.X, image_index, image_index + 1);  // (1, 1, 28, 28)

    // ---- Hand-made filters: one Conv2D(1 -> 4, 3x3, "same") whose weights we set
    //! [hand_filters]
    const auto filters = ch12::hand_made_filters();
    Conv2D<float> conv(1, filters.size(), 3, rng, /*stride=*/1, /*padding=*/1);
    for (std::size_t o = 0; o < filters.size(); ++o)
      xt::view(conv.W, o, 0) = filters[o].k;  // W (C_out, C_in, 3, 3)
    conv.b.fill(0.f);
    Conv2D<float>::Cache cache;
    const Tensor4<float> maps = conv.forward(image, cache);  // (1, 4, 28, 28)
    //! [hand_filters]
    std::vector<Tensor2<double>> panels = {ch12::map_image(image, 0, 0)};
    std::vector<std::string> captions = {classes.at(std::size_t(test.y(image_index)))};
    for (std::size_t o = 0; o < filters.size(); ++o) {
      panels.push_back(ch12::map_image(maps, 0, o));
      captions.push_back(filters[o].name);
    }
    plot::image_grid(opt.out / "hand_filters.svg", panels, captions, panels.size(),
                     "Hand-made 3x3 filters (red < 0 < blue)", true);

    // ---- Pooling the vertical-edge map: 28x28 -> 14x14, max and average
    MaxPool2D<float> maxpool(2);
    AvgPool2D<float> avgpool(2);
    MaxPool2D<float>::Cache mc;
    AvgPool2D<float>::Cache ac;
    const Tensor4<float> edge = xt::view(maps, xt::range(0, 1), xt::range(0, 1));
    const Tensor4<float> pooled_max = maxpool.forward(edge, mc), pooled_avg = avgpool.forward(edge, ac);
    plot::image_grid(opt.out / "pooling.svg",
                     {ch12::map_image(pooled_max, 0, 0), ch12::map_image(pooled_avg, 0, 0)},
                     {"max pool 2x2", "average pool 2x2"}, 2, "Pooling the vertical-edge map", true);

    // ---- Convolution vs cross-correlation: convolving is correlating with the flipped kernel
    //! [flip]
    Conv2D<float> flipped = conv;
    for (std::size_t o = 0; o < filters.size(); ++o)
      xt::view(flipped.W, o, 0) = xt::flip(xt::flip(filters[o].k, 0), 1);  // k[2-i, 2-j]
    const Tensor4<float> convolved = flipped.forward(image, cache);
    //! [flip]
    // Sobel x turned by 180 degrees is -Sobel x: true convolution flips the sign of its map;
    // the symmetric Laplacian and blur do not change.
    auto map0 = [](const Tensor4<float>& t, std::size_t o) { return xt::view(t, 0, o); };
    m["flip_sobel_negated_max_error"] = xt::amax(xt::abs(map0(convolved, 0) + map0(maps, 0)))();
    m["flip_laplacian_unchanged_max_error"] = xt::amax(xt::abs(map0(convolved, 2) - map0(maps, 2)))();

    // ---- im2col + GEMM against the definition (exercise 12.2), on 64 images, in double
    const std::size_t nb = opt.quick ? 8 : 64;
    const Tensor4<double> batch = xt::cast<double>(slice_rows(test.X, 0, nb));
    Conv2D<double> conv64(1, 32, 3, rng, 1, 1);
    Conv2D<double>::Cache c64;
    Stopwatch t_gemm;
    const Tensor4<double> y_gemm = conv64.forward(batch, c64);
    const double gemm_seconds = t_gemm.seconds();
    Stopwatch t_direct;
    const Tensor4<double> y_direct = ch12::conv2d_direct(batch, conv64.W, conv64.b, 1, 1);
    const double direct_seconds = t_direct.seconds();
    const bool same_shape = y_direct.shape() == y_gemm.shape();
    m["exercise_direct_matches_im2col"] =
        same_shape && xt::allclose(y_direct, y_gemm, 1e-9, 1e-12);
    m["exercise_output_size_28_5"] = ch12::output_size(28, 5, 1, 0);
    m["direct_seconds"] = direct_seconds;
    m["im2col_seconds"] = gemm_seconds;
    fmt::print("Conv2D(1 -> 32, 3x3, same) on {} images: direct loops {:.4f} s, im2col + GEMM {:.4f} s\n",
               nb, direct_seconds, gemm_seconds);

    // ---- Parameter sharing: a convolution against the dense layer with the same input and output
    //! [param_counts]
    struct Case { std::string name; std::size_t c_in, h, c_out, k, pad; };
    const std::vector<Case> cases = {{"Conv 1->32 3x3 valid on 28x28", 1, 28, 32, 3, 0},
                                     {"Conv 6->16 5x5 valid on 12x12 (LeNet-5)", 6, 12, 16, 5, 0},
                                     {"Conv 32->64 3x3 same on 13x13", 32, 13, 64, 3, 1}};
    std::string table = "layer,inputs,outputs,conv_params,dense_params,conv_madds\n";
    for (const Case& c : cases) {
      const std::size_t ho = conv_out_size(c.name, c.h, c.k, 1, c.pad);
      const std::size_t conv_params = c.c_out * (c.c_in * c.k * c.k + 1);
      const std::size_t d_in = c.c_in * c.h * c.h, d_out = c.c_out * ho * ho;
      const std::size_t dense_params = d_out * (d_in + 1);
      const std::size_t madds = d_out * c.c_in * c.k * c.k;  // C_out Ho Wo outputs, C_in k^2 each
      table += fmt::format("\"{}\",{},{},{},{},{}\n", c.name, d_in, d_out, conv_params, dense_params, madds);
      fmt::print("{:<42} {:>6} inputs, conv {:>7} parameters and {:>10} multiply-adds, dense {:>11} parameters\n",
                 c.name, d_in, conv_params, madds, dense_params);
      m[fmt::format("conv_{}_{}_inputs", c.c_in, c.c_out)] = d_in;
      m[fmt::format("conv_{}_{}_madds", c.c_in, c.c_out)] = madds;
    }
    //! [param_counts]
    write_file_atomic(opt.out / "param_counts.csv", table);

    // ---- A small CNN trained briefly: what do first-layer filters learn?
    //! [small_cnn]
    Sequential<float> net;
    // First-layer weights start small (N(0, 0.01^2)), so the filters plotted after training
    // show what was learned rather than the random start.
    net.add(Conv2D<float>(1, 8, 5, rng, 1, 2, Init::normal)).add(ReLU<float>{})  // (N, 8, 28, 28)
        .add(MaxPool2D<float>(2))                                  // (N, 8, 14, 14)
        .add(Flatten<float>{})
        .add(Linear<float>(8 * 14 * 14, 10, rng));
    //! [small_cnn]
    const Tensor4<float> W0 = net.layer<Conv2D<float>>(0).W;
    Adam<float> adam(1e-3f);
    FitOptions fo;
    fo.epochs = opt.epochs;
    fo.progress = opt.progress;
    const History h = fit(net, SoftmaxCrossEntropy<float>{}, adam, train_all.X, train_all.y, rng, fo);
    const Evaluation ev = evaluate(net, SoftmaxCrossEntropy<float>{}, test.X, test.y);
    fmt::print("small CNN: test accuracy {:.4f} after {} epochs\n", ev.accuracy, h.epochs.size());
    m["small_cnn_test_accuracy"] = ev.accuracy;
    m["small_cnn_params"] = net.num_params();

    const Tensor4<float>& W1 = net.layer<Conv2D<float>>(0).W;
    std::vector<Tensor2<double>> learned;
    std::vector<std::string> names;
    for (std::size_t o = 0; o < 8; ++o) {
      learned.push_back(ch12::map_image(W0, o, 0)), names.push_back(fmt::format("init {}", o));
    }
    for (std::size_t o = 0; o < 8; ++o) {
      learned.push_back(ch12::map_image(W1, o, 0)), names.push_back(fmt::format("learned {}", o));
    }
    plot::image_grid(opt.out / "learned_filters.svg", learned, names, 8,
                     "First-layer 5x5 filters: at initialisation and after training", true);

    Conv2D<float>::Cache fc;
    const Tensor4<float> fmaps = net.layer<Conv2D<float>>(0).forward(image, fc);  // (1, 8, 28, 28)
    std::vector<Tensor2<double>> fpanels = {ch12::map_image(image, 0, 0)};
    std::vector<std::string> fcaps = {"input"};
    for (std::size_t o = 0; o < 8; ++o)
      fpanels.push_back(ch12::map_image(fmaps, 0, o)), fcaps.push_back(fmt::format("map {}", o));
    plot::image_grid(opt.out / "feature_maps.svg", fpanels, fcaps, 9,
                     "Feature maps of the trained first layer (before ReLU)", true);

    m["epochs"] = opt.epochs;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
