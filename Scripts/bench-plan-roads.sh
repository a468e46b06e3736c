#!/usr/bin/env bash
# Road distances for a plan at national scale: the 1,032 continental parroquias of the real
# layer in ../shared/data, over a synthetic road grid covering continental Ecuador (no national
# road layer is in the data: the grid stands for one of its size, 1 km between lines by
# default), all pairs and within provinces (what `propose --travel roads` computes). Prints the
# median of N runs per step and peak memory.
#   Scripts/bench-plan-roads.sh [--runs N] [--spacing METRES] [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh -c release --product territorio-bench >/dev/null
.build/release/territorio-bench plan-roads --data ../shared/data "$@"
