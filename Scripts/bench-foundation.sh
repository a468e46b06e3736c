#!/usr/bin/env bash
# Foundation benchmark on the real national data in ../shared/data: read the parish
# shapefile, dissolve to cantones and provincias, queen contiguity, locate the 17,947
# schools, write GeoJSON. Prints the median of N runs per step and peak memory.
#   Scripts/bench-foundation.sh [--runs N] [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh -c release --product territorio-bench >/dev/null
.build/release/territorio-bench foundation --data ../shared/data "$@"
