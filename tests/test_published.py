"""The transcription of the paper's tables: structure, counts, internal consistency."""

from __future__ import annotations

import pandas as pd
import pytest

from yrd import ROOT
from yrd.data import published
from yrd.data.cities import CITY_CODES
from yrd.data.published import VARIABLES, PublishedDataError
from yrd.report import tables


@pytest.fixture(scope="module")
def pub():
    return published.load()


def test_every_table_present(pub):
    assert sorted(pub.cells["table"].unique()) == list(range(2, 10)), (
        "cells.csv must hold Tables 2-9"
    )
    assert list(pub.tables.index) == list(range(1, 10)), (
        "tables.csv must hold captions of Tables 1-9"
    )


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (2, 11 * 6),  # 11 variables x Obs, Mean, SD, Min, Median, Max
        (3, 11 * 12 // 2),  # lower triangle incl. the diagonal
        (7, 10 * 2),  # 10 years x 2 weights
        (8, 2 * 2 * 2),  # 2 tests x (plain, robust) x 2 weights
    ],
)
def test_cell_counts_of_fixed_shape_tables(pub, table, expected):
    n = len(pub.table(table))
    assert n == expected, f"Table {table}: {n} cells, expected {expected}"


@pytest.mark.parametrize("table", [4, 6])
def test_regression_tables_shape(pub, table):
    t = pub.table(table)
    cols = sorted(t["column"].unique())
    assert cols == ["1", "2", "3", "4", "5"], f"Table {table}: columns {cols}"
    coef = t[t["statistic"] == "coef"]
    # column (1) has inno and the constant; (2)-(5) have inno, 9 controls and the constant
    per_col = coef.groupby("column").size().to_dict()
    assert per_col == {"1": 2, "2": 11, "3": 11, "4": 11, "5": 11}, f"Table {table}: {per_col}"
    # every coefficient has its t-statistic and vice versa
    keys = ["column", "row"]
    tt = t[t["statistic"] == "t"]
    assert set(map(tuple, coef[keys].values)) == set(map(tuple, tt[keys].values)), (
        f"Table {table}: coefficients and t-statistics do not pair up"
    )
    for stat in ["nobs", "r2", "r2_a", "F", "year_fe", "id_fe"]:
        got = sorted(t.loc[t["row"] == stat, "column"])
        assert got == ["1", "2", "3", "4", "5"], f"Table {table}: row {stat} in columns {got}"


def test_table5_shape(pub):
    t = pub.table(5)
    coef = t[t["statistic"] == "coef"]
    assert list(coef["row"]) == list(VARIABLES[1:]) + ["const"], "Table 5: inno, 9 controls, const"
    assert (t["statistic"] == "t").sum() == 11, "Table 5: one t-statistic per coefficient"


def test_table9_shape(pub):
    t = pub.table(9)
    assert set(zip(t["panel"], t["column"], strict=True)) == {
        ("inverse_distance", "SEM"),
        ("inverse_distance", "SAR"),
        ("economic", "SEM"),
        ("economic", "SAR"),
    }, "Table 9: two weights x (SEM, SAR)"
    effects = t[t["row"].isin(["direct", "indirect", "total"])]
    assert set(effects["column"]) == {"SAR"}, "Table 9 prints effects for SAR only"
    assert len(effects) == 12, "Table 9: 3 effects x (coef, t) x 2 weights"


def test_observations_are_410_everywhere(pub):
    c = pub.cells
    obs = c[(c["row"] == "nobs") | (c["statistic"] == "obs")]
    # Table 2 (11 variables) + Tables 4, 6 (5 columns each) + Table 5 + Table 9 (4 columns)
    assert len(obs) == 11 + 5 + 5 + 1 + 4, f"found {len(obs)} observation counts"
    assert (obs["value"] == 410).all(), f"not all 410: {obs['value'].unique()}"


def test_410_is_41_cities_by_10_years(pub):
    n_ids = pub.cells[pub.cells["row"] == "n_ids"]
    assert (n_ids["value"] == len(CITY_CODES)).all(), "Table 9 'Number of ID' must be 41"
    assert len(CITY_CODES) * 10 == 410


def test_table2_internal_order(pub):
    t2 = pub.table(2).pivot(index="row", columns="statistic", values="value")
    assert list(pub.table(2)["row"].unique()) == list(VARIABLES)
    bad = t2[~((t2["min"] <= t2["median"]) & (t2["median"] <= t2["max"]))]
    assert bad.empty, f"Table 2: min <= median <= max fails for {list(bad.index)}"
    bad = t2[~((t2["min"] <= t2["mean"]) & (t2["mean"] <= t2["max"]))]
    assert bad.empty, f"Table 2: min <= mean <= max fails for {list(bad.index)}"
    assert (t2["sd"] > 0).all(), "Table 2: every SD positive"
    # an SD can never exceed half the range (Popoviciu's inequality; with n/(n-1) correction)
    n = 410
    limit = (t2["max"] - t2["min"]) / 2 * (n / (n - 1)) ** 0.5
    assert (t2["sd"] <= limit + 1e-3).all(), "Table 2: an SD exceeds half the range"


def test_table3_is_a_valid_lower_triangle(pub):
    t3 = pub.table(3)
    diag = t3[t3["row"] == t3["column"]]
    assert len(diag) == 11 and (diag["value"] == 1).all(), "Table 3 diagonal must be eleven 1s"
    order = {v: i for i, v in enumerate(VARIABLES)}
    upper = t3[[order[r] < order[c] for r, c in zip(t3["row"], t3["column"], strict=True)]]
    assert upper.empty, f"Table 3 has cells above the diagonal: {upper[['row', 'column']].values}"
    off = t3[t3["row"] != t3["column"]]
    assert off["value"].abs().max() < 1, "a correlation off the diagonal is +-1 or beyond"


