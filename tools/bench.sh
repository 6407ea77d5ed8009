#!/bin/bash
# make bench: each workload in dlcore and in PyTorch, same machine, same threads, same model
# and protocol. Ends with one line per workload:
#   <workload> dlcore=<seconds> pytorch=<seconds> ratio=<dlcore/pytorch>
# PyTorch runs at its best here: OMP_WAIT_POLICY=PASSIVE stops its OpenMP threads spinning
# against OpenBLAS's on 2 cores (about 4x faster than its default on this machine), and each
# run is made twice, with OPENBLAS_NUM_THREADS unset and set to 1 (its convolutions and
# recurrent layers go through its own kernels, its small GEMMs through OpenBLAS, whose
# threads then compete with PyTorch's own: which setting wins depends on the model); its
# best is kept. OPENBLAS_CORETYPE is left as the environment sets it.
#
# Both sides run with glibc's malloc thresholds fixed (GLIBC_TUNABLES below). By default glibc
# hands every freed block above its mmap threshold (128 KiB at start) back to the kernel and
# raises the threshold only when such a block is freed, so whether PyTorch's per-step tensors
# (weight gradients, activations: 0.25-2 MB each) are recycled or mapped, faulted in page by
# page and unmapped again at every step depends on what the process happened to free before
# training. Measured here for the MLP: 366,000 page faults and 5.6-7.2 s per epoch when the
# data loading left the threshold low (this script's PyTorch side before the setting), 65,000
# and 1.6-2.1 s when it happened to raise it (../shared/reference/pytorch_fmnist.py), 1.9 s
# with the fixed threshold. dlcore reuses its buffers and is unaffected (0.85 s either way).
export GLIBC_TUNABLES=${BENCH_GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728}
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
threads=${BENCH_THREADS:-2}
epochs=${BENCH_EPOCHS:-3}
repeats=${BENCH_REPEATS:-2}   # alternate the sides this many times, keep each side's best
workloads=${BENCH_WORKLOADS:-mlp_epoch lenet5_epoch seed_cnn_epoch_b32 seed_cnn_epoch_b128 lstm_epoch gru_epoch charlm_gru_epoch transformer_block_epoch treelstm_epoch treelstm_infer}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "settings: $threads threads each, float32, median of $epochs epochs after one warm-up,"
echo "          best of $repeats alternating runs per side (this shared machine's speed drifts);"
echo "          dlcore: OpenBLAS (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset});"
echo "          pytorch: OMP_WAIT_POLICY=PASSIVE, torch.set_num_threads($threads),"
echo "                   best of OPENBLAS_NUM_THREADS unset and =1"
echo "          both: GLIBC_TUNABLES=${GLIBC_TUNABLES:-unset}"
results=()
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
torch_run() {  # torch_run WORKLOAD [OPENBLAS_NUM_THREADS value, empty for unset]
  if [ -n "$2" ]; then
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 "$src/bench/torch_bench.py" \
      --workload "$1" --threads "$threads" --epochs "$epochs" | awk '{print $2}'
  else
    (unset OPENBLAS_NUM_THREADS; OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$src/bench/torch_bench.py" \
      --workload "$1" --threads "$threads" --epochs "$epochs" | awk '{print $2}')
  fi
}
for w in $workloads; do
  ds=() ps=()
  for ((r = 0; r < repeats; r++)); do
    ds+=("$("$build/bin/bench_dlcore" --workload "$w" --threads "$threads" --epochs "$epochs" | awk '{print $2}')")
    unset_s=$(torch_run "$w" "")
    one_s=$(torch_run "$w" 1)
    ps+=("$unset_s" "$one_s")
    echo "  $w run $((r + 1)): dlcore ${ds[-1]} s, pytorch ${unset_s} s (OPENBLAS_NUM_THREADS unset), ${one_s} s (=1)"
  done
  d=$(best "${ds[@]}") p=$(best "${ps[@]}")
  results+=("$(awk -v w="$w" -v d="$d" -v p="$p" 'BEGIN { printf "%s dlcore=%.3f pytorch=%.3f ratio=%.2f", w, d, p, d / p }')")
done
printf '%s\n' "${results[@]}"
