"""District boundaries (optional): a GeoJSON file -> checked, simplified shapes -> the store.

A boundaries file is a GeoJSON FeatureCollection of Polygon or MultiPolygon features, one a district,
in longitude/latitude (WGS 84). Each feature's properties carry the district number under a key
given by the user or guessed («district», «region», «mantaghe», «منطقه»…); the number may be written
7, ۷, "07", «منطقه ۷» or "District 7". Everything wrong is listed with the feature's index and the
member at fault, in Persian with the English beside it, and a file with any fault stores nothing.
Districts the file leaves out are allowed and reported: they keep the tile map.

Shapes are simplified for drawing (Douglas–Peucker, ``TOLERANCE`` degrees, about 20 m) and rounded to
``DECIMALS`` places (about a metre), so a detailed official file still draws quickly on the overview.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from data_loaders.normalise import parse_district
from data_loaders.results import FileRejected, clip, escape_text, fa_number
from monitoring import store
from monitoring.calendar import to_persian_digits
from monitoring.message import Message
from monitoring.text import persian_list, text_key

MAX_BYTES = 20 * 1024 * 1024  # a bigger file is refused before it is parsed
LON_RANGE = (51.0, 51.7)  # a sane box around Tehran, east of Greenwich
LAT_RANGE = (35.5, 35.9)  # north of the equator
TOLERANCE = 0.0002  # degrees (about 20 m): finer detail than a pixel of the overview's map
DECIMALS = 5  # about a metre
CLOSE_ENOUGH = 1e-9  # degrees (a tenth of a millimetre): a ring's ends this close are the same point
MAX_DEPTH = 64  # JSON nesting: a GeoJSON MultiPolygon needs 6
CHUNK_POINTS = 512  # Douglas–Peucker runs on stretches of at most this many points: linear time on any ring

# property names that carry the district number, folded (see ``_fold``), in order of preference
KEY_NAMES = (
    "district",
    "districtno",
    "districtid",
    "districtnumber",
    "dist",
    "distno",
    "region",
    "regionno",
    "regionid",
    "mantaghe",
    "mantagheh",
    "mantaqe",
    "mantaqeh",
    "mantagh",
    "منطقه",
    "شمارهمنطقه",
    "شمارهیمنطقه",
    "شمارهٔمنطقه",
)
KEY_PARTS = ("district", "region", "mantagh", "mantaq", "منطقه")
_PREFIX = re.compile(r"^(?:region|mantaghe?h?|mantaqe?h?|regionno|districtno)\.?")


def _fold(key: object) -> str:
    """A property name as compared: case, spaces, «_», «-», «.» and ZWNJ folded away."""
    return re.sub(r"[\s_\-.\u200c]+", "", text_key(key))


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class FeatureError:
    """One fault in the file: which feature (index in ``features``, from 0; -1 for the file as a
    whole), which member (``properties.district``, ``geometry.coordinates[0][3]``) and why."""

    feature: int
    member: str
    reason: Message  # says what to do

    def to_dict(self) -> dict:
        return asdict(self)  # the reason as {"fa", "en"}


@dataclass
class ParsedBoundaries:
    """A boundaries file read and checked, before anything is stored."""

    shapes: dict[int, dict]  # district -> simplified GeoJSON Polygon or MultiPolygon
    key: str | None  # the property that carried the district number
    features: int
    errors: list[FeatureError]
    missing: list[int]  # districts of the reference the file leaves out
    vertices_read: int
    vertices_kept: int
    errors_total: int = 0  # every fault; ``errors`` keeps the first ``guard.Limits.max_errors``


@dataclass
class BoundariesResult:
    """What loading a boundaries file did: stored (``batch_id``) or refused (``file_error``, ``errors``)."""

    source_name: str
    sha256: str
    batch_id: int | None
    key: str | None = None
    features: int = 0
    districts: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    vertices_read: int = 0
    vertices_kept: int = 0
    errors: list[FeatureError] = field(default_factory=list)
    file_error: Message | None = None
    errors_total: int = 0  # every fault counted; ``errors`` lists the first ones

    @property
    def ok(self) -> bool:
        return self.batch_id is not None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["errors"] = [e.to_dict() for e in self.errors]
        out["ok"] = self.ok
        return out


def _where_fa(index: int) -> str:
    return f"عارضهٔ {to_persian_digits(index + 1)}"


def _where_en(index: int) -> str:
    return f"feature {index + 1} (features[{index}])"


# ---------------------------------------------------------------- the district number


def district_number(value: object, numbers: Collection[int]) -> tuple[int | None, Message | None]:
    """A feature's district: 7, 7.0, "07", "۷", «منطقه ۷», "District 7", "Region 7" -> 7; a number
    not in ``numbers`` or anything else is refused with the loader's reason."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (bool, list, dict)) else str(value)
    text = clip(text, 60)  # a 1 MB property is named by its start and length, not printed whole
    folded = text_key(text)
    stripped = _PREFIX.sub("", folded)
    return parse_district(stripped if stripped != folded else text, numbers)


