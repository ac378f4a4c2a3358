"""Tests of yrd.paper.audit_referee: each referee check on the published tables, and the same check
failing (or flipping) when the published numbers it reads are perturbed the wrong way."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from pubedit import perturb
from scipy import stats

from yrd.data import published
from yrd.paper import audit
from yrd.paper import audit_referee as ref


@pytest.fixture(scope="module")
def pub():
    return published.load()


# ---------------------------------------------------------------------------------------------
# Constants and F
# ---------------------------------------------------------------------------------------------


def test_absorbed_constants_are_far_from_the_printed_ones(pub):
    f = ref.absorbed_constants(pub, 4).set_index("column")
    mid = (f["absorbed_lo"] + f["absorbed_hi"]) / 2
    assert mid["3"] == pytest.approx(-0.714, abs=0.01), "areg would print about -0.714, not -1.762"
    assert mid["5"] == pytest.approx(14.384, abs=0.01), "areg would print about 14.384, not 14.482"
    assert bool(f.loc["4", "absorbed_fits"]), "pooled OLS passes through the means"
    assert not f.loc[["1", "2", "3", "5"], "absorbed_fits"].any()
    v = ref.fe_constants(pub, 4)
    assert v.verdict == "identifies" and "regress y x i.id i.year" in v.detail, v.detail


def test_fe_constants_cannot_tell_when_the_constants_are_those_of_absorbed_effects(pub):
    f = ref.absorbed_constants(pub, 4).set_index("column")
    bad = pub
    for col in ("1", "2", "3", "5"):
        mid = (f.loc[col, "absorbed_lo"] + f.loc[col, "absorbed_hi"]) / 2
        bad = perturb(bad, 4, "const", col, "coef", printed=f"{mid:.3f}")
    assert ref.fe_constants(bad, 4).verdict == "cannot tell"
    assert not audit.fe_f(bad, 4).arithmetic["absorbed_ruled_out"].any()


def test_table6_mean_of_tcf_comes_from_its_pooled_column(pub):
    ybar, source = ref._mean_y(pub, 6)
    assert "column (4)" in source and 9.9 < ybar.lo < ybar.hi < 10.3, ybar
    assert ref.fe_constants(pub, 6).verdict == "identifies"


def test_f_ratio_simulation_is_seeded_and_shows_the_pattern():
    sims = ref.simulate_f_ratios()
    assert set(sims["design"]) == set(ref.F_DESIGNS) and set(sims["spec"]) == set("12345")
    small = ref.simulate_f_ratios.__wrapped__(reps=20)
    pd.testing.assert_frame_equal(small, ref.simulate_f_ratios.__wrapped__(reps=20))
    med = sims[sims["design"] == "normal"].groupby("spec")["ratio"].median()
    assert med["5"] > 1.2 and med["1"] > 1.2, "city dummies: each variance from ten residuals"
    assert med["4"] < med["2"] < med["5"], "fewer, better-estimated dummies: a smaller ratio"
    assert 0.95 < med["4"] < 1.2, "no dummies: close to one"
    band = ref.f_ratio_band("5")
    assert band.lo < 1.5 < band.hi


# ---------------------------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------------------------

#: Reprinted t-statistics that clear the t(40) cut-offs for the stars already printed.
T40_REPAIR = [
    (5, "wage", "1", "-2.05"),
    (5, "infra", "1", "2.75"),
    (6, "fin", "5", "1.70"),
    (6, "infor", "4", "-1.70"),
]


def test_clustering_identifies_robust_not_clustered(pub):
    v = ref.clustering(pub)
    assert v.verdict == "identifies" and v.tag == "REQUIRED", v.detail
    cells = set(
        zip(v.arithmetic["table"], v.arithmetic["column"], v.arithmetic["row"], strict=True)
    )
    assert cells == {(5, "1", "wage"), (5, "1", "infra"), (6, "5", "fin"), (6, "4", "infor")}
    assert "rank of at most 40" in v.detail


def test_clustering_cannot_tell_when_stars_fit_t40_and_f_is_t_squared(pub):
    good = pub
    for table, row, col, t in T40_REPAIR:
        good = perturb(good, table, row, col, "t", printed=t)
    assert ref.clustering(good).verdict == "identifies", "the F of column (1) still tells"
    for table, f in ((4, "10.89"), (6, "11.76")):
        good = perturb(good, table, "F", "1", "value", printed=f)
    v = ref.clustering(good)
    assert v.verdict == "cannot tell", v.detail


def test_cluster_inflation_on_the_panel(pub):
    from yrd.data.panel import load_panel

    panel = load_panel("twin")
    f = ref.cluster_inflation(pub, panel, tables=(4,))
    assert len(f) == 1 + 4 * 10, "column (1) has one slope, columns (2)-(5) ten"
    assert (f["se_ratio_cr1_hc1"] > 0).all()
    np.testing.assert_allclose(f["t_cr1"], f["t_printed"] / f["se_ratio_cr1_hc1"])
    cut = stats.t.isf(0.005, 40)
    three = f[f["t_cr1"].abs() > cut]
    assert (three["stars_cr1_t40"] == "***").all(), "|t| above t(40)'s 1% cut-off earns ***"
    none = f[f["t_cr1"].abs() < stats.t.isf(0.05, 40)]
    assert (none["stars_cr1_t40"] == "").all()


# ---------------------------------------------------------------------------------------------
# Simulated impacts
# ---------------------------------------------------------------------------------------------


def test_sar_simulated_published(pub):
    v = ref.sar_simulated(pub)
    assert v.verdict == "consistent", v.detail
    assert "likely mechanism, not a proof" in v.detail
    a = v.arithmetic.iloc[0]
    assert a["se_ratio_lo"] < 40 < a["se_ratio_hi"], "se(indirect)/se(direct) brackets n - 1"
    assert a["se_indirect_lo"] > 10 * a["delta_se_indirect_max"], "far beyond any delta-method SE"


@pytest.mark.parametrize(
    "row, statistic, printed",
    [
        ("direct", "coef", "0.023"),  # the analytic direct effect: no blow-up in it
        ("indirect", "t", "-2.00"),  # an indirect SE of 0.009: no blow-up in the SEs
    ],
)
def test_sar_simulated_fails_when_the_blow_up_signature_is_removed(pub, row, statistic, printed):
    bad = perturb(pub, 9, row, "SAR", statistic, "inverse_distance", printed=printed)
    v = ref.sar_simulated(bad)
    assert v.verdict == "inconsistent", v.detail


def test_simulated_draws_split_a_blow_up_one_to_n_minus_one():
    sims = ref.simulate_impact_draws(0.022, 0.022 / 3.59, 0.703, 0.703 / 8.24, runs=400)
    blown = sims[sims["se_indirect"] > 0.5]
    assert len(blown) >= 3, "a few runs of 500 draws put rho near 1"
    ratio = blown["se_indirect"] / blown["se_direct"]
    assert ratio.between(30, 40.5).all(), ratio.describe()
    calm = sims[sims["rho_max"] < 0.95]
    assert (calm["total"] > calm["direct"]).all(), "without a blow-up the algebra holds"
    pd.testing.assert_frame_equal(
        sims, ref.simulate_impact_draws(0.022, 0.022 / 3.59, 0.703, 0.703 / 8.24, runs=400)
    )


# ---------------------------------------------------------------------------------------------
# Table 9, Table 8
# ---------------------------------------------------------------------------------------------


def test_table9_controls(pub):
    v = ref.table9_controls(pub)
    assert v.verdict == "identifies", v.detail
    assert v.arithmetic["controls_col5"].iloc[0] == pytest.approx(0.0185, abs=0.001)
    assert v.arithmetic["inno_only_lo"].iloc[0] == pytest.approx(0.6092**2, abs=1e-3)
    assert "sigma2 cannot decide" in v.detail, "both readings fit SSR/n"
    bad = pub
    for panel in ("inverse_distance", "economic"):
        for model in ("SEM", "SAR"):
            bad = perturb(bad, 9, "r2", model, "value", panel, printed="0.371")
    assert ref.table9_controls(bad).verdict == "cannot tell", "r(quality, inno)^2 everywhere"


def test_lm_vs_wald(pub):
    v = ref.lm_vs_wald(pub)
    assert v.verdict == "cannot tell" and int((~v.arithmetic["agree"]).sum()) == 2, v.detail
    good = perturb(pub, 8, "lm", "inverse_distance", "lm", "spatial_lag", "70.000", "***")
    good = perturb(good, 8, "lm", "economic", "lm", "spatial_error", "70.000", "***")
    assert ref.lm_vs_wald(good).verdict == "consistent"


def test_text_lm_choice(pub):
    assert ref.text_lm_choice(pub).verdict == "inconsistent"
    good = perturb(pub, 8, "lm", "inverse_distance", "lm", "spatial_lag", "7.000", "***")
    assert ref.text_lm_choice(good).verdict == "consistent", "a supported lag may be read"


def test_r2_nesting(pub):
    assert ref.r2_nesting(pub).verdict == "consistent"
    bad = perturb(pub, 4, "r2", "1", "value", printed="0.985")
    v = ref.r2_nesting(bad)
    assert v.verdict == "inconsistent" and "(1) in (5)" in v.detail, v.detail


# ---------------------------------------------------------------------------------------------
# The text against the paper
# ---------------------------------------------------------------------------------------------


def test_tcf_circular(pub):
    v = ref.tcf_circular(pub)
    assert v.verdict == "identifies" and v.tag == "REQUIRED", v.detail
    assert len(v.arithmetic) == 41
    bad = pub
    for col in ("3", "5"):
        for var in ("gdp", "open", "wage", "stru", "tech"):
            x = pub.cell(6, var, col)
            flipped = x["printed"][1:] if x["printed"].startswith("-") else "-" + x["printed"]
            bad = perturb(bad, 6, var, col, "coef", printed=flipped)
    assert ref.tcf_circular(bad).verdict == "consistent", "unrelated slopes: a different outcome"


def test_text_most(pub):
    v = ref.text_most(pub)
    assert v.verdict == "consistent" and "all 4 are significant" in v.detail, v.detail
    bad = perturb(perturb(pub, 6, "inno", "2", stars=""), 6, "inno", "4", stars="")
    assert ref.text_most(bad).verdict == "inconsistent", "two of four is not most"
    neg = perturb(pub, 6, "inno", "4", printed="-0.016")
    assert ref.text_most(neg).verdict == "inconsistent", "not all positive"


def test_text_mechanism(pub):
    assert ref.text_mechanism(pub).verdict == "inconsistent"
    t = pub.tables.copy()
    t.loc[10] = ["Mechanism test", "机制检验", "4.6", t.loc[9, "stars_note"]]
    assert ref.text_mechanism(dataclasses.replace(pub, tables=t)).verdict == "consistent"


def test_text_data_source(pub, monkeypatch):
    assert ref.text_data_source(pub).verdict == "inconsistent"
    listed = {**ref.DATA_SOURCES, "3.2": (*ref.DATA_SOURCES["3.2"], "中国工业企业数据库")}
    monkeypatch.setattr(ref, "DATA_SOURCES", listed)
    assert ref.text_data_source(pub).verdict == "consistent"


def test_text_inno_definition(pub, monkeypatch):
    assert ref.text_inno_definition(pub).verdict == "inconsistent"
    one = {"count of all applications": ref.INNO_DEFINITIONS["count of all applications"]}
    monkeypatch.setattr(ref, "INNO_DEFINITIONS", one)
    v = ref.text_inno_definition(pub)
    assert v.verdict == "inconsistent" and "fits co-applications" in v.detail, "min exp(0) = 1"
    big = perturb(pub, 2, "inno", "", "min", printed="4.500")
    assert ref.text_inno_definition(big).verdict == "consistent", "90 applications: plausible"


def test_units(pub):
    v = ref.units(pub)
    assert v.verdict == "inconsistent", v.detail
    bad = set(v.arithmetic.loc[~v.arithmetic["fits"], "variable"])
    assert bad == {"inno", "wage", "human", "infor"}, bad
    assert v.arithmetic.loc[~v.arithmetic["fits"], "reading fits"].all(), "each has a reading"
    per_million = perturb(pub, 2, "human", "", "min", printed="7.495")
    per_million = perturb(per_million, 2, "human", "", "max", printed="11.753")
    f = ref.units(per_million).arithmetic.set_index("variable")
    assert bool(f.loc["human", "fits"]), "ln(100) higher: per million"
    fixed = per_million
    for row, stat, printed in (
        ("inno", "min", "4.500"),
        ("wage", "min", "27500.000"),
        ("wage", "max", "175000.000"),
        ("infor", "max", "0.922"),
        ("infor", "min", "0.032"),
    ):
        fixed = perturb(fixed, 2, row, "", stat, printed=printed)
    assert ref.units(fixed).verdict == "consistent"
