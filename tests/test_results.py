"""Tables 2-6 recomputed from a panel: keys line up with the published cells, conventions hold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from yrd.data import published
from yrd.data.published import VARIABLES
from yrd.paper import results

KEY = ["column", "row", "statistic"]


@pytest.fixture(scope="module")
def pub():
    return published.load()


@pytest.mark.parametrize("number", [2, 3, 4, 5, 6])
def test_every_published_cell_is_reproduced(pub, random_panel, number):
    cmp = results.reproduce(pub, number, random_panel)
    assert len(cmp) == len(pub.table(number)), f"Table {number}: one comparison row per cell"
    missing = cmp[cmp["status"] == "Not reproduced"]
    assert missing.empty, f"Table {number}: no reproduced value for {missing[KEY].values.tolist()}"


def test_table2_conventions(random_panel):
    t2 = results.table2(random_panel).set_index(["row", "statistic"])["value"]
    q = random_panel["quality"]
    assert t2[("quality", "sd")] == pytest.approx(q.std(ddof=1)), "SD with n - 1, as Stata"
    assert t2[("quality", "median")] == pytest.approx(np.median(q)), "n = 410: mean of 205th, 206th"
    assert t2[("inno", "obs")] == 410


def test_correlation_pvalue_matches_scipy(random_panel):
    x, y = random_panel["inno"], random_panel["quality"]
    r, p = stats.pearsonr(x, y)
    assert results.correlation_pvalue(r, len(x)) == pytest.approx(p, rel=1e-10)


def test_table3_stars_at_five_percent(random_panel):
    t3 = results.table3(random_panel)
    off = t3[t3["row"] != t3["column"]]
    n = len(random_panel)
    for r in off.itertuples():
        p = results.correlation_pvalue(r.value, n)
        assert (r.stars == "*") == (p < 0.05), f"{r.row}-{r.column}: r={r.value:.4f} p={p:.4f}"
    assert len(t3) == 66


def test_table5_runs_on_winsorized_data(random_panel):
    w = results.winsorized(random_panel)
    for v in VARIABLES:
        s = np.sort(random_panel[v].to_numpy())
        # n = 410, cuts 1/99: the bounds are the 5th smallest and 5th largest values
        assert w[v].min() == pytest.approx(s[4]) and w[v].max() == pytest.approx(s[-5]), v
    assert not w.equals(random_panel), "winsorizing changed nothing"
    cells = results.table5(random_panel, "classical", {"***": 0.01, "**": 0.05, "*": 0.1})
    assert set(cells["column"]) == {"1"}


def test_t_statistics_has_three_types(random_panel):
    t = results.t_statistics(random_panel)
    assert list(t.columns) == ["classical", "hc1", "cluster"]
    assert t.loc[("5", "inno")].notna().all()
    assert not np.allclose(t["classical"], t["cluster"]), "cluster SEs differ from classical"


def test_vif_is_one_over_one_minus_r2(random_panel):
    v = results.vif(random_panel)
    x = list(v.index)
    others = [c for c in x if c != "gdp"]
    r2 = sm.OLS(random_panel["gdp"], sm.add_constant(random_panel[others])).fit().rsquared
    assert v["gdp"] == pytest.approx(1 / (1 - r2), rel=1e-8)
    within = results.vif(random_panel, within="twoways")
    assert (within > 0.99).all()
    with pytest.raises(ValueError, match="within must be"):
        results.vif(random_panel, within="decade")


def test_regression_table_accepts_a_cov_per_column(random_panel):
    levels = {"***": 0.01, "**": 0.05, "*": 0.1}
    one = results.regression_table(random_panel, "quality", "cluster", levels)
    per = results.regression_table(
        random_panel, "quality", dict.fromkeys(["1", "2", "3", "4", "5"], "cluster"), levels
    )
    pd.testing.assert_frame_equal(one, per)
