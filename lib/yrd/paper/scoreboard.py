"""The fidelity scoreboard: every reproduced table against the paper, in one place.

It calls the same functions the chapters call (:func:`yrd.paper.results.reproduce`), on the same panel,
so it cannot drift from what the chapters show. Each unmatched cell gets an explanation from
:data:`EXPLANATIONS`, linking to the audit where the paper's own numbers are at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from yrd.data.published import Published
from yrd.paper import compare, results, spatial_results

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


#: (predicate, explanation) pairs, first match wins. Predicates see one comparison row.
EXPLANATIONS = (
    (
        lambda r: (
            r["table"] == 9
            and r["panel"] == "inverse_distance"
            and r["row"] in {"indirect", "total"}
            and r["statistic"] == "coef"
        ),
        "No data can give this published value together with the printed coefficient and rho: "
        "with rho between 0 and 1 and a non-negative W the effects' algebra rules it out "
        "({ref}`audit-sar-total`); it is counted apart, as impossible.",
    ),
    (
        lambda r: r["table"] == 9 and r["panel"] == "inverse_distance" and r["row"] == "direct",
        "With the printed coefficient and rho, this direct effect is possible only if W is not "
        "row-standardised (the audit cannot tell; {ref}`audit-sar-total`); the twin's W is.",
    ),
    (
        lambda r: r["table"] == 7 and bool(r["match"]) and not bool(r["stars_match"]),
        "Moran's I matches; its stars depend on the variance of I under the null, which depends on "
        "details of W the paper does not give ({ref}`audit-stars-moran`).",
    ),
    (
        lambda r: r["table"] == 7,
        "Moran's I depends on where each city's value sits on the map; the twin is shaped to match "
        "Table 7 (see {ref}`twin`), other data need not.",
    ),
    (
        lambda r: r["table"] in (8, 9),
        "The twin is not fitted to Tables 8-9; its distances are measured in "
        "{ref}`twin-spatial-distances`.",
    ),
    (
        lambda r: bool(r["match"]) and not bool(r["stars_match"]),
        "The value matches; its stars follow its t-statistic, which differs (see the t row).",
    ),
    (
        lambda r: r["table"] == 5,
        "Table 5 depends on the tails of every variable and on which variables were winsorized, "
        "which the paper does not say (the twin reads 'all 11'; see {ref}`twin`).",
    ),
    (
        lambda r: r["statistic"] == "t",
        "A t-statistic depends on the residuals' distribution across cells, which the twin matches "
        "only approximately; see the twin chapter's fidelity report.",
    ),
    (
        lambda r: r["row"] == "F",
        "F statistics are not among the twin's targets; the baseline chapter discusses which F the "
        "paper printed ({ref}`audit-f-fe`).",
    ),
    (
        lambda r: r["statistic"] in {"min", "median", "max"},
        "Order statistics are fitted after the moments; see the twin chapter.",
    ),
)


#: What :func:`explain` says of a cell no explanation applies to.
UNEXPLAINED = "Not yet explained."


def explain(row: pd.Series) -> str:
    """The explanation of an unmatched cell (:data:`UNEXPLAINED` if none applies)."""
    for predicate, text in EXPLANATIONS:
        if predicate(row):
            return text
    return UNEXPLAINED


def unmatched(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Cells that differ from the paper (value or stars), each with its explanation."""
    bad = comparisons[~(comparisons["match"] & comparisons["stars_match"])].copy()
    bad["explanation"] = [explain(r) for _, r in bad.iterrows()]
    return bad[
        [
            "table",
            "panel",
            "column",
            "row",
            "statistic",
            "published",
            "reproduced",
            "status",
            "explanation",
        ]
    ]


#: Audit checks whose "inconsistent" verdict proves that no data can give a printed cell together
#: with the printed beta and rho, under the book's analytic impacts and row-standardised W: check ->
#: the Table 9 SAR rows (coefficient cells) it rules out. Such a cell and the printed beta and rho
#: are jointly unreachable; the cell is the one counted apart. (For the inverse-distance total the
#: printed 0.003 is below beta itself, which no non-negative W allows; see ``reports/audit.csv``.)
IMPOSSIBLE_BY = {"sar-total": ("total",), "sar-indirect-sign": ("indirect",)}
_PANELS = {"inverse distance": "inverse_distance", "economic": "economic"}


def impossible_cells(pub: Published) -> pd.DataFrame:
    """The printed cells the audit proves no data can produce: table, panel, column, row,
    statistic, check (one row per cell; empty if every such check passes)."""
    from yrd.paper import audit

    rows = []
    for panel in _PANELS.values():
        for v in audit.sar_impacts(pub, panel):
            if v.verdict == "inconsistent" and v.check in IMPOSSIBLE_BY:
                rows += [(9, panel, "SAR", r, "coef", v.check) for r in IMPOSSIBLE_BY[v.check]]
    return pd.DataFrame(rows, columns=["table", "panel", "column", "row", "statistic", "check"])


@dataclass(frozen=True)
class Headline:
    """The book's one fidelity figure: printed cells of Tables 2-9 matched at printed precision."""

    matched: int
    """Cells whose reproduced value prints as the paper's (stars not counted)."""
    cells: int
    """All printed numeric cells of Tables 2-9 (:func:`reproduce_all`)."""
    impossible: int
    """Cells the audit proves no data can produce (:func:`impossible_cells`), counted apart."""

    @property
    def possible(self) -> int:
        """Cells some data could reproduce."""
        return self.cells - self.impossible

    def sentence(self) -> str:
        """The figure as the twin chapter, the scoreboard and the README state it."""
        return (
            f"{self.matched} of the {self.cells} printed cells of Tables 2-9 match at printed "
            f"precision ({self.matched / self.cells:.0%}); {self.impossible} of the "
            f"{self.cells - self.matched} others no data can match (the audit proves them "
            f"impossible), so {self.matched} of {self.possible} reachable cells match."
        )


def headline(comparisons: pd.DataFrame, pub: Published) -> Headline:
    """The one fidelity figure of a :func:`reproduce_all` table (value matches at printed precision;
    impossible cells that nonetheless match, which no data can, would be a bug and raise)."""
    imp = impossible_cells(pub)
    key = ["table", "panel", "column", "row", "statistic"]
    hit = comparisons.merge(imp[key], on=key, how="inner")
    if len(hit) != len(imp):
        raise ValueError("headline: an impossible cell is missing from the comparisons")
    if hit["match"].astype(bool).any():
        raise ValueError("headline: a cell the audit proves impossible is reported as matched")
    return Headline(int(comparisons["match"].astype(bool).sum()), len(comparisons), len(imp))


__all__ = [
    "EXPLANATIONS",
    "IMPOSSIBLE_BY",
    "Headline",
    "headline",
    "impossible_cells",
    "SPATIAL_TABLES",
    "TABLES",
    "UNEXPLAINED",
    "explain",
    "reproduce_all",
    "summary",
    "unmatched",
]
