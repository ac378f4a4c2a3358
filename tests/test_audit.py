"""Tests of yrd.paper.audit: every check passes on one case and fails on another.

Failing cases are built by perturbing the published cells in memory (a star, a t-statistic, a
correlation, an LM statistic ...); the verdicts on the real published tables are pinned.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from pubedit import perturb
from textnum import assert_same_up_to_last_digits, skeleton

from yrd.data import published
from yrd.paper import audit


@pytest.fixture(scope="module")
def pub():
    return published.load()


@pytest.fixture(scope="module")
def verdicts(pub):
    return audit.run_all(pub)


def pick(verdicts, check, table=None):
    hits = [v for v in verdicts if v.check == check and (table is None or v.table == table)]
    assert len(hits) == 1, f"expected one verdict {check} {table}, found {len(hits)}"
    return hits[0]


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------


def test_verdict_rejects_unknown_label():
    with pytest.raises(ValueError, match="verdict must be one of"):
        audit.Verdict("x", "1", "maybe", "detail")


def test_interval_arithmetic():
    a, b = audit.Interval(1.0, 2.0), audit.Interval(0.5, 0.75)
    assert a - b == audit.Interval(0.25, 1.5), "interval subtraction pairs opposite ends"
    assert (a + b) == audit.Interval(1.5, 2.75), "interval addition adds ends"
    assert a.intersects(audit.Interval(2.0, 3.0)), "touching intervals intersect"
    assert not a.intersects(audit.Interval(2.1, 3.0)), "disjoint intervals do not intersect"


def test_cell_interval_uses_printed_precision(pub):
    iv = audit.cell_interval(pub, 4, "inno", "5")
    assert iv.lo == pytest.approx(0.0225) and iv.hi == pytest.approx(0.0235), (
        f"0.023 should mean [0.0225, 0.0235], got {iv}"
    )


def test_implied_k_contains_dummy_count_of_column_5(pub):
    r2 = audit.cell_interval(pub, 4, "r2", "5", "value")
    ra = audit.cell_interval(pub, 4, "r2_a", "5", "value")
    iv = audit.implied_k(r2, ra, 410)
    assert iv.contains(60) and not iv.contains(11), f"k range {iv} should hold 60, not 11"


def test_every_verdict_is_valid_and_known(verdicts):
    for v in verdicts:
        assert v.verdict in audit.VERDICTS, f"{v.check}: bad verdict {v.verdict}"
        assert v.check in audit.CHECKS, f"{v.check} has no entry in audit.CHECKS"
        assert v.detail.strip(), f"{v.check}: empty detail"
        assert v.tag in audit.TAGS, f"{v.check}: bad tag {v.tag}"
        assert len(v.assumes) > 20, f"{v.check}: states no assumption"
    assert set(audit.CHECKS) == {v.check for v in verdicts}, "CHECKS and run_all disagree"
    assert set(audit.ASSUMES) == set(audit.CHECKS), "every check states what it assumes"


def test_tags_follow_the_verdict():
    assert audit.default_tag("vif", "inconsistent") == "REQUIRED"
    assert audit.default_tag("fe-label", "inconsistent") == "SUGGESTED", "a label is cosmetic"
    assert audit.default_tag("classical-t", "identifies") == "SUGGESTED"
    assert audit.default_tag("clustering", "identifies") == "REQUIRED"
    assert audit.default_tag("vif", "consistent") == "NOTE"
    with pytest.raises(ValueError, match="tag must be one of"):
        audit.Verdict("vif", "3", "consistent", "x", tag="MAYBE")


def test_no_verdict_on_a_stated_method_is_an_accusation(verdicts):
    """What the numbers reveal about an unstated method is 'identifies', never 'inconsistent'."""
    for check in ("classical-t", "f-pooled", "fe-constants", "clustering", "table9-controls"):
        got = {v.verdict for v in verdicts if v.check == check}
        assert got == {"identifies"}, f"{check}: {got}"
    assert {v.verdict for v in verdicts if v.check == "f-fe"} == {"consistent"}


def test_outcomes_partition_the_verdicts(verdicts):
    groups = audit.outcomes(verdicts)
    assert set(groups) == {"establish", "contradict", "cannot tell"}
    assert sum(len(g) for g in groups.values()) == len(verdicts)
    assert all(v.verdict == "inconsistent" for v in groups["contradict"])


def test_write_csv_layout(verdicts, tmp_path):
    frame = audit.to_frame(verdicts)
    assert list(frame.columns) == [
        "check",
        "table",
        "verdict",
        "tag",
        "assumes",
        "detail",
    ], "CSV columns"
    a = audit.write_csv(frame, tmp_path / "a.csv").read_bytes()
    assert b"\r\n" not in a, "CSV should use \\n line endings"
    back = pd.read_csv(tmp_path / "a.csv", dtype=str)
    assert len(back) == len(verdicts), "CSV lost rows"


def test_summary_counts(verdicts):
    s = audit.summary(audit.to_frame(verdicts))
    assert s.to_numpy().sum() == len(verdicts), "summary counts should add up to the verdicts"


# ---------------------------------------------------------------------------------------------
# 1. Stars
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["4", "5", "6", "9"])
def test_stars_t_published_consistent(verdicts, table):
    v = pick(verdicts, "stars-t", table)
    assert v.verdict == "consistent", f"Table {table}: {v.detail}"
    assert v.arithmetic["normal"].all(), f"Table {table}: every cell should fit normal cutoffs"


def test_stars_t_table9_inverse_distance_effects_unstarred_and_consistent(verdicts):
    f = pick(verdicts, "stars-t", "9").arithmetic
    sub = f[(f["panel"] == "inverse_distance") & f["row"].isin(["direct", "indirect", "total"])]
    assert len(sub) == 3 and sub["normal"].all(), f"unstarred effects should agree: {sub}"


def test_stars_t_fails_when_a_star_is_removed(pub):
    bad = perturb(pub, 4, "inno", "5", "coef", stars="")
    v = audit.stars_vs_t(bad, 4)
    assert v.verdict == "inconsistent", f"0.023 with t 3.18 and no star: {v.detail}"
    assert "inno" in v.detail, "the broken cell should be listed"


def test_stars_t_fails_when_t_is_changed(pub):
    bad = perturb(pub, 9, "direct", "SAR", "t", "inverse_distance", printed="2.50")
    v = audit.stars_vs_t(bad, 9)
    assert v.verdict == "inconsistent", f"no star with t 2.50 breaks every rule: {v.detail}"


def test_stars_corr(pub, verdicts):
    assert pick(verdicts, "stars-corr").verdict == "consistent", "Table 3 stars follow |r| > 0.097"
    bad = perturb(pub, 3, "gdp", "inno", "corr", stars="")
    assert audit.stars_vs_correlation(bad).verdict == "inconsistent", "0.8884 must be starred"


def test_stars_chi2(pub, verdicts):
    assert pick(verdicts, "stars-chi2").verdict == "consistent", "Table 8 stars follow chi2(1)"
    bad = perturb(pub, 8, "lm", "economic", "lm", "spatial_lag", stars="***")
    assert audit.stars_vs_chi2(bad).verdict == "inconsistent", "3.485 cannot be p < 0.01"


def test_stars_moran(pub, verdicts):
    v = pick(verdicts, "stars-moran")
    assert v.verdict == "consistent", f"one sd per column should fit: {v.detail}"
    bad = perturb(pub, 7, "2014", "inverse_distance", "moran_i", stars="")
    assert audit.moran_stars(bad).verdict == "cannot tell", "an unstarred 0.1301 cannot fit"


# ---------------------------------------------------------------------------------------------
# 2. R-squared and adjusted R-squared
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["4", "5", "6"])
def test_r2_adjusted_published_counts_dummies(verdicts, table):
    v = pick(verdicts, "r2-adjusted", table)
    assert v.verdict == "consistent", f"Table {table}: {v.detail}"
    f = v.arithmetic
    fe = f[f["k_dummies"] != f["k_absorbed"]]
    two_way = fe[fe["column"].isin(["1", "3", "5"])]
    assert not two_way["absorbed_fit"].any(), f"absorbed k should be ruled out: {two_way}"


def test_r2_adjusted_fails_when_r2a_is_changed(pub):
    bad = perturb(pub, 4, "r2_a", "5", "value", printed="0.900")
    assert audit.r2_vs_adjusted(bad, 4).verdict == "inconsistent", "r2_a 0.900 fits no k"


# ---------------------------------------------------------------------------------------------
# 3. Tables 2 and 3
# ---------------------------------------------------------------------------------------------


def test_table2_bounds(pub, verdicts):
    assert pick(verdicts, "table2-bounds").verdict == "consistent", "Table 2 is possible"
    bad = perturb(pub, 2, "quality", "", "sd", printed="2.000")
    assert audit.table2_bounds(bad).verdict == "inconsistent", "SD above half the range"


def test_correlation_psd(pub, verdicts):
    v = pick(verdicts, "corr-psd")
    assert v.verdict == "consistent", f"Table 3 is positive definite: {v.detail}"
    bad = perturb(pub, 3, "gdp", "inno", "corr", printed="-0.8884")
    w = audit.correlation_psd(bad)
    assert w.verdict == "inconsistent", f"flipping r(gdp, inno) breaks PSD: {w.detail}"


def test_pooled_column_from_moments(pub, verdicts):
    v = pick(verdicts, "pooled-moments")
    assert v.verdict == "consistent", f"column (4) follows from Tables 2-3: {v.detail}"
    inno = v.arithmetic.set_index("term").loc["inno"]
    assert inno["coef_moments"] == pytest.approx(0.0176, abs=5e-4), "inno coefficient ~0.018"
    bad = perturb(pub, 4, "inno", "4", "coef", printed="0.050")
    assert audit.pooled_from_moments(bad)[0].verdict == "inconsistent", "0.050 is not 0.018"


def test_classical_t(pub, verdicts):
    v = pick(verdicts, "classical-t")
    assert v.verdict == "identifies", f"published t are not classical: {v.detail}"
    assert v.detail.startswith("Identifies the SE type"), v.detail
    t = v.arithmetic.set_index("term")
    assert t.loc["inno", "t_classical"] == pytest.approx(1.97, abs=0.01), "classical t of inno"
    # passing case: reprint every t of column (4) as the classical t
    good = pub
    for term, row in t.iterrows():
        good = perturb(good, 4, term, "4", "t", printed=f"{row['t_classical']:.2f}")
    w = audit.pooled_from_moments(good)[1]
    assert w.verdict == "consistent", f"classical t reprinted should pass: {w.detail}"


def test_vif(pub, verdicts):
    v = pick(verdicts, "vif")
    assert v.verdict == "inconsistent", f"VIF of inno > 4: {v.detail}"
    vif = v.arithmetic.set_index("regressor")
    assert vif.loc["inno", "VIF_lower_bound"] > 4.7, "1/(1 - 0.88835^2) = 4.75"
    assert audit.vif_claim(pub, claimed_max=10).verdict == "consistent", "all VIFs below 10"


# ---------------------------------------------------------------------------------------------
# 4 and 8. F statistics
# ---------------------------------------------------------------------------------------------


def test_pooled_f(pub, verdicts):
    v = pick(verdicts, "f-pooled", "4")
    assert v.verdict == "identifies", f"371.9 is not the classical F: {v.detail}"
    lo, hi = v.arithmetic.loc[0, ["F_classical_lo", "F_classical_hi"]]
    assert 395 < lo < hi < 402, f"classical F should be ~399, got [{lo}, {hi}]"
    good = perturb(pub, 4, "F", "4", "value", printed="398.6")
    assert audit.pooled_f(good, 4).verdict == "consistent", "398.6 is the classical F"


def test_fe_f_is_consistent_with_robust_dummy_regression(pub, verdicts):
    for table in ("4", "5", "6"):
        v = pick(verdicts, "f-fe", table)
        assert v.verdict == "consistent", f"Table {table}: {v.detail}"
        assert "robust (HC) dummy-variable regression" in v.detail
    f = pick(verdicts, "f-fe", "4").arithmetic.set_index("column")
    assert f.loc["1", "ratio_lo"] == pytest.approx(278.4 / 228.2, abs=0.01), "278.4 / classical F"
    assert not bool(f.loc["1", "slope_F_fits"]), "278.4 is not 3.30^2"
    assert f["absorbed_ruled_out"].all(), "Table 4's constants are those of dummies"


def test_fe_f_fails_when_the_printed_f_is_far_from_any_simulated_ratio(pub):
    """Perturbed the wrong way: an F of 150 in column (5) is half the classical F, a ratio no
    simulated design produces, so robust dummy regression no longer explains it."""
    bad = perturb(pub, 4, "F", "5", "value", printed="150.0")
    v = audit.fe_f(bad, 4)
    assert v.verdict == "cannot tell", v.detail
    assert "outside the simulated" in v.detail
    good = perturb(pub, 4, "F", "5", "value", printed="306.5")
    assert audit.fe_f(good, 4).verdict == "consistent", "the classical F itself also fits"


# ---------------------------------------------------------------------------------------------
# 5. LM identity
# ---------------------------------------------------------------------------------------------


def test_lm_identity(pub, verdicts):
    v = pick(verdicts, "lm-identity")
    assert v.verdict == "consistent", f"144.156 = 144.156 and 4.500 = 4.500: {v.detail}"
    bad = perturb(pub, 8, "lm", "inverse_distance", "lm", "spatial_error", printed="144.104")
    assert audit.lm_identity(bad).verdict == "inconsistent", "a changed LM breaks the identity"


# ---------------------------------------------------------------------------------------------
# 6. SAR impacts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "check, expected",
    [
        ("sar-total", "inconsistent"),
        ("sar-indirect-sign", "inconsistent"),
        ("sar-direct", "inconsistent"),
        ("sar-additivity", "consistent"),
        ("sar-direct-t", "cannot tell"),
        ("sar-effect-t", "inconsistent"),
    ],
)
def test_sar_inverse_distance_published(verdicts, check, expected):
    v = pick(verdicts, check, "9 (inverse distance)")
    assert v.verdict == expected, f"{check}: {v.detail}"


@pytest.mark.parametrize(
    "check",
    [
        "sar-total",
        "sar-indirect-sign",
        "sar-direct",
        "sar-additivity",
        "sar-direct-t",
        "sar-effect-t",
    ],
)
def test_sar_economic_published_consistent(verdicts, check):
    v = pick(verdicts, check, "9 (economic)")
    assert v.verdict == "consistent", f"{check}: {v.detail}"


def _sar_verdicts(pub, panel):
    return {v.check: v.verdict for v in audit.sar_impacts(pub, panel)}


@pytest.mark.parametrize(
    "row, statistic, printed, check",
    [
        ("total", "coef", "0.060", "sar-total"),
        ("indirect", "coef", "-0.020", "sar-indirect-sign"),
        ("direct", "coef", "0.015", "sar-direct"),
        ("indirect", "coef", "0.030", "sar-additivity"),
        ("direct", "t", "0.10", "sar-direct-t"),
        ("indirect", "t", "-0.50", "sar-effect-t"),
        ("total", "t", "2.00", "sar-effect-t"),
    ],
)
def test_sar_economic_perturbed_fails(pub, row, statistic, printed, check):
    bad = perturb(pub, 9, row, "SAR", statistic, "economic", printed=printed)
    got = _sar_verdicts(bad, "economic")[check]
    assert got == "inconsistent", f"{row} {statistic} = {printed} should break {check}"


def test_sar_direct_states_its_assumption_and_fails_below_beta(pub, verdicts):
    """An inverse-distance W has every off-diagonal entry positive, so tr(W^2) > 0 and the direct
    effect exceeds beta strictly: the printed 0.021, below the 0.0215 the printed beta needs,
    fails, and the verdict states the assumption; a direct effect below beta breaks the bound
    every non-negative W implies, and one above it passes."""
    v = pick(verdicts, "sar-direct", "9 (inverse distance)")
    assert v.verdict == "inconsistent" and "tr(W^2) > 0" in v.assumes, v.assumes
    bad = perturb(pub, 9, "direct", "SAR", "coef", "inverse_distance", printed="0.019")
    assert _sar_verdicts(bad, "inverse_distance")["sar-direct"] == "inconsistent"
    good = perturb(pub, 9, "direct", "SAR", "coef", "inverse_distance", printed="0.023")
    assert _sar_verdicts(good, "inverse_distance")["sar-direct"] == "consistent"


def test_sar_inverse_distance_repaired_passes(pub):
    good = pub
    for row, printed in (("direct", "0.023"), ("indirect", "0.051"), ("total", "0.074")):
        good = perturb(good, 9, row, "SAR", "coef", "inverse_distance", printed=printed)
    for row, printed in (("indirect", "1.50"), ("total", "2.50")):
        good = perturb(good, 9, row, "SAR", "t", "inverse_distance", printed=printed)
    got = _sar_verdicts(good, "inverse_distance")
    for check in ("sar-total", "sar-indirect-sign", "sar-direct", "sar-additivity", "sar-effect-t"):
        assert got[check] == "consistent", f"coherent effects should pass {check}: {got}"


# ---------------------------------------------------------------------------------------------
# 7. sigma2
# ---------------------------------------------------------------------------------------------


def test_sigma2(pub, verdicts):
    v = pick(verdicts, "sigma2")
    assert v.verdict == "consistent", f"sigma2 <= SSR/n: {v.detail}"
    bad = perturb(pub, 9, "sigma2", "SAR", "coef", "economic", printed="0.005")
    assert audit.sigma2_bound(bad).verdict == "inconsistent", "0.005 exceeds every bound"


def test_sigma2_t(pub, verdicts):
    assert pick(verdicts, "sigma2-t").verdict == "consistent", "t <= sqrt(410/2) = 14.32"
    bad = perturb(pub, 9, "sigma2", "SAR", "t", "economic", printed="15.00")
    assert audit.sigma2_t(bad).verdict == "cannot tell", "t = 15 is above sqrt(n/2)"


# ---------------------------------------------------------------------------------------------
# 9. Labels, captions and the text
# ---------------------------------------------------------------------------------------------


def test_captions(pub, verdicts):
    assert pick(verdicts, "caption-copied").verdict == "inconsistent", "Table 4's caption"
    assert pick(verdicts, "caption-shared").verdict == "inconsistent", "Tables 5 and 9"
    t = pub.tables.copy()
    t.loc[4, "title_en"] = "Multiple regression analysis table"
    t.loc[9, "title_en"] = "Spatial regression results"
    t.loc[9, "title_zh"] = "空间回归结果"
    got = {v.check: v.verdict for v in audit.captions(dataclasses.replace(pub, tables=t))}
    assert got == {"caption-copied": "consistent", "caption-shared": "consistent"}, got


def test_fe_labels(pub, verdicts):
    v = pick(verdicts, "fe-label")
    assert v.verdict == "inconsistent" and v.table == "5, 6", f"Industry Effect: {v.detail}"
    c = pub.cells.copy()
    c.loc[c["row"] == "id_fe", "label"] = "Id Effect"
    assert audit.fe_labels(dataclasses.replace(pub, cells=c)).verdict == "consistent", "relabelled"


def test_table1_logs(pub, verdicts):
    assert pick(verdicts, "table1-logs").verdict == "inconsistent", "wage is logged in Table 2"
    t1 = pub.table1.copy()
    t1.loc[t1["variable"] == "wage", "measure_zh"] = "采用城市城镇就业人员平均工资的对数衡量"
    good = dataclasses.replace(pub, table1=t1)
    assert audit.table1_logs(good).verdict == "consistent", "a logged wage in Table 1 agrees"


def test_text_table2(pub, verdicts):
    assert pick(verdicts, "text-table2").verdict == "consistent", "Section 4.1 = Table 2"
    bad = perturb(pub, 2, "quality", "", "mean", printed="12.900")
    assert audit.text_table2(bad).verdict == "inconsistent", "a changed mean disagrees"


def test_text_numbers(pub, verdicts):
    assert pick(verdicts, "text-numbers").verdict == "consistent", "0.6092, 0.03, 0.023 ..."
    bad = perturb(pub, 4, "inno", "5", "coef", stars="**")
    assert audit.text_numbers(bad).verdict == "inconsistent", "'significant at 1%' needs ***"


def test_text_spellings(verdicts, monkeypatch, pub):
    v = pick(verdicts, "text-spellings")
    assert v.verdict == "inconsistent" and "quailty" in v.detail, v.detail
    monkeypatch.setattr(audit, "TEXT_SPELLINGS", {"x": ("quality", "infra", "infor")})
    assert audit.text_spellings(pub).verdict == "consistent", "correct spellings pass"


def test_text_moran(pub, verdicts):
    assert pick(verdicts, "text-moran").verdict == "consistent", "all starred at 10% at least"
    bad = perturb(pub, 7, "2019", "inverse_distance", "moran_i", stars="")
    assert audit.moran_text(bad).verdict == "inconsistent", "an unstarred I contradicts the text"


def test_text_sdm(pub, verdicts, monkeypatch):
    assert pick(verdicts, "text-sdm").verdict == "inconsistent", "no LR/Wald tests, no SDM"
    c = pub.cells
    sdm = c[(c["table"] == 9) & (c["column"] == "SAR")].assign(column="SDM")
    good = dataclasses.replace(pub, cells=pd.concat([c, sdm], ignore_index=True))
    monkeypatch.setattr(audit, "TEXT_TABLE8_TESTS", ("lm", "robust_lm"))
    assert audit.text_sdm(good).verdict == "consistent", "with an SDM column and LM tests only"


def test_text_spatial(pub, verdicts):
    assert pick(verdicts, "text-spatial").verdict == "consistent", "signs and stars as stated"
    bad = perturb(pub, 9, "indirect", "SAR", "coef", "inverse_distance", stars="*")
    assert audit.text_spatial(bad).verdict == "inconsistent", "a starred indirect contradicts"


def test_table9_identical(pub, verdicts):
    assert pick(verdicts, "table9-identical").verdict == "cannot tell", "identical cells"
    good = perturb(pub, 9, "inno", "SAR", "t", "inverse_distance", printed="3.60")
    assert audit.table9_identical(good).verdict == "consistent", "cells that differ pass"


def test_table9_r2(pub, verdicts):
    """The SEM's R-squared is of the size Tables 2-4 give corr^2(quality, x'beta); an LSDV-like
    one is consistent with Table 4; a SEM R-squared of 0.3 fits neither."""
    v = pick(verdicts, "table9-r2")
    assert v.verdict == "identifies", v.detail
    lo, hi = v.arithmetic.loc[0, ["lo", "hi"]]
    assert 0.01 < lo < 0.016 and 0.020 < hi < 0.03, (lo, hi)
    bad = perturb(pub, 9, "r2", "SEM", "value", "economic", printed="0.300")
    assert audit.table9_r2(bad).verdict == "cannot tell", "0.300 is not corr^2(y, x'beta)"
    c = pub.cells.copy()
    c.loc[(c["table"] == 9) & (c["row"] == "r2"), "value"] = 0.98
    assert audit.table9_r2(dataclasses.replace(pub, cells=c)).verdict == "consistent", "LSDV-like"


def test_committed_audit_csv_is_what_the_checks_produce(tmp_path):
    """reports/audit.csv (written by `make audit-report`, never by the build) is current.

    Verdicts and sentences must agree exactly; a printed number may differ in its last printed digit
    only (a few checks invert matrices, whose last bits differ between CPUs).
    """
    from yrd import ROOT

    committed = pd.read_csv(ROOT / "reports" / "audit.csv", keep_default_na=False)
    fresh_path = audit.write_csv(
        audit.to_frame(audit.run_all(published.load())), tmp_path / "a.csv"
    )
    fresh = pd.read_csv(fresh_path, keep_default_na=False)
    hint = "reports/audit.csv is stale: run `make audit-report`"
    keys = ["check", "table", "verdict", "tag", "assumes"]
    assert committed[keys].equals(fresh[keys]), hint
    for old, new in zip(committed["detail"], fresh["detail"], strict=True):
        assert_same_up_to_last_digits(old, new, rtol=0, where=f"{hint}\n{new}")


def test_skeleton_separates_numbers():
    s, n = skeleton("F = 278.4 against \u22120.5 and 12 cells")
    assert s == "F = # against # and # cells"
    assert n == [("278.4", 1), ("-0.5", 1), ("12", 0)]
    with pytest.raises(AssertionError):
        assert_same_up_to_last_digits("F = 278.4", "F = 278.6", rtol=0)
    with pytest.raises(AssertionError):
        assert_same_up_to_last_digits("F = 278.4", "t = 278.4", rtol=0)
    assert_same_up_to_last_digits("F = 278.4", "F = 278.5", rtol=0)


def test_render_check_and_arithmetic():
    verdicts = audit.run_all(published.load())
    text = audit.render_check(verdicts, "lm-identity")
    assert text.startswith("> ") and "consistent" in text, text[:200]
    md = audit.render_arithmetic(verdicts, "lm-identity", None, "LM identity.", "tbl-x")
    assert md.startswith("```{table} LM identity.") and ":name: tbl-x" in md


def test_nominal_gdp_verdict_on_the_public_panel(pub, verdicts):
    v = next(v for v in verdicts if v.check == "gdp-nominal")
    assert v.verdict == "inconsistent"
    assert v.detail.startswith(
        "Table 1 says real GDP; the printed gdp row is reproduced by nominal"
    )
    fr = v.arithmetic.set_index("statistic")
    assert fr.loc[["min", "median", "max"], "nominal fits"].all()
    assert not fr.loc[["median", "max"], "real, 2011 prices fits"].any()


def test_nominal_gdp_verdict_fails_when_the_panel_is_deflated(pub):
    """Perturbed the wrong way: if the panel's GDP were real, nominal would no longer fit."""
    from yrd.data.public import load_public
    from yrd.paper.public_data import real_gdp

    panel = load_public()
    deflated = panel.assign(gdp_nominal=real_gdp(panel).fillna(panel["gdp_nominal"]))
    v = audit.nominal_gdp(pub, deflated)
    assert v.verdict != "inconsistent"
    # and a panel 1% larger everywhere misses the printed max and min: no longer reproduced
    v = audit.nominal_gdp(pub, panel.assign(gdp_nominal=panel["gdp_nominal"] * 1.01))
    assert v.verdict == "cannot tell"


