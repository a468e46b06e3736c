#!/usr/bin/env bash
# National proposal benchmark on the real data in ../shared/data: `territorio propose` for the
# whole country (oversized parroquias split into pieces weighted by the 17,947 geolocated
# schools, then distritos and circuitos), N runs for the default targets and N for the fixed
# totals 140/1134; prints each wall time, the medians and the peak resident memory (GNU time),
# then the figures of the last plan of each kind.
#   Scripts/bench-plan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
Scripts/setup.sh -c release --product territorio >/dev/null
. Scripts/bench-lib.sh
require_gnu_time bench-plan
data=../shared/data
out=$(mktemp -d)
args=(--units "$data/dpa/parroquias.shp" --recode "$data/population/recode_2022_to_2012.csv" --links auto
  --split --split-points "$data/establishments/escuelas_amie.csv" --quiet)
for totals in "" "--distritos 140 --circuitos 1134"; do
  times=()
  peak=0
  for i in $(seq "$runs"); do
    # shellcheck disable=SC2086
    timed /dev/null .build/release/territorio propose "${args[@]}" $totals --out "$out/plan"
    echo "run $i${totals:+ ($totals)}: $wall s"
  done
  echo "national proposal${totals:+ ($totals)}: median $(printf '%s\n' "${times[@]}" | median) s over $runs runs, peak resident memory $((peak / 1024)) MiB"
  # shellcheck disable=SC2086
  .build/release/territorio propose "${args[@]}" $totals --out "$out/plan" | grep -v '^note' | head -6
done
rm -rf "$out"
