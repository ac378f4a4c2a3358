"""The paper's published Tables 1-9, read from ``data/published/``.

The transcription is data, never typed into a notebook: every chapter that
compares a reproduced number with the paper reads the published side from
here. The file format is documented in ``data/published/README.md``:

* ``cells.csv``: one row per printed numeric cell of Tables 2-9 (table, panel,
  column, row, label, statistic, value, printed, stars);
* ``tables.csv``: the captions (as printed, errors included) and the note that
  defines the significance stars of each table;
* ``table1_variables.csv``: Table 1 and the text's definitions of ``quality``
  and ``inno``, in Chinese and English.

The loader checks the structure on every read (columns, vocabularies, that the
value agrees with the printed string) and raises :class:`PublishedDataError`
naming the file, line and column of any problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from yrd import DATA

PUBLISHED = DATA / "published"

CELL_COLUMNS = [
    "table",
    "panel",
    "column",
    "row",
    "label",
    "statistic",
    "value",
    "printed",
    "stars",
]
TABLE_COLUMNS = ["table", "title_en", "title_zh", "section", "stars_note"]
TABLE1_COLUMNS = [
    "variable",
    "role",
    "meaning_zh",
    "measure_zh",
    "meaning_en",
    "measure_en",
    "source",
]

#: The 11 variables of Tables 2-3, in the paper's order.
VARIABLES = (
    "quality",
    "inno",
    "gdp",
    "open",
    "fin",
    "wage",
    "human",
    "stru",
    "infor",
    "infra",
    "tech",
)

#: Allowed statistic codes, per table.
STATISTICS = {
    2: {"obs", "mean", "sd", "min", "median", "max"},
    3: {"corr"},
    4: {"coef", "t", "value", "flag"},
    5: {"coef", "t", "value", "flag"},
    6: {"coef", "t", "value", "flag"},
    7: {"moran_i"},
    8: {"lm"},
    9: {"coef", "t", "value", "flag"},
}

STARS = ("", "*", "**", "***")


class PublishedDataError(ValueError):
    """A file in ``data/published/`` does not have the documented structure."""


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        raise PublishedDataError(
            f"{path}: file not found (expected the transcription of the paper)"
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(df.columns) != columns:
        raise PublishedDataError(
            f"{path}: header is {list(df.columns)}, expected {columns} (see data/published/README.md)"
        )
    return df


def decimals_of(printed: str) -> int:
    """Number of decimals in a printed number (``"0.030"`` -> 3, ``"410"`` -> 0)."""
    m = re.fullmatch(r"-?\d+(?:\.(\d+))?", printed)
    if m is None:
        raise ValueError(f"not a printed number: {printed!r}")
    return len(m.group(1) or "")


def load_cells(path: Path | None = None) -> pd.DataFrame:
    """Load ``cells.csv``, check it, and add a ``decimals`` column (printed precision).

    Returns
    -------
    DataFrame
        Columns ``table`` (int), ``panel``, ``column``, ``row``, ``label``,
        ``statistic`` (str), ``value`` (float), ``printed``, ``stars`` (str) and
        ``decimals`` (int; the number of decimals as printed, ``-1`` for YES/NO flags).
    """
    path = Path(path) if path is not None else PUBLISHED / "cells.csv"
    raw = _read(path, CELL_COLUMNS)
    problems: list[str] = []
    for i, r in raw.iterrows():
        line = i + 2  # header is line 1
        where = f"{path.name}, line {line}"
        if not r["table"].isdigit() or int(r["table"]) not in STATISTICS:
            problems.append(f"{where}, column table: expected 2..9, found {r['table']!r}")
            continue
        t = int(r["table"])
        if r["statistic"] not in STATISTICS[t]:
            problems.append(
                f"{where}, column statistic: expected one of {sorted(STATISTICS[t])} "
                f"for Table {t}, found {r['statistic']!r}"
            )
        if r["stars"] not in STARS:
            problems.append(f"{where}, column stars: expected one of {STARS}, found {r['stars']!r}")
        try:
            v = float(r["value"])
        except ValueError:
            problems.append(f"{where}, column value: expected a number, found {r['value']!r}")
            continue
        if r["statistic"] == "flag":
            want = {"YES": 1.0, "NO": 0.0}.get(r["printed"])
            if want is None or v != want:
                problems.append(
                    f"{where}: flag printed {r['printed']!r} with value {r['value']!r} "
                    "(expected YES=1 or NO=0)"
                )
        else:
            try:
                p = float(r["printed"])
            except ValueError:
                problems.append(
                    f"{where}, column printed: expected a number, found {r['printed']!r}"
                )
                continue
            if p != v:
                problems.append(f"{where}: value {v} differs from printed {r['printed']!r}")
    key = ["table", "panel", "column", "row", "statistic"]
    dup = raw[raw.duplicated(key, keep=False)]
    for i in dup.index:
        problems.append(f"{path.name}, line {i + 2}: duplicate key {tuple(raw.loc[i, key])}")
    if problems:
        raise PublishedDataError("\n".join(problems))
    df = raw.copy()
    df["table"] = df["table"].astype(int)
    df["value"] = df["value"].astype(float)
    df["decimals"] = [
        -1 if s == "flag" else decimals_of(p)
        for s, p in zip(df["statistic"], df["printed"], strict=True)
    ]
    return df


def load_tables(path: Path | None = None) -> pd.DataFrame:
    """Load ``tables.csv``: caption (English and Chinese, as printed) and stars note per table."""
    path = Path(path) if path is not None else PUBLISHED / "tables.csv"
    df = _read(path, TABLE_COLUMNS)
    df["table"] = df["table"].astype(int)
    return df.set_index("table")


def load_table1(path: Path | None = None) -> pd.DataFrame:
    """Load ``table1_variables.csv``: Table 1 and the text's definitions of quality and inno."""
    path = Path(path) if path is not None else PUBLISHED / "table1_variables.csv"
    return _read(path, TABLE1_COLUMNS)


