"""The introduction's road map, generated from the table of contents and the reports, never typed.

One row per chapter of ``_toc.yml``, in order, under its part: the chapter (a link), the paper's
tables it prints or reproduces (found by :func:`yrd_book.bookmap.table_map` in the chapter sources),
and its status:

* ``planned`` when the TOC names a chapter whose source does not exist yet, else ``written``;
* for a chapter that reproduces tables, how the twin fares on them, from the fidelity report
  (``reports/fidelity.csv``, written by ``make twin``): cells the twin is fitted to and matches at
  printed precision, t-statistics within the twin's tolerance, and, for tables the twin is not
  fitted to, how many cells fall within printed precision anyway;
* for the twin chapter, the same totals over every fitted table;
* for the audit chapter, how many verdicts ``reports/audit.csv`` holds.

The introduction shows it through the ``{road-map}`` directive of :mod:`yrd_book.sphinxext`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import ROOT
from .course import toc_parts

#: Chapters whose status also says what a report holds: the twin (fidelity) and the audit.
TWIN_CHAPTER = "notebooks/twin"
AUDIT_CHAPTER = "notebooks/audit"


def fidelity_report(root: Path = ROOT) -> pd.DataFrame:
    """``reports/fidelity.csv`` with a boolean ``target`` column (:func:`yrd_twin.fidelity.targets`)."""
    from yrd_twin.fidelity import SE_CHOICE, targets

    rep = pd.read_csv(root / "reports" / "fidelity.csv", dtype={"table": str})
    rep["match"] = rep["match"].astype(str).str.lower().eq("true")
    rep["target"] = rep.index.isin(targets(rep, SE_CHOICE).index)
    rep["is_t"] = rep["statistic"].astype(str).str.startswith("t:")
    return rep


def _tables(numbers: list[int]) -> str:
    numbers = sorted(numbers)
    if not numbers:
        return ""
    runs, start = [], numbers[0]
    for a, b in zip(numbers, [*numbers[1:], None], strict=True):
        if b != a + 1:
            runs.append(str(start) if start == a else f"{start}-{a}")
            start = b
    return ("Table " if len(numbers) == 1 else "Tables ") + ", ".join(runs)


def table_status(rep: pd.DataFrame, number: int) -> str:
    """How the twin fares on one table, from the fidelity report.

    >>> rep = pd.DataFrame({"table": ["4", "4", "4", "9"], "match": [True, True, False, True],
    ...     "target": [True, True, True, False], "is_t": [False, True, True, False]})
    >>> table_status(rep, 4), table_status(rep, 9)
    ('Table 4: 1/1 cells, 1/2 t within 5%', 'Table 9: not fitted (1/1 cells match anyway)')
    """
    from yrd_twin.fidelity import T_TOL

    rows = rep[rep["table"] == str(number)]
    fitted = rows[rows["target"]]
    if fitted.empty:
        measured = rows[~rows["is_t"]]
        anyway = f" ({int(measured['match'].sum())}/{len(measured)} cells match anyway)"
        return f"Table {number}: not fitted" + (anyway if len(measured) else "")
    cells, ts = fitted[~fitted["is_t"]], fitted[fitted["is_t"]]
    text = f"Table {number}: {int(cells['match'].sum())}/{len(cells)} cells"
    if len(ts):
        text += f", {int(ts['match'].sum())}/{len(ts)} t within {100 * T_TOL:g}%"
    return text


def twin_status(rep: pd.DataFrame) -> str:
    """The twin's totals: fitted tables, cells and t-statistics matched; tables not fitted."""
    from yrd_twin.fidelity import T_TOL

    tables = sorted({int(t) for t in rep["table"] if str(t).isdigit()})
    fitted = sorted({int(t) for t in rep.loc[rep["target"], "table"] if str(t).isdigit()})
    cells = rep[rep["target"] & ~rep["is_t"] & rep["table"].str.isdigit()]
    ts = rep[rep["target"] & rep["is_t"]]
    text = (
        f"fitted to {_tables(fitted)}: {int(cells['match'].sum())}/{len(cells)} cells at printed "
        f"precision, {int(ts['match'].sum())}/{len(ts)} t-statistics within {100 * T_TOL:g}%"
    )
    rest = [t for t in tables if t not in fitted]
    return text + (f"; {_tables(rest)} not fitted" if rest else "")


def chapter_rows(root: Path = ROOT) -> pd.DataFrame:
    """One row per TOC chapter: part, chapter file, the paper's tables, status."""
    from .bookmap import table_map

    tmap = table_map(root)
    rep = fidelity_report(root)
    audit = root / "reports" / "audit.csv"
    rows = []
    for caption, chapters in toc_parts(root):
        for chapter in chapters:
            exists = any((root / f"{chapter}{ext}").exists() for ext in (".py", ".md", ".ipynb"))
            printed = [int(t) for t in tmap.loc[tmap["published_in"] == chapter, "table"]]
            reproduced = [int(t) for t in tmap.loc[tmap["reproduced_in"] == chapter, "table"]]
            if chapter == "notebooks/variables":
                printed = [1, *printed]  # Table 1 is definitions, printed as a list
            paper = []
            if printed:
                paper.append(f"{_tables(printed)} as printed")
            if reproduced:
                paper.append(f"{_tables(reproduced)} reproduced")
            status = ["written" if exists else "planned"]
            if exists and reproduced:
                status.append("on the twin, " + "; ".join(table_status(rep, n) for n in reproduced))
            if exists and chapter == TWIN_CHAPTER:
                status.append(twin_status(rep))
            if exists and chapter == AUDIT_CHAPTER and audit.exists():
                n = len(pd.read_csv(audit, dtype=str, keep_default_na=False))
                status.append(f"{n} verdicts from the published numbers alone")
            rows.append(
                {
                    "part": caption,
                    "chapter": chapter,
                    "paper": "; ".join(paper) or "—",
                    "status": "; ".join(status),
                }
            )
    return pd.DataFrame(rows)


def road_map(root: Path = ROOT) -> str:
    """The road map as a MyST Markdown table (part shown on its first chapter only)."""
    lines = [
        "| Part | Chapter | The paper's tables | Status |",
        "| :--- | :--- | :--- | :--- |",
    ]
    last = None
    for r in chapter_rows(root).itertuples():
        part = r.part if r.part != last else ""
        last = r.part
        lines.append(f"| {part} | {{doc}}`/{r.chapter}` | {r.paper} | {r.status} |")
    return "\n".join(lines)


__all__ = ["chapter_rows", "fidelity_report", "road_map", "table_status", "twin_status"]
