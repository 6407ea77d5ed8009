#include "dlcore/io/plot.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl::plot {

namespace fs = std::filesystem;

namespace {

// Names go into CSV cells and gnuplot strings: keep them free of separators and quotes.
std::string clean(std::string s) {
  for (char& c : s)
    if (c == ',' || c == '"' || c == '\n') c = ' ';
  return s;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::ofstream open_out(const fs::path& p) {
  if (!p.parent_path().empty()) fs::create_directories(p.parent_path());
  std::ofstream f(p);
  if (!f) throw FileError("plot: cannot write " + p.string());
  f.precision(9);
  return f;
}

std::string header(const fs::path& svg, int w, int h, const std::string& title) {
  return fmt::format(
      "set terminal svg size {},{} dynamic enhanced font 'sans,12' background 'white'\n"
      "set output {}\nset datafile separator ','\nset title {} noenhanced\n"
      "set border lw 1\nset style line 101 lc rgb '#dddddd' lw 1\nset grid ls 101\n",
      w, h, quoted(svg.string()), quoted(title));
}

}  // namespace

Figure::Figure(std::string title, std::string xlabel, std::string ylabel)
    : title_(std::move(title)), xlabel_(std::move(xlabel)), ylabel_(std::move(ylabel)) {}

Figure& Figure::line(const std::string& name, const std::vector<double>& x,
                     const std::vector<double>& y, const std::string& style) {
  if (x.size() != y.size())
    throw ShapeError(fmt::format("plot::Figure::line '{}': {} x values but {} y values", name,
                                 x.size(), y.size()));
  series_.push_back({clean(name), "lines", style.empty() ? "lw 2" : style, x, y});
  return *this;
}

Figure& Figure::linespoints(const std::string& name, const std::vector<double>& x,
                            const std::vector<double>& y, const std::string& style) {
  line(name, x, y, style.empty() ? "lw 2 pt 7 ps 0.7" : style);
  series_.back().with = "linespoints";
  return *this;
}

Figure& Figure::points(const std::string& name, const std::vector<double>& x,
                       const std::vector<double>& y, const std::string& style) {
  if (x.size() != y.size())
    throw ShapeError(fmt::format("plot::Figure::points '{}': {} x values but {} y values", name,
                                 x.size(), y.size()));
  series_.push_back({clean(name), "points", style.empty() ? "pt 7 ps 0.5" : style, x, y});
  return *this;
}

Figure& Figure::image(const Tensor2<double>& values, double x0, double x1, double y0, double y1,
                      const std::string& palette) {
  image_ = values;
  ix0_ = x0, ix1_ = x1, iy0_ = y0, iy1_ = y1;
  palette_ = palette;
  return *this;
}

Figure& Figure::log_y(bool on) { return raw(on ? "set logscale y" : "unset logscale y"); }
Figure& Figure::log_x(bool on) { return raw(on ? "set logscale x" : "unset logscale x"); }
Figure& Figure::xrange(double lo, double hi) { return raw(fmt::format("set xrange [{}:{}]", lo, hi)); }
Figure& Figure::yrange(double lo, double hi) { return raw(fmt::format("set yrange [{}:{}]", lo, hi)); }
Figure& Figure::size(int width, int height) {
  width_ = width, height_ = height;
  return *this;
}
Figure& Figure::key(const std::string& where) {
  return raw(where == "off" ? "unset key" : "set key " + where + " noenhanced");
}
Figure& Figure::raw(const std::string& command) {
  commands_.push_back(command);
  return *this;
}

bool Figure::save(const fs::path& svg) const {
  const fs::path csv = fs::path(svg).replace_extension(".csv");
  {
    auto f = open_out(csv);
    f << "series,x,y\n";
    for (const auto& s : series_)
      for (std::size_t i = 0; i < s.x.size(); ++i) f << s.name << ',' << s.x[i] << ',' << s.y[i] << '\n';
  }
  std::string script = header(svg, width_, height_, title_);
  script += fmt::format("set xlabel {} noenhanced\nset ylabel {} noenhanced\nset key noenhanced\n",
                        quoted(xlabel_), quoted(ylabel_));
  std::vector<std::string> clauses;
  if (image_.size() > 0) {
    const fs::path icsv = svg.parent_path() / (svg.stem().string() + "_image.csv");
    auto f = open_out(icsv);
    f << "x,y,value\n";
    const std::size_t R = image_.shape(0), C = image_.shape(1);
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t c = 0; c < C; ++c)
        f << ix0_ + (ix1_ - ix0_) * double(c) / double(C > 1 ? C - 1 : 1) << ','
          << iy0_ + (iy1_ - iy0_) * double(r) / double(R > 1 ? R - 1 : 1) << ',' << image_(r, c)
          << '\n';
    script += "set palette " + palette_ + "\nunset colorbox\n";
    clauses.push_back(fmt::format("{} skip 1 using 1:2:3 with image notitle",
                                  quoted(icsv.string())));
  }
  for (const auto& c : commands_) script += c + "\n";
  for (const auto& s : series_)
    clauses.push_back(fmt::format("{} skip 1 using 2:(strcol(1) eq {} ? $3 : NaN) with {} {} title {}",
                                  quoted(csv.string()), quoted(s.name), s.with, s.style,
                                  quoted(s.name)));
  if (clauses.empty()) clauses.push_back("NaN notitle");
  script += "plot ";
  for (std::size_t i = 0; i < clauses.size(); ++i) script += (i ? ", \\\n     " : "") + clauses[i];
  script += "\n";
  return run_gnuplot(script, svg);
}

