"""The fidelity scoreboard: every reproduced table against the paper, in one place.

It calls the same functions the chapters call (:func:`yrd.paper.results.reproduce`), on the same panel,
so it cannot drift from what the chapters show. Each unmatched cell gets the explanation the chapters
give beside their tables (:mod:`yrd.paper.explain`), linking to the audit where the paper's own
numbers are at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from yrd.data.published import Published
from yrd.paper import compare, results, spatial_results
from yrd.paper import explain as explain_

#: Tables the scoreboard covers: 2-6 (yrd.paper.results) and the spatial 7-9 (yrd.paper.spatial_results).
TABLES = (2, 3, 4, 5, 6)
SPATIAL_TABLES = (7, 8, 9)


def reproduce_all(
    pub: Published, panel: pd.DataFrame, cov: str = results.PAPER_COV, spatial: bool = True
) -> pd.DataFrame:
    """Comparisons of every covered table, stacked (columns of :data:`yrd.paper.compare.COMPARISON_COLUMNS`).

    Tables 2-6 come from :func:`yrd.paper.results.reproduce`, Tables 7-9 from :mod:`yrd.paper.spatial_results`
    with the spatial chapter's settings (Moran's I stars from the normal approximation, so no
    permutations are needed here; LM tests on pooled residuals; Elhorst's lag convention).
    """
    parts = [results.reproduce(pub, n, panel, cov=cov) for n in TABLES]
    if spatial:
        ws = spatial_results.weights_for(panel)
        t7, _ = spatial_results.table7(panel, ws, pub.stars_levels(7), permutations=0)
        t8 = spatial_results.table8(panel, ws, pub.stars_levels(8))
        t9 = spatial_results.table9(
            panel, spatial_results.fit_table9(panel, ws), pub.stars_levels(9)
        )
        parts += [spatial_results.reproduce(pub, n, c) for n, c in ((7, t7), (8, t8), (9, t9))]
    return pd.concat(parts, ignore_index=True)


def summary(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Per table: cells, cells matched at printed precision, share, and stars matched."""
    out = comparisons.groupby("table").apply(compare.score, include_groups=False)
    out.loc["all"] = compare.score(comparisons)
    return out.astype({"cells": int, "matched": int, "stars_matched": int})