def guess_key(features: list, given: str | None = None) -> str | None:
    """The property that carries the district number: ``given`` (compared folded) when it names one,
    else the first known name («district», «region», «mantaghe», «منطقه»…), else the first name
    holding one of those words; None when no feature has such a property."""
    seen: list[str] = []
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict):
            seen.extend(k for k in props if k not in seen)
    if given:
        for k in seen:
            if k == given:
                return k
        return next((k for k in seen if _fold(k) == _fold(given)), None)
    folded = {k: _fold(k) for k in seen}
    for name in KEY_NAMES:
        hit = next((k for k, f in folded.items() if f == _fold(name)), None)
        if hit is not None:
            return hit
    return next((k for k, f in folded.items() if any(part in f for part in KEY_PARTS)), None)


def property_names(features: list) -> list[str]:
    names: list[str] = []
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict):
            names.extend(str(k) for k in props if str(k) not in names)
    return names


# ---------------------------------------------------------------- geometry


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _point_fa(lon: float, lat: float, exact: bool = False) -> str:
    """A point in a Persian sentence: «(طول ۵۱٫۴، عرض ۳۵٫۷)», which no bidi reordering can scramble;
    ``exact`` writes every digit (two points that differ must not print the same)."""
    if exact:
        return f"(طول {to_persian_digits(repr(lon)).replace('.', '٫')}، عرض {to_persian_digits(repr(lat)).replace('.', '٫')})"
    return f"(طول {fa_number(float(f'{lon:.6g}'))}، عرض {fa_number(float(f'{lat:.6g}'))})"


def _box_reason(lon: float, lat: float) -> tuple[str, str]:
    box_fa = "طول ۵۱٫۰ تا ۵۱٫۷ شرقی و عرض ۳۵٫۵ تا ۳۵٫۹ شمالی"
    box_en = "longitude 51.0–51.7 E, latitude 35.5–35.9 N"
    shown = f"[{lon:g}, {lat:g}]"
    shown_fa = _point_fa(lon, lat)
    if LAT_RANGE[0] <= lon <= LAT_RANGE[1] and LON_RANGE[0] <= lat <= LON_RANGE[1]:
        return (
            f"نقطهٔ {shown_fa} جابه‌جا نوشته شده است: در GeoJSON اول طول جغرافیایی (۵۱…) و بعد عرض (۳۵…) می‌آید",
            f"the point {shown} has longitude and latitude swapped: GeoJSON writes [longitude, latitude], "
            "e.g. [51.4, 35.7]",
        )
    if abs(lon) > 180 or abs(lat) > 90:
        return (
            f"نقطهٔ {shown_fa} درجهٔ جغرافیایی نیست و به مختصات تصویرشده (متر، مثلاً UTM) می‌ماند؛ فایل را با "
            f"طول و عرض جغرافیایی WGS 84 (EPSG:4326) ذخیره کنید؛ تهران در {box_fa} است",
            f"the point {shown} is not in degrees and looks like projected coordinates (metres, e.g. UTM); "
            f"export the file as WGS 84 longitude/latitude (EPSG:4326); Tehran lies at {box_en}",
        )
    return (
        f"نقطهٔ {shown_fa} بیرون از تهران است ({box_fa})؛ مختصات فایل را بررسی کنید (WGS 84، طول و بعد عرض)",
        f"the point {shown} lies outside Tehran ({box_en}); check the file's coordinates (WGS 84, longitude first)",
    )


