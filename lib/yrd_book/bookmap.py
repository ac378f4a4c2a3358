"""Where each of the paper's tables is in the book: read from the chapters, never typed.

The reproducibility appendix lists, for Tables 1-9, the chapter that prints the paper's version and
the chapter that reproduces it. Both are found in the chapter sources (``notebooks/*.py``) by the
labels the book gives those tables: ``tbl-published-N`` (also given by
``tables.published_myst(pub, N)``) and ``tbl-repro-N`` (Table 1, a list of definitions, is
printed and discussed by the variables chapter). A chapter
that is renamed, or a table that loses its label, changes the map; nothing here is written by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import ROOT

LABEL = re.compile(r"[\"'](tbl-(published|repro)-(\d))[\"']")
#: ``tables.published_myst(pub, N)`` labels the paper's Table N ``tbl-published-N`` by default.
PUBLISHED_CALL = re.compile(r"published_myst\(\s*\w+\s*,\s*(\d)\s*\)")


def chapters(root: Path = ROOT) -> list[str]:
    """The chapters of the table of contents, as ``notebooks/<name>`` paths without suffix."""
    from .pdf import toc_pages

    return [src for src, _ in toc_pages(root)]


def table_map(root: Path = ROOT) -> pd.DataFrame:
    """One row per table of the paper: its number, English title, and the labels and chapters
    that print it as published and as reproduced (empty where there is none).
    """
    from yrd.data import published

    found: dict[tuple[int, str], tuple[str, str]] = {}
    for src in chapters(root):
        path = root / f"{src}.py"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        for label, kind, number in LABEL.findall(text):
            found.setdefault((int(number), kind), (label, src))
        for number in PUBLISHED_CALL.findall(text):
            found.setdefault((int(number), "published"), (f"tbl-published-{number}", src))
    titles = published.load().tables["title_en"]  # indexed by table number
    rows = []
    for number in range(1, 10):
        pub_label, pub_src = found.get((number, "published"), ("", ""))
        rep_label, rep_src = found.get((number, "repro"), ("", ""))
        rows.append(
            {
                "table": number,
                "title": titles.get(number, ""),
                "published_label": pub_label,
                "published_in": pub_src,
                "reproduced_label": rep_label,
                "reproduced_in": rep_src,
            }
        )
    return pd.DataFrame(rows)


def table_map_markdown(frame: pd.DataFrame) -> str:
    """The map as a Markdown table with cross-references (``{numref}`` to each labelled table)."""
    lines = [
        "| Table | Title (as printed) | The paper's version | Reproduced |",
        "| :--- | :--- | :--- | :--- |",
    ]
    for r in frame.itertuples():
        pub = f"{{numref}}`{r.published_label}`" if r.published_label else ""
        if r.reproduced_label:
            rep = f"{{numref}}`{r.reproduced_label}` ({{doc}}`/{r.reproduced_in}`)"
        elif r.table == 1:
            rep = "{ref}`variables` (definitions, not numbers)"
        else:
            rep = "not reproduced"
        lines.append(f"| {r.table} | {r.title} | {pub} | {rep} |")
    return "\n".join(lines)


__all__ = ["chapters", "table_map", "table_map_markdown"]