def summary_grid(summary_frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`summary` laid out for reading: counts, the share as a percentage, readable headers."""
    out = pd.DataFrame(
        {
            "Cells": summary_frame["cells"].astype(int).astype(str),
            "Match at printed precision": summary_frame["matched"].astype(int).astype(str),
            "Share": summary_frame["share"].map("{:.0%}".format),
            "Stars match": summary_frame["stars_matched"].astype(int).astype(str),
        }
    )
    out.index = [str(t) if t != "all" else "All" for t in summary_frame.index]
    return out


def summary_sentence(summary_frame: pd.DataFrame) -> str:
    """The scoreboard in one sentence: the total, the tables whose numbers all match, the lowest share.

    >>> s = pd.DataFrame({"cells": [10, 4], "matched": [10, 1], "share": [1.0, 0.25],
    ...     "stars_matched": [10, 4]}, index=pd.Index([2, 8], dtype=object))
    >>> s.loc["all"] = [14, 11, 11 / 14, 14]
    >>> summary_sentence(s)
    '11 of the 14 published cells (79%) are reproduced at printed precision. Every number of Table 2 matches; Table 8 matches least (25%).'
    """
    tot = summary_frame.loc["all"]
    per = summary_frame.drop(index="all")
    full = [str(t) for t, r in per.iterrows() if r["matched"] == r["cells"]]
    text = (
        f"{int(tot['matched'])} of the {int(tot['cells'])} published cells "
        f"({tot['share']:.0%}) are reproduced at printed precision."
    )
    if full:
        names = ("Table " if len(full) == 1 else "Tables ") + (
            full[0] if len(full) == 1 else ", ".join(full[:-1]) + " and " + full[-1]
        )
        text += f" Every number of {names} matches"
        low = per[per["matched"] < per["cells"]]
        if len(low):
            worst = low["share"].astype(float).idxmin()
            text += f"; Table {worst} matches least ({low.loc[worst, 'share']:.0%})"
        text += "."
    return text


def reasons_grid(comparisons: pd.DataFrame, synthetic: bool = True) -> pd.DataFrame:
    """:func:`reasons` with the reasons' titles (:data:`yrd.paper.explain.TITLES`) and table headers."""
    counts = reasons(comparisons, synthetic)
    out = counts.astype(int).astype(str).replace("0", "")
    out.index = [explain_.TITLES[k] for k in counts.index]
    out.columns = [f"Table {c}" if c != "all" else "All" for c in counts.columns]
    return out


#: What :func:`explain` says of a cell no explanation applies to.
UNEXPLAINED = explain_.UNEXPLAINED


def explain(row: pd.Series, synthetic: bool = True) -> str:
    """The explanation of an unmatched cell (:func:`yrd.paper.explain.explain`; :data:`UNEXPLAINED`
    if none applies). The chapters say the same beside each table (:func:`yrd.paper.explain.note`)."""
    return explain_.explain(row, synthetic)


def unmatched(comparisons: pd.DataFrame, synthetic: bool = True) -> pd.DataFrame:
    """Cells that differ from the paper (value or stars), each with its distance in units of the
    last printed digit, its class of reason (:func:`yrd.paper.explain.reason`) and its explanation."""
    bad = comparisons[~(comparisons["match"] & comparisons["stars_match"])].copy()
    bad["reason"] = [explain_.reason(r, synthetic) for _, r in bad.iterrows()]
    bad["explanation"] = [
        explain_.reason_text(k, t) for k, t in zip(bad["reason"], bad["table"], strict=True)
    ]
    return bad[
        [
            "table",
            "panel",
            "column",
            "row",
            "statistic",
            "label",
            "published",
            "reproduced",
            "units",
            "status",
            "reason",
            "explanation",
        ]
    ]


#: Audit checks whose "inconsistent" verdict proves that no data can give a printed cell together
#: with the printed beta and rho, under the book's analytic impacts and row-standardised W: check ->
#: the Table 9 SAR rows (coefficient cells) it rules out. Such a cell and the printed beta and rho
#: are jointly unreachable; the cell is the one counted apart. (For the inverse-distance total the
#: printed 0.003 is below beta itself, which no non-negative W allows; see ``reports/audit.csv``.)
#: Audit checks whose ``inconsistent`` verdict makes printed Table 9 cells impossible, and which
#: cells (row, statistic); ``None``: the cells the verdict's frame marks ``impossible``.
IMPOSSIBLE_BY = {
    "sar-total": (("total", "coef"),),
    "sar-indirect-sign": (("indirect", "coef"),),
    "sar-direct": (("direct", "coef"),),
    "sar-effect-t": None,
}
_PANELS = {"inverse distance": "inverse_distance", "economic": "economic"}


def impossible_cells(pub: Published) -> pd.DataFrame:
    """The printed cells the audit proves no data can produce: table, panel, column, row,
    statistic, check (one row per cell; empty if every such check passes)."""
    from yrd.paper import audit

    rows = []
    for panel in _PANELS.values():
        for v in audit.sar_impacts(pub, panel):
            if v.verdict != "inconsistent" or v.check not in IMPOSSIBLE_BY:
                continue
            cells = IMPOSSIBLE_BY[v.check]
            if cells is None:
                f = v.arithmetic
                bad = f[f["impossible"].astype(bool)]
                cells = tuple(zip(bad["row"], bad["statistic"], strict=True))
            rows += [(9, panel, "SAR", r, stat, v.check) for r, stat in cells]
    return pd.DataFrame(rows, columns=["table", "panel", "column", "row", "statistic", "check"])


#: The three inverse-distance Table 8 cells besides the LM error test (which the twin fits): with
#: the book's W no panel matches LM error together with two of them (audit ``lm-ceiling``).
LM_CEILING_CELLS = (
    ("spatial_error", "robust_lm"),
    ("spatial_lag", "lm"),
    ("spatial_lag", "robust_lm"),
)


def unreachable_cells(pub: Published, synthetic: bool = True) -> pd.DataFrame:
    """Printed cells the book's own W rules out (the audit's ``sar-direct-t``, ``lm-ceiling`` and
    ``spatial-t`` arithmetic: no panel reaches them with the book's W) and, on the twin
    (``synthetic``), the
    cells its design cannot reach or it reaches only by giving up an earlier target
    (:data:`yrd.data.twinfit.UNREACHABLE`): table, panel, column,
    row, statistic, why (a key of :data:`yrd.paper.explain.REASONS`)."""
    from yrd.data import twinfit
    from yrd.paper import audit, audit_referee

    rows = []
    d = audit.sar_direct_t(pub, "inverse_distance").arithmetic
    if "book_W_unreachable" in d and bool(d["book_W_unreachable"].iloc[0]):
        rows.append((9, "inverse_distance", "SAR", "direct", "t", "book-w-t"))
    lm = audit_referee.lm_ceiling(pub).arithmetic
    if not bool(lm.loc[lm["W"] == "row-standardised", "reachable"].iloc[0]):
        rows += [(8, p, "inverse_distance", r, "lm", "book-w-lm") for p, r in LM_CEILING_CELLS]
    st = audit_referee.spatial_t(pub).arithmetic
    rows += [
        (9, r.weights, r.model, r.row, "t", "book-w-t")
        for r in st[st["book_W_unreachable"].astype(bool)].itertuples()
    ]
    if synthetic:
        rows += [(*k, why) for k, why in twinfit.UNREACHABLE.items()]
    return pd.DataFrame(rows, columns=["table", "panel", "column", "row", "statistic", "why"])


@dataclass(frozen=True)
class Headline:
    """The book's one fidelity figure: printed cells of Tables 2-9 matched at printed precision."""

    matched: int
    """Cells whose reproduced value prints as the paper's (stars not counted)."""
    cells: int
    """All printed numeric cells of Tables 2-9 (:func:`reproduce_all`)."""
    impossible: int
    """Cells the audit proves no data can produce with the printed coefficients
    (:func:`impossible_cells`) that do not match, counted apart."""
    unreachable: int = 0
    """Cells no panel reaches with the book's W, or the twin cannot reach (not without giving up
    another printed cell, for :data:`yrd.data.twinfit.HELD_OUT`)
    (:func:`unreachable_cells`), counted apart and named beside their tables."""

    @property
    def possible(self) -> int:
        """Cells the twin could reproduce."""
        return self.cells - self.impossible - self.unreachable

    def sentence(self) -> str:
        """The figure as the twin chapter, the scoreboard and the README state it."""
        others = self.cells - self.matched
        if not self.unreachable:
            return (
                f"{self.matched} of the {self.cells} printed cells of Tables 2-9 match at printed "
                f"precision ({self.matched / self.cells:.0%}); {self.impossible} of the "
                f"{others} others no data can match with the printed coefficients (the audit "
                f"proves them impossible), so {self.matched} of {self.possible} reachable cells "
                "match."
            )
        return (
            f"{self.matched} of the {self.cells} printed cells of Tables 2-9 match at printed "
            f"precision ({self.matched / self.cells:.0%}); of the {others} others, "
            f"{self.impossible} no data can match with the printed coefficients (the audit proves "
            f"them impossible) and "
            f"{self.unreachable} the twin cannot reach, or not without giving up another printed "
            f"cell (named beside Tables 8 and 9, with the reason), so {self.matched} of "
            f"{self.possible} reachable cells match."
        )


def headline(comparisons: pd.DataFrame, pub: Published, synthetic: bool = True) -> Headline:
    """The one fidelity figure of a :func:`reproduce_all` table (value matches at printed precision).

    The audit's impossible cells and the unreachable ones are impossible *together with* other
    printed cells (the coefficient and rho of the same model, Table 4's R-squared): a panel whose
    coefficient differs from the printed one may match them. Those that do are counted as matched;
    those that do not are counted apart.
    """
    imp = impossible_cells(pub)
    key = ["table", "panel", "column", "row", "statistic"]
    hit = comparisons.merge(imp[key], on=key, how="inner")
    if len(hit) != len(imp):
        raise ValueError("headline: an impossible cell is missing from the comparisons")
    far = comparisons.merge(unreachable_cells(pub, synthetic)[key], on=key, how="inner")
    return Headline(
        int(comparisons["match"].astype(bool).sum()),
        len(comparisons),
        int((~hit["match"].astype(bool)).sum()),
        int((~far["match"].astype(bool)).sum()),
    )


def reasons(comparisons: pd.DataFrame, synthetic: bool = True) -> pd.DataFrame:
    """Differing cells counted by class of reason (rows, in :data:`yrd.paper.explain.ORDER`) and
    table (columns), with a total column."""
    bad = unmatched(comparisons, synthetic)
    counts = pd.crosstab(bad["reason"], bad["table"])
    counts = counts.reindex([k for k in explain_.ORDER if k in counts.index])
    counts["all"] = counts.sum(axis=1)
    return counts


__all__ = [
    "IMPOSSIBLE_BY",
    "LM_CEILING_CELLS",
    "Headline",
    "headline",
    "impossible_cells",
    "unreachable_cells",
    "SPATIAL_TABLES",
    "TABLES",
    "UNEXPLAINED",
    "explain",
    "reasons",
    "reasons_grid",
    "reproduce_all",
    "summary",
    "summary_grid",
    "summary_sentence",
    "unmatched",
]
