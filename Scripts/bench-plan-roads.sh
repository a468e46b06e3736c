#!/usr/bin/env bash
# Road distances for a plan at national scale: the 1,032 continental parroquias of the real
# layer in ../shared/data, over a synthetic road grid covering continental Ecuador (no national
# road layer is in the data: the grid stands for one of its size, 1 km between lines), all
# pairs and within provinces (what `propose --travel roads` computes), the median of RUNS runs
# per step; then the whole national proposal (140 distritos, 1,134 circuitos) by road over that
# grid, RUNS runs: median wall time and peak resident memory (GNU time).
#   Scripts/bench-plan-roads.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
Scripts/setup.sh -c release --product territorio-bench >/dev/null
Scripts/setup.sh -c release --product territorio >/dev/null
. Scripts/bench-lib.sh
require_gnu_time bench-plan-roads
data=../shared/data
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.build/release/territorio-bench plan-roads --data "$data" --runs "$runs" --spacing 1000 --grid-out "$out/grid.shp"
times=()
peak=0
for i in $(seq "$runs"); do
  timed /dev/null .build/release/territorio propose --units "$data/dpa/parroquias.shp" \
    --recode "$data/population/recode_2022_to_2012.csv" --links auto --split \
    --split-points "$data/establishments/escuelas_amie.csv" --distritos 140 --circuitos 1134 \
    --travel roads --roads "$out/grid.shp" --quiet --out "$out/plan" 2>/dev/null
  echo "run $i: $wall s"
done
echo "national proposal by road (140/1134): median $(printf '%s\n' "${times[@]}" | median) s over $runs runs, peak resident memory $((peak / 1024)) MiB"
grep -o 'Distances are[^|]*' "$out/plan/report.md" | head -1
