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
    assert len(t_rows) > 0 and (t_rows["explanation"] != scoreboard.UNEXPLAINED).all()
    assert t_rows["explanation"].str.contains("make twin").all(), "fitted cells: not the twin"


def test_every_cell_the_twin_misses_has_a_specific_explanation():
    """The scoreboard readers see: no unmatched cell of the twin is left to the fallback."""
    from yrd.data.panel import load_panel

    bad = scoreboard.unmatched(scoreboard.reproduce_all(published.load(), load_panel("twin")))
    assert len(bad) > 0, "the twin is not fitted to Tables 8-9"
    fallback = bad[bad["explanation"] == scoreboard.UNEXPLAINED]
    assert fallback.empty, fallback.to_string()


def test_a_fitted_cell_that_differs_is_not_the_committed_twin():
    row = pd.Series(
        {"statistic": "coef", "row": "inno", "table": 4, "match": False, "stars_match": False}
    )
    text = scoreboard.explain(row)
    assert text != scoreboard.UNEXPLAINED and "make twin" in text


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


def _cells(frame):
    return set(zip(frame["row"], frame["statistic"], strict=True))


def test_impossible_cells_follow_the_audit():
    from pubedit import perturb

    pub = published.load()
    imp = scoreboard.impossible_cells(pub)
    assert set(zip(imp["panel"], imp["row"], imp["statistic"], strict=True)) == {
        ("inverse_distance", "total", "coef"),
        ("inverse_distance", "indirect", "coef"),
        ("inverse_distance", "direct", "coef"),
        ("inverse_distance", "indirect", "t"),
        ("inverse_distance", "total", "t"),
    }
    # a printed total of beta / (1 - rho) (0.022 / 0.297) is possible: that cell leaves the list
    fixed = perturb(pub, 9, "total", "SAR", panel="inverse_distance", printed="0.074")
    cells = _cells(scoreboard.impossible_cells(fixed))
    assert ("total", "coef") not in cells and ("indirect", "coef") in cells
    # so is a total t above the delta-method bound (1.76), and an indirect t of beta's sign
    fixed = perturb(fixed, 9, "total", "SAR", "t", panel="inverse_distance", printed="2.50")
    cells = _cells(scoreboard.impossible_cells(fixed))
    assert ("total", "t") not in cells and ("indirect", "t") in cells
    fixed = perturb(fixed, 9, "indirect", "SAR", "t", panel="inverse_distance", printed="0.50")
    cells = _cells(scoreboard.impossible_cells(fixed))
    assert ("indirect", "t") not in cells and ("direct", "coef") in cells


def test_headline_counts_every_printed_cell_once():
    pub = published.load()
    cells = pub.cells[(pub.cells["table"].between(2, 9)) & (pub.cells["statistic"] != "flag")]
    key = ["table", "panel", "column", "row", "statistic"]
    comp = cells[key].copy()
    comp["match"] = True
    imp = scoreboard.impossible_cells(pub)
    far = scoreboard.unreachable_cells(pub)
    is_imp = comp.merge(imp[key].assign(x=1), on=key, how="left")["x"].notna().to_numpy()
    is_far = comp.merge(far[key].assign(x=1), on=key, how="left")["x"].notna().to_numpy()
    comp.loc[is_imp | is_far, "match"] = False
    comp.loc[comp.index[:5], "match"] = False  # five ordinary misses (Table 2's first cells)
    h = scoreboard.headline(comp, pub)
    assert (h.cells, h.impossible, h.unreachable) == (len(comp), len(imp), len(far))
    assert len(imp) == 5 and len(far) == is_far.sum() > 0
    assert h.matched == len(comp) - 5 - len(far) - 5 and h.possible == len(comp) - 5 - len(far)
    assert f"{h.matched} of {h.possible} reachable cells" in h.sentence()
    assert f"{h.unreachable} the twin cannot reach" in h.sentence()
    # an impossible or unreachable cell can match on a panel whose coefficients differ from the
    # printed ones: it then counts as matched, not apart
    book_w = scoreboard.unreachable_cells(pub, synthetic=False)
    assert len(book_w) == 11 and set(book_w["why"]) == {"book-w-lm", "book-w-t"}
    hit = comp.merge(book_w[key].assign(x=1), on=key, how="left")["x"].notna().to_numpy()
    more = comp.copy()
    more.loc[hit, "match"] = True
    h2 = scoreboard.headline(more, pub)
    assert (h2.matched, h2.unreachable) == (h.matched + 11, h.unreachable - 11)
    comp["match"] = True  # every cell matched: none is counted apart
    h3 = scoreboard.headline(comp, pub)
    assert (h3.matched, h3.impossible, h3.unreachable) == (len(comp), 0, 0)
    try:
        scoreboard.headline(comp.iloc[:-40], pub)  # Table 9's cells missing
    except ValueError as e:
        assert "missing" in str(e)
    else:
        raise AssertionError("comparisons without the impossible cells must raise")


def test_readme_states_the_headline_of_the_committed_twin():
    """The README's fidelity sentence is the one the chapters compute (regenerate it by pasting
    ``scoreboard.headline(...).sentence()`` after a new twin)."""
    from yrd import ROOT
    from yrd.data.panel import load_panel

    pub = published.load()
    h = scoreboard.headline(scoreboard.reproduce_all(pub, load_panel("twin")), pub)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert h.sentence() in readme, h.sentence()


def test_explanations_call_impossible_exactly_the_cells_the_headline_counts_apart():
    from yrd.data.panel import load_panel
    from yrd.paper import explain

    pub = published.load()
    comp = scoreboard.reproduce_all(pub, load_panel("twin"))
    said = {
        (r.table, r.panel, r.column, r.row, r.statistic)
        for r in comp.itertuples()
        if explain.reason(r._asdict()) == "impossible"
    }
    key = ["table", "panel", "column", "row", "statistic"]
    imp = comp.merge(scoreboard.impossible_cells(pub)[key], on=key)
    imp = imp[~imp["match"].astype(bool)]
    assert said == set(map(tuple, imp[key].itertuples(index=False)))
    assert len(said) == scoreboard.headline(comp, pub).impossible


def test_explanations_name_the_unreachable_cells_the_headline_counts_apart():
    """explain.BOOK_W is the audit part of unreachable_cells, and every unreachable cell of the
    committed twin is explained by its own reason, not as 'not fitted'."""
    from yrd.data import twinfit
    from yrd.data.panel import load_panel
    from yrd.paper import explain

    pub = published.load()
    key = ["table", "panel", "column", "row", "statistic"]
    book_w = scoreboard.unreachable_cells(pub, synthetic=False)
    assert set(map(tuple, book_w[key].itertuples(index=False))) == set(explain.BOOK_W)
    comp = scoreboard.reproduce_all(pub, load_panel("twin"))
    far = comp.merge(scoreboard.unreachable_cells(pub)[key + ["why"]], on=key)
    assert len(far) == len(explain.BOOK_W) + len(twinfit.UNREACHABLE)
    far = far[~far["match"].astype(bool)]
    assert len(far) == scoreboard.headline(comp, pub).unreachable
    for r in far.itertuples():
        assert explain.reason(r._asdict()) == r.why, (r, explain.reason(r._asdict()))
