#!/usr/bin/env bash
# A million points end to end (issue 15), whole `territorio` processes on the real data in
# ../shared/data, beside the Python stack's figures from the issue. The 1 M population-weighted
# demand points (lon,lat,weight,dpa_parroq, seed 2022, weights summing to the 2022 census) are
# sampled once into $TMPDIR by `territorio-bench sample-points` (derived data: never in the
# project), also gzipped. Each task runs RUNS times; prints every wall time, the median and the
# peak resident memory (GNU time), then re-checks the located parishes with GEOS prepared
# covers (territorio-bench verify-locate) and the planar 2SFCA/E2SFCA against PySAL access's
# formulas (Scripts/check-fca-pysal.py, numpy/scipy, on 100 k points). The nearest run's steps
# are also timed inside one process (territorio-bench nearest-phases: reading, demand, nearest,
# the whole analysis), less exposed to a noisy machine than whole processes.
#   Scripts/bench-points.sh [RUNS]        (default 5; the 10 km catchment runs min(RUNS, 3) times)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
Scripts/setup.sh -c release --product territorio >/dev/null
Scripts/setup.sh -c release --product territorio-bench >/dev/null
. Scripts/bench-lib.sh
require_gnu_time bench-points
data=../shared/data
bin=.build/release
tmp=${TMPDIR:-/tmp}
points=$tmp/territorio-points-1m.csv
[ -s "$points" ] || $bin/territorio-bench sample-points --data "$data" --points 1000000 --out "$points" >/dev/null
[ -s "$points.gz" ] || gzip -kf "$points"
small=$tmp/territorio-points-100k.csv
[ -s "$small" ] || $bin/territorio-bench sample-points --data "$data" --points 100000 --out "$small" >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'raw,type\nFISCAL,education\nPARTICULAR,education\nFISCOMISIONAL,education\nMUNICIPAL,education\n' > "$out/all.csv"
printf 'raw,type\nFISCAL,education\n' > "$out/fiscal.csv"
units=(--units "$data/dpa/parroquias.shp" --unit-id DPA_PARROQ)
schools=(--establishments "$data/establishments/escuelas_amie.csv" --type-field sostenimiento)
# bench NAME N COMMAND...: one command (or several joined with ';' through bash -c) N times.
bench() {
  local name=$1 n=$2
  shift 2
  local times=() peak=0 wall
  for i in $(seq "$n"); do
    rm -rf "$out/run"
    timed /dev/null bash -c "{ $*; } 2>/dev/null"
  done
  printf '%-52s median %6s s  [%s]  peak %5d MiB\n' "$name" "$(printf '%s\n' "${times[@]}" | median)" \
    "${times[*]}" $((peak / 1024))
}
q() { printf '%q ' "$@"; }
echo "territorio, whole processes, $runs runs each (issue 15; Python stack: locate 4.0 s/598 MB, nearest 3.2 s/258 MB, 2SFCA+E2SFCA 1.5 s)"
bench "locate 1 M points (CSV)" "$runs" \
  "$(q $bin/territorio locate "$points" --in "$data/dpa/parroquias.shp" --id DPA_PARROQ -o "$out/located.csv" --quiet)"
bench "locate 1 M points (.csv.gz)" "$runs" \
  "$(q $bin/territorio locate "$points.gz" --in "$data/dpa/parroquias.shp" --id DPA_PARROQ -o "$out/located-gz.csv" --quiet)"
cmp -s "$out/located.csv" "$out/located-gz.csv" || { echo "bench-points: .csv and .csv.gz located differently" >&2; exit 1; }
bench "nearest school, 1 M points, per-parish means" "$runs" \
  "$(q $bin/territorio access "${units[@]}" --population-points "$points" --weight weight --points-only \
    "${schools[@]}" --type-map "$out/all.csv" --within 5km --decay none --no-basins --out "$out/run/n" --quiet)"
bench "nearest school, 1 M points, parish from the file" "$runs" \
  "$(q $bin/territorio access "${units[@]}" --population-points "$points" --weight weight --points-only \
    --point-unit dpa_parroq "${schools[@]}" --type-map "$out/all.csv" --within 5km --decay none --no-basins \
    --out "$out/run/named" --quiet)"
fca() {
  q $bin/territorio access "${units[@]}" "${schools[@]}" --type-map "$out/$1.csv" --within 10km \
    --decay "step,zones" --no-basins --out "$out/run/$1" --quiet
}
bench "2SFCA + E2SFCA, parish points (all; fiscal)" "$runs" "$(fca all); $(fca fiscal)"
bench "1 M points × 10 km catchment, 2SFCA + E2SFCA" "$(( runs < 3 ? runs : 3 ))" \
  "$(q $bin/territorio access "${units[@]}" --population-points "$points" --weight weight --points-only \
    "${schools[@]}" --type-map "$out/all.csv" --within 10km --decay step,zones --no-basins --out "$out/run/c" --quiet)"
echo "the nearest run's steps inside one process (territorio-bench nearest-phases; min is the least noisy):"
$bin/territorio-bench nearest-phases --data "$data" --points "$points" --runs "$runs"
echo "checks:"
for how in located named; do
  extra=(); [ $how = named ] && extra=(--point-unit dpa_parroq)
  $bin/territorio access "${units[@]}" --population-points "$points" --weight weight --points-only "${extra[@]}" \
    "${schools[@]}" --type-map "$out/all.csv" --within 5km --decay none --no-basins --out "$out/$how" --quiet > /dev/null
done
cmp -s "$out/located/units.csv" "$out/named/units.csv" \
  && echo "nearest: the same units.csv whether the points are located or name their parish" \
  || { echo "bench-points: located and named points give different units.csv" >&2; exit 1; }
$bin/territorio-bench verify-locate --data "$data" --points "$points" --located "$out/located.csv"
$bin/territorio access "${units[@]}" --population-points "$small" --weight weight --points-only "${schools[@]}" \
  --type-map "$out/all.csv" --within 10km --decay "step,zones(5km=1,10km=0.5)" --distance planar \
  --planar-crs EPSG:32717 --full-precision --no-basins --out "$out/planar" --quiet > /dev/null
python3 Scripts/check-fca-pysal.py "$small" "$data/establishments/escuelas_amie.csv" "$out/planar/units.csv"