def test_nominal_gdp_verdict_consistent_if_table2_printed_real_gdp(pub):
    from yrd.data.public import load_public
    from yrd.paper.public_data import describe, real_gdp

    panel = load_public()
    real = describe(np.log(real_gdp(panel)))
    p = pub
    for stat in ("median", "max"):
        p = perturb(p, 2, "gdp", "", stat, printed=f"{real[stat]:.3f}")
    assert audit.nominal_gdp(p, panel).verdict == "consistent"


def test_the_summary_places_every_verdict_once_under_its_outcome(verdicts):
    assert audit.summary_problems(verdicts) == []
    md = audit.render_summary(verdicts)
    for v in verdicts:
        assert f"<audit-{v.check}>" in md, f"{v.check} is not linked from the summary"


def test_the_summary_notices_a_verdict_that_changes_outcome(pub, verdicts):
    """Perturbed the wrong way: repair the inverse-distance total effect, and the summary, which
    lists it under 'contradict', must complain."""
    good = perturb(pub, 9, "total", "SAR", "coef", "inverse_distance", printed="0.074")
    changed = [
        v for v in verdicts if not (v.check == "sar-total" and v.table == "9 (inverse distance)")
    ] + [v for v in audit.sar_impacts(good, "inverse_distance") if v.check == "sar-total"]
    problems = audit.summary_problems(changed)
    assert any("sar-total" in p and "contradict" in p for p in problems), problems