def _check_ring(ring: object, path: str) -> tuple[list[list[float]] | None, tuple[str, str, str] | None]:
    """A ring as [[lon, lat], ...] or (None, (member, fa, en))."""
    if not isinstance(ring, list):
        return None, (path, "حلقه فهرست نقطه‌ها نیست", "the ring is not a list of points")
    points: list[list[float]] = []
    outside: tuple[int, float, float] | None = None
    for i, position in enumerate(ring):
        if not (isinstance(position, list) and len(position) >= 2 and all(_is_number(v) for v in position[:3])):
            return None, (
                f"{path}[{i}]",
                f"نقطهٔ {to_persian_digits(i + 1)} حلقه دو عدد [طول، عرض] نیست",
                f"point {i + 1} of the ring is not two numbers [longitude, latitude]",
            )
        lon, lat = float(position[0]), float(position[1])
        if outside is None and not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            outside = (i, lon, lat)
        points.append([lon, lat])
    if len(points) < 4:
        return None, (
            path,
            f"حلقه {to_persian_digits(len(points))} نقطه دارد؛ هر حلقه دست‌کم ۴ نقطه می‌خواهد (نقطهٔ اول در پایان تکرار می‌شود)",
            f"the ring has {len(points)} points; a ring needs at least 4 (the first repeated at the end)",
        )
    if points[0] != points[-1]:
        first, last = points[0], points[-1]
        gap = math.hypot(first[0] - last[0], first[1] - last[1])
        if gap <= CLOSE_ENOUGH:  # the same point written twice, apart by a float's last digit
            points[-1] = list(first)
        else:
            metres = gap * 100_000  # a degree is about 100 km here
            far_fa = f"حدود {fa_number(round(metres, 1))} متر" if metres >= 0.1 else "کمتر از ۱۰ سانتی‌متر"
            far_en = f"about {metres:.1f} m" if metres >= 0.1 else "less than 10 cm"
            return None, (
                path,
                f"حلقه بسته نیست: نقطهٔ اول {_point_fa(first[0], first[1], exact=True)} و آخر {_point_fa(last[0], last[1], exact=True)} "
                f"{far_fa} از هم فاصله دارند؛ نقطهٔ اول را عیناً در پایان تکرار کنید",
                f"the ring is not closed: its first point [{first[0]!r}, {first[1]!r}] and its last point "
                f"[{last[0]!r}, {last[1]!r}] are {far_en} apart; repeat the first point exactly at the end",
            )
    if outside is not None:
        i, lon, lat = outside
        fa, en = _box_reason(lon, lat)
        return None, (f"{path}[{i}]", fa, en)
    return points, None


