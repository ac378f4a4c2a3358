"""What matches, what does not, and why: the prose beside every reproduced table, from the comparison.

Every reproduced table of the book (Tables 2-9) is followed by a note that :func:`note` writes from
the cell-by-cell comparison (:func:`yrd.paper.compare.compare`): how many cells read exactly as
printed and of which kind, then each class of differing cells with its count, its size (in units of
the last printed digit and as a share of the printed value), its largest case, and its reason. No
number in the note is typed: when the twin or the estimators change, the note changes with them.

The reason for a differing cell (:func:`reason`) comes, in this order, from

1. the audit, when the published cell is impossible whatever the data (``reports/audit.csv``,
   verdict ``inconsistent`` for ``sar-total`` and ``sar-indirect-sign``);
2. the F statistics, which the audit identifies as robust Wald F tests over every coefficient,
   the fixed-effect dummies included (``f-fe``), a statistic R-squared does not pin down;
3. stars that differ where the number matches;
4. what the twin is fitted to (:mod:`yrd.data.twinfit`): cells it is not fitted to differ by
   construction; t-statistics it fits only within a tolerance may differ in the last digits;
5. on another panel than the twin, the data.

A cell none of these explains gets :data:`UNEXPLAINED` (the tests require none on the twin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from yrd import ROOT
from yrd.data import twinfit
from yrd.report.tables import COLUMN_NAMES, DESCRIPTIVE_COLUMNS, MINUS, column_name

#: What :func:`reason` says of a cell no reason applies to.
UNEXPLAINED = "Not yet explained."

#: Audit checks whose ``inconsistent`` verdict makes a published Table 9 cell impossible, by
#: (row, statistic). The same cells as :func:`yrd.paper.scoreboard.impossible_cells`, which the one
#: fidelity figure counts apart (a test checks that the two agree).
IMPOSSIBLE = {
    ("total", "coef"): "sar-total",
    ("indirect", "coef"): "sar-indirect-sign",
    ("direct", "coef"): "sar-direct",
    ("indirect", "t"): "sar-effect-t",
    ("total", "t"): "sar-effect-t",
}


#: Cells no panel can reach with the book's W, by (table, panel, column, row, statistic), and the
#: audit check whose arithmetic shows it. The same cells as the audit part of
#: :func:`yrd.paper.scoreboard.unreachable_cells` (a test checks that the two agree).
BOOK_W = {
    (9, "inverse_distance", "SAR", "direct", "t"): "sar-direct-t",
    (8, "spatial_error", "inverse_distance", "robust_lm", "lm"): "lm-ceiling",
    (8, "spatial_lag", "inverse_distance", "lm", "lm"): "lm-ceiling",
    (8, "spatial_lag", "inverse_distance", "robust_lm", "lm"): "lm-ceiling",
    **{
        (9, w, m, r, "t"): "spatial-t"
        for w, m, r in (
            ("inverse_distance", "SEM", "rho"),
            ("inverse_distance", "SEM", "sigma2"),
            ("inverse_distance", "SAR", "rho"),
            ("inverse_distance", "SAR", "sigma2"),
            ("economic", "SEM", "rho"),
            ("economic", "SEM", "sigma2"),
            ("economic", "SAR", "sigma2"),
        )
    },
}


@lru_cache(maxsize=1)
def audit_verdicts() -> dict[tuple[str, str], str]:
    """``(check, table) -> verdict`` from the committed audit report (``reports/audit.csv``, kept
    current by ``tests/test_audit.py``)."""
    path = ROOT / "reports" / "audit.csv"
    if not path.exists():
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {
        (c, t): v for c, t, v in zip(frame["check"], frame["table"], frame["verdict"], strict=True)
    }


def _get(row, key, default=None):
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if value is None else value


def _relative(row) -> float:
    """|reproduced - printed| / |printed| (NaN when either is missing or the printed is 0)."""
    try:
        a, b = float(_get(row, "reproduced", "nan")), float(_get(row, "published", "nan"))
    except (TypeError, ValueError):
        return float("nan")
    if b == 0 or math.isnan(a) or math.isnan(b):
        return float("nan")
    return abs(a - b) / abs(b)


def _audit_table(key) -> str:
    """The audit's table label of a :data:`BOOK_W` cell's check."""
    if key[0] == 8 or BOOK_W[key] == "spatial-t":
        return str(key[0])
    return f"9 ({key[1].replace('_', ' ')})"


def reason(row, synthetic: bool = True) -> str:
    """The class of reason for one differing cell (a row of a comparison): one of the keys of
    :data:`REASONS`, or ``"unexplained"``.

    ``synthetic`` says whether the panel is the twin (``df.attrs["synthetic"]``): on the twin a
    cell it is not fitted to differs by construction; on real data the data are the reason.
    """
    table = int(_get(row, "table", 0))
    stat, name = _get(row, "statistic", ""), _get(row, "row", "")
    match = bool(_get(row, "match", False))
    if (
        table == 9
        and not match
        and _get(row, "panel", "") == "inverse_distance"
        and (name, stat) in IMPOSSIBLE
        and audit_verdicts().get((IMPOSSIBLE[name, stat], "9 (inverse distance)")) == "inconsistent"
    ):
        return "impossible"
    key = (table, _get(row, "panel", ""), _get(row, "column", ""), name, stat)
    if not match and key in BOOK_W and (BOOK_W[key], _audit_table(key)) in audit_verdicts():
        return "book-w-lm" if table == 8 else "book-w-t"
    if synthetic and not match and key in twinfit.UNREACHABLE:
        return twinfit.UNREACHABLE[key]
    if name == "F":
        return "f" if synthetic and twinfit.target(table, name, stat) is None else "f-data"
    if match:
        return "stars-moran" if table == 7 else "stars"
    if not synthetic:
        return "data"
    fit = twinfit.target(table, name, stat, key[1], key[2])
    if fit is None:
        return "t9-search" if key in twinfit.SEARCHED else "not-fitted"
    if fit == "t":
        rel = _relative(row)
        return "t-beyond" if not rel <= twinfit.T_TOLERANCE + 1e-12 else "t"
    # a cell the twin is fitted to at printed precision, yet different: not the committed twin
    # (which `make twin` checks), so this synthetic panel was not built to match it
    return "fitted-missed"


def _pct(x: float) -> str:
    return f"{100 * twinfit.T_TOLERANCE:g}%" if x is None else f"{100 * x:g}%"


#: The sentence of each class of reason; ``{table}`` is the table number, ``{f_fe}`` the audit's
#: verdict on the F statistics of that table, ``{tol}`` the twin's tolerance for t-statistics.
REASONS = {
    "impossible": (
        "No data can give these published values: with $0 < \\rho < 1$ and a non-negative, "
        "row-standardised $W$, the algebra of the effects rules them out (the audit's "
        "{ref}`total effect <audit-sar-total>`, {ref}`sign of the indirect effect "
        "<audit-sar-indirect-sign>`, {ref}`direct effect <audit-sar-direct>` and "
        "{ref}`effects' t-statistics <audit-sar-effect-t>` checks, for effects and delta-method "
        "standard errors computed from the estimates, as the book computes them), so neither the "
        "twin nor the real panel can match them."
    ),
    "book-w-lm": (
        "No panel can give these published values with the book's inverse-distance $W$, whatever "
        "its data: the part of the LM tests that depends on the regressors has a ceiling under "
        "that $W$, and it lets the LM error test match with at most one of the other three "
        "({ref}`audit-lm-ceiling`). The twin matches the LM error test. The paper does not give "
        "its $W$; another one may allow them."
    ),
    "book-w-t": (
        "No panel can give these published values with the book's $W$ and standard errors "
        "(expected information; delta method for the effects), whatever its data: the "
        "$t$-statistics of $\\lambda$ and $\\sigma^2$ in a SEM are functions of $\\lambda$ and "
        "$W$ alone and bound a SAR's from below ({ref}`audit-spatial-t`), and with the printed "
        "coefficient and $\\rho$ the delta method puts a floor under the direct effect's $t$ "
        "({ref}`audit-sar-direct-t`). The paper does not give its $W$, and Stata's `xsmle` uses "
        "the observed information by default; either may allow them."
    ),
    "lm-design": (
        "The twin's design cannot reach these: over every rotation of its synthetic columns the "
        "lag part of the economic-distance LM tests stays above what Table 8 asks "
        "({ref}`twin-table8-parts`), while its LM error test is fitted. Other data may."
    ),
    "t9-design": (
        "The twin's design cannot reach these: the precision of `inno` in the spatial models is "
        "bounded by the within-city variation of the regressors, which the twin's moment design "
        "fixes, and with it the printed $t$ of `inno` (and of the direct effect that follows it) "
        "is out of reach (`yrd_twin.spcells` gives the bounds). Other data may reach them."
    ),
    "t9-held": (
        "The twin reaches each of these only by giving up another printed cell: with every cell "
        "of Tables 2-8 (and the Table 9 cells it matches) held, its generator cannot move them "
        "into their rounding box, and once the held cells that block them are let go they come "
        "in while those leave theirs ({ref}`twin-table9-binding` names the blockers, cell by "
        "cell; for some, the blockers include the matched cells of their own model, such as a "
        "$t$-statistic that comes in only once its coefficient may move). "
        "That is measured along the generator's path, not proved: other data may match them all. "
        "They say nothing about the paper."
    ),
    "t9-search": (
        "The twin is not fitted to these, and no proof rules them out. Reaching for each alone "
        "from the committed twin, with every earlier target held, did not bring it in, and "
        "letting go of the held targets that blocked it (where any did) did not either "
        "({ref}`twin-table9-binding`). They are whatever the twin's synthetic columns give and "
        "say nothing about the paper; only the real panel can reproduce them."
    ),
    "f": (
        "The twin is not fitted to the F statistics. The paper's F is a robust "
        "{term}`Wald F test <Wald F test>` of every coefficient but the constant, the city and year "
        "dummies included where the column has them (the audit's {ref}`F-statistic check "
        "<audit-f-fe>`: {f_fe}); R-squared does not pin it down, so a panel fitted to every other "
        "cell can give another F. The book computes the same statistic, so on the real panel this "
        "row is a check."
    ),
    "f-data": (
        "The book computes the paper's F, a robust {term}`Wald F test <Wald F test>` of every "
        "coefficient but the constant, dummies included (the audit's {ref}`F-statistic check "
        "<audit-f-fe>`: {f_fe}); on this panel it comes out different."
    ),
    "stars-moran": (
        "Their stars come from the variance of Moran's I under the null, which "
        "depends on details of $W$ the paper does not give (the audit's {ref}`check of the stars "
        "<audit-stars-moran>`)."
    ),
    "stars": ("Their stars follow the t-statistics, which differ (see the t rows)."),
    "not-fitted": (
        "The twin is not fitted to {table}: these numbers are whatever its synthetic columns "
        "give, so they say nothing about the paper ({ref}`twin-spatial-distances`); only the real "
        "panel can reproduce them."
    ),
    "t": (
        "The twin is fitted to the {t_kind} only to within {tol} of the printed value "
        "({ref}`twin-fidelity`), not at printed precision, so the last digits need not agree; every "
        "one here is within that tolerance."
    ),
    "t-beyond": (
        "These t-statistics are more than {tol} from the printed value, outside the tolerance the "
        "twin is fitted to: not expected (see the twin chapter's {ref}`fidelity report "
        "<twin-fidelity>`)."
    ),
    "fitted-missed": (
        "The twin is built to reproduce these cells at printed precision, and `make twin` refuses a "
        "twin that misses one; a synthetic panel that differs here is not the committed twin "
        "({ref}`twin-fidelity`)."
    ),
    "data": (
        "On this panel the number differs from the printed one. The estimators are checked by hand "
        "and against R, so the difference lies in the data or in a choice the paper does not state; "
        "the {ref}`audit <audit>` lists what the paper's own numbers reveal."
    ),
    "unexplained": UNEXPLAINED,
}

#: The order in which the classes are listed beside a table.
ORDER = tuple(REASONS)

#: A few words for each class of reason, for lists of cells (the scoreboard).
TITLES = {
    "impossible": "Impossible as printed",
    "book-w-lm": "LM tests: no panel with the book's W",
    "book-w-t": "t: no panel with the book's W and SEs",
    "lm-design": "LM tests beyond the twin's design",
    "t9-design": "t of inno beyond the twin's design",
    "t9-held": "Table 9: only by giving up an earlier target",
    "t9-search": "Table 9: searched for, not reached",
    "f": "F: not fitted by the twin",
    "f-data": "F: differs on this panel",
    "stars-moran": "Moran's I: stars only",
    "stars": "Stars only",
    "not-fitted": "Table not fitted by the twin",
    "t": f"t: fitted within {100 * twinfit.T_TOLERANCE:g}%",
    "t-beyond": f"t: beyond {100 * twinfit.T_TOLERANCE:g}%",
    "fitted-missed": "Fitted by the twin, missed here",
    "data": "Differs on this panel",
    "unexplained": "Not yet explained",
}


def reason_text(key: str, table) -> str:
    """The sentence of a class of reason for Table ``table`` or several tables (MyST: links, math).

    >>> reason_text("not-fitted", [8, 9]).split(":")[0]
    'The twin is not fitted to Tables 8 and 9'
    """
    numbers = [int(table)] if isinstance(table, int | str) else [int(t) for t in table]
    verdicts = {audit_verdicts().get(("f-fe", str(t)), "") for t in numbers}
    f_fe = verdicts.pop() if len(verdicts) == 1 else ""
    f_fe = {
        "consistent": "consistent with a robust dummy-variable regression",
        "": "see there",
    }.get(f_fe, f_fe)
    names = ("Table " if len(numbers) == 1 else "Tables ") + _join([str(n) for n in numbers])
    text = REASONS[key]
    t_kind = (
        "{term}`HC1` t-statistics"
        if all(n in (4, 5, 6) for n in numbers)
        else "t-statistics (HC1 in Tables 4-6)"
    )
    values = (
        ("table", names),
        ("f_fe", f_fe),
        ("tol", _pct(twinfit.T_TOLERANCE)),
        ("t_kind", t_kind),
    )
    for name, value in values:
        text = text.replace(f"{{{name}}}", str(value))
    return text


def explain(row, synthetic: bool = True) -> str:
    """The explanation of one differing cell: the sentence of its :func:`reason`."""
    return reason_text(reason(row, synthetic), int(_get(row, "table", 0)))


# --------------------------------------------------------------------------------------------
# Words for cells
# --------------------------------------------------------------------------------------------

#: Plural names of the kinds of cell, by row (first) or statistic.
KIND_BY_ROW = {
    "const": "constants",
    "rho": "spatial coefficients ($\\rho$, $\\lambda$)",
    "sigma2": "error variances",
    "direct": "effects",
    "indirect": "effects",
    "total": "effects",
    "nobs": "observation counts",
    "n_ids": "city counts",
    "r2": "R-squared",
    "r2_a": "adjusted R-squared",
    "F": "F statistics",
}
KIND_BY_STATISTIC = {
    "coef": "coefficients",
    "t": "t-statistics",
    "flag": "fixed-effect flags",
    "corr": "correlations",
    "moran_i": "values of Moran's I",
    "lm": "LM statistics",
    "obs": "observation counts",
    "mean": "means",
    "sd": "standard deviations",
    "min": "minima",
    "median": "medians",
    "max": "maxima",
}


def kind(row) -> str:
    """The plural name of a cell's kind: ``"t-statistics"``, ``"F statistics"``, ``"means"`` ..."""
    stat, name = _get(row, "statistic", ""), _get(row, "row", "")
    if stat == "t":
        return "t-statistics"
    if stat in ("coef", "value") and name in KIND_BY_ROW:
        return KIND_BY_ROW[name]
    return KIND_BY_STATISTIC.get(stat, stat)


