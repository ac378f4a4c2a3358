"""Tests of yrd.paper.sensitivity: repframe indicators by hand, the weights variants, the fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrd.data import geo
from yrd.econ import regress
from yrd.econ.spatial import fit_panel
from yrd.paper import sensitivity


def test_repframe_original_significant_by_hand():
    # original 1.0 (se 0.2, t = 5); paths: significant same sign, significant opposite sign,
    # not significant, significant same sign
    r = sensitivity.repframe_indicators([1.2, -1.0, 0.1, 0.7], [0.2, 0.2, 0.2, 0.2], 1.0, 0.2)
    assert r["I1"] == pytest.approx(0.5), f"2 of 4 paths agree, got {r['I1']}"
    assert r["I2"] == pytest.approx(0.25), f"mean estimate 0.25 over 1.0, got {r['I2']}"
    assert r["rel_t"] == pytest.approx((6 - 5 + 0.5 + 3.5) / 4 / 5), "mean t over t0"
    sd = np.std([1.2, -1.0, 0.1, 0.7], ddof=1)
    assert r["variation"] == pytest.approx(sd / 0.2), "sd of paths over the original se"
    assert r["original_significant"] and r["paths"] == 4, "bookkeeping"


def test_repframe_original_not_significant_and_missing():
    r = sensitivity.repframe_indicators([0.1, 1.0, np.nan], [0.2, 0.2, 0.2], 0.1, 0.2)
    assert not r["original_significant"], "t0 = 0.5 is not significant"
    assert r["I1"] == pytest.approx(0.5), "one of the two paths is also not significant"
    assert r["paths"] == 2 and r["paths_missing"] == 1, "the NaN path is dropped and counted"
    with pytest.raises(ValueError, match="original_se"):
        sensitivity.repframe_indicators([1.0], [1.0], 1.0, 0.0)
    with pytest.raises(ValueError, match="no robustness path"):
        sensitivity.repframe_indicators([np.nan], [1.0], 1.0, 1.0)
    with pytest.raises(ValueError, match="length"):
        sensitivity.repframe_indicators([1.0, 2.0], [1.0], 1.0, 1.0)


@pytest.fixture(scope="module")
def variants(random_panel):
    cities = geo.load_cities()
    return sensitivity.weight_variants(
        cities, geo.seat_centroid_distances(cities), geo.load_polygons(), random_panel
    )


def test_weight_variants(variants):
    labels = [v.label for v in variants]
    assert labels[0] == "Inverse distance", "the baseline comes first"
    assert len(labels) == len(set(labels)) == 8, f"eight distinct variants, got {labels}"
    codes = sorted(geo.load_cities()["city_code"])
    for v in variants:
        w = v.w.to_numpy()
        assert list(v.w.index) == codes, f"{v.label}: rows are the city codes in order"
        assert np.all(np.diag(w) == 0) and np.all(w >= 0), f"{v.label}: zero diagonal, w >= 0"
        if v.label != "Spectral":
            assert np.allclose(w.sum(axis=1), 1), f"{v.label}: row-standardised"
    spectral = next(v for v in variants if v.label == "Spectral").w.to_numpy()
    radius = np.max(np.abs(np.linalg.eigvals(spectral)))
    assert radius == pytest.approx(1.0), f"spectral radius 1, got {radius}"
    cut = next(v for v in variants if v.label == "Cut-off 200 km").w.to_numpy()
    assert (cut == 0).sum() > (variants[0].w.to_numpy() == 0).sum(), "a cut-off adds zeros"


def test_centroid_cities():
    sc = pd.DataFrame({"city_code": [1], "centroid_lon": [120.0], "centroid_lat": [30.0]})
    out = sensitivity.centroid_cities(sc)
    assert list(out.columns) == ["city_code", "lon", "lat"], "renamed for inverse_distance"
    assert out.iloc[0].tolist() == [1, 120.0, 30.0], "values kept"


def test_fit_variants(random_panel, variants):
    x = ["inno", *regress.CONTROLS]
    tab = sensitivity.fit_variants(random_panel, variants[:2], "quality", x, "inno")
    assert list(tab["label"]) == ["Inverse distance", "Centroids"], "one row per variant"
    ref = fit_panel(random_panel, "quality", x, variants[0].w, "city_code", "year", model="sar")
    assert tab.loc[0, "rho"] == pytest.approx(ref.params["rho"], rel=1e-12), "same rho"
    imp = ref.impacts(method="delta").loc["inno"]
    assert tab.loc[0, "indirect"] == pytest.approx(imp["indirect"], rel=1e-12), "same effect"
    assert tab.loc[0, "se_total"] == pytest.approx(imp["se_total"], rel=1e-12), "same se"
    assert (tab["error"] == "").all(), "no fit hit the bound"


def test_with_economic_rebuilds_only_the_economic_matrix(variants, random_panel):
    from yrd.econ import weights

    other = random_panel.assign(gdp=random_panel["gdp"] * 2 + random_panel["city_code"] / 1e5)
    swapped = sensitivity.with_economic(variants, other)
    assert [v.label for v in swapped] == [v.label for v in variants]
    for a, b in zip(variants, swapped, strict=True):
        if a.label == "Economic distance":
            pd.testing.assert_frame_equal(b.w, weights.economic_distance(other))
        else:
            assert b is a, f"{a.label}: geography reused"
