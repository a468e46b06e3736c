#!/usr/bin/env bash
# National map benchmark on the real data in ../shared/data: whole `territorio map` processes
# (reading, joining, dissolving, colouring, projecting, drawing and writing included), N runs
# each; prints each median and the peak resident memory (GNU time). Maps: the official
# distritos (join + dissolve + DSatur colouring + labels) as PNG and SVG, a parish choropleth
# (natural breaks) with the provinces over it, the 17,947 schools by sostenimiento, and a
# national proposal (made once by `territorio propose`, not timed) with its circuitos; then
# `territorio report` of that proposal, the access to schools and the schools missing on it
# (access and place run once, not timed).
#   Scripts/bench-map.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
Scripts/setup.sh -c release --product territorio >/dev/null
. Scripts/bench-lib.sh
require_gnu_time bench-map
t=.build/release/territorio
data=../shared/data
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
units=(--units "$data/dpa/parroquias.shp" --recode "$data/population/recode_2022_to_2012.csv" --links auto
  --split --split-points "$data/establishments/escuelas_amie.csv" --quiet)
$t propose "${units[@]}" --out "$out/plan" >/dev/null
$t access --units "$data/dpa/parroquias.shp" --unit-id DPA_PARROQ --establishments "$data/establishments/escuelas_amie.csv" \
  --type-field sostenimiento --establishment-id amie --within 5km --quiet --out "$out/access" >/dev/null
$t place "$out/plan/plan.csv" "${units[@]}" --establishments "$data/establishments/escuelas_amie.csv" \
  --type-column sostenimiento --id-column amie --only "Escuela de educación general básica" --out "$out/services" \
  >/dev/null 2>&1

official=("$data/dpa/parroquias.shp" --join "$data/plans/distritos_oficial_parroquias2012.csv"
  --join-on DPA_PARROQ=dpa_parroq --categories distrito --dissolve --title "Distritos oficiales")
bench() {
  local name=$1
  shift
  times=()
  peak=0
  for _ in $(seq "$runs"); do timed /dev/null "$t" map "$@" --quiet 2>/dev/null; done
  printf '%-46s median %5.2f s over %s runs, peak %4d MiB, %s\n' "$name" \
    "$(printf '%s\n' "${times[@]}" | median)" "$runs" "$((peak / 1024))" "$(du -h "${@: -1}" | cut -f1)"
}
bench "official distritos, PNG" "${official[@]}" -o "$out/official.png"
bench "official distritos, SVG" "${official[@]}" -o "$out/official.svg"
bench "parish population choropleth + provincias" "$data/dpa/parroquias.shp" --field POB_2022 \
  --breaks natural-breaks --overlay "$data/dpa/provincias.shp" -o "$out/population.png"
bench "17,947 schools by sostenimiento" "$data/dpa/provincias.shp" \
  --points "$data/establishments/escuelas_amie.csv" --point-class sostenimiento -o "$out/schools.png"
bench "national proposal: distritos + circuitos" "$out/plan/distritos.geojson" --categories distrito \
  --overlay "$out/plan/circuitos.geojson" -o "$out/proposal.png"
times=()
peak=0
for _ in $(seq "$runs"); do
  timed /dev/null "$t" report --plan "$out/plan" --access "$out/access" --services "$out/services" --quiet \
    --out "$out/report"
done
printf '%-46s median %5.2f s over %s runs, peak %4d MiB, %s\n' "report: plan + access + services" \
  "$(printf '%s\n' "${times[@]}" | median)" "$runs" "$((peak / 1024))" "$(du -h "$out/report/report.html" | cut -f1)"
