"""The fidelity scoreboard: every reproduced table against the paper, in one place.

It calls the same functions the chapters call (:func:`yrd.paper.results.reproduce`), on the same panel,
so it cannot drift from what the chapters show. Each unmatched cell gets an explanation from
:data:`EXPLANATIONS`, linking to the audit where the paper's own numbers are at fault.
"""

from __future__ import annotations

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
            and r["row"] in {"direct", "indirect", "total"}
        ),
        "No data can give this published value: with rho between 0 and 1 and a non-negative "
        "row-standardised W the effects' algebra rules it out ({ref}`audit-sar-total`).",
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
        "A t-statistic depends on the residuals' distribution across cells; the twin is fitted to "
        "the HC1 t-statistics at printed precision, so under another covariance it differs (see "
        "the twin chapter's fidelity report).",
    ),
    (
        lambda r: r["row"] == "F",
        "The twin is fitted to the HC1 Wald F of every coefficient but the constant (what Stata "
        "prints after regress, vce(robust)); under another definition or covariance the F differs "
        "({ref}`audit-f-fe`).",
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


__all__ = [
    "EXPLANATIONS",
    "SPATIAL_TABLES",
    "TABLES",
    "UNEXPLAINED",
    "explain",
    "reproduce_all",
    "summary",
    "unmatched",
]
