"""Tests of yrd.econ.montecarlo: the DGP, the truth, determinism and the summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrd.econ import montecarlo, regress
from yrd.econ.spatial import fit_panel


def _ring(n):
    """Row-standardised ring contiguity: each unit's two neighbours get 1/2."""
    w = np.zeros((n, n))
    for i in range(n):
        w[i, (i - 1) % n] = w[i, (i + 1) % n] = 0.5
    return w


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(11)
    t, n, k = 6, 12, 2
    return montecarlo.SARDesign(
        X=rng.normal(size=(t, n, k)),
        W=_ring(n),
        beta=np.array([0.5, -0.3]),
        rho=0.4,
        sigma2=0.25,
        names=("a", "b"),
        units=tuple(range(n)),
        periods=tuple(range(2000, 2000 + t)),
    )


def test_true_effects_by_hand():
    # W = [[0, 1], [1, 0]], rho = 0.5: (I - rho W)^-1 = [[1, .5], [.5, 1]] / 0.75
    d = montecarlo.SARDesign(
        X=np.zeros((2, 2, 1)),
        W=np.array([[0.0, 1.0], [1.0, 0.0]]),
        beta=np.array([1.0]),
        rho=0.5,
        sigma2=1.0,
        names=("x",),
        units=(1, 2),
        periods=(1, 2),
    )
    e = montecarlo.true_effects(d, "x")
    assert e["direct"] == pytest.approx(4 / 3), f"direct should be 4/3, got {e['direct']}"
    assert e["total"] == pytest.approx(2.0), f"total should be 1/(1 - rho) = 2, got {e['total']}"
    assert e["indirect"] == pytest.approx(2 / 3), f"indirect should be 2/3, got {e['indirect']}"


def test_expected_sigma2_factors_by_hand():
    f = montecarlo.expected_sigma2_factors(41, 10, 10)
    assert f["individual"] == pytest.approx(0.9), "(T-1)/T"
    assert f["twoways"] == pytest.approx(40 * 9 / 410), "(N-1)(T-1)/NT"
    assert f["twoways_k"] == pytest.approx((360 - 10) / 410), "((N-1)(T-1)-k)/NT"


def test_simulate_solves_the_model(design):
    y = montecarlo.simulate(design, np.random.default_rng(1))
    eps = np.random.default_rng(1).normal(scale=np.sqrt(design.sigma2), size=y.shape)
    lhs = y - design.rho * y @ design.W.T
    assert np.allclose(lhs, design.X @ design.beta + eps, atol=1e-12), "(I - rho W) y = X b + e"


def test_fixed_effects_do_not_change_the_estimates(design):
    frame = design.frame()
    mu = np.linspace(-2, 2, design.n)
    alpha = np.linspace(0, 5, design.t)
    fits = []
    for fx in ((None, None), (mu, alpha)):
        frame["y"] = montecarlo.simulate(design, np.random.default_rng(3), *fx).ravel()
        fits.append(fit_panel(frame, "y", ["a", "b"], design.W, "unit", "time", model="sar"))
    diff = np.max(np.abs(fits[0].params - fits[1].params))
    # the two fits are separate ML optimisations: they agree to the optimiser's tolerance, which
    # the last bits of BLAS move (1.3e-8 seen on another CPU); an effect not swept out moves
    # the estimates by far more (the effects here are of order 1)
    assert diff < 1e-6, f"unit and period effects should be swept out; params moved by {diff}"


def test_run_is_deterministic_and_prefix_stable(design):
    a = montecarlo.run(design, "a", 3, seed=7, progress=False)
    b = montecarlo.run(design, "a", 3, seed=7, progress=False)
    pd.testing.assert_frame_equal(a, b, obj="two runs with the same seed")
    c = montecarlo.run(design, "a", 2, seed=7, progress=False)
    pd.testing.assert_frame_equal(a.iloc[:2], c, obj="the first replications do not depend on R")
    d = montecarlo.run(design, "a", 2, seed=8, progress=False)
    assert not np.allclose(a["rho"].iloc[:2], d["rho"]), "another seed gives other draws"
    expected = {"rho", "se_rho", "beta", "direct", "se_total", "sigma2", "ly_rho", "ly_sigma2"}
    assert expected <= set(a.columns), f"missing columns {expected - set(a.columns)}"
    with pytest.raises(ValueError, match="term"):
        montecarlo.run(design, "zz", 1, seed=1, progress=False)


