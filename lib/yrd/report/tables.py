"""One formatter for every table in the book, in the paper's layout.

Tables travel through the book in *long* form, one row per cell, with the
columns of ``data/published/cells.csv`` (``panel``, ``column``, ``row``,
``label``, ``statistic``) plus a display string ``text``. Published cells get
their text from what the paper printed; reproduced cells are formatted with
:func:`cell_text` at the published precision. :func:`paper_layout` turns
either into the grid the paper prints (coefficient with stars, t-statistic in
parentheses beneath, then Observations, R-squared, effect rows ...), and
:func:`to_myst_table` renders a grid as a numbered, cross-referenceable MyST
table.
"""

from __future__ import annotations

import math

import pandas as pd

MINUS = "\u2212"  # the paper prints U+2212, not a hyphen

#: Display names of the published column keys.
COLUMN_NAMES = {
    "inverse_distance": "Inverse distance",
    "economic": "Economic",
}

#: Display names of Table 2's statistics, in the paper's order.
DESCRIPTIVE_COLUMNS = {
    "obs": "Obs",
    "mean": "Mean",
    "sd": "SD",
    "min": "Min",
    "median": "Median",
    "max": "Max",
}

#: Layout kind of each published table.
LAYOUT = {
    2: "descriptive",
    3: "matrix",
    4: "regression",
    5: "regression",
    6: "regression",
    7: "matrix",
    8: "matrix",
    9: "regression",
}


def printed_text(value: float, decimals: int, statistic: str = "coef") -> str:
    """A number as the paper's transcription holds it (``printed`` in ``data/published/cells.csv``).

    ASCII, rounded to ``decimals`` places, no sign on a rounded zero (Stata prints -0.000 as
    0.000), ``YES``/``NO`` for flags, empty for a missing value. Two numbers agree at printed
    precision exactly when their printed texts are equal.

    Examples
    --------
    >>> printed_text(-0.0004, 3), printed_text(0.0305, 2), printed_text(1.0, 0, "flag")
    ('0.000', '0.03', 'YES')
    """
    if statistic == "flag":
        return "YES" if value else "NO"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    s = f"{value:.{max(decimals, 0)}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s


def display_text(printed: str, stars: str = "", statistic: str = "coef") -> str:
    """What a reader sees for a printed number: the typographic minus (U+2212, as the paper),
    a t-statistic in parentheses, the stars appended to a coefficient.

    >>> display_text("-0.36", statistic="t"), display_text("0.030", "***")
    ('(−0.36)', '0.030***')
    """
    shown = printed.replace("-", MINUS)
    if statistic == "t":
        return f"({shown})" if shown else ""
    return shown + stars


def cell_text(value: float, decimals: int, stars: str = "", statistic: str = "coef") -> str:
    """Format one number as the paper prints it: :func:`display_text` of :func:`printed_text`.

    Examples
    --------
    >>> cell_text(0.0301, 3, "***")
    '0.030***'
    >>> cell_text(-0.357, 2, statistic="t")
    '(−0.36)'
    """
    return display_text(printed_text(value, decimals, statistic), stars, statistic)


#: Shading of a reproduced cell that differs from the paper, by its distance from the printed
#: number in units of the last printed digit (:func:`yrd.paper.compare.digit_units`): (CSS class,
#: largest distance in the grade, legend text). 3.29 against 3.30 is one unit; 846 against 521, 325.
DIFF_GRADES = (
    ("yrd-d1", 1, "1 unit"),
    ("yrd-d2", 9, "2-9 units"),
    ("yrd-d3", 99, "10-99 units"),
    ("yrd-d4", math.inf, "100 units or more"),
)
#: Class of a cell whose number matches but whose stars differ.
STARS_CLASS = "yrd-dstars"


def diff_class(units: float, match: bool = False) -> str:
    """CSS classes of a differing cell: ``yrd-diff`` and its grade in :data:`DIFF_GRADES` (or
    :data:`STARS_CLASS` when the number matches and only the stars differ; the largest grade for
    a cell not reproduced at all).

    >>> diff_class(1), diff_class(16), diff_class(1387), diff_class(0, match=True)
    ('yrd-diff yrd-d1', 'yrd-diff yrd-d3', 'yrd-diff yrd-d4', 'yrd-diff yrd-dstars')
    """
    if match:
        return f"yrd-diff {STARS_CLASS}"
    if units is None or (isinstance(units, float) and math.isnan(units)):
        units = math.inf
    for css, upper, _ in DIFF_GRADES:
        if units <= upper:
            return f"yrd-diff {css}"
    raise AssertionError("unreachable: the last grade has no upper bound")