def test_direct_t_floor_bounds_every_delta_method_t(pub):
    """The book's-W floor of t(direct) holds for any correlation of beta and rho (delta method at
    the printed values), and it rules out the printed inverse-distance 1.01 under the book's W."""
    from yrd.data.geo import load_inverse_distance

    W = load_inverse_distance().to_numpy()
    floor = audit.direct_t_floor(pub, "inverse_distance", W)
    lam = np.linalg.eigvals(W)
    beta, rho = 0.022, 0.703
    se_b, se_r = beta / 3.59, rho / 8.24
    m = np.real(np.mean(1 / (1 - rho * lam)))
    mp = np.real(np.mean(lam / (1 - rho * lam) ** 2))
    g = np.array([m, beta * mp])
    for corr in (-0.99, -0.5, 0.0, 0.5, 0.99):
        V = np.array([[se_b**2, corr * se_b * se_r], [corr * se_b * se_r, se_r**2]])
        t = beta * m / np.sqrt(g @ V @ g)
        assert t >= floor - 1e-9, (corr, t, floor)
    assert 3.0 < floor < 3.59, floor
    v = audit.sar_direct_t(pub, "inverse_distance")
    assert bool(v.arithmetic.loc[0, "book_W_unreachable"]) and "3.3" in v.detail