def test_calibrate_reads_the_fit(random_panel):
    from yrd.data import geo
    from yrd.econ import weights

    x = ["inno", *regress.CONTROLS]
    w = weights.inverse_distance(geo.load_cities())
    des, res = montecarlo.calibrate(random_panel, "quality", x, w)
    assert des.rho == pytest.approx(res.params["rho"]), "rho from the fit"
    assert des.sigma2 == pytest.approx(res.sigma2), "sigma2 from the fit"
    assert des.X.shape == (10, 41, 10), f"(T, N, k) regressors, got {des.X.shape}"
    frame = des.frame()
    assert np.allclose(
        frame.sort_values(["unit", "time"])["inno"].to_numpy(),
        random_panel.sort_values(["city_code", "year"])["inno"].to_numpy(),
    ), "the design keeps the panel's regressors in place"


def test_summarize_by_hand():
    draws = pd.DataFrame(
        {
            "rho": [0.1, 0.3, np.nan],
            "se_rho": [0.05, 0.05, 0.05],
            "beta": [1.0, 3.0, 2.0],
            "se_beta": [0.1, 1.0, 0.1],
            "direct": [1.0, 1.0, 1.0],
            "se_direct": [1.0, 1.0, 1.0],
            "indirect": [0.0, 0.0, 0.0],
            "se_indirect": [1.0, 1.0, 1.0],
            "total": [1.0, 1.0, 1.0],
            "se_total": [1.0, 1.0, 1.0],
            "sigma2": [0.8, 0.9, 1.0],
        }
    )
    truth = {"rho": 0.2, "beta": 2.0, "direct": 1.0, "indirect": 0.5, "total": 1.0, "sigma2": 1.0}
    s = montecarlo.summarize(draws, truth)
    assert s.loc["rho", "failed"] == 1 and s.loc["rho", "reps"] == 2, "NaN counted as failed"
    assert s.loc["rho", "bias"] == pytest.approx(0.0), "mean of 0.1 and 0.3 is the truth"
    assert s.loc["rho", "coverage"] == 0.0, "|0.1 - 0.2| > 1.96 * 0.05 for both draws"
    # beta: 1 (se .1, miss), 3 (se 1, cover), 2 (cover)
    assert s.loc["beta", "coverage"] == pytest.approx(2 / 3), "two of three intervals cover"
    assert s.loc["sigma2", "ratio"] == pytest.approx(0.9), "mean sigma2 over the truth"
    assert np.isnan(s.loc["sigma2", "coverage"]), "no interval for sigma2"
    assert s.loc["indirect", "bias"] == pytest.approx(-0.5), "0 against a truth of 0.5"
    assert s.loc["indirect", "rel_bias"] == pytest.approx(-1.0), "bias relative to the truth"


@pytest.mark.slow
def test_lee_yu_sigma2_is_less_biased(design):
    draws = montecarlo.run(design, "a", 60, seed=1, progress=False)
    s = montecarlo.summarize(draws, montecarlo.true_effects(design, "a"))
    ml, ly = s.loc["sigma2", "ratio"], s.loc["ly_sigma2", "ratio"]
    f = montecarlo.expected_sigma2_factors(design.n, design.t, 2)
    assert abs(ly - 1) < abs(ml - 1), f"Lee-Yu sigma2 ratio {ly} should beat ML {ml}"
    assert abs(ml - f["twoways_k"]) < 0.1, f"ML sigma2 ratio {ml} vs expected {f['twoways_k']}"
    assert abs(s.loc["beta", "rel_bias"]) < 0.05, "beta is close to unbiased"


def test_reliability_rule_and_its_sentence():
    from yrd.report.pages import mc_verdict

    good = pd.Series({"rel_bias": 0.01, "bias": 0.001, "sd": 0.01, "coverage": 0.94})
    bad = pd.Series({"rel_bias": -0.9, "bias": -0.3, "sd": 0.1, "coverage": 0.6})
    no_ci = pd.Series({"rel_bias": 0.02, "bias": 0.0001, "sd": 0.01, "coverage": float("nan")})
    assert montecarlo.reliable(good) and not montecarlo.reliable(bad) and montecarlo.reliable(no_ci)
    assert not montecarlo.reliable(good.copy().replace({0.94: 0.85})), "coverage below 90%"
    assert mc_verdict(good).startswith("reliable (") and mc_verdict(bad).startswith("not reliable")
    assert "coverage 0.60" in mc_verdict(bad)
    assert "\u2212" in mc_verdict(bad), "negative bias printed with a true minus sign"
    assert "coverage" not in mc_verdict(no_ci)


