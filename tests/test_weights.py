"""Spatial weights: distances, inverse distance, economic distance, queen contiguity."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from yrd.data import geo
from yrd.data.cities import CITY_CODES, YEARS
from yrd.econ import weights


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(20240601)
    base = rng.lognormal(mean=8.5, sigma=0.6, size=len(CITY_CODES))
    rows = [
        (c, y, b * (1.07 ** (y - 2011)) * rng.lognormal(0, 0.02))
        for c, b in zip(CITY_CODES, base, strict=True)
        for y in YEARS
    ]
    return pd.DataFrame(rows, columns=["city_code", "year", "gdp"])


def law_of_cosines_km(lon1, lat1, lon2, lat2, r=6371.0088):
    """Independent check: spherical law of cosines, scalar math module."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return r * math.acos(max(-1.0, min(1.0, c)))


# ---------------------------------------------------------------------------- distances


@pytest.mark.parametrize(
    ("a", "b", "lo", "hi"),
    [
        (310000, 320100, 260, 280),  # Shanghai - Nanjing, about 270 km
        (310000, 330100, 160, 180),  # Shanghai - Hangzhou, about 170 km
        (330100, 330200, 140, 160),  # Hangzhou - Ningbo
        (320300, 330300, 750, 780),  # Xuzhou - Wenzhou
        (330300, 341600, 790, 815),  # Wenzhou - Bozhou, the longest pair
    ],
)
def test_distances_against_law_of_cosines(cities, a, b, lo, hi):
    s = cities.set_index("city_code")
    expected = law_of_cosines_km(s.loc[a, "lon"], s.loc[a, "lat"], s.loc[b, "lon"], s.loc[b, "lat"])
    got = weights.distance_matrix(cities).loc[a, b]
    assert abs(got - expected) < 1e-6, f"{a}-{b}: haversine {got} km vs cosines {expected} km"
    assert lo < got < hi, f"{a}-{b}: {got:.1f} km, expected {lo}-{hi} km"


def test_great_circle_known_values():
    quarter = weights.great_circle_km(0, 0, 0, 90)
    assert abs(quarter - math.pi * 6371.0088 / 2) < 1e-9, f"quarter meridian {quarter}"
    assert weights.great_circle_km(120, 30, 120, 30) == 0, "zero distance to itself"
    one_deg = weights.great_circle_km(120, 30, 120, 31)
    assert abs(one_deg - 111.195) < 0.01, f"one degree of latitude {one_deg} km"
    ab = weights.great_circle_km(118.8, 32.1, 121.5, 31.2)
    ba = weights.great_circle_km(121.5, 31.2, 118.8, 32.1)
    assert ab == ba, "great-circle distance must be symmetric"


def test_distance_matrix_shape(cities):
    d = weights.distance_matrix(cities)
    assert d.shape == (41, 41), f"shape {d.shape}"
    assert list(d.index) == list(CITY_CODES) == list(d.columns), "codes ascending on both axes"
    v = d.to_numpy()
    assert np.array_equal(v, v.T), "distance matrix must be exactly symmetric"
    assert np.all(np.diag(v) == 0), "zero diagonal"
    off = v[~np.eye(41, dtype=bool)]
    assert off.min() > 20 and off.max() < 850, f"distances {off.min():.1f}-{off.max():.1f} km"


def test_distance_matrix_ignores_input_order(cities):
    shuffled = cities.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(
        weights.distance_matrix(shuffled), weights.distance_matrix(cities), obj="shuffled input"
    )


# ---------------------------------------------------------------------------- inverse distance


def test_inverse_distance_raw_is_symmetric_reciprocal(cities):
    w = weights.inverse_distance(cities, normalize=None)
    d = weights.distance_matrix(cities).to_numpy()
    v = w.to_numpy()
    assert np.array_equal(v, v.T), "raw inverse-distance matrix must be symmetric"
    off = ~np.eye(41, dtype=bool)
    assert np.allclose(v[off], 1 / d[off], rtol=1e-14), "w_ij = 1/d_ij"
    assert np.all(np.diag(v) == 0), "zero diagonal"
    w2 = weights.inverse_distance(cities, power=2, normalize=None).to_numpy()
    assert np.allclose(w2[off], v[off] ** 2, rtol=1e-12), "power=2 gives 1/d^2"


def test_inverse_distance_row_standardised(cities):
    w = weights.inverse_distance(cities)
    assert np.allclose(w.sum(axis=1), 1.0, atol=1e-12), "rows must sum to one"
    assert np.all(np.diag(w.to_numpy()) == 0), "zero diagonal"
    assert (w.to_numpy() >= 0).all(), "non-negative"
    assert list(w.index) == list(CITY_CODES), "ascending codes"


