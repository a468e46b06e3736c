#!/usr/bin/env bash
# Runs the whole test suite (unit, integration on ../shared/data, CLI end-to-end).
# Integration tests need ../shared/data; they are skipped without it, and fail when CI is set.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift test "$@"
