#!/bin/bash
# Install the Debian packages the book needs, if any are missing.
#   tools/deps.sh [build|book|test|bench|fuzz]   (default: test)
# As root it runs apt-get; otherwise it prints the exact command to run and exits with 1.
set -euo pipefail

what=${1:-test}
build=(cmake ninja-build g++ make libxtensor-dev libxtensor-blas-dev libxsimd-dev xtl-dev libopenblas-dev
       catch2 zlib1g-dev libpng-dev libfmt-dev libcli11-dev nlohmann-json3-dev
       openmpi-bin libopenmpi-dev)  # MPI: chapter 25 only (mpirun, mpi.h)
data=(dataset-fashion-mnist wamerican wfrench wngerman wspanish witalian wordnet-base)
book=(gnuplot-nox doxygen libjs-mathjax graphviz)
browser=(python3 chromium)
bench=(python3-torch)
fuzz=(clang libclang-rt-14-dev)  # libFuzzer and the sanitizer runtimes (only recommended by clang)

case "$what" in
  build) want=("${build[@]}") ;;
  book)  want=("${build[@]}" "${data[@]}" "${book[@]}" "${browser[@]}") ;;
  test)  want=("${build[@]}" "${data[@]}" "${book[@]}" "${browser[@]}") ;;
  bench) want=("${build[@]}" "${data[@]}" "${bench[@]}") ;;
  fuzz)  want=("${build[@]}" "${fuzz[@]}") ;;
  *) echo "usage: $0 [build|book|test|bench|fuzz]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are missing: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "Installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