bool heatmap(const fs::path& svg, const Tensor2<double>& values,
             const std::vector<std::string>& row_labels,
             const std::vector<std::string>& col_labels, const std::string& title,
             const std::string& xlabel, const std::string& ylabel, bool annotate,
             const std::vector<std::string>& cell_text) {
  const std::size_t R = values.shape(0), C = values.shape(1);
  if (row_labels.size() != R || col_labels.size() != C)
    throw ShapeError(fmt::format("plot::heatmap: {} x {} values but {} row and {} column labels",
                                 R, C, row_labels.size(), col_labels.size()));
  if (!cell_text.empty() && cell_text.size() != R * C)
    throw ShapeError(fmt::format("plot::heatmap: {} x {} values but {} cell texts", R, C, cell_text.size()));
  const fs::path csv = fs::path(svg).replace_extension(".csv");
  double vmax = 0;
  {
    auto f = open_out(csv);
    f << "row,col,value\n";
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t c = 0; c < C; ++c) {
        f << r << ',' << c << ',' << values(r, c) << '\n';
        vmax = std::max(vmax, values(r, c));
      }
  }
  std::string s = header(svg, 200 + 52 * int(C), 160 + 40 * int(R), title);
  s += fmt::format("set xlabel {} noenhanced\nset ylabel {} noenhanced\nunset grid\nunset key\n",
                   quoted(xlabel), quoted(ylabel));
  s += "set palette defined (0 '#ffffff', 1 '#08306b')\n";
  s += fmt::format("set cbrange [0:{}]\nset xrange [-0.5:{}]\nset yrange [{}:-0.5]\n",
                   vmax > 0 ? vmax : 1, double(C) - 0.5, double(R) - 0.5);
  s += "set xtics rotate by 45 right noenhanced (";
  for (std::size_t c = 0; c < C; ++c) s += fmt::format("{}{} {}", c ? ", " : "", quoted(col_labels[c]), c);
  s += ")\nset ytics noenhanced (";
  for (std::size_t r = 0; r < R; ++r) s += fmt::format("{}{} {}", r ? ", " : "", quoted(row_labels[r]), r);
  s += ")\n";
  if (annotate)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t c = 0; c < C; ++c) {
        const double v = values(r, c);
        const std::string text = !cell_text.empty() ? cell_text[r * C + c]
                                 : v == double(std::int64_t(v)) ? fmt::format("{}", std::int64_t(v))
                                                                : fmt::format("{:.2f}", v);
        s += fmt::format("set label {} at {},{} center front tc rgb '{}' font 'sans,9' noenhanced\n",
                         quoted(text),
                         c, r, v > 0.5 * vmax ? "#ffffff" : "#000000");
      }
  s += fmt::format("plot {} skip 1 using 2:1:3 with image\n", quoted(csv.string()));
  return run_gnuplot(s, svg);
}

bool heatmap_signed(const fs::path& svg, const Tensor2<double>& values,
                    const std::vector<std::string>& row_labels,
                    const std::vector<std::string>& col_labels, const std::string& title,
                    const std::string& xlabel, const std::string& ylabel, int digits) {
  const std::size_t R = values.shape(0), C = values.shape(1);
  if (row_labels.size() != R || col_labels.size() != C)
    throw ShapeError(fmt::format("plot::heatmap_signed: {} x {} values but {} row and {} column labels",
                                 R, C, row_labels.size(), col_labels.size()));
  const fs::path csv = fs::path(svg).replace_extension(".csv");
  double vmax = 0;  // the largest |value|: the colour range is [-vmax, vmax]
  {
    auto f = open_out(csv);
    f << "row,col,value\n";
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t c = 0; c < C; ++c) {
        f << r << ',' << c << ',' << values(r, c) << '\n';
        vmax = std::max(vmax, std::abs(values(r, c)));
      }
  }
  if (vmax == 0) vmax = 1;
  std::string s = header(svg, 220 + 52 * int(C), 160 + 40 * int(R), title);
  s += fmt::format("set xlabel {} noenhanced\nset ylabel {} noenhanced\nunset grid\nunset key\n",
                   quoted(xlabel), quoted(ylabel));
  s += "set palette defined (-1 '#2166ac', 0 '#ffffff', 1 '#b2182b')\n";
  s += fmt::format("set cbrange [{}:{}]\nset xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", -vmax, vmax,
                   double(C) - 0.5, double(R) - 0.5);
  s += "set xtics rotate by 45 right noenhanced (";
  for (std::size_t c = 0; c < C; ++c) s += fmt::format("{}{} {}", c ? ", " : "", quoted(col_labels[c]), c);
  s += ")\nset ytics noenhanced (";
  for (std::size_t r = 0; r < R; ++r) s += fmt::format("{}{} {}", r ? ", " : "", quoted(row_labels[r]), r);
  s += ")\n";
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t c = 0; c < C; ++c) {
      const double v = values(r, c);
      s += fmt::format("set label {} at {},{} center front tc rgb '{}' font 'sans,9'\n",
                       quoted(fmt::format("{:.{}f}", v, digits)), c, r,
                       std::abs(v) > 0.6 * vmax ? "#ffffff" : "#000000");
    }
  s += fmt::format("plot {} skip 1 using 2:1:3 with image\n", quoted(csv.string()));
  return run_gnuplot(s, svg);
}

