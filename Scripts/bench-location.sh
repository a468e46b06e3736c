#!/usr/bin/env bash
# Facility location benchmark on the real data in ../shared/data, the issue's instances: the 1,040
# parroquias as demand and candidates (GEOS point on surface in EPSG:32717, weight POB_2022),
# planar distances in EPSG:32717, p = 140. Runs `territorio locate-facilities` end to end
# (reading, distances, solving, writing) RUNS times per problem and prints each run's wall time,
# the median, peak resident memory (GNU time), the objective and whether it is proven optimal.
#   Scripts/bench-location.sh [RUNS] [PROBLEM...]     problems: mclp p-median lscp p-center (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
problems=("$@")
[ ${#problems[@]} -eq 0 ] && problems=(mclp p-median lscp p-center)
Scripts/setup.sh -c release --product territorio >/dev/null
. Scripts/bench-lib.sh
require_gnu_time bench-location
data=../shared/data
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=("$data/dpa/parroquias.shp" --weight POB_2022 --id DPA_PARROQ --distance planar --quiet)
for problem in "${problems[@]}"; do
  case $problem in
    mclp) extra=(--sites 140 --radius 10) ;;
    p-median|p-center) extra=(--sites 140) ;;
    lscp) extra=(--radius 10) ;;
    *) echo "bench-location: unknown problem '$problem'" >&2; exit 2 ;;
  esac
  times=()
  peak=0
  for i in $(seq "$runs"); do
    rm -rf "$out/$problem"
    timed "$out/$problem.txt" .build/release/territorio locate-facilities "${common[@]}" \
      --problem "$problem" "${extra[@]}" --out "$out/$problem"
    echo "$problem run $i: $wall s"
  done
  echo "$problem: median $(printf '%s\n' "${times[@]}" | median) s over $runs runs, peak resident memory $((peak / 1024)) MiB"
  cat "$out/$problem.txt"
done
