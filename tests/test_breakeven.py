"""Tests of yrd.econ.breakeven and yrd.paper.breakeven: break-even values by hand and by brute force."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from yrd.data import geo, published
from yrd.econ import breakeven as be
from yrd.econ import weights
from yrd.paper import breakeven as pb


def _ring(n):
    w = np.zeros((n, n))
    for i in range(n):
        w[i, (i - 1) % n] = w[i, (i + 1) % n] = 0.5
    return w


# --------------------------------------------------------------------------------------------
# yrd.econ.breakeven
# --------------------------------------------------------------------------------------------


def test_se_factor_is_where_significance_ends():
    t = 3.18
    f = be.se_factor(t)
    assert 2 * stats.norm.sf(t / f) == pytest.approx(0.05), "at the factor, p = 0.05 exactly"
    assert 2 * stats.norm.sf(t / (0.99 * f)) < 0.05 < 2 * stats.norm.sf(t / (1.01 * f))
    ft = be.se_factor(t, df=40)
    assert 2 * stats.t.sf(t / ft, 40) == pytest.approx(0.05), "t(40) reference"
    assert ft < f, "a t reference has a larger critical value, so a smaller factor"
    assert be.se_factor(-t) == f, "the sign of t does not matter"
    with pytest.raises(ValueError, match="alpha"):
        be.critical_value(1.5)


def test_moulton_round_trip_and_bounds():
    assert be.moulton_factor(0.0, 0.9, 10) == 1.0, "an uncorrelated regressor needs no correction"
    f = be.moulton_factor(0.8, 0.3, 10)
    assert f == pytest.approx(math.sqrt(1 + 9 * 0.24)), "sqrt(1 + (m-1) rho_x rho_u)"
    assert be.moulton_breakeven(f, 10) == pytest.approx(0.24), "inverse of the factor"
    with pytest.raises(ValueError, match="m > 1"):
        be.moulton_breakeven(1.5, 1)


def test_serial_inflation_by_simulation():
    """The formula against the ratio of the true sampling SD to the mean HC SE, by simulation."""
    rng = np.random.default_rng(5)
    n, t, phi = 4000, 10, 0.7

    def ar1(size):
        e = rng.normal(size=size)
        out = np.empty_like(e)
        out[:, 0] = e[:, 0]
        for s in range(1, t):
            out[:, s] = phi * out[:, s - 1] + math.sqrt(1 - phi**2) * e[:, s]
        return out

    slopes, hc = [], []
    for _ in range(150):
        x, u = ar1((n, t)), ar1((n, t))
        xd = x - x.mean(axis=1, keepdims=True)
        ud = u - u.mean(axis=1, keepdims=True)
        sxx = (xd**2).sum()
        b = (xd * ud).sum() / sxx
        e = ud - b * xd
        slopes.append(b)
        hc.append(math.sqrt(((xd * e) ** 2).sum()) / sxx)
    ratio = np.std(slopes) / np.mean(hc)
    want = be.serial_inflation(phi, phi, t)
    assert ratio == pytest.approx(want, rel=0.12), f"simulated {ratio:.3f} vs formula {want:.3f}"


def test_serial_inflation_limits():
    assert be.serial_inflation(0.5, 0.0, 10, demean=False) == pytest.approx(1.0)
    # without demeaning and with equal phi the factor is Moulton's with lag-decaying correlation
    r = be.ar1_correlation(0.6, 5)
    assert be.serial_inflation(0.6, 0.6, 5, demean=False) == pytest.approx(
        math.sqrt(np.sum(r * r) / 5)
    )
    phi = be.serial_breakeven(1.5, 10)
    assert be.serial_inflation(phi, phi, 10) == pytest.approx(1.5), "break-even solves it"
    assert be.serial_breakeven(1.0, 10) == 0.0, "no inflation needed"
    assert math.isnan(be.serial_breakeven(2.5, 10)), "demeaned, T = 10: the inflation is capped"
    assert not math.isnan(be.serial_breakeven(2.5, 10, demean=False)), "pooled: it is not"
    phi_u = be.serial_breakeven(1.3, 10, phi_x=0.9)
    assert be.serial_inflation(0.9, phi_u, 10) == pytest.approx(1.3), "given phi_x"


def test_sar_multipliers_against_brute_force():
    rng = np.random.default_rng(3)
    a = rng.random((6, 6))
    np.fill_diagonal(a, 0)
    w = a / a.sum(axis=1, keepdims=True)
    rho, h = 0.6, 1e-6
    m = be.sar_multipliers(w, rho)
    s = np.linalg.inv(np.eye(6) - rho * w)
    assert m["total"] == pytest.approx(1 / (1 - rho)), "row-standardised: total = 1/(1 - rho)"
    assert m["direct"] == pytest.approx(np.trace(s) / 6)
    assert m["indirect"] == pytest.approx(m["total"] - m["direct"])
    for e in ("direct", "indirect", "total"):
        num = (be.sar_multipliers(w, rho + h)[e] - be.sar_multipliers(w, rho - h)[e]) / (2 * h)
        assert m[f"d_{e}"] == pytest.approx(num, rel=1e-6), f"derivative of the {e} multiplier"


def test_sar_effects_delta_method_and_range():
    w = _ring(8)
    e0 = be.sar_effects(0.5, 0.1, 0.4, 0.05, w)
    m = be.sar_multipliers(w, 0.4)
    a, b = m["indirect"] * 0.1, 0.5 * m["d_indirect"] * 0.05
    assert e0["se_indirect"] == pytest.approx(math.hypot(a, b)), "uncorrelated: the two terms"
    e1 = be.sar_effects(0.5, 0.1, 0.4, 0.05, w, corr=1.0)
    assert e1["se_indirect"] == pytest.approx(a + b), "perfectly correlated: the sum"
    lo, hi = be.sar_effect_t_range(0.5, 0.1, 0.4, 0.05, w)
    assert lo == pytest.approx(e0["indirect"] / (a + b)) and hi == pytest.approx(
        e0["indirect"] / abs(a - b)
    ), "the extremes are at corr = +-1"
    r = be.implied_corr(0.5, 0.1, 0.4, 0.05, w, e0["t_indirect"])
    assert r == pytest.approx(0.0, abs=1e-9), "the t at corr 0 implies corr 0"
    assert math.isnan(be.implied_corr(0.5, 0.1, 0.4, 0.05, w, -2.0)), "wrong sign: no corr"
    with pytest.raises(ValueError, match="corr"):
        be.sar_effects(0.5, 0.1, 0.4, 0.05, w, corr=2)


def test_significance_interval_edges():
    w = _ring(10)
    lo, hi = be.significance_interval(0.5, 0.1, 0.05, w)
    z = be.critical_value()
    for r in (lo, hi):
        t = be.sar_effects(0.5, 0.1, r, 0.05, w)["t_indirect"]
        assert abs(t) == pytest.approx(z, rel=1e-6), f"|t| = z at the edge rho = {r}"
    mid = (lo + hi) / 2
    assert abs(be.sar_effects(0.5, 0.1, mid, 0.05, w)["t_indirect"]) > z, "significant inside"
    assert be.sar_effects(0.5, 0.1, lo / 2, 0.05, w)["t_indirect"] < z, "not below the edge"
    assert all(math.isnan(v) for v in be.significance_interval(0.5, 1.0, 0.5, w)), "never"


# --------------------------------------------------------------------------------------------
# yrd.paper.breakeven: from the published tables
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pub():
    return published.load()


@pytest.fixture(scope="module")
def frame(pub):
    return pb.inno_breakeven(pub)


def test_inno_breakeven_reads_every_printed_coefficient(pub, frame):
    assert len(frame) == 5 + 1 + 5 + 4, "Tables 4 (5 columns), 5, 6 (5 columns), 9 (4 columns)"
    head = frame[(frame["table"] == 4) & (frame["column"] == "5")].iloc[0]
    assert head["coef"] == pub.value(4, "inno", "5") and head["t"] == pub.value(4, "inno", "5", "t")
    assert head["se"] == pytest.approx(head["coef"] / head["t"])
    assert head["factor_05"] == pytest.approx(head["t"] / stats.norm.isf(0.025))
    assert head["factor_01"] == pytest.approx(head["t"] / stats.norm.isf(0.005))
    assert head["city_fe"] and head["year_fe"], "flags read from the table"
    pooled = frame[(frame["table"] == 4) & (frame["column"] == "4")].iloc[0]
    assert not pooled["city_fe"] and pooled["moulton_product"] == pytest.approx(
        (pooled["factor_05"] ** 2 - 1) / 9
    ), "Moulton applies to the columns without city effects, m = 10"
    assert math.isnan(head["moulton_product"]), "absorbed by the city effects"
    assert be.serial_inflation(head["ar1_phi"], head["ar1_phi"], 10) == pytest.approx(
        head["factor_05"]
    )
    weak = frame[frame["factor_05"] <= 1]
    assert list(weak["label"]) == ["Table 6 (4)"], "t = 1.92: not significant at 5% as printed"
    assert frame.loc[frame["table"] == 9, "ar1_phi"].isna().all(), "no LS algebra for ML"


def test_sentences_follow_the_numbers(frame):
    s = pb.se_sentence(frame)
    assert "1 of the 15 printed coefficients of `inno` is not" in s and "Table 6 (4)" in s, s
    head = frame[(frame["table"] == 4) & (frame["column"] == "5")].iloc[0]
    assert f"{head['factor_05']:.2f}" in s and f"{head['factor_01']:.2f}" in s, s
    all_sig = frame[frame["factor_05"] > 1]
    s2 = pb.se_sentence(all_sig)
    assert s2.startswith(f"All {len(all_sig)} printed"), s2
    c = pb.clustering_sentence(frame)
    assert "Table 4 (3) and Table 6 (3)" in c, "t near 4: no AR(1) reaches the factor"
    assert "Table 6 (4)" not in c, "a coefficient not significant as printed is left out"


@pytest.fixture(scope="module")
def w_by_panel(random_panel):
    return {
        "inverse_distance": geo.load_inverse_distance(),
        "economic": weights.economic_distance(random_panel),
    }


def test_spatial_breakeven(pub, w_by_panel):
    sp = pb.spatial_breakeven(pub, w_by_panel)
    assert list(sp.index) == ["inverse_distance", "economic"]
    for panel, row in sp.iterrows():
        w = w_by_panel[panel].to_numpy()
        assert row["beta"] == pub.value(9, "inno", "SAR", "coef", panel)
        assert row["total"] == pytest.approx(row["beta"] / (1 - row["rho"])), "row-standardised"
        e = be.sar_effects(row["beta"], row["se_beta"], row["rho"], row["se_rho"], w)
        assert row["t_indirect"] == pytest.approx(e["t_indirect"])
        assert row["rho_lo"] < row["rho_hi"]
        assert row["factor_indirect"] == pytest.approx(abs(row["t_indirect"]) / 1.959964, rel=1e-5)
    idr = sp.loc["inverse_distance"]
    assert idr["indirect"] > 0 > idr["printed_indirect"], "beta > 0, rho > 0: spillover positive"
    s = pb.spillover_sentence(idr)
    assert "not the printed" in s and "audit" in s, s
    eco = sp.loc["economic"]
    s = pb.spillover_sentence(eco)
    assert "the paper prints" in s and "overstated by" in s, s


def test_weights_sweep_moves_only_the_split(pub, random_panel):
    from yrd.paper import sensitivity

    cities = geo.load_cities()
    variants = sensitivity.weight_variants(
        cities, geo.seat_centroid_distances(cities), geo.load_polygons(), random_panel
    )
    sweep = pb.weights_sweep(pub, "economic", variants)
    assert "Spectral" not in set(sweep["label"]), "not row-standardised: skipped"
    assert len(sweep) == len(variants) - 1
    b, r = (
        pub.value(9, "inno", "SAR", "coef", "economic"),
        pub.value(9, "rho", "SAR", "coef", "economic"),
    )
    assert np.allclose(sweep["total"], b / (1 - r)), "the total does not depend on W"
    assert (sweep["indirect"] > 0).all(), "no non-negative W flips the sign"
    s = pb.weights_sentence(sweep, "economic distance")
    assert "a positive spillover under all of them" in s, s


def test_published_mc_values(pub):
    v = pb.published_mc_values(pub, "inverse_distance")
    assert v["rho"] == pub.value(9, "rho", "SAR", "coef", "inverse_distance")
    assert v["beta"]["inno"] == pub.value(9, "inno", "SAR", "coef", "inverse_distance")
    assert v["beta"]["gdp"] == pub.value(4, "gdp", "5"), "controls from Table 4 column (5)"
    assert v["model"] == "sar" and v["sigma2"] > 0
    sem = pb.published_mc_values(pub, "inverse_distance", "SEM")
    assert sem["model"] == "sem" and sem["rho"] == pub.value(
        9, "rho", "SEM", "coef", "inverse_distance"
    )


def test_mc_sentence_branches():
    base = {"true": 0.5, "coverage": 0.94, "failed": 0, "reject": 0.9}
    good = pd.DataFrame(
        {
            "rho": {**base, "mean": 0.48, "bias": -0.02, "rel_bias": -0.04},
            "ly_rho": {**base, "mean": 0.5, "bias": 0.0, "rel_bias": 0.0},
            "indirect": {**base, "true": 0.02, "mean": 0.018, "bias": -0.002, "rel_bias": -0.1},
        }
    ).T
    s = pb.mc_sentence(good, "Economic", lo_rho=0.15)
    assert "understates" in s and "conservative" in s and "0.15" in s, s
    bad = good.copy()
    bad.loc["rho", ["mean", "bias", "rel_bias", "coverage"]] = [0.02, -0.48, -0.96, 0.0]
    s = pb.mc_sentence(bad, "Inverse distance")
    assert "cannot recover" in s and "cannot tell which" in s, s
    up = good.copy()
    up.loc["rho", ["bias", "rel_bias"]] = [0.03, 0.06]
    assert "overstates" in pb.mc_sentence(up, "X", lo_rho=0.2)


def test_verdicts_come_from_the_published_numbers(pub, frame, w_by_panel):
    sp = pb.spatial_breakeven(pub, w_by_panel)
    base = {"true": 0.5, "coverage": 0.9, "failed": 0, "reject": 0.9}
    ok = pd.DataFrame({"rho": {**base, "mean": 0.45, "bias": -0.05, "rel_bias": -0.1}}).T
    lost = pd.DataFrame(
        {"rho": {**base, "mean": 0.0, "bias": -0.5, "rel_bias": -1.0, "coverage": 0.0}}
    ).T
    v = pb.verdicts(frame, sp, {"inverse_distance": lost, "economic": ok})
    lines = v.splitlines()
    assert len(lines) == 3 and lines[0].startswith("1. ") and lines[2].startswith("3. ")
    assert "14 of the 15" in lines[0] and "0.82" in lines[0], lines[0]
    assert "opposite sign" in lines[1] and "hard to reconcile" in lines[1], lines[1]
    assert "stays significant" in lines[2] and "towards less spillover" in lines[2], lines[2]
    flipped = sp.copy()
    flipped.loc["economic", "printed_t_indirect"] = 1.0
    v = pb.verdicts(frame, flipped, {})
    assert "is not significant" in v.splitlines()[2], "an insignificant printed spillover"
