#!/bin/bash
# Build the HTML book: run every chapter program, gather its plots, render the diagrams, run
# Doxygen, then open every page in headless Chromium to check it (tools/check_book.py).
#
#   tools/build_book.sh BUILD_DIR [--quick] [--book DIR] [--no-check] [--only CHAPTER]
#
# BUILD_DIR holds bin/ch* and docs/Doxyfile (cmake --preset release). The book goes to
# BUILD_DIR/book (html/index.html) unless --book says otherwise. --quick runs the chapters
# with their fast test settings (the docs test uses it). --only CHAPTER (e.g. ch03_losses)
# runs just that chapter and checks just its page: for previewing one chapter while others
# are being written (Doxygen warnings that name other chapters' pages are then ignored).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [--quick] [--book DIR] [--no-check]}" && pwd)
shift
quick=() check=1 book="$build/book" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick) ;;
    --no-check) check=0 ;;
    --book) book=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$book"
book=$(cd "$book" && pwd)

# 1. Every chapter program, in its default mode (or --quick), into book/out/<chapter>.
[ -z "$only" ] && rm -rf "$book/images"
rm -rf "$book/html"
mkdir -p "$book/out" "$book/images"
for dir in "$src"/chapters/ch*/; do
  chapter=$(basename "$dir")
  [ -n "$only" ] && [ "$chapter" != "$only" ] && continue
  exe="$build/bin/$chapter"
  [ -x "$exe" ] || { echo "missing $exe: build first (cmake --build --preset release)" >&2; exit 1; }
  echo "== $chapter ${quick[*]}"
  start=$(date +%s)
  # ch25 trains on 2 MPI ranks (its page compares them with 1 process): through mpirun, which
  # as root needs both OMPI_ALLOW_RUN_AS_ROOT variables (see tests/chapters/ch25_*_test.cpp)
  launch=()
  [ "$chapter" = ch25_data_parallel ] && launch=(env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    OMPI_MCA_btl_vader_single_copy_mechanism=none mpirun -np 2 --oversubscribe)
  "${launch[@]}" "$exe" --out "$book/out/$chapter" --no-progress "${quick[@]}" > "$book/out/$chapter.log" 2>&1 || {
    echo "$chapter failed; its output:" >&2; cat "$book/out/$chapter.log" >&2; exit 1; }
  tail -n 3 "$book/out/$chapter.log"
  echo "   ($(( $(date +%s) - start )) s)"
  # plots go to images/chNN-<name>.svg, the names the chapter pages use
  num=${chapter:0:4}
  for svg in "$book/out/$chapter"/*.svg; do
    [ -e "$svg" ] && cp "$svg" "$book/images/$num-$(basename "$svg")"
  done
done

# 2. The diagrams: docs/diagrams/NAME.dot rendered by Graphviz, NAME.svg (drawn by hand) copied,
#    both to images/diagram-NAME.svg, the name a page uses: ![caption](diagram-NAME.svg).
for dia in "$src"/docs/diagrams/*.dot "$src"/docs/diagrams/*.svg; do
  [ -e "$dia" ] || continue
  name=$(basename "${dia%.*}")
  case "$dia" in
    *.dot) dot -Tsvg "$dia" -o "$book/images/diagram-$name.svg" || {
             echo "Graphviz failed on $dia" >&2; exit 1; } ;;
    *.svg) cp "$dia" "$book/images/diagram-$name.svg" ;;
  esac
done

# 3. Doxygen over docs/*.md and the headers, with the plots and a local MathJax.
export DLBOOK_BOOK_DIR="$book"
# With --only, the other chapters' pages miss their plots (not made this time): Doxygen must
# not stop at those warnings; the ones naming this chapter's page are checked below.
doxyfile() { cat "$build/docs/Doxyfile"; [ -z "$only" ] || echo "WARN_AS_ERROR = NO"; }
( cd "$src" && doxyfile | doxygen - ) || {
  echo "Doxygen failed; warnings:" >&2; cat "$book/doxygen-warnings.log" >&2; exit 1; }
warnings="$book/doxygen-warnings.log"
if [ -n "$only" ]; then
  grep -v -E "docs/ch[0-9]{2}_" "$warnings" > "$warnings.mine" || true
  grep -E "docs/$only" "$warnings" >> "$warnings.mine" || true
  warnings="$warnings.mine"
fi
if [ -s "$warnings" ]; then
  echo "Doxygen warnings (the book must build without any):" >&2
  cat "$warnings" >&2
  exit 1
fi
# MathJax 2 from Debian's libjs-mathjax, linked (not downloaded, not copied: 54 MB)
ln -sfn /usr/share/javascript/mathjax "$book/html/mathjax"
echo "book: $book/html/index.html"

# 4. Open every page in a real browser.
if [ $check -eq 1 ]; then
  if [ -n "$only" ]; then
    /usr/bin/python3 "$src/tools/check_book.py" "$book/html" --chapters "$src/chapters" --only "$only.html"
  else
    /usr/bin/python3 "$src/tools/check_book.py" "$book/html" --chapters "$src/chapters" \
      --diagrams "$src/docs/diagrams" --pages "$src/docs"
  fi
fi