def test_inverse_distance_spectral(cities):
    w = weights.inverse_distance(cities, normalize="spectral").to_numpy()
    assert np.array_equal(w, w.T), "spectral scaling keeps symmetry"
    top = np.max(np.abs(np.linalg.eigvalsh(w)))
    assert abs(top - 1) < 1e-12, f"largest eigenvalue {top}"


def test_inverse_distance_cutoff(cities):
    w = weights.inverse_distance(cities, cutoff_km=300, normalize=None)
    d = weights.distance_matrix(cities)
    assert (w.to_numpy()[d.to_numpy() > 300] == 0).all(), "weights beyond the cutoff are zero"
    assert (w.to_numpy()[(d.to_numpy() <= 300) & (d.to_numpy() > 0)] > 0).all(), "within: > 0"
    with pytest.raises(ValueError, match="sum to zero"):
        weights.inverse_distance(cities, cutoff_km=10)


def test_committed_inverse_distance_matches(cities):
    committed = geo.load_inverse_distance()
    fresh = weights.inverse_distance(cities)
    assert list(committed.index) == list(CITY_CODES) == list(committed.columns), "codes"
    assert np.abs(committed.to_numpy() - fresh.to_numpy()).max() < 1e-10, (
        "W_inverse_distance.csv differs from inverse_distance(load_cities())"
    )


# ---------------------------------------------------------------------------- economic distance


def test_economic_distance_definition(panel):
    raw = weights.economic_distance(panel, normalize=None)
    m = panel.groupby("city_code")["gdp"].mean().to_numpy()
    v = raw.to_numpy()
    assert np.array_equal(v, v.T), "raw economic weights must be symmetric"
    off = ~np.eye(41, dtype=bool)
    assert np.allclose(v[off], 1 / np.abs(m[:, None] - m[None, :])[off], rtol=1e-12), (
        "w_ij = 1/|mean_i - mean_j|"
    )
    assert np.all(np.diag(v) == 0), "zero diagonal"
    w = weights.economic_distance(panel)
    assert np.allclose(w.sum(axis=1), 1.0, atol=1e-12), "rows sum to one"
    assert list(w.index) == list(CITY_CODES), "ascending codes"


def test_economic_distance_invariances(panel):
    base = weights.economic_distance(panel)
    shifted = panel.assign(gdp=panel["gdp"] + 12_345.0)
    assert np.allclose(weights.economic_distance(shifted), base, rtol=1e-6, atol=1e-12), (
        "adding a constant to gdp must not change the weights"
    )
    scaled = panel.assign(gdp=panel["gdp"] * 1e4)
    assert np.allclose(weights.economic_distance(scaled), base, rtol=1e-10, atol=1e-14), (
        "row-standardised weights must not depend on the unit of gdp"
    )
    shuffled = panel.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(
        weights.economic_distance(shuffled), base, obj="row order of the panel"
    )


def test_economic_distance_ignores_missing_values(panel):
    p = panel.copy()
    p.loc[p.index[:5], "gdp"] = np.nan
    w = weights.economic_distance(p)
    assert np.isfinite(w.to_numpy()).all(), "NaN values are skipped in the means"


def test_economic_distance_ties(panel):
    p = panel.copy()
    p.loc[p["city_code"] == 320100, "gdp"] = p.loc[p["city_code"] == 310000, "gdp"].to_numpy()
    with pytest.raises(ValueError, match=r"ties.*|equal mean"):
        weights.economic_distance(p)


def test_economic_distance_bad_input(panel):
    with pytest.raises(ValueError, match="lacks column"):
        weights.economic_distance(panel, var="pgdp")
    # any integer ids work (the estimators know no registry of cities)
    other = weights.economic_distance(
        panel.assign(city_code=panel["city_code"].replace(310000, 999999))
    )
    assert 999999 in other.index and 310000 not in other.index
    with pytest.raises(ValueError, match="must be numeric"):
        weights.economic_distance(panel.assign(gdp="x"))
    p = panel.copy()
    p.loc[p["city_code"] == 341800, "gdp"] = np.nan
    with pytest.raises(ValueError, match="no non-missing"):
        weights.economic_distance(p)


# ---------------------------------------------------------------------------- queen


def test_queen_binary(polygons, cities):
    b = weights.queen_contiguity(polygons, cities=cities, normalize=None)
    v = b.to_numpy()
    assert set(np.unique(v)) == {0.0, 1.0}, "binary"
    assert np.array_equal(v, v.T), "symmetric"
    assert np.all(np.diag(v) == 0), "zero diagonal"
    n = v.sum(axis=1)
    assert n.min() >= 1 and n.max() <= 9, f"neighbour counts {n.min()}-{n.max()}"
    s = b.loc[310000]
    assert set(s[s > 0].index) == {320500, 320600, 330400}, "Shanghai: Suzhou, Nantong, Jiaxing"