def check_geometry(geometry: object) -> tuple[list[list[list[list[float]]]] | None, tuple[str, str, str] | None]:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings), or (None, (member, fa, en))."""
    if not isinstance(geometry, dict):
        return None, (
            "geometry",
            "عارضه شکل (geometry) ندارد",
            "the feature has no geometry",
        )
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        shown = kind if isinstance(kind, str) else "?"
        return None, (
            "geometry.type",
            f"شکل از نوع {shown} است؛ مرز منطقه باید Polygon یا MultiPolygon باشد",
            f"the geometry is a {shown}; a district boundary must be a Polygon or MultiPolygon",
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons or not all(isinstance(p, list) and p for p in polygons):
        return None, (
            "geometry.coordinates",
            f"مختصات {kind} خالی یا نادرست است",
            f"the {kind}'s coordinates are empty or malformed",
        )
    out: list[list[list[list[float]]]] = []
    for p, polygon in enumerate(polygons):
        rings: list[list[list[float]]] = []
        for r, ring in enumerate(polygon):
            path = f"geometry.coordinates[{r}]" if kind == "Polygon" else f"geometry.coordinates[{p}][{r}]"
            points, fault = _check_ring(ring, path)
            if fault:
                return None, fault
            assert points is not None  # _check_ring gives the points or a fault
            rings.append(points)
        out.append(rings)
    return out, None


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Which points of an open line to keep (a boolean mask), Douglas–Peucker without recursion."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        middle = points[first + 1 : last]
        ab = b - a
        squared = float(ab @ ab)
        if squared == 0.0:
            distances = np.hypot(*(middle - a).T)
        else:  # distance to the segment, not the infinite line: a point beyond its ends is far
            t = np.clip(((middle - a) @ ab) / squared, 0.0, 1.0)
            distances = np.hypot(*(middle - a - t[:, None] * ab).T)
        i = int(np.argmax(distances))
        if distances[i] > tolerance:
            split = first + 1 + i
            keep[split] = True
            stack.append((first, split))
            stack.append((split, last))
    return keep


def _anchors(points: np.ndarray, first: int, last: int) -> list[int]:
    """Where to cut the open line ``points[first:last + 1]`` into stretches of at most ``CHUNK_POINTS``:
    at points chosen by their coordinates (so a second pass over the simplified ring cuts at the same
    points, which are kept), and by position where a stretch would still be too long. Douglas–Peucker is
    quadratic on a zigzag; on stretches of bounded length the whole ring takes linear time."""
    if last - first <= CHUNK_POINTS:
        return [first, last]
    scaled = np.round(points[first : last + 1] * 1e5).astype(np.int64)
    marks = np.flatnonzero(((scaled[:, 0] * 73_856_093) ^ (scaled[:, 1] * 19_349_663)) % (CHUNK_POINTS // 4) == 0)
    cuts = [first]
    for at in (marks + first).tolist() + [last]:
        while at - cuts[-1] > CHUNK_POINTS:
            cuts.append(cuts[-1] + CHUNK_POINTS)
        if at > cuts[-1]:
            cuts.append(at)
    return cuts


def _simplify_line(points: np.ndarray, first: int, last: int, tolerance: float, keep: np.ndarray) -> None:
    cuts = _anchors(points, first, last)
    for a, b in zip(cuts, cuts[1:], strict=False):
        keep[a : b + 1] |= _douglas_peucker(points[a : b + 1], tolerance)


def simplify_ring(ring: list[list[float]], tolerance: float = TOLERANCE) -> list[list[float]]:
    """A closed ring with the vertices that change its outline by less than ``tolerance`` dropped.

    Still closed, and never fewer than 4 points: a ring that would collapse is kept as it was. Linear
    in the ring's points (see ``_anchors``)."""
    if len(ring) <= 4 or tolerance <= 0:
        return [list(p) for p in ring]
    points = np.asarray(ring, dtype=float)
    far = int(np.argmax(np.hypot(*(points - points[0]).T)))  # split the loop where it is widest
    if far == 0:
        return [list(p) for p in ring]
    keep = np.zeros(len(points), dtype=bool)
    _simplify_line(points, 0, far, tolerance, keep)
    _simplify_line(points, far, len(points) - 1, tolerance, keep)
    kept = points[keep]
    if len(kept) < 4:
        return [list(p) for p in ring]
    return kept.tolist()


