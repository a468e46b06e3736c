#!/usr/bin/env bash
# Regenerates the synthetic demo territory in shapes/demo and Data/demo (deterministic:
# the same seed gives byte-identical files; the committed files use the default seed).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product generate-demo
.build/debug/generate-demo --root . "$@"
