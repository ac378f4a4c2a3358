"""Tests of yrd.econ.speccurve and the book's specification curve (yrd.paper.sensitivity)."""

from __future__ import annotations

import pandas as pd
import pytest

from yrd.data import geo
from yrd.econ import inference, regress, speccurve, weights
from yrd.paper import sensitivity

EFFECTS = {
    "none": [],
    "city": ["city_code"],
    "year": ["year"],
    "city and year": ["city_code", "year"],
}
FLAGS = {
    "none": (False, False),
    "city": (True, False),
    "year": (False, True),
    "city and year": (True, True),
}


@pytest.fixture(scope="module")
def curve(random_panel):
    controls = {"none": [], "two": ["gdp", "open"]}
    return speccurve.fe_curve({"raw": random_panel}, "quality", "inno", controls, EFFECTS)


def test_fe_curve_matches_the_lsdv_regression(random_panel, curve):
    assert len(curve) == 4 * 2 * 4, "effects x controls x standard errors"
    for e, (city, year) in FLAGS.items():
        for c_name, ctrl in (("none", []), ("two", ["gdp", "open"])):
            for cov in ("classical", "hc1", "cluster"):
                ref = regress.fit_fe(random_panel, "quality", ["inno", *ctrl], city, year, cov)
                row = curve[
                    (curve["effects"] == e)
                    & (curve["controls"] == c_name)
                    & (curve["se_type"] == cov)
                ].iloc[0]
                assert row["estimate"] == pytest.approx(ref.params["inno"], rel=1e-10), (e, c_name)
                assert row["se"] == pytest.approx(ref.bse["inno"], rel=1e-8), (e, c_name, cov)
                assert row["k"] == ref.df_model + 1, "k counts the absorbed effects"


def test_fe_curve_driscoll_kraay_and_references(random_panel, curve):
    design = inference.fe_design(random_panel, "quality", ["inno", "gdp", "open"])
    distance = weights.distance_matrix(geo.load_cities())
    tab = inference.inference_table(design, "inno", distance, draws=99, conley_cutoffs=())
    row = curve[(curve["effects"] == "city and year") & (curve["controls"] == "two")].set_index(
        "se_type"
    )
    for method, kind in (("Driscoll-Kraay", "driscoll_kraay"), ("Cluster CR1", "cluster")):
        ref = tab.loc[tab["method"] == method].iloc[0]
        assert row.loc[kind, "se"] == pytest.approx(ref["se"], rel=1e-8), method
        assert row.loc[kind, "p"] == pytest.approx(ref["p"], rel=1e-8), f"{method}: same reference"
    assert row.loc["cluster", "df"] == 40 and row.loc["driscoll_kraay", "df"] == 9
    with pytest.raises(ValueError, match="unknown standard error"):
        speccurve.fe_curve({"r": random_panel}, "quality", "inno", {"n": []}, {"n": []}, ["hc3"])


def test_indicators_by_groups():
    c = pd.DataFrame(
        {
            "estimate": [1.0, 2.0, -1.0, 3.0],
            "p": [0.01, 0.2, 0.01, 0.001],
            "se_type": ["a", "a", "b", "b"],
        }
    )
    by = speccurve.indicators_by(c, ["se_type"], 2.0)
    assert by.loc[("all", "all"), "n"] == 4
    assert (
        by.loc[("se_type", "a"), "sig_same"] == 0.5
        and by.loc[("se_type", "b"), "sig_opposite"] == 0.5
    )
    with pytest.raises(ValueError, match="reference"):
        speccurve.indicators(c, 0.0)


def test_spec_universe_and_its_sentence(random_panel):
    cities = geo.load_cities()
    variants = sensitivity.weight_variants(
        cities, geo.seat_centroid_distances(cities), geo.load_polygons(), random_panel
    )[:2]
    u = sensitivity.spec_universe(random_panel, variants)
    ols = u[u["estimator"] == "OLS"]
    assert len(ols) == 3 * 4 * 11 * 4, "samples x effects x control sets x standard errors"
    assert len(u[u["estimator"] == "SAR"]) == 3 * 2, "samples x weights matrices"
    base = u
    for k, v in sensitivity.BASELINE.items():
        base = base[base[k] == v]
    ref = regress.fit_fe(random_panel, "quality", ["inno", *regress.CONTROLS], cov="hc1")
    assert len(base) == 1 and base["estimate"].iloc[0] == pytest.approx(ref.params["inno"])
    by = speccurve.indicators_by(u, sensitivity.SPEC_DIMS, 0.03)
    s = sensitivity.speccurve_sentence(by, 0.03)
    assert s.startswith(f"Of the {len(u)} specifications") and "matters most" in s, s
    assert "The largest estimates come with" in s, s


def test_inference_sentence_and_weights_verdict():
    tab = pd.DataFrame(
        {
            "method": ["Classical", "HC1", "Cluster CR1", "Wild bootstrap (Webb)"],
            "se": [0.01, 0.01, 0.02, 0.02],
        }
    )
    s = sensitivity.inference_sentence(tab, 1.6, "Table 4 (5)")
    assert "Cluster CR1, is 2.00 times" in s and "1 of the 2 alternatives (Cluster CR1)" in s, s
    assert "not evidence about the paper" in s
    s = sensitivity.inference_sentence(tab.assign(se=[0.01, 0.01, 0.012, 0.012]), 1.6, "T")
    assert "None of the alternatives reaches it" in s
    ind = pd.DataFrame(
        {"I1": [1.0, 0.5], "I2": [1.0, 2.0], "variation": [0.1, 1.5]}, index=["beta", "indirect"]
    )
    v = sensitivity.weights_verdict(ind)
    assert "barely moves" in v and "more than its standard error" in v and "twin" in v, v