def _rounded(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    return out if len(out) >= 4 else [[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in ring]


def _settled(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Simplified and rounded until another pass changes nothing, so loading a stored shape again
    stores the same shape (rounding can bring a kept vertex within the tolerance of its neighbours)."""
    current = _rounded(simplify_ring(ring, tolerance))
    for _ in range(8):
        again = _rounded(simplify_ring(current, tolerance))
        if again == current:
            break
        current = again
    return current


def simplify(polygons: list, tolerance: float = TOLERANCE) -> dict:
    """Polygons (each a list of rings) as one simplified GeoJSON Polygon or MultiPolygon."""
    shapes = [[_settled(ring, tolerance) for ring in polygon] for polygon in polygons]
    if len(shapes) == 1:
        return {"type": "Polygon", "coordinates": shapes[0]}
    return {"type": "MultiPolygon", "coordinates": shapes}


def vertex_count(geometry: dict) -> int:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return sum(len(ring) for polygon in polygons for ring in polygon)


# ---------------------------------------------------------------- the file


def _refuse_size(size: int) -> None:
    if size > MAX_BYTES:
        raise FileRejected(
            f"فایل {fa_number(round(size / 1024 / 1024, 1))} مگابایت است و از سقف {fa_number(MAX_BYTES // 1024 // 1024)} "
            "مگابایت بزرگ‌تر است؛ مرزها را ساده‌تر کنید (مثلاً با mapshaper) و دوباره بارگذاری کنید",
            f"the file is {size / 1024 / 1024:.1f} MB, above the {MAX_BYTES // 1024 // 1024} MB limit; simplify the "
            "boundaries (e.g. with mapshaper) and load it again",
        )


def _parse_json(data: bytes) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"فایل با UTF-8 خوانده نشد (بایت {fa_number(exc.start + 1)})؛ GeoJSON را با کدگذاری UTF-8 ذخیره کنید",
            f"the file is not UTF-8 (byte {exc.start + 1}); save the GeoJSON as UTF-8",
        ) from exc
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise FileRejected(
            f"فایل {fa_number(depth)} لایه فهرست تودرتو دارد و بیش از {fa_number(MAX_DEPTH)} لایه پذیرفته نمی‌شود؛ "
            "GeoJSON مرزها چند لایه بیشتر ندارد. فایل را دوباره از نرم‌افزار نقشه (مثلاً QGIS) به‌صورت GeoJSON بگیرید",
            f"the file nests lists {depth} deep, more than the {MAX_DEPTH} accepted; a boundaries GeoJSON nests a "
            "few levels. Export it again as GeoJSON from a map program (QGIS, say)",
        )
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise FileRejected(
            "فایل بیش از اندازه تودرتوست و خوانده نشد؛ فایل را دوباره به‌صورت GeoJSON بگیرید",
            "the file is nested too deeply to read; export it again as GeoJSON",
        ) from exc
    except json.JSONDecodeError as exc:
        raise FileRejected(
            f"فایل JSON درستی نیست: خط {fa_number(exc.lineno)}، ستون {fa_number(exc.colno)} ({exc.msg})؛ "
            "یک فایل GeoJSON بارگذاری کنید",
            f"the file is not valid JSON: line {exc.lineno}, column {exc.colno} ({exc.msg}); load a GeoJSON file",
        ) from exc


def _nesting(text: str) -> int:
    """How deep the file's brackets go, strings aside, counted before anything is parsed (a deep
    file would end the parser in a RecursionError)."""
    data = np.frombuffer(text.encode("utf-8", "replace"), dtype=np.uint8)
    if not len(data):
        return 0
    quote = data == ord('"')
    slash = data == ord("\\")
    positions = np.arange(len(data))
    last_other = np.maximum.accumulate(np.where(slash, -1, positions))  # the last non-backslash up to here
    run = positions - last_other  # backslashes ending here
    escaped = np.zeros(len(data), dtype=bool)
    escaped[1:] = run[:-1] % 2 == 1  # after an odd run of backslashes
    quote &= ~escaped
    inside = (np.cumsum(quote) % 2 == 1) & ~quote
    step = np.zeros(len(data), dtype=np.int64)
    step[np.isin(data, (ord("["), ord("{")))] = 1
    step[np.isin(data, (ord("]"), ord("}")))] = -1
    step[inside] = 0
    return int(np.cumsum(step).max(initial=0))


def _refuse_vertices(data: bytes, limit: int) -> None:
    """At most ``limit`` points, counted from the file's brackets before it is parsed."""
    count = data.count(b"[")
    if count > limit:
        raise FileRejected(
            f"فایل حدود {fa_number(count)} نقطه دارد و بیش از {fa_number(limit)} نقطه پذیرفته نمی‌شود؛ مرزها را ساده‌تر "
            "کنید (مثلاً با mapshaper یا Simplify در QGIS، حدود ۱۰ متر) یا مناطق را در چند فایل بارگذاری کنید",
            f"the file holds about {count:,} points, more than the {limit:,} accepted; simplify the boundaries (with "
            "mapshaper, or Simplify in QGIS, about 10 m) or load the districts in several files",
        )


def _check_collection(doc: object) -> list:
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind != "FeatureCollection":
        shown = kind if isinstance(kind, str) else type(doc).__name__
        raise FileRejected(
            f"فایل یک FeatureCollection نیست (نوع آن: {shown})؛ GeoJSON باید نوع FeatureCollection و "
            "فهرستی از عارضه‌ها (features) داشته باشد، یکی برای هر منطقه",
            f'the file is not a FeatureCollection (its type: {shown}); the GeoJSON must have "type": '
            '"FeatureCollection" and a list of features, one a district',
        )
    assert isinstance(doc, dict)  # anything else has no type, refused above
    crs = doc.get("crs")
    if isinstance(crs, dict):  # the 2008 GeoJSON's crs member: only WGS 84 degrees are accepted
        name = str((crs.get("properties") or {}).get("name", ""))
        if name and not re.search(r"CRS84|4326", name, re.I):
            raise FileRejected(
                f"دستگاه مختصات فایل {name} است؛ فایل را با طول و عرض جغرافیایی WGS 84 (EPSG:4326) ذخیره کنید",
                f"the file's coordinate system is {name}; export it as WGS 84 longitude/latitude (EPSG:4326)",
            )
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise FileRejected(
            "فایل هیچ عارضه‌ای (features) ندارد؛ برای هر منطقه یک Polygon یا MultiPolygon بگذارید",
            "the file has no features; give one Polygon or MultiPolygon feature a district",
        )
    return features


def read_boundaries(data: bytes, numbers: Collection[int], key: str | None = None) -> ParsedBoundaries:
    """Read and check a boundaries file against the reference's district ``numbers``.

    Raises FileRejected for a fault of the whole file (too big, not JSON, not a FeatureCollection,
    no property holding the district); faults of single features are listed in ``errors``."""
    from data_loaders import guard

    _refuse_size(len(data))
    _refuse_vertices(data, guard.limits_from_env().max_vertices)
    features = _check_collection(_parse_json(data))
    numbers = frozenset(int(n) for n in numbers)
    found = guess_key(features, key)
    if found is None:
        names = property_names(features)
        shown = "، ".join(names[:12]) if names else "هیچ"
        shown_en = ", ".join(names[:12]) if names else "none"
        if key:
            raise FileRejected(
                f"هیچ عارضه‌ای ویژگی «{key}» ندارد؛ ویژگی‌های موجود: {shown}",
                f"no feature has the property '{key}'; the properties found: {shown_en}",
            )
        raise FileRejected(
            f"ویژگی شمارهٔ منطقه پیدا نشد (district، region، mantaghe یا منطقه)؛ ویژگی‌های موجود: {shown}؛ "
            "نام ویژگی را بدهید (‎--key‎)",
            f"no property holds the district number (district, region, mantaghe or منطقه); the properties "
            f"found: {shown_en}; name the property (--key)",
        )
    errors: guard.ErrorBudget[FeatureError] = guard.ErrorBudget(guard.limits_from_env().max_errors)
    shapes: dict[int, dict] = {}
    first_of: dict[int, int] = {}
    read = kept = 0
    for index, feature in enumerate(features):
        where_fa, where_en = _where_fa(index), _where_en(index)

        def fault(
            member: str, fa: str, en: str, index: int = index, where_fa: str = where_fa, where_en: str = where_en
        ):
            # a file of a million faults lists the first ones and counts the rest
            errors.add(FeatureError(index, member, Message(f"{where_fa}: {fa}", f"{where_en}: {en}")))

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            fault("type", "عارضه (Feature) نیست", 'not a Feature (its "type" must be "Feature")')
            continue
        props = feature.get("properties")
        value = props.get(found) if isinstance(props, dict) else None
        member = f"properties.{found}"
        if value is None or (isinstance(value, str) and not value.strip()):
            fault(
                member,
                f"منطقه ندارد: ویژگی «{found}» خالی است یا نیست؛ شمارهٔ منطقه را در آن بنویسید",
                f"no district: the property '{found}' is empty or missing; write the district number in it",
            )
            continue
        number, reason = district_number(value, numbers)
        if number is None:
            assert reason is not None  # district_number gives a number or the reason there is none
            fault(member, reason.fa, reason.en)
            continue
        polygons, problem = check_geometry(feature.get("geometry"))
        if number in first_of:
            earlier = first_of[number]
            fault(
                member,
                f"منطقهٔ {to_persian_digits(number)} دوباره آمده است؛ {_where_fa(earlier)} هم همین منطقه است",
                f"district {number} again: {_where_en(earlier)} is the same district",
            )
            continue
        first_of[number] = index
        if problem:
            fault(*problem)
            continue
        assert polygons is not None  # check_geometry gives the polygons or a problem
        read += sum(len(ring) for polygon in polygons for ring in polygon)
        shapes[number] = simplify(polygons)
        kept += vertex_count(shapes[number])
    if errors.total:
        shapes = {}
    missing = sorted(numbers - set(first_of))
    return ParsedBoundaries(
        dict(sorted(shapes.items())), found, len(features), errors.kept, missing, read, kept, errors.total
    )


def load_boundaries(
    engine: Engine, data: bytes, name: str, *, key: str | None = None, loaded_by: str = ""
) -> BoundariesResult:
    """Read, check and store a boundaries file: every outcome (refusals included) is in the result.

    The new shapes replace the stored set in one transaction; a file with any fault stores nothing.
    Database errors are not caught: the transaction rolls back and the error propagates."""
    digest = hashlib.sha256(data).hexdigest()
    numbers = store.reference_districts(engine)["district"].astype(int).tolist()
    try:
        parsed = read_boundaries(data, numbers, key=key)
    except FileRejected as exc:
        return BoundariesResult(name, digest, None, file_error=exc.message)
    result = BoundariesResult(
        source_name=name,
        sha256=digest,
        batch_id=None,
        key=parsed.key,
        features=parsed.features,
        districts=sorted(parsed.shapes),
        missing=parsed.missing,
        vertices_read=parsed.vertices_read,
        vertices_kept=parsed.vertices_kept,
        errors=parsed.errors,
        errors_total=max(parsed.errors_total, len(parsed.errors)),
    )
    if parsed.errors:
        result.districts = []
        total = result.errors_total
        listed_fa = f" (نخستین {fa_number(len(parsed.errors))} فهرست شده)" if total > len(parsed.errors) else ""
        listed_en = f" (the first {len(parsed.errors)} listed)" if total > len(parsed.errors) else ""
        result.file_error = Message(
            f"{fa_number(total)} ایراد در فایل هست{listed_fa} و هیچ مرزی ذخیره نشد؛ موارد زیر را اصلاح کنید و "
            "دوباره بارگذاری کنید",
            f"{total} fault(s) in the file{listed_en}, so no boundary was stored; correct them and load it again",
        )
        return result
    info = store.BatchInfo(
        source_name=name,
        sha256=digest,
        rows_read=parsed.features,
        rows_rejected=0,
        loaded_by=loaded_by,
    )
    result.batch_id = store.write_boundaries(engine, parsed.shapes, info)
    return result


def load_boundaries_path(
    engine: Engine, path: str | Path, *, key: str | None = None, loaded_by: str = "", as_name: str | None = None
) -> BoundariesResult:
    """``load_boundaries`` for a file on disk; its size is checked before it is read. ``as_name`` is the
    name to record (the upload page hands over a temporary copy)."""
    path = Path(path)
    try:
        _refuse_size(path.stat().st_size)
        data = path.read_bytes()
    except FileRejected as exc:
        return BoundariesResult(path.name, "", None, file_error=exc.message)
    except FileNotFoundError:
        error = Message(
            f"فایل «{path}» پیدا نشد؛ نام و مسیر را بررسی کنید", f"file not found: '{path}'; check the name and folder"
        )
        return BoundariesResult(path.name, "", None, file_error=error)
    except IsADirectoryError:
        return BoundariesResult(
            path.name,
            "",
            None,
            file_error=Message(f"«{path}» پوشه است، نه فایل", f"'{path}' is a folder, not a file"),
        )
    except OSError as exc:
        error = Message(
            f"فایل «{path}» خوانده نشد ({exc.strerror or exc})؛ دسترسی به فایل را بررسی کنید",
            f"cannot read '{path}' ({exc.strerror or exc}); check that the file can be opened",
        )
        return BoundariesResult(path.name, "", None, file_error=error)
    return load_boundaries(engine, data, escape_text(as_name or path.name), key=key, loaded_by=loaded_by)


def describe(result: BoundariesResult) -> str:
    """The human report of a boundaries file, Persian with the English beside it (the command line)."""
    lines = [f"فایل مرزها / boundaries file: {result.source_name}"]
    if result.batch_id is not None:  # result.ok
        lines.append(
            f"  ✓ مرز {fa_number(len(result.districts))} منطقه ذخیره شد، دسته‌ی {fa_number(result.batch_id)} / "
            f"boundaries of {len(result.districts)} districts stored as batch {result.batch_id}"
        )
        lines.append(
            f"  ویژگی منطقه / district property: {result.key}؛ نقطه‌ها / vertices: {fa_number(result.vertices_read)} → "
            f"{fa_number(result.vertices_kept)} (ساده‌شده برای نقشه / simplified for drawing)"
        )
    else:
        lines.append("  ✗ چیزی ذخیره نشد / nothing stored")
    if result.file_error:
        lines.append(f"  {result.file_error}")
    for error in result.errors:
        lines.append(f"  [{error.member}] {error.reason}")
    if result.ok and result.missing:
        lines.append(
            f"  بدون مرز (روی نقشهٔ کاشی می‌مانند) / without a boundary (kept on the tile map): "
            f"{persian_list(result.missing)} / {', '.join(str(n) for n in result.missing)}"
        )
    return "\n".join(lines)
