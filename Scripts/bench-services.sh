#!/usr/bin/env bash
# National placement and scheduling benchmark on the real data in ../shared/data: education
# (the public schools of the AMIE registry against the 2022 census population) on the official
# distritos (the three empty parishes it leaves unmapped are noted): `territorio place` and
# `territorio schedule` (national scenarios, 10 years) N times each; prints wall times, medians,
# peak resident memory (GNU time) and the optimality gaps reached. Then: the deficit with the
# AMIE registry rules (levels, public-private netting, derived circuitos); capacity-aware
# placement from the 1 M population points of Scripts/bench-points.sh (sampled into $TMPDIR
# once: derived data, never in the project), with its distinct places; and whether two
# schedule runs wrote the same bytes.
#   Scripts/bench-services.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
Scripts/setup.sh -c release --product territorio >/dev/null
Scripts/setup.sh -c release --product territorio-bench >/dev/null
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
# The same schedule again: the same bytes (CBC stops on nodes, not on the clock).
.build/release/territorio schedule "$plan" "${args[@]}" --out "$out/schedule-again" 2>/dev/null >/dev/null
same=yes
for f in "$out"/schedule/*; do cmp -s "$f" "$out/schedule-again/$(basename "$f")" || same="no ($(basename "$f"))"; done
echo "schedule rerun byte-identical: $same"
timed "$out/deficit.txt" .build/release/territorio deficit "$plan" --units "$data/dpa/parroquias.shp" \
  --recode "$data/population/recode_2022_to_2012.csv" --links auto --quiet \
  --establishments "$data/establishments/escuelas_amie.csv" --id-column amie --registry-rules amie \
  --only education --accept-invalid-plan --out "$out/deficit" 2>/dev/null
echo "deficit with the AMIE rules (levels, private offer, derived circuitos): $wall s"
cat "$out/deficit.txt"
points=${TMPDIR:-/tmp}/territorio-points-1m.csv
[ -s "$points" ] || .build/release/territorio-bench sample-points --data "$data" --points 1000000 --out "$points" >/dev/null
peak=0
timed "$out/points.txt" .build/release/territorio place "$plan" "${args[@]}" --population-points "$points" \
  --population-weight weight --out "$out/points" 2>/dev/null
echo "capacity-aware placement from 1 M population points: $wall s, peak $((peak / 1024)) MiB"
cat "$out/points.txt"
python3 - "$out/points" <<'PY'
import collections, csv, json, sys
d = sys.argv[1]
sites = json.load(open(d + "/sites.geojson"))["features"]
places = collections.Counter(tuple(f["geometry"]["coordinates"]) for f in sites)
served = [f["properties"]["served"] for f in sites]
print(f"{len(sites)} new schools at {len(places)} distinct places; above 700 places: {sum(s > 700.05 for s in served)}; serving nobody new: {sum(s <= 0 for s in served)}")
left = collections.Counter()
for r in csv.DictReader(open(d + "/unserved.csv")):
    left[r["reason"].split(" (")[0][:40] or "(none left)"] += float(r["left_unserved"])
print("left unserved by reason:", {k: round(v) for k, v in left.items()})
PY
rm -rf "$out"
