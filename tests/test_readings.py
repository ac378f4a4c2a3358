"""The sentences that read the chapters' smaller tables: computed, in the right number, no misfires."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from yrd.report import pages

MISFIRES = re.compile(r"\bnan\b|NaN|\(s\)|\b1\.00 times\b|\b1 [a-z]+s\b(?! of)|0\.0000\b|dtype")


def test_readable_has_no_dtype_nan_or_zero_pvalue():
    s = pd.Series({"a": 0.5, "b": np.nan, "p": 0.0, "tiny": 1e-9, "flag": True, "n": 41.0})
    frame = pages.readable(s, pvalues=["p"])
    text = frame.to_string()
    assert "dtype" not in text and "NaN" not in text and "0.0000" not in text
    assert frame.loc["p"].iloc[0] == "< 0.0001" and frame.loc["n"].iloc[0] == "41"
    df = pd.DataFrame({"p_norm": [0.0, 0.03], "x": [np.nan, 1.23456]})
    out = pages.readable(df, pvalues=["p_norm"], decimals={"x": 2}, missing="none")
    assert out["p_norm"].tolist() == ["< 0.0001", "0.0300"]
    assert out["x"].tolist() == ["none", "1.23"]


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(1.0, "about the same as x"), (0.9951, "about the same as x"), (1.54, "1.54 times x")],
)
def test_times_never_says_one_times(ratio, expected):
    assert pages.times(ratio, "x") == expected


def test_plural_and_noun_list():
    assert pages.plural(1, "method") == "1 method" and pages.plural(2, "method") == "2 methods"
    assert pages.noun_list(["5"], "column") == "column 5"
    assert pages.noun_list(["1", "2"], "column") == "columns 1 and 2"


def test_pvalue_text_places():
    assert pages.pvalue_text(0.0) == "< 0.001" and pages.pvalue_text(0.0, 4) == "< 0.0001"
    assert pages.pvalue_text(float("nan")) == ""


@pytest.fixture(scope="module")
def twin():
    from yrd.data.panel import load_panel

    return load_panel("twin")


def test_descriptive_readings_on_the_twin(twin):
    from yrd.data.published import VARIABLES
    from yrd.paper import results

    shares = pages.variance_shares(twin, VARIABLES)
    text = pages.variance_share_sentence(shares)
    assert text.count("`") == 2 * len(VARIABLES), "every variable is named once"
    vifs = pd.DataFrame(
        {"pooled": results.vif(twin), "two-way within": results.vif(twin, within="twoways")}
    )
    vtext = pages.vif_sentence(vifs)
    for v, x in vifs["pooled"].items():
        assert (f"`{v}` ({x:.2f})" in vtext) == (x > 4)
    ctext = pages.corr_sentence(twin[list(VARIABLES)].corr(), "quality")
    for sentence in (text, vtext, ctext):
        assert not MISFIRES.search(sentence), sentence


def test_spatial_readings_on_the_twin(twin):
    from yrd.data import published
    from yrd.paper import readings, spatial_results

    pub = published.load()
    ws = spatial_results.weights_for(twin)
    _, full = spatial_results.table7(twin, ws, pub.stars_levels(7), permutations=0)
    text = readings.moran_sentence(full)
    for f in full.values():
        n_sig = int((f["p_norm"] < 0.05).sum())
        assert f"significant at 5% in {n_sig} of {len(f)} years" in text
    grid = readings.moran_grid(full)
    assert "0.0000" not in grid.to_string() and "NaN" not in grid.to_string()
    t8 = spatial_results.table8(twin, ws, pub.stars_levels(8), effects="none")
    lm = pd.concat(
        {
            "pooled": t8.set_index(["panel", "row", "column"])["value"],
            "published": pub.table(8).set_index(["panel", "row", "column"])["value"],
        },
        axis=1,
    )
    sent = readings.lm_sentence(lm)
    assert f"{int((lm['published'] > readings.CHI2_1_5).sum())} of 8 for published" in sent
    assert list(readings.lm_grid(lm).index)[0] == "LM error, inverse distance"
    for sentence in (text, sent):
        assert not MISFIRES.search(sentence), sentence


def test_sdm_sentence_counts_rejections():
    from yrd.paper import readings

    idx = pd.MultiIndex.from_product([["economic"], list(readings.SDM_NAMES)])
    tests = pd.DataFrame(
        {"statistic": [1.0, 30, 2, 40], "df": 10.0, "pvalue": [0.9, 0.001, 0.8, 0.0]}, index=idx
    )
    text = readings.sdm_sentence(tests, synthetic=True)
    assert "only `lr_sdm_vs_sem` and `wald_common_factor` reject" in text
    assert "twin" in text
    grid = readings.sdm_grid(tests)
    assert grid.loc["Wald, common factor θ = −ρβ", "economic distance: p"] == "< 0.0001"


def test_weights_verdict_does_not_contrast_equal_movements():
    from yrd.paper import sensitivity

    ind = pd.DataFrame(
        {"I1": [0.7, 1.0], "I2": [0.9, 0.6], "variation": [0.5, 0.6]}, index=["beta", "indirect"]
    )
    v = sensitivity.weights_verdict(ind)
    assert "while" not in v and "both move by less than its standard error" not in v
    assert "both move by less than" in v, v
