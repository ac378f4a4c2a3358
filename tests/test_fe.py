"""The fixed-effects core (yrd.econ.fe) against reference libraries, on public panels.

Two panels shipped with the installed packages (no network), used by no other test:

* ``linearmodels.datasets.jobtraining`` (Holzer et al. 1993, Michigan firms 1987-1989): with the
  missing values dropped it is **unbalanced**, which is where one-pass two-way demeaning fails;
* ``statsmodels.datasets.grunfeld`` (Grunfeld 1958, 11 US firms 1935-1954): a few firms make a
  few clusters, where the CR1 Wald F and the enumerated wild bootstrap have their edge cases.

The numbers are compared with linearmodels, statsmodels and explicit-dummy least squares computed
here on the same machine, at 1e-8 relative (closed-form least squares) or looser where the
reference iterates. pyfixest is not used: it pulls numba/llvmlite and a dozen other packages.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels import PanelOLS
from linearmodels.datasets import jobtraining
from statsmodels.datasets import grunfeld

from yrd.econ import fe, inference, regress

JOB_Y, JOB_X = "lscrap", ["hrsemp", "lsales", "lemploy"]


@pytest.fixture(scope="module")
def job():
    """jobtraining, complete cases of lscrap ~ hrsemp + lsales + lemploy: 135 rows, unbalanced."""
    d = jobtraining.load()[["fcode", "year", JOB_Y, *JOB_X]].dropna()
    d = d.sort_values(["fcode", "year"]).reset_index(drop=True)
    assert d.groupby("fcode").size().nunique() > 1, "the panel should be unbalanced"
    return d


@pytest.fixture(scope="module")
def grun():
    d = grunfeld.load_pandas().data
    d["year"] = d["year"].astype(int)
    return d.sort_values(["firm", "year"]).reset_index(drop=True)


def _dummies(d, *cols):
    """All-level dummies of the given columns (collinear with each other: used via lstsq)."""
    return pd.get_dummies(d[list(cols)].astype(str), dtype=float).to_numpy()


def _explicit(d, y, x, unit, time):
    """LSDV design with a constant, x and dummies (first level dropped) as statsmodels sees it."""
    D = pd.get_dummies(d[[unit, time]].astype(str), drop_first=True, dtype=float)
    X = pd.concat([pd.Series(1.0, index=d.index, name="const"), d[x].astype(float), D], axis=1)
    return X, d[y].astype(float)


# --------------------------------------------------------------------------------------------
# the within transformation
# --------------------------------------------------------------------------------------------


def test_within_is_exact_on_an_unbalanced_panel(job):
    a = job[[JOB_Y, *JOB_X]].to_numpy()
    D = _dummies(job, "fcode", "year")
    ref = a - D @ np.linalg.lstsq(D, a, rcond=None)[0]
    ab = fe.Absorber(job["fcode"], job["year"])
    got = ab.transform(a)
    scale = np.abs(a).max(axis=0)
    assert np.all(np.abs(got - ref).max(axis=0) <= 1e-10 * scale), "M_D a by explicit dummies"
    assert ab.rank == np.linalg.matrix_rank(D), "absorbed parameters = rank of the dummies"
    # the one-pass formula is not the projection here (the defect it had in yrd.econ.regress)
    v = job[JOB_Y]
    one_pass = (
        v
        - v.groupby(job["fcode"]).transform("mean")
        - v.groupby(job["year"]).transform("mean")
        + v.mean()
    ).to_numpy()
    assert np.abs(one_pass - ref[:, 0]).max() > 1e-3, "one-pass demeaning should be off here"
    # order of the factors does not matter; one factor is group demeaning
    assert np.allclose(fe.within(a, job["year"], job["fcode"]), got, rtol=0, atol=1e-10 * scale)
    by_firm = a - job.groupby("fcode")[[JOB_Y, *JOB_X]].transform("mean").to_numpy()
    assert np.allclose(fe.within(a, job["fcode"]), by_firm, rtol=0, atol=1e-12 * scale)


def test_within_agrees_with_pyhdfe(job):
    import pyhdfe

    a = job[[JOB_Y, *JOB_X]].to_numpy()
    alg = pyhdfe.create(job[["fcode", "year"]].to_numpy(), drop_singletons=False)
    ref = alg.residualize(a)  # iterative: agree to its tolerance
    got = fe.within(a, job["fcode"], job["year"])
    assert np.abs(got - ref).max() <= 1e-7 * np.abs(a).max(), "pyhdfe residualize"


def test_within_on_a_balanced_panel_is_one_pass_demeaning(grun):
    v = grun["invest"]
    one_pass = (
        v
        - v.groupby(grun["firm"]).transform("mean")
        - v.groupby(grun["year"]).transform("mean")
        + v.mean()
    ).to_numpy()
    got = fe.within(v.to_numpy(), grun["firm"], grun["year"])
    assert np.abs(got - one_pass).max() <= 1e-10 * v.abs().max()
    assert fe.Absorber(grun["firm"], grun["year"]).rank == 11 + 20 - 1


# --------------------------------------------------------------------------------------------
# (a) the within R-squared on an unbalanced panel
# --------------------------------------------------------------------------------------------


def test_within_r2_on_an_unbalanced_panel_matches_linearmodels(job):
    res = regress.fit_fe(job, JOB_Y, JOB_X, unit="fcode", time="year")
    p = job.set_index(["fcode", "year"])
    lm = PanelOLS(p[JOB_Y], p[JOB_X], entity_effects=True, time_effects=True).fit()
    # linearmodels' `rsquared` is the R2 of the two-way demeaned regression (its
    # `rsquared_within` is another number: the fitted slopes on entity-demeaned data only)
    assert res.r2_within == pytest.approx(lm.rsquared, rel=1e-8), "two-way within R2"
    np.testing.assert_allclose(res.params[JOB_X], lm.params[JOB_X], rtol=1e-8)
    # and by hand: 1 - SSR / |M_D y|^2 with M_D from explicit dummies
    D = _dummies(job, "fcode", "year")
    yv = job[JOB_Y].to_numpy()
    yw = yv - D @ np.linalg.lstsq(D, yv, rcond=None)[0]
    assert res.r2_within == pytest.approx(1 - res.ssr / (yw @ yw), rel=1e-10)
    assert abs(res.r2_within - 0.0262) > 0.005, "the one-pass value was 0.0262"


@pytest.mark.parametrize("cov", ["classical", "hc1", "cluster"])
def test_unbalanced_lsdv_matches_statsmodels(job, cov):
    res = regress.fit_fe(job, JOB_Y, JOB_X, cov=cov, unit="fcode", time="year")
    X, y = _explicit(job, JOB_Y, JOB_X, "fcode", "year")
    kw = {
        "classical": {},
        "hc1": {"cov_type": "HC1"},
        "cluster": {"cov_type": "cluster", "cov_kwds": {"groups": job["fcode"].to_numpy()}},
    }[cov]
    ref = sm.OLS(y, X).fit(**kw)
    np.testing.assert_allclose(res.params[JOB_X], ref.params[JOB_X], rtol=1e-8)
    np.testing.assert_allclose(res.bse[JOB_X], ref.bse[JOB_X], rtol=1e-8)
    assert res.r2 == pytest.approx(ref.rsquared, rel=1e-10)
    wald = ref.wald_test(np.eye(len(ref.params))[1 : 1 + len(JOB_X)], scalar=True, use_f=True)
    assert res.f_slopes == pytest.approx(float(wald.statistic), rel=1e-8), "F of the slopes"


def test_absorbed_design_with_k_counting_the_effects_equals_lsdv(job):
    """On the within design, the core's HC1/CR1 with k = slopes + rank(D) equal the LSDV ones."""
    a = fe.Absorber(job["fcode"], job["year"])
    Xw = a.transform(job[JOB_X].to_numpy())
    yw = a.transform(job[JOB_Y].to_numpy())
    fit = fe.ols(Xw, yw)
    k = len(JOB_X) + a.rank
    X, y = _explicit(job, JOB_Y, JOB_X, "fcode", "year")
    assert X.shape[1] == k, "rank(D) counts the constant and the dummies"
    g = job["fcode"].to_numpy()
    for mine, kw in (
        (fe.hc_cov(Xw, fit.resid, k=k), {"cov_type": "HC1"}),
        (fe.cluster_cov(Xw, fit.resid, g, k=k), {"cov_type": "cluster", "cov_kwds": {"groups": g}}),
        (fe.classical_cov(Xw, fit.resid, k=k), {}),
    ):
        ref = sm.OLS(y, X).fit(**kw)
        np.testing.assert_allclose(np.sqrt(np.diag(mine)), ref.bse[JOB_X], rtol=1e-8)


