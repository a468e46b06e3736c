#!/usr/bin/env bash
# Sets up, then runs the main job on the bundled synthetic demo territory, writing into
# out/demo/: inspect the layers, dissolve parroquias to cantones and provincias (population
# conserved), the contiguity graph with islands, establishments located in their parroquias,
# GeoJSON of every layer, accessibility per parroquia (straight lines and roads), a coverage
# check as a script would run it, a proposed distrito/circuito plan with its validation, and the
# service deficit, placement, cost and multi-year schedule on that plan, maps of the plan, the
# proposed sites and the access to health, and the report of the whole analysis.
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
echo "== accessibility per parroquia: straight lines, then roads with population points"
common=(--units shapes/demo/parroquias.shp --unit-id DPA_PARROQ --establishments Data/demo/establishments.csv
        --establishment-id id --capacity-field capacity --quiet)
$t access "${common[@]}" --within 15min,30min --group-by DPA_CANTON --out "$out/access_straight"
$t access "${common[@]}" --population-points Data/demo/population_points.csv --travel roads --roads shapes/demo/roads.shp \
  --within 15min,30min --group-by DPA_CANTON --out "$out/access_roads"
echo "== coverage check (exit code 1 means some parroquia fails; the job goes on)"
set +e
$t check coverage "${common[@]}" --population-points Data/demo/population_points.csv --travel roads --roads shapes/demo/roads.shp \
  --type health --within 30min --min-share 0.8 --per parroquia > "$out/check_health.json"
echo "exit code: $?"
set -e
echo "== proposed distritos and circuitos (oversized parroquias split by the population points), validated (exit code printed)"
split=(--split --split-points Data/demo/population_points.csv --split-weight pop)
$t propose --units shapes/demo/parroquias.shp --links auto "${split[@]}" --quiet --out "$out/plan"
set +e
$t validate "$out/plan/plan.csv" --units shapes/demo/parroquias.shp --links auto "${split[@]}" --quiet \
  --markdown "$out/plan/validation.md"
echo "exit code: $?"
set -e
echo "== services: deficit, cost, placement on roads and a 10-year schedule on the proposed plan"
services=("$out/plan/plan.csv" --units shapes/demo/parroquias.shp --links auto "${split[@]}" --quiet
  --establishments Data/demo/establishments.csv)
$t deficit "${services[@]}" --out "$out/services/deficit"
$t cost "${services[@]}" --out "$out/services/cost" | tail -1
$t place "${services[@]}" --travel roads --roads shapes/demo/roads.shp --out "$out/services/place_roads" | tail -1
$t schedule "${services[@]}" --scenarios Data/demo/scenarios.csv --schedule-nodes 500 --out "$out/services/schedule"
echo "== maps: the proposed plan with its proposed sites, health access per parroquia, the establishments"
mkdir -p "$out/maps"
$t map "$out/plan/distritos.geojson" --categories distrito --overlay "$out/plan/circuitos.geojson" \
  --points "$out/services/place_roads/sites.geojson" --point-class typology \
  --title "Distritos propuestos y sitios para cerrar el déficit" --source "territorio, territorio sintético de demostración" \
  --quiet -o "$out/maps/plan_sites.png"
$t map "$out/access_roads/units.geojson" --field health_share_within_30min --reverse --classes 5 \
  --overlay "$out/plan/distritos.geojson" --title "Población a 30 min de un establecimiento de salud (por carretera)" \
  --source "territorio, territorio sintético de demostración" --quiet -o "$out/maps/health_30min.png"
$t map "$out/plan/distritos.geojson" --categories distrito --points Data/demo/establishments.csv --point-class type \
  --title "Establecimientos actuales" --source "territorio, territorio sintético de demostración" --quiet \
  -o "$out/maps/establishments.svg"
echo "== report: the whole analysis in one page (report.html, maps embedded) and in Markdown"
$t report --plan "$out/plan" --access "$out/access_roads" --services "$out/services/schedule" \
  --title "Territorio de demostración: plan, accesibilidad y servicios" --quiet --out "$out/report"
echo "== done: outputs in $out/ (open $out/report/report.html)"
ls "$out"