def singular(kinds: str) -> str:
    """The singular of a kind's name: ``"F statistics"`` -> ``"F statistic"``."""
    special = {
        "R-squared": "R-squared",
        "adjusted R-squared": "adjusted R-squared",
        "values of Moran's I": "value of Moran's I",
        "minima": "minimum",
        "maxima": "maximum",
        "spatial coefficients ($\\rho$, $\\lambda$)": "spatial coefficient",
    }
    return special.get(kinds, kinds[:-1] if kinds.endswith("s") else kinds)


def where(row) -> str:
    """Where a cell sits in the paper's table, in words: ``"wage, column (4)"``, ``"2019,
    Inverse distance"``, ``"SD of infra"``."""
    table = int(_get(row, "table", 0))
    label = _get(row, "label", "") or _get(row, "row", "")
    column, panel = str(_get(row, "column", "")), _get(row, "panel", "")
    stat = _get(row, "statistic", "")
    if table == 2:
        return f"{DESCRIPTIVE_COLUMNS.get(stat, stat)} of {label}"
    if table == 3:
        return f"{label} with {column}"
    if table in (7, 8):
        col = COLUMN_NAMES.get(column, column)
        head = f"{panel.replace('_', ' ').capitalize()} {label}" if panel else label
        return f"{head}, {col}"
    if table == 5:
        return label
    if table == 9:
        return f"{label}, {column_name(panel, column, 'regression')}"
    return f"{label}, column ({column})"


