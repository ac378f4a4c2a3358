"""Tests of yrd.paper.public_data on the committed public panel and on small made-up panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrd.data.public import load_public
from yrd.data.published import load
from yrd.paper import public_data as pdm


@pytest.fixture(scope="module")
def panel():
    return load_public()


@pytest.fixture(scope="module")
def pub():
    return load()


def test_table2_comparison(panel, pub):
    t = pdm.table2_comparison(panel, pub).set_index(["variable", "statistic"])
    for var in ("gdp", "wage", "stru"):
        for stat in ("min", "median", "max"):
            assert t.loc[(var, stat), "matched"], (var, stat)
    for stat in ("mean", "sd"):
        assert t.loc[("wage", stat), "matched"]
        assert not t.loc[("gdp", stat), "matched"] and not t.loc[("stru", stat), "matched"]
    assert t.loc[("wage", "obs"), "public"] == 408
    assert np.allclose(t["difference"], t["public"] - t["published"])


def test_correlations_within_measured_tolerance(panel, pub):
    c = pdm.correlation_comparison(panel, pub)
    assert (c["difference"].abs() < 0.004).all()
    assert list(c["n"]) == [408, 410, 408]


def test_real_gdp_chains_growth_and_stops_at_a_gap():
    p = pd.DataFrame(
        {
            "city_code": [1, 1, 1, 2, 2, 2],
            "year": [2011, 2012, 2013] * 2,
            "gdp_nominal": [100.0, 120.0, 130.0, 50.0, 60.0, 70.0],
            "gdp_real_growth": [9.0, 10.0, 5.0, 9.0, np.nan, 5.0],
        }
    )
    r = pdm.real_gdp(p)
    assert r.tolist()[:3] == pytest.approx([100.0, 110.0, 115.5])
    assert r.iloc[3] == 50.0 and r.iloc[4:].isna().all()
    with pytest.raises(ValueError, match="base"):
        pdm.real_gdp(p, base=2012)


def test_definitions_single_out_nominal_logs_and_value_added(panel, pub):
    d = pdm.definitions(panel, pub).set_index("definition")
    best = d.groupby("variable")["matched"].idxmax()
    assert best["gdp"] == "ln nominal GDP (10,000 yuan)"
    assert best["wage"] == "ln average wage (yuan)"
    assert best["stru"] == "tertiary / secondary value added"
    assert d.loc["ln real GDP, 2011 prices (10,000 yuan)", "matched"] < 3


def test_gap_closers_find_a_planted_shift(pub):
    rng = np.random.default_rng(0)
    x = rng.normal(17.1, 0.95, 410)
    p = pd.DataFrame({"city_code": np.repeat(np.arange(41), 10), "year": np.tile(range(10), 41)})
    # a panel whose gdp row prints exactly as Table 2 is hard to plant; check the mechanics instead
    p["gdp"] = x
    out = pdm.gap_closers(p, pub, "gdp")
    assert list(out.columns) == ["kind", "city_code", "year", "shift", "value"]
    loc = pdm.gap_location(p, pub, "gdp")
    assert loc["total_shift"] == pytest.approx((pub.value(2, "gdp", "", "mean") - x.mean()) * 410)


def test_gap_closers_on_the_public_panel(panel, pub):
    g = pdm.gap_closers(panel, pub, "gdp")
    assert (g["kind"] == "city (every year)").sum() == 1
    assert pdm.gap_closers(panel, pub, "stru").empty
