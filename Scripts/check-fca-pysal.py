#!/usr/bin/env python3
"""Independent check of territorio's planar 2SFCA / E2SFCA against the formulas of PySAL
access (access.fca.two_stage_fca with weight_fn = step_fn({5000: 1, 10000: 0.5})), written
here from PySAL access's definitions with numpy/scipy only, so nothing is shared with the
Swift code: coordinates are projected to UTM 17S by Krüger's series (Karney 2011,
doi:10.1007/s00190-011-0445-3, order n^6) instead of PROJ, pairs come from scipy's cKDTree.

  R_j = S_j / sum_i P_i W(d_ij)    (S_j = 1 per school, pairs with d_ij <= 10 km)
  A_i = sum_j R_j W(d_ij)          W = 1 (2SFCA) or 1 up to 5 km, 0.5 up to 10 km (E2SFCA)

Per parish: the population-weighted mean of A_i, compared with territorio's units.csv
written with --full-precision (values per 1,000 people). Exit 0 when every parish agrees
within --tolerance (relative, default 1e-9), 1 otherwise.

  Scripts/check-fca-pysal.py POINTS.csv SCHOOLS.csv UNITS.csv [--tolerance 1e-9]
POINTS: lon,lat,weight,dpa_parroq (territorio-bench sample-points); SCHOOLS: lon,lat columns.
"""
import csv
import math
import sys

import numpy as np
from scipy.spatial import cKDTree


def utm17s(lon, lat):
    a, f = 6378137.0, 1 / 298.257223563
    n = f / (2 - f)
    e = math.sqrt(f * (2 - f))
    A = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64 + n**6 / 256)
    alpha = [
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180 - 127 * n**5 / 288 + 7891 * n**6 / 37800,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440 + 281 * n**5 / 630 - 1983433 * n**6 / 1935360,
        61 * n**3 / 240 - 103 * n**4 / 140 + 15061 * n**5 / 26880 + 167603 * n**6 / 181440,
        49561 * n**4 / 161280 - 179 * n**5 / 168 + 6601661 * n**6 / 7257600,
        34729 * n**5 / 80640 - 3418889 * n**6 / 1995840,
        212378941 * n**6 / 319334400,
    ]
    phi = np.radians(lat)
    lam = np.radians(lon - (-81.0))
    s = np.sin(phi)
    t = np.sinh(np.arctanh(s) - e * np.arctanh(e * s))
    xi_p = np.arctan2(t, np.cos(lam))
    eta_p = np.arctanh(np.sin(lam) / np.sqrt(1 + t * t))
    xi, eta = xi_p.copy(), eta_p.copy()
    for j, aj in enumerate(alpha, start=1):
        xi += aj * np.sin(2 * j * xi_p) * np.cosh(2 * j * eta_p)
        eta += aj * np.cos(2 * j * xi_p) * np.sinh(2 * j * eta_p)
    k0 = 0.9996
    return 500000 + k0 * A * eta, 10000000 + k0 * A * xi


def read(path, columns):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return [[r[c] for r in rows] for c in columns]


def main():
    args = sys.argv[1:]
    tolerance = 1e-9
    if "--tolerance" in args:
        k = args.index("--tolerance")
        tolerance = float(args[k + 1])
        del args[k : k + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    points, schools, units = args
    lon, lat, weight, parish = read(points, ["lon", "lat", "weight", "dpa_parroq"])
    px, py = utm17s(np.array(lon, float), np.array(lat, float))
    pop = np.array(weight, float)
    slon, slat = read(schools, ["lon", "lat"])
    sx, sy = utm17s(np.array(slon, float), np.array(slat, float))

    demand_tree, supply_tree = cKDTree(np.c_[px, py]), cKDTree(np.c_[sx, sy])
    pairs = demand_tree.sparse_distance_matrix(supply_tree, 10000.0, output_type="coo_matrix")
    i, j, d = pairs.row, pairs.col, pairs.data
    keep = d <= 10000.0
    i, j, d = i[keep], j[keep], d[keep]
    print(f"{len(px)} demand points, {len(sx)} schools, {len(d)} pairs within 10 km")

    def fca(w):
        reached = np.bincount(j, weights=pop[i] * w, minlength=len(sx))
        ratio = np.divide(1.0, reached, out=np.zeros_like(reached), where=reached > 0)
        return np.bincount(i, weights=ratio[j] * w, minlength=len(px))

    step = fca(np.ones_like(d))
    zones = fca(np.where(d <= 5000.0, 1.0, 0.5))

    codes = np.array(parish)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1], True])
    ours = {r["unit"]: r for r in csv.DictReader(open(units, newline="", encoding="utf-8"))}
    worst, compared = 0.0, 0
    for a, b in zip(bounds[:-1], bounds[1:]):
        members = order[a:b]
        total = pop[members].sum()
        if total <= 0:
            continue
        row = ours[codes[members[0]]]
        for name, values in (("step", step), ("zones_5km_1_10km_0.5", zones)):
            mine = np.dot(values[members], pop[members]) / total * 1000
            theirs = float(row[f"education_2sfca_{name}_per1000"])
            rel = abs(mine - theirs) / max(abs(mine), 1e-300)
            worst = max(worst, rel)
            compared += 1
    print(f"{compared} parish values compared; largest relative difference {worst:.3e} (tolerance {tolerance:g})")
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
