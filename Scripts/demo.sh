#!/usr/bin/env bash
# Sets up, then runs the main job on the bundled synthetic demo territory, writing into
# out/demo/: inspect the layers, dissolve parroquias to cantones and provincias (population
# conserved), the contiguity graph with islands, establishments located in their parroquias,
# and GeoJSON of every layer.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh -c release
t=.build/release/territorio
out=out/demo
mkdir -p "$out"

echo "== inspect"
$t inspect shapes/demo/parroquias.shp | tee "$out/inspect_parroquias.txt"
echo "== dissolve parroquias → cantones → provincias"
$t dissolve shapes/demo/parroquias.shp --by DPA_PARROQ --by-prefix 4 --as DPA_CANTON -o "$out/cantones.geojson"
$t dissolve shapes/demo/parroquias.shp --by DPA_PARROQ --by-prefix 2 --as DPA_PROVIN -o "$out/provincias.geojson"
echo "== neighbours (queen) and islands"
$t neighbours shapes/demo/parroquias.shp --id DPA_PARROQ -o "$out/neighbours.json"
$t neighbours shapes/demo/parroquias.shp --id DPA_PARROQ --rule rook -o "$out/neighbours_rook.csv"
echo "== establishments located in parroquias"
$t locate Data/demo/establishments.csv --in shapes/demo/parroquias.shp --id DPA_PARROQ --point-id id -o "$out/establishments_parroquia.csv"
echo "== GeoJSON exports"
$t convert shapes/demo/parroquias.shp "$out/parroquias.geojson"
$t convert shapes/demo/parroquias.shp "$out/parroquias_simplified.geojson" --simplify 250
$t convert shapes/demo/roads.shp "$out/roads.geojson"
$t convert Data/demo/establishments.csv "$out/establishments.geojson"
echo "== done: outputs in $out/"
ls "$out"