def test_stars_follow_each_tables_legend(pub):
    legends = {t: pub.stars_levels(t) for t in range(2, 10) if pub.tables.loc[t, "stars_note"]}
    assert legends[3] == {"*": 0.05}, f"Table 3 legend: {legends[3]}"
    for t in [4, 5, 6, 7, 8, 9]:
        assert legends[t] == {"***": 0.01, "**": 0.05, "*": 0.1}, f"Table {t} legend: {legends[t]}"
    c = pub.cells
    for t, legend in legends.items():
        used = set(c.loc[c["table"] == t, "stars"]) - {""}
        assert used <= set(legend), f"Table {t} uses stars {used} beyond its legend {legend}"
    assert (c.loc[c["statistic"] == "t", "stars"] == "").all(), "t-statistics carry no stars"


def test_flags_match_column_descriptions(pub):
    # Table 4's text: (1) and (5) two-way, (2) year only, (3) city only, (4) none
    want = {"1": (1, 1), "2": (1, 0), "3": (0, 1), "4": (0, 0), "5": (1, 1)}
    for t in [4, 6]:
        for col, (year, city) in want.items():
            assert pub.value(t, "year_fe", col, "flag") == year, f"Table {t} ({col}) year effect"
            assert pub.value(t, "id_fe", col, "flag") == city, f"Table {t} ({col}) city effect"


def test_value_lookup_and_missing_key(pub):
    assert pub.value(3, "inno", "quality", "corr") == pytest.approx(0.6092)
    with pytest.raises(KeyError, match="no single published cell"):
        pub.value(4, "gdp", "1")  # column (1) has no controls


def test_table1_has_all_variables(pub):
    assert list(pub.table1["variable"]) == list(VARIABLES), "Table 1 rows: quality, inno, controls"
    assert set(pub.table1["role"]) == {"dependent", "explanatory", "control"}
    assert (pub.table1[["meaning_zh", "measure_zh", "meaning_en", "measure_en"]] != "").all().all()


def test_decimals_of():
    assert published.decimals_of("0.030") == 3
    assert published.decimals_of("-0.36") == 2
    assert published.decimals_of("410") == 0
    with pytest.raises(ValueError, match="not a printed number"):
        published.decimals_of("0.03*")


def test_parse_stars_note():
    assert published.parse_stars_note("***p < 0.01, **p < 0.05, *p < 0.1") == {
        "***": 0.01,
        "**": 0.05,
        "*": 0.1,
    }
    with pytest.raises(ValueError, match="no star legend"):
        published.parse_stars_note("notes")


def _write_cells(tmp_path, rows):
    df = pd.DataFrame(rows, columns=published.CELL_COLUMNS)
    p = tmp_path / "cells.csv"
    df.to_csv(p, index=False)
    return p


def test_loader_names_the_bad_line_and_column(tmp_path):
    good = ["4", "", "1", "inno", "inno", "coef", "0.03", "0.030", "***"]
    bad_stat = ["4", "", "1", "gdp", "gdp", "mean", "0.1", "0.1", ""]
    bad_stars = ["4", "", "2", "inno", "inno", "coef", "0.013", "0.013", "****"]
    mismatch = ["4", "", "3", "inno", "inno", "coef", "0.033", "0.032", "***"]
    p = _write_cells(tmp_path, [good, bad_stat, bad_stars, mismatch])
    with pytest.raises(PublishedDataError) as err:
        published.load_cells(p)
    msg = str(err.value)
    assert "cells.csv, line 3, column statistic" in msg and "'mean'" in msg, msg
    assert "line 4, column stars" in msg, msg
    assert "line 5: value 0.033 differs from printed '0.032'" in msg, msg


def test_loader_rejects_wrong_header(tmp_path):
    p = tmp_path / "cells.csv"
    p.write_text("table,value\n4,1\n", encoding="utf-8")
    with pytest.raises(PublishedDataError, match="header is"):
        published.load_cells(p)


def test_loader_reports_missing_file(tmp_path):
    with pytest.raises(PublishedDataError, match="file not found"):
        published.load_cells(tmp_path / "nope.csv")


PAPER = ROOT.parent / "shared" / "paper" / "000_b25655495ce2098d.txt"


@pytest.mark.skipif(not PAPER.exists(), reason=f"the paper's text is not at {PAPER}")
@pytest.mark.parametrize("number", range(2, 10))
def test_every_row_rebuilt_from_the_data_is_a_line_of_the_paper(pub, number):
    """Third check of the transcription: print each row back and find it verbatim in the paper."""
    text = PAPER.read_text(encoding="utf-8")
    lines = {" ".join(ln.replace("—", " ").split()) for ln in text.splitlines()}
    grid = tables.published_grid(pub, number)
    missing = []
    for label, row in zip(grid.index, grid.itertuples(index=False), strict=True):
        # Table 8 rows carry their panel in the label ("Spatial error: Lagrange multiplier")
        label = str(label).split(": ")[-1]
        printed = " ".join([label, *[c for c in row if c]]).strip()
        if printed not in lines:
            missing.append(printed)
    assert not missing, f"Table {number}: rows not found verbatim in the paper: {missing}"


def test_text_numbers_restate_the_tables():
    text = published.load_text_numbers()
    assert set(text["section"]) <= {"4.1", "4.2", "4.3", "4.4.1", "4.4.2"}
    for r in text.itertuples():
        float(r.printed)  # every claim is a number
    t2 = text[text["table"] == "2"]
    assert len(t2) == 11 * 4, "section 4.1 restates mean, SD, min and max of 11 variables"