def diff_legend() -> str:
    """The legend of the shading, as an HTML paragraph for a Markdown page (one swatch per grade)."""
    swatches = " ".join(
        f'<span class="yrd-diff {css}">{text}</span>' for css, _, text in DIFF_GRADES
    )
    return (
        '<p class="yrd-legend">Shading: how far a reproduced number is from the printed one, in '
        "units of the last printed digit (3.29 against 3.30 is 1 unit, 0.029 against 0.030 too): "
        f'{swatches} <span class="yrd-diff {STARS_CLASS}">number matches, stars differ</span></p>'
    )


def published_text(cells: pd.DataFrame) -> pd.DataFrame:
    """Add the display ``text`` of published cells: what was printed, stars appended."""
    out = cells.copy()
    out["text"] = [
        display_text(printed, stars, stat)
        for stat, printed, stars in zip(out["statistic"], out["printed"], out["stars"], strict=True)
    ]
    return out


def _column_keys(cells: pd.DataFrame) -> list[tuple[str, str]]:
    return list(dict.fromkeys(zip(cells["panel"], cells["column"], strict=True)))


def column_name(panel: str, column: str, kind: str) -> str:
    """Header of a column: ``(1)`` for numbered regressions, ``Economic: SAR`` for Table 9."""
    if kind == "regression" and column.isdigit():
        return f"({column})"
    name = COLUMN_NAMES.get(column, column)
    return f"{COLUMN_NAMES.get(panel, panel)}: {name}" if panel else name


