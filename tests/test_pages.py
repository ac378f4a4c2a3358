"""Page banners say which data a page runs on."""

from __future__ import annotations

import pandas as pd

from yrd.pages import data_banner


def test_twin_banner_says_synthetic():
    df = pd.DataFrame({"x": [1]})
    df.attrs.update(source="twin", synthetic=True, path="data/twin/panel.csv")
    text = data_banner(df)
    assert "synthetic twin" in text and ":class: warning" in text


def test_real_banner_names_the_file():
    df = pd.DataFrame({"x": [1]})
    df.attrs.update(source="raw", synthetic=False, path="data/raw/panel.csv")
    text = data_banner(df)
    assert "data/raw/panel.csv" in text and "synthetic" not in text.lower()


def test_fmt_value_and_escape():
    from yrd.pages import escape_stars, fmt_value

    assert (
        fmt_value(True) == "yes"
        and fmt_value(float("nan")) == ""
        and fmt_value(float("inf")) == "∞"
    )
    assert fmt_value(0.123456, 3) == "0.123" and fmt_value("x") == "x"
    assert escape_stars("0.03***") == "0.03\\*\\*\\*"
