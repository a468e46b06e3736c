#!/usr/bin/env bash
# Installs what territorio needs on Debian 12 (GEOS, PROJ, shapelib, GLPK, CBC, zlib, SQLite, cairo with
# the DejaVu fonts for maps, chromium for the report's browser test, pkg-config files) when missing,
# then builds. Safe to run again: it installs nothing already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libgeos-dev libproj-dev libshp-dev libglpk-dev coinor-libcbc-dev zlib1g-dev libsqlite3-dev libcairo2-dev fonts-dejavu-core chromium pkg-config time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: Swift 6 toolchain not found on PATH" >&2; exit 2; }
swift build "$@"