def test_lm_ceiling_rules_out_the_inverse_distance_lm_row_under_the_books_w(pub, verdicts):
    """Table 8 needs j of 131 or 1979 under inverse distance; the book's W allows at most about 50
    with Table 4 (4)'s R-squared, row-standardised or not. A row asking for j = 10 is reachable."""
    from yrd.paper import audit_referee as ref

    v = pick(verdicts, "lm-ceiling")
    a = v.arithmetic
    assert v.verdict == "cannot tell" and not a["reachable"].any(), v.detail
    assert (a["j_ceiling"] < 55).all() and (a["j_needed_min"] > 130).all(), a
    imp = ref.lm_implied(pub)
    inv = imp[imp["weights"] == "inverse_distance"]
    assert np.allclose(inv["robust_lm_error_implied"], 143.721, atol=0.01), "the LM identity"
    # x = 12, y = 20, j = 10: LM lag 40, robust LM lag 64/9
    easy = perturb(pub, 8, "lm", "inverse_distance", "lm", "spatial_lag", printed="40.000")
    easy = perturb(easy, 8, "robust_lm", "inverse_distance", "lm", "spatial_lag", printed="7.111")
    roots = ref.lm_implied(easy).query("weights == 'inverse_distance'")["j"]
    assert np.isclose(roots, 10, rtol=1e-3).any(), roots
    assert ref.lm_ceiling(easy).arithmetic["reachable"].all()