def _show(text: str, stat: str) -> str:
    shown = str(text).replace("-", MINUS)
    return f"({shown})" if stat == "t" else shown


def _join(words: list[str]) -> str:
    words = list(dict.fromkeys(words))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _share(x: float) -> str:
    """A relative difference in words: 0.4%, 3.1%, 41%, 13 times."""
    p = 100 * x
    if p >= 200:
        return f"{x:.0f} times"
    return f"{p:.1f}%" if p < 10 else f"{p:.0f}%"


def _shares(a: float, b: float) -> str:
    """The range of relative differences: "(2.4% to 50% of the printed value)"."""
    lo, hi = _share(a), _share(b)
    of = lambda s: s if s.endswith("times") else f"{s} of"  # noqa: E731
    if lo == hi:
        return f" ({of(lo)} the printed value)"
    if hi.endswith("times"):
        return f" (from {of(lo)} the printed value to {hi} it)"
    return f" ({lo} to {hi} of the printed value)"


def _size(group: pd.DataFrame) -> str:
    """How far a group of differing cells is from the paper: units of the last digit and shares."""
    numeric = group[~group["match"] & group["units"].apply(lambda u: math.isfinite(u))]
    if numeric.empty:
        return ""
    lo, hi = int(numeric["units"].min()), int(numeric["units"].max())
    units = f"{lo} unit" + ("s" if lo != 1 else "") if lo == hi else f"{lo} to {hi} units"
    rel = numeric.apply(_relative, axis=1).dropna()
    share = _shares(rel.min(), rel.max()) if len(rel) else ""
    top = numeric.loc[numeric["units"].idxmax()]
    case = (
        f"{_show(top['reproduced'], top['statistic'])} instead of "
        f"{_show(top['published'], top['statistic'])} ({where(top)})"
    )
    lead = "; largest: " if len(numeric) > 1 else ": "
    return f"by {units} of the last printed digit{share}{lead}{case}"


