// ch14_modern_cnns: the quick run trains every network briefly, counts the separable
// convolution's savings, and reports every figure and plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch14 --quick: four networks, the degradation runs and the cost table", "[ch14]") {
  const auto m = testing::quick_metrics("ch14_modern_cnns");
  CHECK(m["epochs"] == 1);
  // a standard 3x3 layer from 32 to 64 channels does 1 / (1/64 + 1/9) = 7.9 times the
  // multiply-adds of a depthwise-separable one
  CHECK(m["madds_ratio_32_64"].get<double>() == Approx(9.0 * 64 / (9 + 64)).epsilon(1e-3));
  CHECK(m["madds_ratio_512_512"].get<double>() > 8.7);
  CHECK(m["separable_time_ratio"].get<double>() > 0);
  // parameter counts of the four networks (width 16)
  CHECK(m["resnet_params"] == 96714);
  CHECK(m["vgg_params"] == 35834);
  CHECK(m["alexnet_params"] == 417482);
  CHECK(m["separable_params"] == 6266);
  // 2,000 images and one epoch: every network is past guessing; the best clearly so
  for (const char* k : {"alexnet", "vgg", "resnet", "separable"}) {
    INFO(k);
    CHECK(m[std::string(k) + "_test_accuracy"].get<double>() > 0.05);
  }
  CHECK(m["best_test_accuracy"].get<double>() > 0.6);
  CHECK(m["best_test_accuracy"].get<double>() < 1.0);
  for (const char* k : {"plain_6_train_loss", "residual_6_train_loss", "plain_18_train_loss", "residual_18_train_loss"}) {
    INFO(k);
    CHECK(m[k].get<double>() > 0.1);
    CHECK(m[k].get<double>() < 3.0);
  }
  // the comparison trains on the first --train-size images; the final run (ResNet-style by
  // default) on all of them, and counts towards the best
  CHECK(m["compare_size"] == 1500);
  CHECK(m["final_model"] == "resnet");
  CHECK(m["final_epochs"] == 1);
  CHECK(m["final_test_accuracy"].get<double>() > 0.2);
  CHECK(m["best_test_accuracy"].get<double>() >= m["final_test_accuracy"].get<double>());
  CHECK(m["exercise_cost_matches"] == true);
  CHECK(m["exercise_depthwise_matches"] == true);
  // the final run mirrors half its images; its test accuracy is also reported averaged over mirror images
  CHECK(m["final_augment"] == "flip");
  CHECK(m["final_test_accuracy_flip_avg"].get<double>() > 0.2);
  // the named networks at full size, counted (--quick does not time them): the published figures
  CHECK(m["imagenet_vgg16_params"] == 138357544);
  CHECK(m["imagenet_resnet50_params"] == 25557032);
  CHECK(m["imagenet_alexnet_params"] == 61100840);
  CHECK(m["imagenet_vgg16_madds"] == 15470264320);
  CHECK(m["imagenet_resnet50_madds"] == 4089184256);
  CHECK(m["imagenet_alexnet_madds"] == 714188480);
  CHECK_FALSE(m.contains("imagenet_vgg16_forward_seconds"));
  testing::require_outputs("ch14_modern_cnns", {"loss.svg", "loss.csv", "degradation.svg", "degradation.csv",
                                                "models.csv", "separable_cost.csv", "final.svg", "final.csv",
                                                "named_networks.csv"});
}

TEST_CASE("ch14 is reproducible and checks its command line", "[ch14]") {
  const std::string args = "--models vgg --deg-size 200 --depths 1 2 --seed 3 --final-model best --named none";
  const auto a = testing::quick_metrics("ch14_modern_cnns", args);
  const auto b = testing::quick_metrics("ch14_modern_cnns", args);
  testing::require_same_values(a, b, {"vgg_test_accuracy", "plain_4_train_loss", "residual_6_train_loss",
                                      "final_test_accuracy"});
  CHECK_FALSE(a.contains("resnet_test_accuracy"));
  CHECK(a["final_model"] == "vgg");  // "best": the comparison's winner, here the only network
  const auto none = testing::quick_metrics("ch14_modern_cnns", "--models vgg --deg-size 200 --final-epochs 0 --named none");
  CHECK_FALSE(none.contains("final_test_accuracy"));
  CHECK_FALSE(none.contains("imagenet_vgg16_params"));
  testing::require_rejects("ch14_modern_cnns", "--quick --final-model lenet", "final-model");
  testing::require_rejects("ch14_modern_cnns", "--quick --models lenet", "lenet");
  testing::require_rejects("ch14_modern_cnns", "--quick --depths 2", "--depths");
  testing::require_rejects("ch14_modern_cnns", "--quick --named all", "--named");
  testing::require_rejects("ch14_modern_cnns", "--quick --final-augment crop", "--final-augment");
  testing::require_help_lists("ch14_modern_cnns", {"--seed", "--quick", "--data", "--epochs", "--out", "--models", "--depths", "--final-model", "--final-epochs",
                                                 "--final-augment", "--final-lr", "--named"});
  testing::require_missing_data_error("ch14_modern_cnns");
}
