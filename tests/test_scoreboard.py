"""The fidelity scoreboard: totals add up, explanations apply, same numbers as the chapters."""

from __future__ import annotations

import pandas as pd

from yrd.data import published
from yrd.paper import results, scoreboard


def test_scoreboard_matches_the_chapters(random_panel):
    pub = published.load()
    allc = scoreboard.reproduce_all(pub, random_panel)
    assert sorted(allc["table"].unique()) == [*scoreboard.TABLES, *scoreboard.SPATIAL_TABLES]
    for n in scoreboard.TABLES:
        chapter = results.reproduce(pub, n, random_panel, cov=results.PAPER_COV)
        pd.testing.assert_frame_equal(
            allc[allc["table"] == n].reset_index(drop=True), chapter, obj=f"Table {n}"
        )
    s = scoreboard.summary(allc)
    covered = (*scoreboard.TABLES, *scoreboard.SPATIAL_TABLES)
    assert s.loc["all", "cells"] == sum(len(pub.table(n)) for n in covered)
    assert s.loc["all", "matched"] == s.drop(index="all")["matched"].sum()


def test_unmatched_cells_are_explained(random_panel):
    allc = scoreboard.reproduce_all(published.load(), random_panel, spatial=False)
    bad = scoreboard.unmatched(allc)
    assert len(bad) > 0, "a random panel cannot match the paper"
    t_rows = bad[(bad["statistic"] == "t") & bad["table"].isin([4, 6])]
    assert len(t_rows) > 0 and t_rows["explanation"].str.contains("t-statistic").all()


def test_every_cell_the_twin_misses_has_a_specific_explanation():
    """The scoreboard readers see: no unmatched cell of the twin is left to the fallback."""
    from yrd.data.panel import load_panel

    bad = scoreboard.unmatched(scoreboard.reproduce_all(published.load(), load_panel("twin")))
    assert len(bad) > 0, "the twin is not fitted to Tables 8-9"
    fallback = bad[bad["explanation"] == scoreboard.UNEXPLAINED]
    assert fallback.empty, fallback.to_string()


def test_explain_falls_back():
    row = pd.Series(
        {"statistic": "coef", "row": "inno", "table": 4, "match": False, "stars_match": False}
    )
    assert scoreboard.explain(row) == scoreboard.UNEXPLAINED


def test_stars_only_differences_point_to_the_t_statistic():
    row = pd.Series(
        {"statistic": "coef", "row": "inno", "table": 4, "match": True, "stars_match": False}
    )
    assert "t-statistic" in scoreboard.explain(row)


def test_impossible_published_effects_link_the_audit():
    row = pd.Series(
        {
            "statistic": "coef",
            "row": "total",
            "table": 9,
            "panel": "inverse_distance",
            "match": False,
            "stars_match": False,
        }
    )
    assert "audit-sar-total" in scoreboard.explain(row)