def _stars_words(group: pd.DataFrame) -> str:
    r = group.iloc[0]
    here = f"{_show(r['reproduced'], r['statistic'])}{r['stars_reproduced'] or ' (no star)'}"
    there = f"{_show(r['published'], r['statistic'])}{r['stars_published'] or ' (no star)'}"
    example = "e.g. " if len(group) > 1 else ""
    verb = "match but the stars differ" if len(group) > 1 else "matches but the stars differ"
    return (
        f"the number{'s' if len(group) > 1 else ''} {verb} ({example}{where(r)}: {here} here, "
        f"{there} in the paper)"
    ).replace("*", "\\*")


@dataclass(frozen=True)
class Group:
    """One class of differing cells beside a table."""

    reason: str
    cells: pd.DataFrame

    def sentence(self, table: int) -> str:
        n = len(self.cells)
        if n > 1:
            head = f"**{n} {_join([kind(r) for _, r in self.cells.iterrows()])}**"
        else:
            head = f"**One {singular(kind(self.cells.iloc[0]))}**"
        if self.reason in ("stars", "stars-moran"):
            what = ": " + _stars_words(self.cells)
        else:
            what = (" differ " if n > 1 else " differs ") + _size(self.cells)
        return f"{head}{what}. {reason_text(self.reason, table)}"