def test_design_from_values_places_the_regressors(random_panel):
    from yrd.data import geo
    from yrd.econ import weights

    x = ["inno", "gdp"]
    w = weights.inverse_distance(geo.load_cities())
    shuffled = random_panel.sample(frac=1.0, random_state=3)
    d = montecarlo.design_from_values(shuffled, x, w, {"inno": 0.02, "gdp": 0.1}, 0.7, 0.002)
    assert d.X.shape == (10, 41, 2) and d.model == "sar"
    frame = d.frame().sort_values(["unit", "time"])
    want = random_panel.sort_values(["city_code", "year"])
    assert np.allclose(frame["gdp"], want["gdp"]), "rows placed by unit and period"
    assert np.allclose(d.W, w.to_numpy()), "W in the sorted order of the units"
    assert d.beta.tolist() == [0.02, 0.1] and d.rho == 0.7 and d.sigma2 == 0.002
    with pytest.raises(ValueError, match="no slope"):
        montecarlo.design_from_values(random_panel, x, w, {"inno": 1.0}, 0.5, 1.0)
    with pytest.raises(ValueError, match="balanced"):
        montecarlo.design_from_values(random_panel.iloc[1:], x, w, {"inno": 1, "gdp": 1}, 0.5, 1)
    with pytest.raises(ValueError, match="model"):
        montecarlo.design_from_values(random_panel, x, w, {"inno": 1, "gdp": 1}, 0.5, 1, model="x")


def test_sem_design_simulates_and_summarises(design):
    from dataclasses import replace

    sem = replace(design, model="sem")
    y = montecarlo.simulate(sem, np.random.default_rng(1))
    eps = np.random.default_rng(1).normal(scale=np.sqrt(sem.sigma2), size=y.shape)
    u = y - sem.X @ sem.beta
    assert np.allclose(u - sem.rho * u @ sem.W.T, eps, atol=1e-12), "(I - lambda W) u = e"
    truth = montecarlo.true_effects(sem, "a")
    assert truth["indirect"] == 0.0 and truth["direct"] == truth["total"] == 0.5
    draws = montecarlo.run(sem, "a", 3, seed=2, progress=False)
    assert draws["indirect"].isna().all() and draws["rho"].notna().all(), "lambda kept as rho"
    s = montecarlo.summarize(draws, truth)
    assert "indirect" not in s.index and {"rho", "beta", "ly_rho"} <= set(s.index)
    assert s["reject"].between(0, 1).all() or s["reject"].isna().any()


def test_summarize_reject_share():
    draws = pd.DataFrame(
        {
            "rho": [0.5, 0.01, 0.3],
            "se_rho": [0.1, 0.1, 0.1],
            "beta": [1.0] * 3,
            "se_beta": [1.0] * 3,
        }
    )
    s = montecarlo.summarize(draws, {"rho": 0.3, "beta": 1.0, "sigma2": 1.0})
    assert s.loc["rho", "reject"] == pytest.approx(2 / 3), "|0.01| < 1.96 * 0.1: one kept zero"
    assert set(s.index) == {"rho", "beta"}, "quantities not in the draws are left out"


def test_recorded_effects_equal_the_fit_impacts(design):
    """run() computes the effects itself; they must equal SpatialPanelResults.impacts (delta)."""
    draws = montecarlo.run(design, "a", 1, seed=4, progress=False, lee_yu=False)
    frame = design.frame()
    frame["y"] = montecarlo.simulate(
        design, np.random.default_rng(np.random.SeedSequence(4).spawn(1)[0])
    ).ravel()
    res = fit_panel(frame, "y", ["a", "b"], design.W, "unit", "time", model="sar")
    imp = res.impacts(method="delta").loc["a"]
    for e in ("direct", "indirect", "total"):
        assert draws.loc[0, e] == pytest.approx(imp[e], rel=1e-10), e
        assert draws.loc[0, f"se_{e}"] == pytest.approx(imp[f"se_{e}"], rel=1e-8), f"se {e}"
