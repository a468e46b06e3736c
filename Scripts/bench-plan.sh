#!/usr/bin/env bash
# National proposal benchmark on the real data in ../shared/data: `territorio propose` for the
# whole country (distritos and circuitos), N runs; prints each wall time, the median and the
# peak resident memory (GNU time), then validates the plan it made.
#   Scripts/bench-plan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
Scripts/setup.sh -c release --product territorio >/dev/null
command -v /usr/bin/time >/dev/null || { echo "bench-plan: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }
data=../shared/data
out=$(mktemp -d)
args=(--units "$data/dpa/parroquias.shp" --recode "$data/population/recode_2022_to_2012.csv" --links auto --quiet)
times=()
peak=0
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$out/time" .build/release/territorio propose "${args[@]}" --out "$out/plan" >/dev/null
  read -r wall kb < "$out/time"
  times+=("$wall")
  [ "$kb" -gt "$peak" ] && peak=$kb
  echo "run $i: $wall s"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "national proposal: median $median s over $runs runs, peak resident memory $((peak / 1024)) MiB"
.build/release/territorio propose "${args[@]}" --out "$out/plan" | head -5
rm -rf "$out"