def groups(comparison: pd.DataFrame, synthetic: bool = True) -> list[Group]:
    """The differing cells of a comparison, grouped by :func:`reason`, in the order of :data:`ORDER`."""
    bad = comparison[~(comparison["match"] & comparison["stars_match"])]
    if bad.empty:
        return []
    keys = [reason(r, synthetic) for _, r in bad.iterrows()]
    bad = bad.assign(_reason=keys)
    return [
        Group(key, bad[bad["_reason"] == key].drop(columns="_reason"))
        for key in ORDER
        if (bad["_reason"] == key).any()
    ]


def _matched_kinds(comparison: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Kinds whose cells all match (stars included), and kinds with at least one difference."""
    ok = comparison["match"] & comparison["stars_match"]
    kinds = [kind(r) for _, r in comparison.iterrows()]
    frame = pd.DataFrame({"kind": kinds, "ok": ok.to_numpy()})
    by = frame.groupby("kind", sort=False)["ok"].all()
    return [k for k, v in by.items() if v], [k for k, v in by.items() if not v]


def note(comparison: pd.DataFrame, synthetic: bool = True, label: str | None = None) -> str:
    """The Markdown note beside a reproduced table: what matches, what does not, and why.

    Parameters
    ----------
    comparison
        One table's comparison (:func:`yrd.paper.compare.compare`).
    synthetic
        Whether the panel is the twin (``df.attrs["synthetic"]``).
    label
        The reproduced table's label, to refer to it (``{numref}``).

    Examples
    --------
    The first sentence counts, the next ones give each class of difference with its reason::

        **What matches.** 82 of the 122 cells read exactly as printed: every coefficient, ...
    """
    table = int(comparison["table"].iloc[0])
    n = len(comparison)
    same = comparison["match"] & comparison["stars_match"]
    m = int(same.sum())
    ref = f"{{numref}}`{label}`" if label else f"Table {table}"
    fitted = {
        twinfit.target(table, r, s, p, c)
        for r, s, p, c in zip(
            comparison["row"],
            comparison["statistic"],
            comparison["panel"] if "panel" in comparison else [""] * n,
            comparison["column"] if "column" in comparison else [""] * n,
            strict=True,
        )
    }
    if m == n:
        text = f"**All {n} cells of {ref} match the paper at printed precision**, stars included."
        if synthetic and fitted - {None}:
            text += (
                " The twin is fitted to them, so this shows that the code computes what the paper "
                "printed, the way it printed it; it says nothing about the paper's data."
            )
        return text
    good, _ = _matched_kinds(comparison)
    numbers = int(comparison["match"].sum())
    if m == 0 and numbers == 0:
        head = f"**No cell of {ref} matches the paper at printed precision.**"
    elif numbers > m:
        some = f"All {n}" if numbers == n else f"{numbers} of the {n}"
        head = (
            f"**What matches.** {some} numbers of {ref} read exactly as printed, "
            f"{m} of them with the paper's stars too"
        )
    else:
        head = f"**What matches.** {m} of the {n} cells of {ref} read exactly as printed, stars included"
    if good and m:
        head += ": all the " + _join(good)
    if not head.endswith("**"):
        head += "."
    n_off = n - m
    lines = [
        head,
        "",
        f"**What differs, and why.** {n_off} {'cell' if n_off == 1 else 'cells'}:",
        "",
    ]
    for g in groups(comparison, synthetic):
        lines.append(f"- {g.sentence(table)}")
    return "\n".join(lines)


def reason_list(comparisons: pd.DataFrame, synthetic: bool = True) -> str:
    """Every class of reason that applies to some differing cell, as a Markdown list: its title, how
    many cells of which tables, and its sentence (the scoreboard's key to :func:`cell_list`)."""
    bad = comparisons[~(comparisons["match"] & comparisons["stars_match"])]
    keys = pd.Series([reason(r, synthetic) for _, r in bad.iterrows()], index=bad.index)
    lines = []
    for key in ORDER:
        sub = bad[keys == key]
        if sub.empty:
            continue
        numbers = [int(t) for t in dict.fromkeys(sub["table"])]
        where_ = ("Table " if len(numbers) == 1 else "Tables ") + _join([str(n) for n in numbers])
        text = reason_text(key, numbers)
        lines.append(f"- **{TITLES[key]}** ({_count(len(sub), 'cell', 'cells')}, {where_}). {text}")
    return "\n".join(lines)


def cell_list(comparisons: pd.DataFrame, synthetic: bool = True) -> pd.DataFrame:
    """Every differing cell, one row each, for reading: table, where it sits, the paper's and the
    reproduced number, the distance in units of the last printed digit, and the reason's title
    (:data:`TITLES`; the sentences are in :func:`reason_list`). Indexed by table number."""
    bad = comparisons[~(comparisons["match"] & comparisons["stars_match"])]
    rows = []
    for _, r in bad.iterrows():
        key = reason(r, synthetic)
        units = r["units"]
        rows.append(
            {
                "Table": int(r["table"]),
                "Cell": where(r),
                "Paper": (_show(r["published"], r["statistic"]) + r["stars_published"]),
                "Reproduced": (_show(r["reproduced"], r["statistic"]) + r["stars_reproduced"])
                or "—",
                "Off by (units)": "stars"
                if r["match"]
                else (f"{units:.0f}" if math.isfinite(units) else "—"),
                "Reason": TITLES[key],
            }
        )
    return pd.DataFrame(rows).set_index("Table")


__all__ = [
    "BOOK_W",
    "IMPOSSIBLE",
    "ORDER",
    "REASONS",
    "TITLES",
    "UNEXPLAINED",
    "Group",
    "audit_verdicts",
    "cell_list",
    "explain",
    "groups",
    "kind",
    "note",
    "reason",
    "reason_list",
    "reason_text",
    "where",
]
