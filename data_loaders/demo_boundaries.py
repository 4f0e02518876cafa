"""A schematic boundaries file for the demo: NOT the official district boundaries.

Each district's cell holds the points of a hand-drawn outline of the city that lie nearer its
centroid (``sample_data/districts.csv``'s reference centroids, from the shared reference) than any
other district's: Voronoi cells, computed here by clipping the outline with the half-plane of each
perpendicular bisector, in a plane where a degree of longitude is shortened by cos(35.7°). Neighbours
share edges, so the map reads like the city, but every line is made up.

    python -m data_loaders.demo_boundaries [OUT.geojson]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sample_data" / "demo_files" / "districts_schematic.geojson"

# centroid (longitude, latitude) of each district, from the shared reference (tehran_districts.csv)
CENTROIDS: dict[int, tuple[float, float]] = {
    1: (51.462, 35.803),
    2: (51.361, 35.750),
    3: (51.426, 35.769),
    4: (51.522, 35.754),
    5: (51.306, 35.748),
    6: (51.403, 35.725),
    7: (51.444, 35.722),
    8: (51.490, 35.726),
    9: (51.323, 35.685),
    10: (51.367, 35.684),
    11: (51.395, 35.681),
    12: (51.428, 35.680),
    13: (51.510, 35.709),
    14: (51.484, 35.673),
    15: (51.472, 35.639),
    16: (51.413, 35.640),
    17: (51.362, 35.657),
    18: (51.299, 35.656),
    19: (51.368, 35.627),
    20: (51.438, 35.602),
    21: (51.210, 35.710),
    22: (51.210, 35.743),
}

# a rough, hand-drawn outline of the city (longitude, latitude), counter-clockwise from the west
OUTLINE: list[tuple[float, float]] = [
    (51.095, 35.745),
    (51.120, 35.700),
    (51.180, 35.675),
    (51.250, 35.645),
    (51.310, 35.622),
    (51.350, 35.598),
    (51.395, 35.572),
    (51.445, 35.562),
    (51.480, 35.585),
    (51.505, 35.625),
    (51.540, 35.660),
    (51.585, 35.695),
    (51.600, 35.740),
    (51.575, 35.785),
    (51.520, 35.808),
    (51.470, 35.832),
    (51.420, 35.818),
    (51.375, 35.790),
    (51.320, 35.782),
    (51.250, 35.782),
    (51.170, 35.775),
    (51.120, 35.770),
]

_SHRINK = math.cos(math.radians(35.7))  # a degree of longitude against one of latitude, in Tehran


def _clip(polygon: list[tuple[float, float]], own: tuple[float, float], other: tuple[float, float]) -> list:
    """The part of ``polygon`` nearer ``own`` than ``other`` (Sutherland–Hodgman against one half-plane)."""
    ax, ay = own[0] * _SHRINK, own[1]
    bx, by = other[0] * _SHRINK, other[1]
    nx, ny = bx - ax, by - ay
    c = (bx * bx + by * by - ax * ax - ay * ay) / 2

    def side(p: tuple[float, float]) -> float:  # < 0: nearer own
        return nx * p[0] * _SHRINK + ny * p[1] - c

    out = []
    for i, current in enumerate(polygon):
        previous = polygon[i - 1]
        sp, sc = side(previous), side(current)
        if (sp < 0) != (sc < 0):
            t = sp / (sp - sc)
            out.append((previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])))
        if sc < 0:
            out.append(current)
    return out


def cells() -> dict[int, list[list[float]]]:
    """Each district's cell as a closed ring of [longitude, latitude], rounded to 5 places."""
    out = {}
    for district, own in CENTROIDS.items():
        polygon = list(OUTLINE)
        for other_district, other in CENTROIDS.items():
            if other_district != district:
                polygon = _clip(polygon, own, other)
        ring = [[round(x, 5), round(y, 5)] for x, y in polygon]
        out[district] = [*ring, list(ring[0])]
    return out


def feature_collection() -> dict:
    return {
        "type": "FeatureCollection",
        "name": "tehran_districts_schematic",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "district": district,
                    "name_fa": f"منطقه {district}",
                    "note": "schematic, not an official boundary",
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
            for district, ring in sorted(cells().items())
        ],
    }


def write(path: Path = OUT) -> Path:
    text = json.dumps(feature_collection(), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('{"type":"Feature",', '\n{"type":"Feature",') + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