#: Queen neighbours of each city on the committed polygons (libpysal's Queen; Zhoushan has none).
QUEEN_COUNTS = {
    310000: 3, 320100: 6, 320200: 5, 320300: 4, 320400: 5, 320500: 6, 320600: 4, 320700: 4,
    320800: 5, 320900: 5, 321000: 6, 321100: 4, 321200: 7, 321300: 6, 330100: 7, 330200: 3,
    330300: 2, 330400: 6, 330500: 5, 330600: 5, 330700: 5, 330800: 4, 330900: 0, 331000: 5,
    331100: 4, 340100: 7, 340200: 5, 340300: 6, 340400: 6, 340500: 5, 340600: 4, 340700: 4,
    340800: 4, 341000: 4, 341100: 8, 341200: 3, 341300: 4, 341500: 4, 341600: 4, 341700: 5,
    341800: 9,
}  # fmt: skip


def test_queen_neighbour_counts(polygons):
    """Known neighbours on the committed polygons: 99 links, Ningbo-Jiaxing across the bay.

    These are the links of the shared-vertex rule yrd wrote out before it called libpysal's Queen
    (identical matrices, binary and normalised, when the switch was made).
    """
    with pytest.warns(UserWarning, match=r"\[330900\] have no queen neighbour"):
        b = weights.queen_contiguity(polygons, island="keep", normalize=None)
        shuffled = weights.queen_contiguity(
            polygons.sample(frac=1, random_state=1), island="keep", normalize=None
        )
    assert b.sum(axis=1).astype(int).to_dict() == QUEEN_COUNTS
    assert int(b.to_numpy().sum()) == 2 * 99
    ningbo = b.loc[330200]
    assert set(ningbo[ningbo > 0].index) == {330400, 330600, 331000}, (
        "Ningbo: Jiaxing (across Hangzhou Bay), Shaoxing, Taizhou"
    )
    pd.testing.assert_frame_equal(shuffled, b, obj="queen matrix of shuffled polygons")


def test_queen_grid_counts_corners():
    """A 3 x 3 grid of unit squares: corners touch (queen, not rook), so the centre has 8."""
    import geopandas as gpd
    from shapely.geometry import box

    grid = gpd.GeoDataFrame(
        {"city_code": CITY_CODES[:9]},
        geometry=[box(c, r, c + 1, r + 1) for r in range(3) for c in range(3)],
    )
    g = weights.queen_contiguity(grid, island="keep", normalize=None).to_numpy()
    assert g.sum(axis=1).tolist() == [3, 5, 3, 5, 8, 5, 3, 5, 3]
    assert g[0, 4] == 1 and g[0, 8] == 0, "corner contact links, distance does not"
    assert np.array_equal(g, g.T)


def test_queen_zhoushan_nearest_is_ningbo(polygons, cities):
    b = weights.queen_contiguity(polygons, island="nearest", cities=cities, normalize=None)
    zs = b.loc[330900]
    assert list(zs[zs > 0].index) == [330200], "Zhoushan is linked to Ningbo only"
    assert b.loc[330200, 330900] == 1, "the link is symmetric"
    w = weights.queen_contiguity(polygons, cities=cities)
    assert np.allclose(w.sum(axis=1), 1.0), "row-standardised rows sum to one"


def test_queen_keep_warns_and_leaves_zero_row(polygons):
    with pytest.warns(UserWarning, match=r"\[330900\] have no queen neighbour"):
        w = weights.queen_contiguity(polygons, island="keep")
    assert w.loc[330900].sum() == 0, "Zhoushan row stays zero"
    assert np.allclose(w.drop(index=330900).sum(axis=1), 1.0), "other rows sum to one"
    with pytest.warns(UserWarning, match="no queen neighbour"):
        binary = weights.queen_contiguity(polygons, island="keep", normalize=None)
    with pytest.raises(ValueError, match="sum to zero"):
        weights.row_standardize(binary)


def test_queen_bad_input(polygons):
    with pytest.raises(ValueError, match="island must be"):
        weights.queen_contiguity(polygons, island="drop")
    with pytest.raises(ValueError, match=r"\[330900\] have no queen neighbour.*cities="):
        weights.queen_contiguity(polygons)  # Zhoushan's nearest seat needs the seats
    with pytest.raises(ValueError, match="duplicate city codes"):
        weights.queen_contiguity(pd.concat([polygons, polygons.iloc[:1]]))
    with pytest.raises(ValueError, match="GeoDataFrame with a city_code"):
        weights.queen_contiguity(polygons.drop(columns="city_code"))


# ---------------------------------------------------------------------------- bad input


