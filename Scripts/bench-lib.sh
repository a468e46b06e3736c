# Shared by the Scripts/bench-*.sh benchmarks (sourced, not run): the GNU time check, one
# timed run, and the median of the runs.

# require_gnu_time NAME: stop with exit 2 when GNU time is missing.
require_gnu_time() {
  command -v /usr/bin/time >/dev/null || { echo "$1: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }
}

# timed SINK COMMAND...: runs COMMAND with its stdout into SINK; sets `wall` (seconds), appends
# it to the array `times` and keeps the largest resident memory (KiB) in `peak`.
timed() {
  local sink=$1 stats kb
  shift
  stats=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$stats" "$@" > "$sink"
  read -r wall kb < "$stats"
  rm -f "$stats"
  times+=("$wall")
  if [ "$kb" -gt "$peak" ]; then peak=$kb; fi
}

# median: the median of the numbers on stdin, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