def paper_layout(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Arrange long cells (with a ``text`` column) in the paper's grid.

    Parameters
    ----------
    cells
        Long table with columns ``panel``, ``column``, ``row``, ``label``,
        ``statistic`` and ``text``, in reading order (rows appear in the order
        of their first cell).
    kind
        ``"regression"`` (coefficient rows followed by their t-statistic in
        parentheses, then model statistics), ``"descriptive"`` (variables by
        statistics, Table 2) or ``"matrix"`` (one number per row and column:
        Tables 3, 7 and 8).

    Returns
    -------
    DataFrame
        Strings; empty where the paper prints nothing. The index holds the
        row labels (blank under a coefficient, where its t-statistic goes).
    """
    need = {"panel", "column", "row", "label", "statistic", "text"}
    missing = need - set(cells.columns)
    if missing:
        raise ValueError(f"paper_layout: cells lack columns {sorted(missing)}")
    if kind == "descriptive":
        rows = list(dict.fromkeys(cells["row"]))
        labels = cells.drop_duplicates("row").set_index("row")["label"]
        stats = [s for s in DESCRIPTIVE_COLUMNS if s in set(cells["statistic"])]
        grid = cells.pivot(index="row", columns="statistic", values="text").reindex(
            index=rows, columns=stats
        )
        grid.index = [labels[r] for r in rows]
        grid.columns = [DESCRIPTIVE_COLUMNS[s] for s in stats]
        return grid.fillna("")
    if kind == "matrix":
        # one number per (panel, row) and column: panels stack vertically (Table 8)
        cols = [("", c) for c in dict.fromkeys(cells["column"])]
        keys = list(dict.fromkeys(zip(cells["panel"], cells["row"], strict=True)))
        lines = []
        index = []
        for panel, row in keys:
            sub = cells[(cells["panel"] == panel) & (cells["row"] == row)]
            label = sub["label"].iloc[0]
            index.append(f"{panel.replace('_', ' ').capitalize()}: {label}" if panel else label)
            by_col = dict(zip(sub["column"], sub["text"], strict=True))
            lines.append([by_col.get(c, "") for _, c in cols])
        return pd.DataFrame(lines, index=index, columns=[COLUMN_NAMES.get(c, c) for _, c in cols])
    if kind != "regression":
        raise ValueError(f"paper_layout: unknown kind {kind!r}")
    cols = _column_keys(cells)
    headers = [column_name(p, c, kind) for p, c in cols]
    lines, index = [], []
    for row in dict.fromkeys(cells["row"]):
        sub = cells[cells["row"] == row]
        label = sub["label"].iloc[0]
        stats = list(dict.fromkeys(sub["statistic"]))
        for stat in stats:
            part = sub[sub["statistic"] == stat]
            by_col = {
                (p, c): t
                for p, c, t in zip(part["panel"], part["column"], part["text"], strict=True)
            }
            lines.append([by_col.get(k, "") for k in cols])
            index.append("" if stat == "t" else label)
    return pd.DataFrame(lines, index=index, columns=headers)


def to_myst_table(
    grid: pd.DataFrame, caption: str, label: str, index_name: str = "", classes: str = ""
) -> str:
    """Render a grid as a MyST ``{table}`` directive (numbered, referenceable by ``label``), with
    HTML ``classes`` on the table when given (e.g. ``yrd-variables``, which yrd.css stacks on
    phones)."""

    def esc(s: object) -> str:
        # stars are significance marks, not Markdown emphasis
        return str(s).replace("|", "\\|").replace("*", "\\*")

    head = "| " + " | ".join([esc(index_name)] + [esc(c) for c in grid.columns]) + " |"
    sep = "|" + "|".join([":---"] + [":---:"] * len(grid.columns)) + "|"
    body = [
        "| " + " | ".join([esc(i) if i else "&nbsp;"] + [esc(v) for v in row]) + " |"
        for i, row in zip(grid.index, grid.itertuples(index=False), strict=True)
    ]
    options = [f":name: {label}"] + ([f":class: {classes}"] if classes else [])
    return "\n".join([f"```{{table}} {caption}", *options, "", head, sep, *body, "```"])


__all__ = [
    "COLUMN_NAMES",
    "DESCRIPTIVE_COLUMNS",
    "DIFF_GRADES",
    "STARS_CLASS",
    "diff_class",
    "diff_legend",
    "LAYOUT",
    "MINUS",
    "cell_text",
    "column_name",
    "paper_layout",
    "published_text",
    "to_myst_table",
    "variables_table",
]


#: Table 1's roles, in the words the book uses.
ROLES = {"dependent": "outcome", "explanatory": "treatment", "control": "control"}


def scroll_box(markdown: str, css: str = "yrd-scrollbox") -> str:
    """Wrap MyST Markdown (e.g. a long :func:`to_myst_table`) in a box of limited height that
    scrolls (``yrd.css``), so a long list is shown in full without taking over the page; printed,
    the box grows to its content."""
    return f"::::{{container}} {css}\n{markdown}\n::::"


__all__ += ["scroll_box"]


def variables_table(table1: pd.DataFrame) -> pd.DataFrame:
    """Table 1 laid out for reading: one row per variable, its meaning and its measure, each in
    English with the paper's Chinese beneath it (``<span class="yrd-zh">``), and where the paper
    defines it.

    ``table1`` is ``yrd.data.published.load().table1`` (columns ``variable``, ``role``,
    ``meaning_en``, ``meaning_zh``, ``measure_en``, ``measure_zh``, ``source``). The result is indexed
    by the variable's name in code with its role and has the columns
    ``Meaning``, ``Measure`` and ``Defined in``, ready for :func:`to_myst_table`.
    """

    def both(en: str, zh: str) -> str:
        return f'{en}<br><span class="yrd-zh" lang="zh">{zh}</span>'

    t = table1.reset_index() if "variable" not in table1.columns else table1
    out = pd.DataFrame(
        {
            "Meaning": [both(e, z) for e, z in zip(t["meaning_en"], t["meaning_zh"], strict=True)],
            "Measure": [both(e, z) for e, z in zip(t["measure_en"], t["measure_zh"], strict=True)],
            "Defined in": list(t["source"]),
        },
        index=[
            f"`{v}`<br>{ROLES.get(r, r)}" for v, r in zip(t["variable"], t["role"], strict=True)
        ],
    )
    return out


def published_grid(pub, number: int) -> pd.DataFrame:
    """The published Table ``number`` (2-9) in the paper's layout, from ``data/published/``.

    ``pub`` is a :class:`yrd.data.published.Published` (``yrd.data.published.load()``).
    """
    if number not in LAYOUT:
        raise ValueError(f"published_grid: Tables 2-9 have cells; got Table {number}")
    return paper_layout(published_text(pub.table(number)), LAYOUT[number])


def published_myst(pub, number: int, label: str | None = None) -> str:
    """Published Table ``number`` as a numbered MyST table captioned as the paper captions it."""
    meta = pub.tables.loc[number]
    note = f" Note: {meta['stars_note']}." if meta["stars_note"] else ""
    caption = (
        f"Paper's Table {number}. {meta['title_en']} ({meta['title_zh']}), as published.{note}"
    )
    grid = published_grid(pub, number)
    first = "VarName" if LAYOUT[number] == "descriptive" else ""
    return to_myst_table(grid, caption, label or f"tbl-published-{number}", index_name=first)


__all__ += ["published_grid", "published_myst"]
