"""Fixed-effects regressions: LSDV quantities, covariance types, and OLS from moments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels.panel import PanelOLS

from yrd.econ import regress
from yrd.econ.regress import RegressionInputError


@pytest.fixture(scope="module")
def panel(random_panel):
    return random_panel


def test_two_way_slopes_and_se_match_linearmodels(panel):
    ours = regress.fit_column(panel, "5")
    x = list(regress.COLUMNS["5"]["x"])
    lm = PanelOLS(
        panel.set_index(["city_code", "year"])["quality"],
        panel.set_index(["city_code", "year"])[x],
        entity_effects=True,
        time_effects=True,
    ).fit(cov_type="unadjusted")
    np.testing.assert_allclose(ours.params[x], lm.params[x], rtol=1e-10, err_msg="slopes")
    np.testing.assert_allclose(ours.bse[x], lm.std_errors[x], rtol=1e-8, err_msg="classical SEs")
    assert ours.r2_within == pytest.approx(lm.rsquared, rel=1e-10), "two-way within R2"
    assert ours.r2 > ours.r2_within, "LSDV R2 counts the effects as explained"


def test_lsdv_r2_and_constant_match_explicit_dummies(panel):
    ours = regress.fit_column(panel, "5")
    x = list(regress.COLUMNS["5"]["x"])
    city = pd.get_dummies(panel["city_code"], dtype=float).iloc[:, 1:]
    year = pd.get_dummies(panel["year"], dtype=float).iloc[:, 1:]
    X = np.column_stack([np.ones(len(panel)), panel[x], city, year])
    b, *_ = np.linalg.lstsq(X, panel["quality"].to_numpy(), rcond=None)
    e = panel["quality"].to_numpy() - X @ b
    yc = panel["quality"] - panel["quality"].mean()
    r2 = 1 - e @ e / (yc @ yc)
    n, k = X.shape
    assert ours.params["const"] == pytest.approx(b[0], rel=1e-10), "base-category constant"
    assert ours.r2 == pytest.approx(r2, rel=1e-12)
    assert ours.r2_a == pytest.approx(1 - (1 - r2) * (n - 1) / (n - k), rel=1e-12)
    assert ours.df_resid == n - k == 410 - 1 - 10 - 40 - 9


def test_f_of_slopes_is_the_areg_wald_test(panel):
    res = regress.fit_column(panel, "5")
    x = list(regress.COLUMNS["5"]["x"])
    # the classical Wald F of beta = 0 equals the F from restricted vs unrestricted SSR
    restricted = regress.fit_fe(panel.assign(zero=0.0), "quality", [], city=True, year=True)
    f = ((restricted.ssr - res.ssr) / len(x)) / (res.ssr / res.df_resid)
    assert res.f_slopes == pytest.approx(f, rel=1e-8), "areg F = restricted-SSR F"


def _pooled_pieces(panel):
    """Column (4) by hand: regressor names, X with a constant, residuals and (X'X)^-1."""
    x = list(regress.COLUMNS["4"]["x"])
    X = sm.add_constant(panel[x]).to_numpy()
    yv = panel["quality"].to_numpy()
    e = yv - X @ np.linalg.lstsq(X, yv, rcond=None)[0]
    return x, X, e, np.linalg.inv(X.T @ X)


def test_hc1_by_hand(panel):
    res = regress.fit_column(panel, "4", cov="hc1")
    x, X, e, bread = _pooled_pieces(panel)
    n, k = X.shape
    V = n / (n - k) * bread @ (X.T * e**2) @ X @ bread
    np.testing.assert_allclose(res.bse[["const", *x]], np.sqrt(np.diag(V)), rtol=1e-10)


def test_cluster_uses_stata_small_sample_factor(panel):
    res = regress.fit_column(panel, "4", cov="cluster")
    x, X, e, bread = _pooled_pieces(panel)
    n, k = X.shape
    meat = sum(
        np.outer(X[g].T @ e[g], X[g].T @ e[g]) for g in panel.groupby("city_code").indices.values()
    )
    G = panel["city_code"].nunique()
    V = G / (G - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    np.testing.assert_allclose(res.bse[["const", *x]], np.sqrt(np.diag(V)), rtol=1e-10)


def test_pooled_column_from_moments_equals_ols(panel):
    x = list(regress.COLUMNS["4"]["x"])
    cols = ["quality", *x]
    got = regress.ols_from_moments(
        panel[cols].mean(), panel[cols].std(), panel[cols].corr(), "quality", x, len(panel)
    )
    res = regress.fit_column(panel, "4")
    np.testing.assert_allclose(got["params"][res.params.index], res.params, rtol=1e-9)
    np.testing.assert_allclose(got["bse"][res.params.index], res.bse, rtol=1e-9)
    assert got["r2"] == pytest.approx(res.r2, rel=1e-10)
    assert got["r2_a"] == pytest.approx(res.r2_a, rel=1e-10)


def test_column_specs_follow_the_paper():
    flags = {c: (s["city"], s["year"]) for c, s in regress.COLUMNS.items()}
    assert flags == {
        "1": (True, True),
        "2": (False, True),
        "3": (True, False),
        "4": (False, False),
        "5": (True, True),
    }
    assert regress.COLUMNS["1"]["x"] == ("inno",)


def test_stars_rule():
    levels = {"***": 0.01, "**": 0.05, "*": 0.1}
    assert [regress.stars(p, levels) for p in (0.001, 0.01, 0.03, 0.07, 0.2)] == [
        "***",
        "**",
        "**",
        "*",
        "",
    ]


def test_result_cells_keys(panel):
    res = regress.fit_column(panel, "1")
    cells = regress.result_cells(res, "1", {"***": 0.01, "**": 0.05, "*": 0.1})
    assert set(cells["row"]) == {"inno", "const", "nobs", "r2", "r2_a", "F", "year_fe", "id_fe"}
    assert cells.loc[cells["row"] == "nobs", "value"].item() == 410


def test_bad_inputs(panel):
    with pytest.raises(RegressionInputError, match=r"columns \['nope'\] are not in the data"):
        regress.fit_fe(panel, "quality", ["nope"])
    with pytest.raises(RegressionInputError, match="missing values"):
        regress.fit_fe(
            panel.assign(inno=np.where(panel.index == 3, np.nan, panel["inno"])),
            "quality",
            ["inno"],
        )
    with pytest.raises(RegressionInputError, match="duplicate"):
        regress.fit_fe(pd.concat([panel, panel.head(1)]), "quality", ["inno"])
    with pytest.raises(RegressionInputError, match="collinear"):
        regress.fit_fe(panel.assign(twice=2 * panel["inno"]), "quality", ["inno", "twice"])
    with pytest.raises(RegressionInputError, match="cov must be one of"):
        regress.fit_column(panel, "5", cov="hc3")


def test_wald_f_of_all_regressors(panel):
    classical = regress.fit_column(panel, "5")
    assert classical.f_wald_all == pytest.approx(classical.f_all, rel=1e-8), (
        "with the classical covariance the Wald F of all regressors is the usual regression F"
    )
    assert classical.f_wald_rank == classical.df_model
    clustered = regress.fit_column(panel, "5", cov="cluster")
    assert clustered.f_wald_rank <= 40, "41 clusters give a covariance of rank at most 40"


@pytest.mark.parametrize("cov", ["classical", "hc1", "cluster"])
@pytest.mark.parametrize("column", list(regress.COLUMNS))
def test_matches_statsmodels(panel, column, cov):
    """fit_fe gives statsmodels' OLS numbers on the same explicit-dummy design."""
    spec = regress.COLUMNS[column]
    res = regress.fit_column(panel, column, cov=cov)
    data = panel.sort_values(["city_code", "year"]).reset_index(drop=True)
    X = regress._design(data, list(spec["x"]), spec["city"], spec["year"], "city_code", "year")
    model = sm.OLS(data["quality"], X)
    kw = {
        "classical": {},
        "hc1": {"cov_type": "HC1"},
        "cluster": {"cov_type": "cluster", "cov_kwds": {"groups": data["city_code"].to_numpy()}},
    }[cov]
    ref = model.fit(**kw)
    names = list(res.params.index)
    np.testing.assert_allclose(res.params, ref.params[names], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(res.bse, ref.bse[names], rtol=1e-8)
    np.testing.assert_allclose(res.dummies, ref.params[res.dummies.index], rtol=1e-8, atol=1e-10)
    assert res.r2 == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.r2_a == pytest.approx(ref.rsquared_adj, rel=1e-12)
    assert res.ssr == pytest.approx(ref.ssr, rel=1e-12)
    assert (res.nobs, res.df_model, res.df_resid) == (ref.nobs, ref.df_model, ref.df_resid)
    if cov == "classical":  # statsmodels' fvalue is the Wald F under a robust covariance
        assert res.f_all == pytest.approx(ref.fvalue, rel=1e-10)
    elif (
        cov == "cluster" and res.df_model > 40
    ):  # CR1, 41 clusters has rank <= 40: Stata prints a missing F
        assert np.isnan(res.f_wald_all) and res.f_wald_rank <= 40, (
            f"{res.df_model} restrictions, CR1 rank {res.f_wald_rank}: the F should be missing"
        )
    else:
        wald = ref.wald_test(np.eye(len(ref.params))[1:], scalar=True, use_f=True)
        assert res.f_wald_all == pytest.approx(float(wald.statistic), rel=1e-6)
