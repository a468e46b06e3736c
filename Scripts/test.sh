#!/usr/bin/env bash
# Runs the whole test suite (unit, integration on ../shared/data, CLI end-to-end, fuzzing).
# Integration tests need ../shared/data; they are skipped without it, and fail when CI is set.
#   Scripts/test.sh            everything (what CI runs)
#   Scripts/test.sh --quick    without the national-data suites and the fuzzer (about a minute)
# TERRITORIO_FUZZ_CASES=N sets the fuzzer's cases per format (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
if [ "${1:-}" = "--quick" ]; then
  shift
  swift test --skip 'NationalDataTests|NationalAccessTests|NationalProposalTests|NationalLocationTests|NationalMapTests|NationalMapColouringTests|NationalGeoPackageTests|NationalServicesTests|ReportCLITests|PlanningCLITests|FuzzTests' "$@"
else
  swift test "$@"
fi
