"""Published versus reproduced, cell by cell, at the paper's printed precision.

A reproduced cell *matches* when, rounded to the number of decimals the paper printed, it reads
exactly as printed (so 0.0304 matches a printed 0.030; 0.0306 does not). Stars are compared
separately. Every comparison table carries the published string, the reproduced value formatted
the same way, the numeric difference, the distance in *units of the last printed digit* (3.29
against a printed 3.30 is one unit, 846 against 521 is 325) and a status line in the style of the
AEA Data Editor's replication reports ("Looks the same" / "Differs: 0.031 instead of 0.030").
The side-by-side table shades a differing cell by that distance (:data:`yrd.report.tables.DIFF_GRADES`).
"""

from __future__ import annotations

import pandas as pd

from yrd.report.tables import (
    LAYOUT,
    diff_class,
    diff_legend,
    display_text,
    paper_layout,
    printed_text,
    to_myst_table,
)

KEY = ["table", "panel", "column", "row", "statistic"]
COMPARISON_COLUMNS = [
    *KEY,
    "label",
    "published",
    "reproduced",
    "diff",
    "decimals",
    "units",
    "match",
    "stars_published",
    "stars_reproduced",
    "stars_match",
    "status",
]


def compare(published_cells: pd.DataFrame, reproduced: pd.DataFrame) -> pd.DataFrame:
    """Join published and reproduced cells on their key and judge each at printed precision.

    Parameters
    ----------
    published_cells
        Rows of ``yrd.data.published.load().cells`` for one table (or several).
    reproduced
        Long cells with ``column``, ``row``, ``statistic``, ``value``, ``stars`` and optionally
        ``table`` and ``panel`` (taken from the published side when absent).

    Returns
    -------
    DataFrame
        One row per published cell (columns :data:`COMPARISON_COLUMNS`); a published cell with no
        reproduced counterpart gets ``reproduced = ""`` and ``match = False``. Reproduced cells the
        paper does not print are dropped.
    """
    pub = published_cells.copy()
    rep = reproduced.copy()
    tables = pub["table"].unique()
    if "table" not in rep:
        if len(tables) != 1:
            raise ValueError("reproduced cells need a 'table' column when comparing several tables")
        rep["table"] = tables[0]
    if "panel" not in rep:
        rep["panel"] = ""
    merged = pub.merge(
        rep[[*KEY, "value", "stars"]], on=KEY, how="left", suffixes=("", "_rep"), validate="1:1"
    )
    out = []
    for r in merged.itertuples(index=False):
        have = pd.notna(r.value_rep)
        # formatted once, as the transcription holds the printed number; equal text = match
        rep_text = printed_text(r.value_rep, r.decimals, r.statistic) if have else ""
        match = have and rep_text == r.printed
        diff = (r.value_rep - r.value) if have else float("nan")
        units = digit_units(rep_text, r.printed, int(r.decimals)) if have else float("nan")
        stars_rep = (r.stars_rep if isinstance(r.stars_rep, str) else "") if have else ""
        stars_match = have and stars_rep == r.stars
        if not have:
            status = "Not reproduced"
        elif match and stars_match:
            status = "Looks the same"
        elif match:
            status = f"Stars differ: {stars_rep or 'none'} instead of {r.stars or 'none'}"
        else:
            status = f"Differs: {rep_text}{stars_rep} instead of {r.printed}{r.stars}"
        out.append(
            (
                r.table,
                r.panel,
                r.column,
                r.row,
                r.statistic,
                r.label,
                r.printed,
                rep_text,
                diff,
                int(r.decimals),
                units,
                bool(match),
                r.stars,
                stars_rep,
                bool(stars_match),
                status,
            )
        )
    return pd.DataFrame(out, columns=COMPARISON_COLUMNS)


def digit_units(reproduced: str, printed: str, decimals: int) -> float:
    """How far a reproduced number is from the printed one, in units of the last printed digit.

    Both are texts at the printed precision (:func:`yrd.report.tables.printed_text`), so the
    distance is a whole number: 0 when they read the same. A flag (``YES``/``NO``) or an empty text
    that differs is infinitely far.

    >>> digit_units("3.29", "3.30", 2), digit_units("846", "521", 0), digit_units("0.030", "0.030", 3)
    (1.0, 325.0, 0.0)
    """
    if reproduced == printed:
        return 0.0
    try:
        a, b = float(reproduced), float(printed)
    except ValueError:
        return float("inf")
    return float(round(abs(a - b) * 10.0 ** max(decimals, 0)))


def score(comparison: pd.DataFrame) -> pd.Series:
    """Cells, matched cells, share matched, and stars matched, for one comparison table."""
    n = len(comparison)
    m = int(comparison["match"].sum())
    return pd.Series(
        {
            "cells": n,
            "matched": m,
            "share": m / n if n else float("nan"),
            "stars_matched": int(comparison["stars_match"].sum()),
        }
    )


def side_by_side(comparison: pd.DataFrame, number: int) -> pd.DataFrame:
    """The reproduced table in the paper's layout, each differing cell followed by the paper's value.

    A cell that matches shows the reproduced number; a cell that differs shows the reproduced number
    highlighted and the published one beneath it (HTML spans styled by the book's CSS). The
    highlight is graded by the distance in units of the last printed digit
    (:func:`yrd.report.tables.diff_class`): one unit looks nothing like a hundred.
    """
    texts = []
    for r in comparison.itertuples(index=False):
        pub = display_text(r.published, r.stars_published, r.statistic)
        rep = display_text(r.reproduced, r.stars_reproduced, r.statistic)
        if r.match and r.stars_match:
            texts.append(rep)
        else:
            shown = rep or "—"
            css = diff_class(r.units, bool(r.match))
            texts.append(
                f'<span class="{css}">{shown}</span><br><span class="yrd-pub">paper: {pub}</span>'
            )
    cells = comparison.assign(text=texts)
    return paper_layout(cells, LAYOUT[number])


def show(comparison: pd.DataFrame, number: int, caption: str, label: str) -> str:
    """The side-by-side table as a numbered MyST table, with the count of matching cells, followed
    by the legend of its shading (:func:`yrd.report.tables.diff_legend`) when any cell differs."""
    s = score(comparison)
    same = bool((comparison["match"] & comparison["stars_match"]).all())
    n, m = int(s["cells"]), int(s["matched"])
    stars = int((comparison["match"] & ~comparison["stars_match"]).sum())
    if same:
        caption = f"{caption} Reproduced: all {n} cells match the paper at printed precision."
    else:
        but = f", {stars} of them with other stars" if stars else ""
        caption = (
            f"{caption} Reproduced ({m} of {n} cells match the paper at printed precision{but}); "
            "a shaded cell differs, the paper's value beneath it, shaded by how far it is (legend "
            "below the table)."
        )
    index_name = "VarName" if LAYOUT[number] == "descriptive" else ""
    table = to_myst_table(side_by_side(comparison, number), caption, label, index_name=index_name)
    return table if same else f"{table}\n\n{diff_legend()}"


__all__ = [
    "COMPARISON_COLUMNS",
    "KEY",
    "compare",
    "digit_units",
    "score",
    "show",
    "side_by_side",
]
