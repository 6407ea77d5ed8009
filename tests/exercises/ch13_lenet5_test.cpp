// Exercise 13.1: parameter counts of convolutional and dense layers.
#include <catch2/catch.hpp>

#include "exercise.hpp"

TEST_CASE("Exercise 13.1: parameters of a convolution", "[ch13][exercise]") {
  CHECK(ch13::conv_params(1, 6, 5) == 156);     // LeNet-5's first layer
  CHECK(ch13::conv_params(6, 16, 5) == 2416);   // its second
  CHECK(ch13::conv_params(32, 64, 3) == 18496);
  CHECK(ch13::conv_params(3, 1, 1) == 4);
}

TEST_CASE("Exercise 13.1: parameters of a dense layer", "[ch13][exercise]") {
  CHECK(ch13::dense_params(256, 120) == 30840);
  CHECK(ch13::dense_params(1600, 512) == 819712);
  CHECK(ch13::dense_params(1, 1) == 2);
}

TEST_CASE("Exercise 13.1: LeNet-5 has 44,426 parameters", "[ch13][exercise]") {
  const std::size_t total = ch13::conv_params(1, 6, 5) + ch13::conv_params(6, 16, 5) +
                            ch13::dense_params(256, 120) + ch13::dense_params(120, 84) +
                            ch13::dense_params(84, 10);
  CHECK(total == 44426);
}