def test_bad_cities(cities):
    assert (
        999999
        in weights.inverse_distance(
            cities.assign(city_code=cities["city_code"].replace(310000, 999999))
        ).index
    ), "any integer ids work"
    with pytest.raises(ValueError, match=r"duplicate city codes \[310000\]"):
        weights.inverse_distance(pd.concat([cities, cities.iloc[:1]]))
    c = cities.copy()
    c.loc[3, "lat"] = np.nan
    with pytest.raises(ValueError, match=r"missing coordinates for city codes \[320300\]"):
        weights.distance_matrix(c)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['lat'\]"):
        weights.distance_matrix(cities.drop(columns="lat"))
    same = cities.copy()
    same.loc[1, ["lon", "lat"]] = same.loc[0, ["lon", "lat"]].to_numpy()
    with pytest.raises(ValueError, match="identical coordinates"):
        weights.inverse_distance(same)
    with pytest.raises(ValueError, match="power must be positive"):
        weights.inverse_distance(cities, power=0)
    with pytest.raises(ValueError, match="normalize must be one of"):
        weights.inverse_distance(cities, normalize="column")


def test_bad_matrices():
    with pytest.raises(ValueError, match="must be square"):
        weights.row_standardize(np.ones((2, 3)))
    with pytest.raises(ValueError, match="must be square"):
        weights.to_libpysal(pd.DataFrame(np.ones((2, 3))))
    with pytest.raises(ValueError, match="same labels"):
        weights.row_standardize(pd.DataFrame(np.ones((2, 2)), index=[1, 2], columns=[2, 1]))
    with pytest.raises(ValueError, match="non-negative"):
        weights.row_standardize(np.array([[0.0, -1.0], [1.0, 0.0]]))
    with pytest.raises(ValueError, match="finite"):
        weights.row_standardize(np.array([[0.0, np.nan], [1.0, 0.0]]))
    with pytest.raises(ValueError, match=r"row\(s\) \[1\] sum to zero"):
        weights.row_standardize(np.array([[0.0, 1.0], [0.0, 0.0]]))


# ---------------------------------------------------------------------------- libpysal


def test_to_libpysal(cities):
    w_df = weights.inverse_distance(cities)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = weights.to_libpysal(w_df)
    assert w.n == 41, f"n = {w.n}"
    assert list(w.id_order) == list(CITY_CODES), "ids = city codes in order"
    dense, ids = w.full()
    assert list(ids) == list(CITY_CODES), "full() order"
    assert np.allclose(dense, w_df.to_numpy(), rtol=0, atol=0), "weights copied exactly"


# ---------------------------------------------------------------------------- properties

matrices = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: arrays(
        np.float64,
        (n, n),
        # subnormal weights underflow to 0 when divided by a row sum: not weights anyone uses
        elements=st.floats(
            min_value=0.0,
            max_value=1e6,
            allow_nan=False,
            allow_infinity=False,
            allow_subnormal=False,
        ),
    )
)


def _with_positive_rows(m):
    m = m.copy()
    m[np.arange(len(m)), (np.arange(len(m)) + 1) % len(m)] += 1.0  # one positive entry per row
    return m


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_row_standardize_properties(m):
    m = _with_positive_rows(m)
    w = weights.row_standardize(m)
    assert np.allclose(w.sum(axis=1), 1.0, atol=1e-12), f"row sums {w.sum(axis=1)}"
    assert (w >= 0).all(), "non-negativity must be preserved"
    assert np.array_equal(w == 0, m == 0), "the zero pattern must be preserved"
    again = weights.row_standardize(w)
    assert np.allclose(again, w, rtol=1e-12, atol=1e-15), "row standardisation is idempotent"


@settings(max_examples=30, deadline=None)
@given(matrices)
def test_row_standardize_keeps_dataframe_labels(m):
    m = _with_positive_rows(m)
    labels = list(CITY_CODES[: len(m)])
    df = pd.DataFrame(m, index=labels, columns=labels)
    w = weights.row_standardize(df)
    assert isinstance(w, pd.DataFrame), "DataFrame in, DataFrame out"
    assert list(w.index) == labels and list(w.columns) == labels, "labels kept"
    assert np.allclose(w.to_numpy(), weights.row_standardize(m)), "same values as for arrays"


def test_committed_matrix_is_checked_against_the_registry(tmp_path):
    """The data layer, not the estimator, knows the 41 cities."""
    w = geo.load_inverse_distance()
    bad = w.rename(index={310000: 999999}, columns={310000: 999999})
    bad.to_csv(tmp_path / "W.csv")
    with pytest.raises(ValueError, match=r"W.csv: expected the 41 city codes.*999999"):
        geo.load_inverse_distance(tmp_path / "W.csv")
