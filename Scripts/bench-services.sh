#!/usr/bin/env bash
# National placement and scheduling benchmark on the real data in ../shared/data: education
# (the public schools of the AMIE registry against the 2022 census population) on the official
# distritos (the three empty parishes it leaves unmapped are noted): `territorio place` and
# `territorio schedule` (national scenarios, 10 years) N times each; prints wall times, medians,
# peak resident memory (GNU time) and the optimality gaps reached.
#   Scripts/bench-services.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
Scripts/setup.sh -c release --product territorio >/dev/null
. Scripts/bench-lib.sh
require_gnu_time bench-services
data=../shared/data
out=$(mktemp -d)
args=(--units "$data/dpa/parroquias.shp" --recode "$data/population/recode_2022_to_2012.csv" --links auto --quiet
  --establishments "$data/establishments/escuelas_amie.csv" --type-column sostenimiento --id-column amie
  --only "Escuela de educación general básica" --accept-invalid-plan)
plan="$data/plans/distritos_oficial_parroquias2012.csv"
for command in place schedule; do
  times=()
  peak=0
  for i in $(seq "$runs"); do
    timed "$out/$command.txt" .build/release/territorio "$command" "$plan" "${args[@]}" --out "$out/$command" \
      2>/dev/null
    echo "$command run $i: $wall s"
  done
  echo "national $command: median $(printf '%s\n' "${times[@]}" | median) s over $runs runs, peak resident memory $((peak / 1024)) MiB"
  cat "$out/$command.txt"
done
# The gap is the last column of placement.csv (the method, quoted, may hold commas).
echo "largest placement gap: $(tail -n +2 "$out/place/placement.csv" | awk -F, '{if ($NF + 0 > g) g = $NF + 0} END {print g + 0}')"
rm -rf "$out"
