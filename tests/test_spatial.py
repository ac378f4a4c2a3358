"""Spatial panel estimators (yrd.econ.spatial) pinned to R splm 1.6-5 on the Munnell Produc panel.

Reference numbers: ``data/reference/splm/`` (see its README.md for provenance and the R model).
splm calls the spatial-lag coefficient ``lambda`` and the spatial-error one ``rho``; yrd uses
``rho`` (SAR/SDM) and ``lambda`` (SEM), so the names are swapped when comparing.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yrd.econ.spatial import (
    SpatialEstimationError,
    SpatialInputError,
    fit_panel,
    lm_tests,
    sdm_tests,
)
from yrd.paper.validation import LM_KEYS, LM_NAMES, model_options, splm_loglik_full

REF_DIR = Path(__file__).resolve().parents[1] / "data" / "reference" / "splm"
REF = json.loads((REF_DIR / "splm_produc_reference.json").read_text())
X = ["log(pcap)", "log(pc)", "log(emp)", "unemp"]
Y = "log(gsp)"
TOL = 1e-6
NT = REF["meta"]["N"] * REF["meta"]["T"]


@pytest.fixture(scope="module")
def produc() -> pd.DataFrame:
    df = pd.read_csv(REF_DIR / "produc.csv")
    for c in ("gsp", "pcap", "pc", "emp"):
        df[f"log({c})"] = np.log(df[c])
    return df


@pytest.fixture(scope="module")
def usaww(produc) -> np.ndarray:
    w = pd.read_csv(REF_DIR / "usaww.csv", index_col=0)
    assert list(w.index) == sorted(produc["state"].unique()), (
        "usaww rows are not in sorted state order"
    )
    assert list(w.columns) == list(w.index)
    return w.to_numpy()


@pytest.fixture(scope="module")
def cigar() -> tuple[pd.DataFrame, np.ndarray]:
    df = pd.read_csv(REF_DIR / "cigar.csv")
    w = pd.read_csv(REF_DIR / "usa46.csv").to_numpy(dtype=float)
    return df, w / w.sum(axis=1, keepdims=True)


def _fit(produc, usaww, **kw):
    return fit_panel(produc, Y, X, usaww, "state", "year", **kw)


def _close(key: str, what: str, ours: float, ref: float, tol: float = TOL) -> None:
    assert abs(ours - ref) <= tol, (
        f"{key} {what}: yrd {ours!r} vs splm {ref!r} (|diff| {abs(ours - ref):.3g} > {tol})"
    )


# --------------------------------------------------------------------------------------------
# SAR / SEM against splm
# --------------------------------------------------------------------------------------------


def _splm_loglik_full(key: str, loglik: float) -> float | None:
    return splm_loglik_full(key, loglik, REF["meta"]["N"], REF["meta"]["T"])


_options = model_options


@pytest.mark.parametrize("key", list(REF["models"]))
def test_sar_sem_match_splm(produc, usaww, key):
    if key == "sar_fe_twoways_LeeYu":
        pytest.skip(
            "splm's LeeYu=TRUE two-way model mis-scales sigma2 (reference README); yrd's Lee-Yu "
            "two-way estimator is checked against the explicit transformation instead"
        )
    ref = REF["models"][key]
    opts = _options(key)
    res = _fit(produc, usaww, **opts)
    # splm: "lambda" is the lag coefficient, "rho" the error coefficient
    rename = {"lambda": "rho"} if opts["model"] == "sar" else {"rho": "lambda"}
    for name, value in ref["coef"].items():
        _close(key, f"coef {name}", res.params[rename.get(name, name)], value)
    for name, value in ref["se"].items():
        _close(key, f"se {name}", res.bse[rename.get(name, name)], value)
    for name, value in ref["z"].items():
        _close(key, f"z {name}", res.tvalues[rename.get(name, name)], value, tol=1e-4)
    _close(key, "sigma2", res.sigma2, ref["sigma2"])
    _close(key, "loglik", res.loglik, _splm_loglik_full(key, ref["logLik"]))
    assert res.nobs == NT and res.n_units == 48 and res.n_periods == 17, f"{key}: dimensions"


def test_elhorst_lag_convention_reproduces_xsmle_rho(produc, usaww):
    res = _fit(produc, usaww, model="sar", effects="twoways", lag="elhorst")
    assert round(res.params["rho"], 5) == 0.19691, (
        f"Elhorst/xsmle rho: yrd {res.params['rho']!r} vs README 0.19691"
    )
    splm = _fit(produc, usaww, model="sar", effects="twoways", lag="splm")
    assert abs(splm.params["rho"] - res.params["rho"]) > 1e-4, (
        "conventions should differ with time effects"
    )


def test_lag_conventions_coincide_with_individual_effects(produc, usaww):
    a = _fit(produc, usaww, model="sar", effects="individual", lag="splm")
    b = _fit(produc, usaww, model="sar", effects="individual", lag="elhorst")
    assert np.allclose(a.params, b.params, atol=1e-9), f"{a.params} vs {b.params}"


def test_spreg_ml_lag_fe_on_year_demeaned_data_agrees(produc, usaww):
    """Cross-check with PySAL: spreg has individual effects only, so sweep year means first."""
    import libpysal
    import spreg

    ours = _fit(produc, usaww, model="sar", effects="twoways", lag="splm")
    df = produc.sort_values(["year", "state"])
    cols = [Y, *X]
    demeaned = df[cols] - df.groupby("year")[cols].transform("mean")
    w = libpysal.weights.full2W(usaww)
    w.transform = "r"
    sp = spreg.Panel_FE_Lag(demeaned[[Y]].to_numpy(), demeaned[X].to_numpy(), w)
    got = dict(zip([*X, "rho"], np.ravel(sp.betas), strict=True))
    for name, value in got.items():
        assert abs(ours.params[name] - value) < 1e-5, (
            f"spreg {name}: {value!r} vs yrd {ours.params[name]!r}"
        )
    assert abs(ours.sigma2 - float(np.ravel(sp.sig2)[0])) < 1e-10, (
        f"spreg sig2 {sp.sig2} vs yrd {ours.sigma2}"
    )
    se = dict(zip([*X, "rho"], np.sqrt(np.diag(sp.vm)), strict=True))
    for name, value in se.items():
        assert abs(ours.bse[name] - value) < 1e-8, (
            f"spreg se {name}: {value!r} vs yrd {ours.bse[name]!r}"
        )
    # spreg's Panel_FE_Lag.logll is on another scale (it is not splm's logLik), so it is not compared


def test_lee_yu_twoways_is_the_transformation_approach(produc, usaww):
    """Lee-Yu (2010): orthonormal deviations F_T, F_N, then plain ML on (N-1)(T-1) observations."""
    from scipy import linalg, optimize

    res = _fit(produc, usaww, model="sar", effects="twoways", lee_yu=True)
    df = produc.sort_values(["year", "state"])
    n, t = 48, 17
    y = df[Y].to_numpy().reshape(t, n)
    x = df[X].to_numpy().reshape(t, n, len(X))

    def f(m):  # orthonormal basis orthogonal to the ones vector, m x (m-1)
        return linalg.null_space(np.ones((1, m)))

    fn, ft = f(n), f(t)
    ws = fn.T @ usaww @ fn
    wy = np.einsum("ij,tj->ti", usaww, y)
    ys = (ft.T @ y @ fn).ravel()
    wys = (ft.T @ wy @ fn).ravel()
    xs = np.einsum("ts,tnk,nm->smk", ft, x, fn).reshape(-1, len(X))
    ev = linalg.eigvals(ws)

    def negll(r):
        e = ys - r * wys
        e = e - xs @ linalg.lstsq(xs, e)[0]
        m = e.size
        s2 = e @ e / m
        return -(
            -m / 2 * (math.log(2 * math.pi * s2) + 1) + (t - 1) * np.sum(np.log(np.abs(1 - r * ev)))
        )

    opt = optimize.minimize_scalar(
        negll, bounds=(-0.9, 0.9), method="bounded", options={"xatol": 1e-10}
    )
    assert abs(res.params["rho"] - opt.x) < 1e-6, (
        f"Lee-Yu rho: yrd {res.params['rho']!r} vs transformed {opt.x!r}"
    )
    assert abs(res.loglik + opt.fun) < 1e-6, (
        f"Lee-Yu loglik: yrd {res.loglik!r} vs transformed {-opt.fun!r}"
    )


def test_lee_yu_individual_rescales_sigma2_only(produc, usaww):
    a = _fit(produc, usaww, model="sem", effects="individual")
    b = _fit(produc, usaww, model="sem", effects="individual", lee_yu=True)
    assert np.allclose(a.params, b.params, atol=1e-8)
    # two ML fits agree to the optimiser's tolerance (3e-9 apart under another BLAS kernel);
    # the factor itself is 6% from 1
    assert b.sigma2 == pytest.approx(a.sigma2 * 17 / 16, rel=1e-6)


# --------------------------------------------------------------------------------------------
# impacts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(REF["impacts"]))
def test_impact_points_match_splm(produc, usaww, key):
    ref = REF["impacts"][key]
    res = _fit(produc, usaww, model="sar", effects=key.split("_")[2], lag="splm")
    imp = res.impacts(method="delta")
    assert list(imp.index) == ref["names"]
    for label in ("direct", "indirect", "total"):
        for name, value in zip(ref["names"], ref[label], strict=True):
            _close(key, f"{label} impact {name}", imp.loc[name, label], value)


@pytest.mark.parametrize("key", list(REF["impacts"]))
def test_simulated_impact_ses_match_splm_with_its_covariance(produc, usaww, key):
    """splm zeroes the rho-beta covariances; with the same matrix the Monte Carlo SEs agree
    up to simulation noise (1000 draws: a few per cent)."""
    ref = REF["impacts"][key]
    res = _fit(produc, usaww, model="sar", effects=key.split("_")[2], lag="splm")
    imp = res.impacts(draws=1000, seed=12345, covariance="splm")
    for label in ("direct", "indirect", "total"):
        for name, value in ref[f"se_{label}"].items():
            ours = imp.loc[name, f"se_{label}"]
            assert abs(ours / value - 1) < 0.1, (
                f"{key} se_{label} {name}: yrd {ours!r} vs splm {value!r}"
            )


def test_simulation_impacts_deterministic_and_close_to_delta(produc, usaww):
    res = _fit(produc, usaww, model="sar", effects="twoways", lag="splm")
    a = res.impacts(draws=2000, seed=7)
    b = res.impacts(draws=2000, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = res.impacts(draws=2000, seed=8)
    assert not a.equals(c), "a different seed should give different SEs"
    d = res.impacts(method="delta")
    pd.testing.assert_frame_equal(
        a[["direct", "indirect", "total"]], d[["direct", "indirect", "total"]]
    )
    for label in ("se_direct", "se_indirect", "se_total"):
        ratio = a[label] / d[label]
        assert ratio.between(0.9, 1.1).all(), (
            f"{label}: simulation {a[label].tolist()} vs delta {d[label].tolist()}"
        )


def test_impacts_equal_dense_formula_for_sdm_and_non_standardised_w(cigar):
    """Closed-form impacts against mean diag / mean row sum of (I - rho W)^-1 (beta I + theta W)."""
    df, w = cigar
    binary = pd.read_csv(REF_DIR / "usa46.csv").to_numpy(dtype=float) / 4.0
    for weights in (w, binary):
        res = fit_panel(
            df, "logc", ["logp", "logy"], weights, "state", "year", model="sdm", effects="twoways"
        )
        imp = res.impacts(method="delta")
        rho = res.params["rho"]
        a = np.linalg.inv(np.eye(46) - rho * weights)
        for name in ("logp", "logy"):
            s = a @ (res.params[name] * np.eye(46) + res.params[f"W_{name}"] * weights)
            assert imp.loc[name, "direct"] == pytest.approx(np.trace(s) / 46, abs=1e-10), name
            assert imp.loc[name, "total"] == pytest.approx(s.sum() / 46, abs=1e-10), name


def test_sem_has_no_impacts(produc, usaww):
    res = _fit(produc, usaww, model="sem", effects="individual")
    with pytest.raises(SpatialInputError, match="impacts are defined for the SAR and SDM"):
        res.impacts()


# --------------------------------------------------------------------------------------------
# LM tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(REF["lm_tests"]))
def test_lm_tests_match_slmtest(produc, usaww, key):
    got = lm_tests(produc, Y, X, usaww, "state", "year", effects=LM_KEYS[key])
    for splm_name, ours in LM_NAMES.items():
        ref = REF["lm_tests"][key][splm_name]
        _close(key, f"{ours} statistic", got.loc[ours, "statistic"], ref["statistic"])
        # p-values go down to 1e-50: compare them relatively
        p = got.loc[ours, "pvalue"]
        assert abs(p / ref["p.value"] - 1) < 1e-6, (
            f"{key} {ours} p-value: yrd {p!r} vs splm {ref['p.value']!r}"
        )


# --------------------------------------------------------------------------------------------
# SDM
# --------------------------------------------------------------------------------------------


def test_sdm_is_sar_with_lagged_regressors(produc, usaww):
    """Elhorst convention: the SDM equals a SAR with W x (raw) added as regressors."""
    df = produc.sort_values(["year", "state"]).copy()
    for name in X:
        v = df[name].to_numpy().reshape(17, 48)
        df[f"W_{name}"] = (v @ usaww.T).ravel()
    sar = fit_panel(
        df, Y, [*X, *[f"W_{n}" for n in X]], usaww, "state", "year", model="sar", effects="twoways"
    )
    sdm = _fit(produc, usaww, model="sdm", effects="twoways")
    assert list(sdm.params.index) == list(sar.params.index)
    assert np.allclose(sdm.params, sar.params, atol=1e-9) and sdm.loglik == pytest.approx(
        sar.loglik, abs=1e-8
    )
    assert np.allclose(sdm.bse, sar.bse, atol=1e-9)


def test_sdm_tests(produc, usaww):
    out = sdm_tests(produc, Y, X, usaww, "state", "year", effects="twoways", lag="splm")
    assert list(out.index) == ["lr_sdm_vs_sar", "lr_sdm_vs_sem", "wald_theta", "wald_common_factor"]
    assert (out["df"] == 4).all() and (out["statistic"] > 0).all()
    sdm = _fit(produc, usaww, model="sdm", effects="twoways", lag="splm")
    sar = _fit(produc, usaww, model="sar", effects="twoways", lag="splm")
    assert out.loc["lr_sdm_vs_sar", "statistic"] == pytest.approx(
        2 * (sdm.loglik - sar.loglik), rel=1e-12
    )
    # Wald and LR of the same hypothesis are asymptotically equivalent: same order of magnitude
    for wald, lr in (("wald_theta", "lr_sdm_vs_sar"), ("wald_common_factor", "lr_sdm_vs_sem")):
        ratio = out.loc[wald, "statistic"] / out.loc[lr, "statistic"]
        assert 0.5 < ratio < 2, (
            f"{wald} {out.loc[wald, 'statistic']} vs {lr} {out.loc[lr, 'statistic']}"
        )
    with pytest.raises(SpatialInputError, match="needs model='sdm'"):
        sar.wald_theta()


def test_common_factor_wald_by_finite_differences(produc, usaww):
    sdm = _fit(produc, usaww, model="sdm", effects="individual")
    p, v = sdm.params, sdm.vcov

    def g(q):
        return np.array([q[f"W_{n}"] + q["rho"] * q[n] for n in X])

    jac = np.empty((4, len(p)))
    for j, name in enumerate(p.index):
        up, dn = p.copy(), p.copy()
        up[name] += 1e-6
        dn[name] -= 1e-6
        jac[:, j] = (g(up) - g(dn)) / 2e-6
    gv = g(p)
    stat = gv @ np.linalg.solve(jac @ v.to_numpy() @ jac.T, gv)
    assert sdm.wald_common_factor()["statistic"] == pytest.approx(stat, rel=1e-6)


# --------------------------------------------------------------------------------------------
# log-determinant paths
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["sar", "sem", "sdm"])
def test_sparse_logdet_agrees_with_eigenvalues_on_cigar(cigar, model):
    df, w = cigar
    kw = {"model": model, "effects": "twoways"}
    a = fit_panel(df, "logc", ["logp", "logy"], w, "state", "year", logdet="eigen", **kw)
    b = fit_panel(df, "logc", ["logp", "logy"], w, "state", "year", logdet="sparse", **kw)
    assert abs(a.loglik - b.loglik) < 1e-8, (
        f"cigar {model}: eigen {a.loglik!r} vs sparse {b.loglik!r}"
    )
    assert np.allclose(a.params, b.params, atol=1e-6)


def _lattice(rows: int, cols: int) -> np.ndarray:
    n = rows * cols
    w = np.zeros((n, n))
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                if 0 <= r + dr < rows and 0 <= c + dc < cols:
                    w[i, (r + dr) * cols + c + dc] = 1.0
    return w / w.sum(axis=1, keepdims=True)


def _simulate(w: np.ndarray, t: int, rho: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = w.shape[0]
    a = np.linalg.inv(np.eye(n) - rho * w)
    x = rng.normal(size=(t, n))
    mu = rng.normal(size=n)
    y = np.stack([a @ (1.0 * x[s] + mu + 0.5 * rng.normal(size=n)) for s in range(t)])
    return pd.DataFrame(
        {
            "unit": np.tile(np.arange(n), t),
            "year": np.repeat(np.arange(t), n),
            "y": y.ravel(),
            "x": x.ravel(),
        }
    )


def test_sparse_logdet_agrees_on_600_unit_lattice():
    w = _lattice(24, 25)
    df = _simulate(w, 3, 0.4, seed=1)
    start = time.perf_counter()
    auto = fit_panel(df, "y", ["x"], w, "unit", "year", model="sar", effects="individual")
    elapsed = time.perf_counter() - start
    assert auto.model._logdet.method == "sparse", "N > 500 should switch to the sparse path"
    eig = fit_panel(
        df, "y", ["x"], w, "unit", "year", model="sar", effects="individual", logdet="eigen"
    )
    assert abs(auto.loglik - eig.loglik) < 1e-8, (
        f"N=600: sparse {auto.loglik!r} vs eigen {eig.loglik!r}"
    )
    assert abs(auto.params["rho"] - eig.params["rho"]) < 1e-6
    assert elapsed < 20


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------


def test_bad_weights(produc, usaww):
    with pytest.raises(SpatialInputError, match="square"):
        _fit(produc, usaww[:, :47])
    with pytest.raises(SpatialInputError, match="W is 47 x 47 but the panel has 48 units"):
        _fit(produc, usaww[:47, :47])
    island = usaww.copy()
    island[3, :] = 0.0
    with pytest.raises(SpatialInputError, match=r"zero row for unit\(s\) 'CALIFORNIA'.*island"):
        _fit(produc, island)
    with pytest.raises(SpatialInputError, match="non-zero diagonal"):
        _fit(produc, usaww + np.eye(48))


def test_bad_panel(produc, usaww):
    with pytest.raises(SpatialInputError, match=r"unbalanced panel.*'ALABAMA'"):
        _fit(produc.iloc[1:], usaww)
    with pytest.raises(SpatialInputError, match=r"duplicate state-year rows: \('ALABAMA', 1970\)"):
        _fit(pd.concat([produc, produc.iloc[:1]]), usaww)
    nan = produc.copy()
    nan.loc[5, "unemp"] = np.nan
    with pytest.raises(SpatialInputError, match=r"NaN or infinite values in 'unemp' \(1 rows\)"):
        _fit(nan, usaww)
    with pytest.raises(SpatialInputError, match=r"column\(s\) not in data: 'nope'"):
        fit_panel(produc, Y, ["nope"], usaww, "state", "year")


def test_bad_options(produc, usaww):
    with pytest.raises(SpatialInputError, match="unknown model 'sac'"):
        _fit(produc, usaww, model="sac")
    with pytest.raises(SpatialInputError, match="unknown effects 'random'"):
        _fit(produc, usaww, effects="random")
    with pytest.raises(SpatialInputError, match="unknown lag convention"):
        _fit(produc, usaww, lag="stata")
    with pytest.raises(SpatialInputError, match="unknown option"):
        _fit(produc, usaww, tol=1)
    with pytest.raises(ValueError, match="lee_yu=True with time effects implies"):
        _fit(produc, usaww, lee_yu=True, lag="splm")


def test_collinear_regressors_are_named(produc, usaww):
    df = produc.assign(twice=2 * produc["unemp"], region_id=produc["region"].astype(float))
    with pytest.raises(
        SpatialInputError, match=r"singular design: regressors 'unemp', 'twice' are collinear"
    ):
        fit_panel(df, Y, [*X, "twice"], usaww, "state", "year")
    with pytest.raises(SpatialInputError, match=r"'region_id' vanish.*individual fixed effects"):
        fit_panel(df, Y, [*X, "region_id"], usaww, "state", "year", effects="individual")


def test_rho_on_the_bound_is_an_error():
    """y proportional to ones in every period: W y = y, the likelihood rises to rho = 1."""
    w = _lattice(4, 5)
    df = _simulate(w, 4, 0.0, seed=2)
    df["y"] = np.repeat(np.arange(4.0) ** 2, 20)
    with pytest.raises(
        SpatialEstimationError, match="rho = .* is at the bound .* the optimiser hit the boundary"
    ):
        fit_panel(df, "y", ["x"], w, "unit", "year", model="sar", effects="individual")


def test_libpysal_weights_are_matched_by_id(produc, usaww):
    import libpysal

    states = sorted(produc["state"].unique())
    order = np.random.default_rng(0).permutation(48)
    shuffled = [states[i] for i in order]
    w = libpysal.weights.full2W(usaww[np.ix_(order, order)], ids=shuffled)
    a = _fit(produc, w, model="sar", effects="individual")
    b = _fit(produc, usaww, model="sar", effects="individual")
    assert np.allclose(a.params, b.params, atol=1e-12)
    bad = libpysal.weights.full2W(usaww, ids=[*states[:-1], "ATLANTIS"])
    with pytest.raises(SpatialInputError, match="ids do not match.*'WYOMING'.*'ATLANTIS'"):
        _fit(produc, bad)


def test_results_are_read_only(produc, usaww):
    res = _fit(produc, usaww, model="sar", effects="individual")
    with pytest.raises(AttributeError, match="read-only"):
        res.params = None
    params = res.params
    params["rho"] = 99.0  # a copy: the results keep their value
    assert res.params["rho"] < 1


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------

_W_SMALL = _lattice(3, 4)
_DF_SMALL = _simulate(_W_SMALL, 5, 0.3, seed=3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    perm=st.permutations(list(range(12))),
    model=st.sampled_from(["sar", "sem", "sdm"]),
    effects=st.sampled_from(["individual", "twoways", "none"]),
)
def test_loglik_invariant_to_relabelling_units(perm, model, effects):
    """Renaming units (so their sorted order changes) and permuting W alike changes nothing."""
    base = fit_panel(_DF_SMALL, "y", ["x"], _W_SMALL, "unit", "year", model=model, effects=effects)
    perm = np.asarray(perm)
    df = _DF_SMALL.assign(unit=perm[_DF_SMALL["unit"].to_numpy()])
    inv = np.argsort(perm)  # new unit j was old unit inv[j]
    w = _W_SMALL[np.ix_(inv, inv)]
    moved = fit_panel(df, "y", ["x"], w, "unit", "year", model=model, effects=effects)
    assert moved.loglik == pytest.approx(base.loglik, abs=1e-8)
    assert np.allclose(moved.params, base.params, atol=1e-7)


def test_validation_tables_agree_with_splm():
    """The side-by-side tables the book prints are within the same tolerance."""
    from yrd.paper import validation

    models = validation.compare_models()
    assert len(models) > 40 and models["abs_diff"].max() < TOL, models.nlargest(3, "abs_diff")
    imp = validation.compare_impacts()
    assert len(imp) == 24 and imp["abs_diff"].max() < TOL, imp.nlargest(3, "abs_diff")
    lm = validation.compare_lm()
    assert len(lm) == 16 and lm["abs_diff"].max() < TOL, lm.nlargest(3, "abs_diff")
