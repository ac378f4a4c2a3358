"""Published vs reproduced at printed precision."""

from __future__ import annotations

import pandas as pd
import pytest

from yrd.data import published
from yrd.paper import compare


@pytest.fixture(scope="module")
def t4():
    return published.load().table(4)


def _rep(rows):
    return pd.DataFrame(rows, columns=["column", "row", "statistic", "value", "stars"])


def test_match_is_judged_at_printed_precision(t4):
    rep = _rep(
        [
            ("1", "inno", "coef", 0.03049, "***"),  # printed 0.030***: matches
            ("2", "inno", "coef", 0.01351, "**"),  # printed 0.013**: 0.014 differs
            ("4", "gdp", "coef", -0.0051, ""),  # printed -0.005: matches
            ("4", "gdp", "t", -0.3549, ""),  # printed (-0.36): -0.35 differs
            ("1", "inno", "t", 3.30, ""),
            ("3", "year_fe", "flag", 0.0, ""),  # printed NO
            ("5", "inno", "coef", 0.023, "**"),  # printed 0.023***: stars differ
        ]
    )
    cmp = compare.compare(t4, rep).set_index(["column", "row", "statistic"])
    assert cmp.loc[("1", "inno", "coef"), "match"]
    assert cmp.loc[("1", "inno", "coef"), "status"] == "Looks the same"
    assert not cmp.loc[("2", "inno", "coef"), "match"]
    assert cmp.loc[("2", "inno", "coef"), "status"] == "Differs: 0.014** instead of 0.013**"
    assert cmp.loc[("4", "gdp", "coef"), "match"]
    assert not cmp.loc[("4", "gdp", "t"), "match"]
    assert cmp.loc[("4", "gdp", "t"), "diff"] == pytest.approx(-0.3549 + 0.36)
    assert cmp.loc[("3", "year_fe", "flag"), "match"]
    assert (
        cmp.loc[("5", "inno", "coef"), "match"]
        and not cmp.loc[("5", "inno", "coef"), "stars_match"]
    )
    assert cmp.loc[("5", "inno", "coef"), "status"].startswith("Stars differ")
    # every published cell is kept; the ones not reproduced say so
    assert len(cmp) == len(t4)
    assert (cmp.loc[("3", "gdp", "coef"), "status"]) == "Not reproduced"


def test_score_counts(t4):
    rep = _rep([("1", "inno", "coef", 0.030, "***")])
    s = compare.score(compare.compare(t4, rep))
    assert s["cells"] == len(t4) and s["matched"] == 1


def test_side_by_side_flags_differences(t4):
    rep = _rep([("1", "inno", "coef", 0.031, "***"), ("1", "inno", "t", 3.30, "")])
    grid = compare.side_by_side(compare.compare(t4, rep), 4)
    assert 'class="yrd-diff yrd-d1">0.031***' in grid.loc["inno", "(1)"]
    assert "paper: 0.030***" in grid.loc["inno", "(1)"]
    assert grid.iloc[1]["(1)"] == "(3.30)", "matching cells show the plain reproduced value"