def test_spatial_t_are_functions_of_rho_and_w(pub, verdicts):
    """A SEM's t of lambda and sigma2 follow from lambda and W: under the book's W the printed
    inverse-distance 4.81 is out of reach (6.88-6.91), a printed 6.90 is not; the functions equal
    the t the book's estimator reports on a panel (the twin's SEM fit)."""
    from yrd.data.panel import load_panel
    from yrd.paper import audit_referee as ref
    from yrd.paper import spatial_results

    v = pick(verdicts, "spatial-t")
    a = v.arithmetic.set_index(["weights", "model", "row"])
    assert a["book_W_unreachable"].sum() == 7 and v.verdict == "cannot tell", v.detail
    assert not a.loc[("economic", "SAR", "rho"), "book_W_unreachable"]
    good = perturb(pub, 9, "rho", "SEM", "t", "inverse_distance", printed="6.90")
    b = ref.spatial_t(good).arithmetic.set_index(["weights", "model", "row"])
    assert not b.loc[("inverse_distance", "SEM", "rho"), "book_W_unreachable"]
    # the closed form is the estimator's own t at its lambda
    df = load_panel("twin")
    ws = spatial_results.weights_for(df)
    fit = spatial_results.fit_table9(df, {"inverse_distance": ws["inverse_distance"]})
    res = fit[("inverse_distance", "SEM")]
    lam = float(res.params["lambda"])
    t_lam, t_s2 = ref.spatial_t_from_rho(ws["inverse_distance"].to_numpy(), lam, 41, 10)
    assert abs(t_lam - float(res.tvalues["lambda"])) < 1e-6 * abs(t_lam)
    assert abs(t_s2 - res.sigma2 / res.sigma2_se) < 1e-6 * t_s2
