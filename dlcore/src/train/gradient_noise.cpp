#include "dlcore/train/gradient_noise.hpp"

#include "dlcore/io/plot.hpp"

namespace dl {

void plot_gradient_noise(const std::filesystem::path& svg,
                         const std::vector<std::pair<std::string, const GradientNoiseStudy*>>& studies,
                         const std::string& title) {
  static const char* const colors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7"};
  plot::Figure fig(title, "batch size B", "E |g_B - g|^2");
  for (std::size_t k = 0; k < studies.size(); ++k) {
    const auto& [label, st] = studies[k];
    if (st->batches.empty()) continue;
    const std::string color = colors[k % 4];
    const auto B = st->column(&GradientNoise::batch_size);
    const double g2 = st->full_norm * st->full_norm;
    fig.points("measured (" + label + ")", B, st->column(&GradientNoise::variance),
               "pt 7 ps 0.9 lc rgb '" + color + "'");
    fig.line("predicted (" + label + ")", B,
             st->column(&GradientNoise::predicted_variance), "lw 1.5 dt 2 lc rgb '" + color + "'");
    fig.line("|g|^2 (" + label + ")", {B.front(), B.back()}, {g2, g2},
             "lw 2 dt 3 lc rgb '" + color + "'");
  }
  fig.log_x().log_y().key("bottom left").save(svg);
}

}  // namespace dl