def parse_stars_note(note: str) -> dict[str, float]:
    """Parse a table note such as ``"***p < 0.01, **p < 0.05, *p < 0.1"``.

    Returns
    -------
    dict
        Stars string to the p-value threshold it marks, e.g.
        ``{"***": 0.01, "**": 0.05, "*": 0.1}``.
    """
    found = re.findall(r"(\*+)\s*p\s*<\s*([0-9.]+)", note)
    if not found:
        raise ValueError(f"no star legend in note {note!r}")
    out = {s: float(p) for s, p in found}
    if len(out) != len(found):
        raise ValueError(f"a star level is defined twice in note {note!r}")
    return out


@dataclass(frozen=True)
class Published:
    """All published tables, loaded once: ``cells``, ``tables`` and ``table1``."""

    cells: pd.DataFrame
    tables: pd.DataFrame
    table1: pd.DataFrame

    def table(self, number: int) -> pd.DataFrame:
        """The cells of one table, in the paper's reading order."""
        return self.cells[self.cells["table"] == number].reset_index(drop=True)

    def cell(
        self, table: int, row: str, column: str = "", statistic: str = "coef", panel: str = ""
    ) -> pd.Series:
        """One published cell (value, printed text, decimals, stars, ...), e.g. ``cell(4, "inno", "5")``."""
        c = self.cells
        hit = c[
            (c["table"] == table)
            & (c["row"] == row)
            & (c["column"] == column)
            & (c["statistic"] == statistic)
            & (c["panel"] == panel)
        ]
        if len(hit) != 1:
            raise KeyError(
                f"Table {table}: no single published cell for panel={panel!r}, column={column!r}, "
                f"row={row!r}, statistic={statistic!r} (found {len(hit)})"
            )
        return hit.iloc[0]

    def value(
        self, table: int, row: str, column: str = "", statistic: str = "coef", panel: str = ""
    ) -> float:
        """One published number, e.g. ``value(4, "inno", "5")`` -> 0.023."""
        return float(self.cell(table, row, column, statistic, panel)["value"])

    def half_width(
        self, table: int, row: str, column: str = "", statistic: str = "coef", panel: str = ""
    ) -> float:
        """Half the rounding interval of a printed number: ``0.5 * 10**-decimals``."""
        return 0.5 * 10.0 ** -int(self.cell(table, row, column, statistic, panel)["decimals"])

    def stars_levels(self, table: int) -> dict[str, float]:
        """The star legend of a table as ``{stars: p threshold}``."""
        return parse_stars_note(self.tables.loc[table, "stars_note"])


TEXT_COLUMNS = ["section", "claim", "table", "row", "column", "statistic", "printed", "level"]


def load_text_numbers(path: Path | None = None) -> pd.DataFrame:
    """Numbers the paper's *text* states (``text_numbers.csv``), as printed strings.

    Section 4.1 restates Table 2, sections 4.2-4.4 quote coefficients with their significance, and
    section 4.2 claims a bound on the VIFs; the audit checks each against the tables.
    """
    path = Path(path) if path is not None else PUBLISHED / "text_numbers.csv"
    return _read(path, TEXT_COLUMNS)


def load(folder: Path | None = None) -> Published:
    """Load every file of ``data/published/`` (or ``folder``)."""
    folder = Path(folder) if folder is not None else PUBLISHED
    return Published(
        cells=load_cells(folder / "cells.csv"),
        tables=load_tables(folder / "tables.csv"),
        table1=load_table1(folder / "table1_variables.csv"),
    )


__all__ = [
    "PUBLISHED",
    "VARIABLES",
    "Published",
    "PublishedDataError",
    "decimals_of",
    "load",
    "load_cells",
    "load_table1",
    "load_tables",
    "load_text_numbers",
    "parse_stars_note",
]