bool image_grid(const fs::path& svg, const std::vector<Tensor2<double>>& images,
                const std::vector<std::string>& captions, std::size_t columns,
                const std::string& title, bool diverging) {
  if (images.empty()) throw ValueError("plot::image_grid: no images");
  if (captions.size() != images.size())
    throw ShapeError(fmt::format("plot::image_grid: {} images but {} captions", images.size(),
                                 captions.size()));
  const std::size_t H = images[0].shape(0), W = images[0].shape(1), gap = 2;
  const std::size_t cols = std::max<std::size_t>(1, std::min(columns, images.size()));
  const std::size_t rows = (images.size() + cols - 1) / cols;
  const std::size_t MH = rows * (H + gap + 6), MW = cols * (W + gap);  // 6 px for the caption
  Tensor2<double> mosaic = xt::zeros<double>({MH, MW});  // 0 draws as white in both palettes
  for (std::size_t k = 0; k < images.size(); ++k) {
    if (images[k].shape(0) != H || images[k].shape(1) != W)
      throw ShapeError("plot::image_grid: images differ in shape");
    const std::size_t r0 = (k / cols) * (H + gap + 6) + 6, c0 = (k % cols) * (W + gap);
    for (std::size_t i = 0; i < H; ++i)
      for (std::size_t j = 0; j < W; ++j) mosaic(r0 + i, c0 + j) = images[k](i, j);
  }
  const fs::path csv = fs::path(svg).replace_extension(".csv");
  {
    auto f = open_out(csv);
    for (std::size_t i = 0; i < MH; ++i)
      for (std::size_t j = 0; j < MW; ++j) f << mosaic(i, j) << (j + 1 < MW ? ',' : '\n');
  }
  const int scale = int(std::max<std::size_t>(2, 100 / std::max<std::size_t>(W, 1)));
  std::string s = header(svg, int(MW) * scale + 40, int(MH) * scale + 60, title);
  s += "unset border\nunset tics\nunset key\nunset colorbox\nunset grid\n"
       "set lmargin 1\nset rmargin 1\nset bmargin 1\n";
  s += diverging ? "set palette defined (-1 '#b2182b', 0 '#ffffff', 1 '#2166ac')\n"
                 : "set palette gray negative\nset cbrange [0:1]\n";
  s += fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\nset size ratio -1\n",
                   double(MW) - 0.5, double(MH) - 0.5);
  for (std::size_t k = 0; k < images.size(); ++k) {
    const double x = double((k % cols) * (W + gap)) + double(W) / 2;
    const double y = double((k / cols) * (H + gap + 6)) + 2.5;
    s += fmt::format("set label {} at {},{} center front font 'sans,8' noenhanced\n",
                     quoted(clean(captions[k])), x, y);
  }
  s += fmt::format("plot {} matrix with image\n", quoted(csv.string()));
  return run_gnuplot(s, svg);
}

bool run_gnuplot(const std::string& script, const fs::path& svg) {
  const fs::path gp = fs::path(svg).replace_extension(".gp");
  {
    auto f = open_out(gp);
    f << script;
  }
  const std::string cmd = "gnuplot " + quoted(gp.string()) + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string output;
  int status = -1;
  if (pipe) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe)) output += buf;
    status = pclose(pipe);
  }
  if (status != 0 || !fs::exists(svg)) {
    std::fprintf(stderr,
                 "warning: could not draw %s with gnuplot (is Debian's gnuplot-nox installed?); "
                 "the data are in the .csv beside it.%s%s\n",
                 svg.string().c_str(), output.empty() ? "" : " gnuplot said: ", output.c_str());
    return false;
  }
  // gnuplot embeds images as small PNGs that browsers smooth when scaling up; a confusion
  // matrix or a 28x28 picture must stay crisp.
  std::string text;
  {
    std::ifstream in(svg);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (text.find("<image ") != std::string::npos) {
    std::string out;
    std::size_t from = 0, at;
    while ((at = text.find("<image ", from)) != std::string::npos) {
      out += text.substr(from, at - from) + "<image style='image-rendering:pixelated' ";
      from = at + 7;
    }
    out += text.substr(from);
    std::ofstream(svg) << out;
  }
  return true;
}

}  // namespace dl::plot