# --------------------------------------------------------------------------------------------
# (b) the Wald F with few clusters
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_firms(grun):
    """5 firms x 10 years: 5 clusters; value, capital and 9 year dummies are 11 regressors."""
    firms = grun["firm"].unique()[:5]
    return grun[grun["firm"].isin(firms) & (grun["year"] <= 1944)].reset_index(drop=True)


def test_cluster_wald_f_with_fewer_clusters_than_regressors_is_missing(five_firms):
    x = ["value", "capital"]
    res = regress.fit_fe(
        five_firms, "invest", x, city=False, year=True, cov="cluster", unit="firm", time="year"
    )
    assert res.df_model == 11
    assert res.f_wald_rank <= 4, f"CR1 with 5 clusters has rank <= 4, got {res.f_wald_rank}"
    assert np.isnan(res.f_wald_all), f"Stata prints a missing F, got {res.f_wald_all}"
    # numpy's rank of the full covariance counts noise as rank here (the defect): the bound matters
    X, y = _explicit(five_firms.assign(none=0), "invest", x, "firm", "year")
    X = X.drop(columns=[c for c in X.columns if c.startswith("firm_")])
    ref = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": five_firms["firm"]})
    V = ref.cov_params().to_numpy()[1:, 1:]
    assert np.linalg.matrix_rank(V) > 4, "the noisy rank (this panel shows the defect)"
    # the slopes alone (2 <= G - 1 restrictions) have a proper F: statsmodels' wald_test
    wald = ref.wald_test(np.eye(len(ref.params))[1:3], scalar=True, use_f=True)
    assert np.isfinite(res.f_slopes)
    assert res.f_slopes == pytest.approx(float(wald.statistic), rel=1e-8)


