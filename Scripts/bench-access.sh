#!/usr/bin/env bash
# Accessibility benchmark on the real national data in ../shared/data: 1 million demand points
# sampled inside the parishes in proportion to population (seeded), nearest of the 17,947
# schools on geodesics, coverage within 5 km per parish, 2SFCA/E2SFCA per parish with a 10 km
# catchment, and road-network coverage within 30 min on the synthetic demo territory.
#   Scripts/bench-access.sh [--runs N] [--points N] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh -c release --product territorio-bench >/dev/null
.build/release/territorio-bench access --data ../shared/data --demo . "$@"
