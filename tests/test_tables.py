"""The one table formatter: number formatting and the paper's layouts (snapshot tests).

Snapshots live in ``tests/__snapshots__/``; change them only with ``pytest --snapshot-update`` and
review the diff.
"""

from __future__ import annotations

import pandas as pd
import pytest

from yrd.data import published
from yrd.report import tables
from yrd.report.tables import MINUS, cell_text


def test_cell_text_rounds_and_decorates():
    assert cell_text(0.0301, 3, "***") == "0.030***"
    assert cell_text(-0.357, 2, statistic="t") == f"({MINUS}0.36)"
    assert cell_text(410, 0) == "410"
    assert cell_text(1, -1, statistic="flag") == "YES"
    assert cell_text(0, -1, statistic="flag") == "NO"
    assert cell_text(-0.0004, 3) == "0.000", "negative zero prints without a sign"
    assert cell_text(float("nan"), 3) == ""


def test_published_text_keeps_what_was_printed():
    cells = pd.DataFrame(
        {
            "statistic": ["coef", "t", "flag"],
            "printed": ["-0.005", "-0.36", "YES"],
            "stars": ["", "", ""],
        }
    )
    assert list(tables.published_text(cells)["text"]) == [f"{MINUS}0.005", f"({MINUS}0.36)", "YES"]


def _long(rows):
    return pd.DataFrame(rows, columns=["panel", "column", "row", "label", "statistic", "text"])


def test_regression_layout_puts_t_under_coefficient():
    cells = _long(
        [
            ("", "1", "inno", "inno", "coef", "0.030***"),
            ("", "1", "inno", "inno", "t", "(3.30)"),
            ("", "2", "inno", "inno", "coef", "0.013**"),
            ("", "2", "inno", "inno", "t", "(2.24)"),
            ("", "2", "gdp", "gdp", "coef", "0.024**"),
            ("", "2", "gdp", "gdp", "t", "(2.24)"),
            ("", "1", "nobs", "Observations", "value", "410"),
            ("", "2", "nobs", "Observations", "value", "410"),
        ]
    )
    grid = tables.paper_layout(cells, "regression")
    assert list(grid.columns) == ["(1)", "(2)"]
    assert list(grid.index) == ["inno", "", "gdp", "", "Observations"]
    assert grid.iloc[3].tolist() == ["", "(2.24)"], "missing cells are blank"


def test_layout_rejects_unknown_kind_and_missing_columns():
    cells = _long([("", "1", "inno", "inno", "coef", "1")])
    with pytest.raises(ValueError, match="unknown kind"):
        tables.paper_layout(cells, "pie")
    with pytest.raises(ValueError, match="lack columns"):
        tables.paper_layout(cells.drop(columns="text"), "regression")


def test_myst_table_is_numbered_and_labelled():
    grid = pd.DataFrame([["1", "2"]], index=["a"], columns=["x", "y"])
    md = tables.to_myst_table(grid, "Caption", "tbl-x")
    assert md.splitlines()[0] == "```{table} Caption"
    assert ":name: tbl-x" in md and md.endswith("```")
    assert "| a | 1 | 2 |" in md


@pytest.mark.parametrize("number", range(2, 10))
def test_published_layout_snapshot(number, snapshot):
    pub = published.load()
    grid = tables.published_grid(pub, number)
    assert grid.to_csv() == snapshot


@pytest.fixture(scope="module")
def twin_comparisons():
    from yrd.data.panel import load_panel
    from yrd.paper import scoreboard

    return scoreboard.reproduce_all(published.load(), load_panel("twin"))


@pytest.mark.parametrize("number", range(2, 10))
def test_reproduced_side_by_side_snapshot(number, twin_comparisons, snapshot):
    """The side-by-side tables the result and spatial chapters show, on the committed twin.

    Every cell is text at the paper's printed precision, so it is the same on any CPU unless an
    estimate lies within float noise of a rounding edge (checked below).
    """
    from yrd.paper import compare

    cmp = twin_comparisons[twin_comparisons["table"] == number]
    assert compare.side_by_side(cmp, number).to_csv() == snapshot


def test_no_snapshot_cell_sits_on_a_rounding_edge(twin_comparisons):
    """Estimates differ between CPUs by about 1e-12 (relative; 1e-8 for the spatial ML fits): a
    printed cell is stable if its value lies farther than 1e-9 (closed-form statistics, Tables
    2-8) or 1e-7 (the ML fits of Table 9) from the nearest rounding edge."""
    import numpy as np

    pub = published.load().cells.set_index(["table", "panel", "column", "row", "statistic"])
    c = twin_comparisons[twin_comparisons["statistic"] != "flag"]
    key = list(zip(c["table"], c["panel"], c["column"], c["row"], c["statistic"], strict=True))
    value = pub.loc[key, "value"].to_numpy(float) + c["diff"].to_numpy(float)
    scale = 10.0 ** pub.loc[key, "decimals"].to_numpy(int)
    frac = value * scale - np.floor(value * scale)
    distance = np.abs(frac - 0.5) / scale / np.maximum(np.abs(value), 1e-12)
    margin = np.where(c["table"].to_numpy() == 9, 1e-7, 1e-9)
    ok = np.isnan(distance) | (distance > margin)
    assert ok.all(), c[~ok][["table", "column", "row", "statistic"]].to_string()


def test_variables_table_reads_english_with_the_chinese_beside_it():
    from yrd.data import published
    from yrd.report.tables import to_myst_table, variables_table

    t1 = published.load().table1
    grid = variables_table(t1)
    assert list(grid.columns) == ["Meaning", "Measure", "Defined in"], (
        "no raw field names as headers"
    )
    assert len(grid) == 11 and grid.index[0] == "`quality`<br>outcome"
    first = grid.iloc[0]
    assert (
        first["Meaning"].startswith("Export product quality<br>")
        and "出口产品质量" in first["Meaning"]
    )
    assert all('lang="zh"' in m for m in grid["Measure"])
    md = to_myst_table(grid, "Table 1.", "tbl-x", "Variable", classes="yrd-variables")
    assert "meaning_en" not in md and "measure_zh" not in md
    assert ":class: yrd-variables" in md.splitlines()[2]