def test_wald_f_rules():
    V = np.diag([1.0, 4.0])
    F, r = fe.wald_f([1.0, 2.0], V)
    assert (F, r) == (pytest.approx((1 + 1) / 2, rel=1e-12), 2), "b'V^-1 b / q by hand"
    F, r = fe.wald_f([1.0, 2.0], V, max_rank=1)
    assert np.isnan(F) and r == 1, "more restrictions than rank: missing"
    F, r = fe.wald_f([1.0, 2.0], np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert np.isnan(F) and r == 1, "singular covariance: missing"
    F, r = fe.wald_f([], np.zeros((0, 0)))
    assert np.isnan(F) and r == 0
    # scale invariance: the rank does not depend on the units of the regressors
    s = np.diag([1e-6, 1e6])
    F2, r2 = fe.wald_f(s @ [1.0, 2.0], s @ V @ s)
    assert r2 == 2 and F2 == pytest.approx(1.0, rel=1e-9)


def test_classical_wald_f_of_all_regressors_is_the_regression_f(job):
    res = regress.fit_fe(job, JOB_Y, JOB_X, unit="fcode", time="year")
    X, y = _explicit(job, JOB_Y, JOB_X, "fcode", "year")
    ref = sm.OLS(y, X).fit()
    assert res.f_wald_all == pytest.approx(ref.fvalue, rel=1e-8)
    assert res.f_wald_rank == res.df_model


# --------------------------------------------------------------------------------------------
# (c) the enumerated wild cluster bootstrap: exact p-values
# --------------------------------------------------------------------------------------------


def _hand_wcr(d, term, null, x=("value", "capital")):
    """WCR by brute force: every Rademacher sign vector, the full LSDV regression re-run.

    Returns |t|, the |t*| of the draws that are not constant, and the exact p-value (the two
    constant draws reproduce |t| and are ties, never counted).
    """
    x = list(x)
    X, y = _explicit(d, "invest", x, "firm", "year")
    X, y = X.to_numpy(), y.to_numpy()
    j = 1 + x.index(term)
    codes = pd.factorize(d["firm"])[0]
    G, (n, k) = codes.max() + 1, X.shape
    Xo = np.delete(X, j, axis=1)
    yr = y - null * X[:, j]
    fit_r = Xo @ np.linalg.lstsq(Xo, yr, rcond=None)[0]
    ur = yr - fit_r

    def t_cr1(yv):
        b = np.linalg.lstsq(X, yv, rcond=None)[0]
        e = yv - X @ b
        A = np.linalg.inv(X.T @ X)
        S = np.zeros((G, k))
        np.add.at(S, codes, X * e[:, None])
        V = G / (G - 1) * (n - 1) / (n - k) * A @ S.T @ S @ A
        return (b[j] - null) / np.sqrt(V[j, j])

    t0 = abs(t_cr1(y))
    ts = []
    for signs in itertools.product((-1.0, 1.0), repeat=G):
        if len(set(signs)) > 1:
            ts.append(abs(t_cr1(fit_r + null * X[:, j] + np.array(signs)[codes] * ur)))
    ts = np.array(ts)
    return t0, ts, float(np.sum(ts > t0)) / 2**G


@pytest.fixture(scope="module")
def six_firms(grun):
    return grun[grun["firm"].isin(grun["firm"].unique()[:6])].reset_index(drop=True)


@pytest.mark.parametrize(("term", "null"), [("capital", 0.0), ("value", 0.1), ("capital", 0.3)])
def test_enumerated_wild_bootstrap_p_is_exact(six_firms, term, null):
    d = inference.fe_design(six_firms, "invest", ["value", "capital"], unit="firm", time="year")
    res = inference.wild_cluster_bootstrap(
        d.X, d.y, d.unit, term, names=d.names, null=null, weights="rademacher", k=d.k
    )
    assert res.draws == 2**6, "full enumeration"
    t0, ts, p_hand = _hand_wcr(six_firms, term, null)
    assert np.min(np.abs(ts - t0)) > 1e-6, "no accidental near-tie: the count is well defined"
    assert res.tstat == pytest.approx(np.sign(res.tstat) * t0, rel=1e-8)
    assert abs(res.pvalue - p_hand) < 0.5 / 2**6, (
        f"p {res.pvalue} vs exact {p_hand} ({res.pvalue * 64:g} vs {p_hand * 64:g} of 64 draws)"
    )


def test_enumerated_wild_bootstrap_interval_bound_is_exact(six_firms):
    d = inference.fe_design(six_firms, "invest", ["value", "capital"], unit="firm", time="year")
    res = inference.wild_cluster_bootstrap(
        d.X, d.y, d.unit, "capital", names=d.names, weights="rademacher", k=d.k
    )
    hi = res.conf_int[1]
    width = hi - res.conf_int[0]
    # by brute force: p > 5 % just inside the upper bound, p <= 5 % just outside
    inside = _hand_wcr(six_firms, "capital", hi - 1e-3 * width)[2]
    outside = _hand_wcr(six_firms, "capital", hi + 1e-3 * width)[2]
    assert inside > 0.05 >= outside, f"bound {hi}: p inside {inside}, outside {outside}"
