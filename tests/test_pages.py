"""Page banners say which data a page runs on."""

from __future__ import annotations

import pandas as pd

from yrd.report import pages
from yrd.report.pages import data_banner


def test_twin_banner_says_what_is_synthetic_and_what_is_real():
    df = pd.DataFrame({"x": [1]})
    df.attrs.update(source="twin", synthetic=True, path="data/twin/panel.csv")
    text = data_banner(df)
    assert "**synthetic**" in text and ":class: warning" in text
    assert "`quality` and `inno`" in text and "public yearbook figures" in text


def test_twin_note_only_on_the_twin():
    df = pd.DataFrame({"x": [1]})
    df.attrs.update(source="twin", synthetic=True, path="data/twin/panel.csv")
    assert "Chapter caveat." in data_banner(df, twin_note="Chapter caveat.")
    df.attrs.update(source="raw", synthetic=False, path="data/raw/panel.csv")
    assert "Chapter caveat." not in data_banner(df, twin_note="Chapter caveat.")


def test_real_banner_names_the_file():
    df = pd.DataFrame({"x": [1]})
    df.attrs.update(source="raw", synthetic=False, path="data/raw/panel.csv")
    text = data_banner(df)
    assert "data/raw/panel.csv" in text and "synthetic" not in text.lower()


def test_fmt_value_and_escape():
    from yrd.report.pages import escape_stars, fmt_value

    assert (
        fmt_value(True) == "yes"
        and fmt_value(float("nan")) == ""
        and fmt_value(float("inf")) == "∞"
    )
    assert fmt_value(0.123456, 3) == "0.123" and fmt_value("x") == "x"
    assert escape_stars("0.03***") == "0.03\\*\\*\\*"


def test_text_formatters():
    assert pages.pvalue_text(0.0004) == "< 0.001"
    assert pages.pvalue_text(0.0123) == "0.012"
    assert pages.estimate_se(-0.01234, 0.0056) == "\u22120.012 (0.006)"
    assert pages.estimate_se(float("nan"), 0.1) == "bound"
    assert pages.sci_text(-0.000123456) == "\u22120.000123"
    assert pages.sci_text(float("nan")) == ""


def test_inference_grid_layout():
    t = pd.DataFrame(
        {
            "method": ["HC1"],
            "detail": ["none"],
            "se": [0.01234],
            "t": [-2.5],
            "reference": ["t(399)"],
            "p": [0.0127],
            "ci_low": [-0.05],
            "ci_high": [-0.0012],
        }
    )
    g = pages.inference_grid(t)
    assert list(g.index) == ["HC1"]
    assert g.loc["HC1", "t"] == "\u22122.50"
    assert g.loc["HC1", "p"] == "0.013"
    assert g.loc["HC1", "95% interval"] == "[\u22120.0500, \u22120.0012]"
