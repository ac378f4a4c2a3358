"""Test helper: a copy of the published tables with one cell reprinted (audit tests)."""

from __future__ import annotations

import dataclasses

from yrd.data import published


def perturb(pub, table, row, column="", statistic="coef", panel="", printed=None, stars=None):
    """A copy of ``pub`` with one cell reprinted (value and decimals follow the printed string)."""
    c = pub.cells.copy()
    hit = (
        (c["table"] == table)
        & (c["row"] == row)
        & (c["column"] == column)
        & (c["statistic"] == statistic)
        & (c["panel"] == panel)
    )
    assert hit.sum() == 1, f"perturb: no single cell {table, panel, column, row, statistic}"
    if printed is not None:
        c.loc[hit, "printed"] = printed
        c.loc[hit, "value"] = float(printed)
        c.loc[hit, "decimals"] = published.decimals_of(printed)
    if stars is not None:
        c.loc[hit, "stars"] = stars
    return dataclasses.replace(pub, cells=c)
