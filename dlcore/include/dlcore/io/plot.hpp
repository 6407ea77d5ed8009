#pragma once
/// \file
/// Plots through gnuplot. Every plot writes its data as CSV next to the SVG (same stem), so
/// the numbers behind a figure are always there; if gnuplot is missing, the CSV stays and a
/// warning is printed, and the run goes on.

#include <filesystem>
#include <string>
#include <vector>

#include "dlcore/core/tensor.hpp"

namespace dl::plot {

/// One curve or scatter of a Figure.
struct Series {
  std::string name;   ///< legend entry (and the CSV's series column)
  std::string with;   ///< gnuplot style: "lines" or "points"
  std::string style;  ///< extra gnuplot options, e.g. "lw 2 dt 2"
  std::vector<double> x, y;
};

/// A 2-D figure of lines and points, optionally over a background image (decision regions).
/// Its CSV has the columns series,x,y (one row per point).
class Figure {
 public:
  Figure(std::string title, std::string xlabel, std::string ylabel);

  /// A curve. `style` is appended to gnuplot's plot clause (e.g. "lw 2 dt 2").
  Figure& line(const std::string& name, const std::vector<double>& x,
               const std::vector<double>& y, const std::string& style = "");
  /// A curve with a marker at each point (readable with few points, e.g. per-epoch curves).
  Figure& linespoints(const std::string& name, const std::vector<double>& x,
                      const std::vector<double>& y, const std::string& style = "");
  /// A scatter of markers.
  Figure& points(const std::string& name, const std::vector<double>& x,
                 const std::vector<double>& y, const std::string& style = "");
  /// A background image: values (rows over y, columns over x) covering [x0, x1] x [y0, y1],
  /// coloured by `palette` (a gnuplot palette definition, e.g. "defined (0 'red', 1 'blue')").
  /// Its data go to STEM_image.csv as x,y,value.
  Figure& image(const Tensor2<double>& values, double x0, double x1, double y0, double y1,
                const std::string& palette);

  Figure& log_y(bool on = true);
  Figure& log_x(bool on = true);
  Figure& xrange(double lo, double hi);
  Figure& yrange(double lo, double hi);
  Figure& size(int width, int height);
  /// Legend position, e.g. "top right", "bottom left", "outside right"; "off" hides it.
  Figure& key(const std::string& where);
  /// Any other gnuplot command, run before the plot command (e.g. "set grid").
  Figure& raw(const std::string& command);

  /// Write STEM.csv (and STEM_image.csv) and render STEM.svg. Returns false, with
  /// a warning on stderr, when gnuplot could not render it.
  bool save(const std::filesystem::path& svg) const;

 private:
  std::string title_, xlabel_, ylabel_;
  std::vector<Series> series_;
  std::vector<std::string> commands_;
  Tensor2<double> image_;
  double ix0_ = 0, ix1_ = 0, iy0_ = 0, iy1_ = 0;
  std::string palette_;
  int width_ = 720, height_ = 450;
};

/// A matrix as a heat map with the value written in each cell (confusion matrices).
/// CSV: row,col,value. `cell_text` (R C strings, row by row), when given, is written in the
/// cells instead of the values (e.g. the letters of words under their attention weights).
bool heatmap(const std::filesystem::path& svg, const Tensor2<double>& values,
             const std::vector<std::string>& row_labels,
             const std::vector<std::string>& col_labels, const std::string& title,
             const std::string& xlabel, const std::string& ylabel, bool annotate = true,
             const std::vector<std::string>& cell_text = {});

/// A matrix of signed values (learned scores) as a heat map on a diverging palette: blue
/// below 0, white at 0, red above, the colour range symmetric about 0; the value written in
/// each cell with `digits` decimals. CSV: row,col,value.
bool heatmap_signed(const std::filesystem::path& svg, const Tensor2<double>& values,
                    const std::vector<std::string>& row_labels,
                    const std::vector<std::string>& col_labels, const std::string& title,
                    const std::string& xlabel, const std::string& ylabel, int digits = 1);

/// Grayscale images (each H x W, values in [0, 1], 0 = white) in a grid with a caption
/// above each. CSV: the mosaic as a matrix.
bool image_grid(const std::filesystem::path& svg, const std::vector<Tensor2<double>>& images,
                const std::vector<std::string>& captions, std::size_t columns,
                const std::string& title, bool diverging = false);

/// Run a gnuplot script; false (and a warning naming what failed) if gnuplot is missing
/// or reports an error.
bool run_gnuplot(const std::string& script, const std::filesystem::path& svg);

}  // namespace dl::plot
