"""The anchoring of gdp, wage, stru on public figures (yrd_twin.anchor): few, small, exact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrd.data import published
from yrd.data.public import load_public
from yrd.paper import public_data
from yrd_twin import anchor as anc


@pytest.fixture(scope="module")
def public():
    return load_public()


@pytest.fixture(scope="module")
def anchored(public):
    return anc.anchor(public)


def test_every_printed_cell_of_the_three_variables_is_reproduced(anchored):
    pub = published.load()
    t2 = public_data.table2_comparison(anchored.values, pub, variables=anc.ANCHORED)
    t2 = t2[t2["statistic"] != "obs"]
    assert t2["matched"].all(), t2[~t2["matched"]].to_string()
    t3 = public_data.correlation_comparison(anchored.values, pub)
    assert t3["matched"].all(), t3.to_string()
    assert anc.misses(anchored.values) == {}


def test_the_public_figures_alone_miss_some_cells(public):
    filled = public.assign(wage=public["wage"].fillna(public["wage"].mean()))
    left = anc.misses(filled)
    assert ("gdp", "mean") in left and ("stru", "sd") in left, "else there is nothing to anchor"


def test_few_small_changes_and_the_rest_is_public(public, anchored):
    assert anchored.kept_share >= 0.95, anchored.kept_share
    ch = anchored.changes
    assert (ch["change"].abs() <= ch["bound"] + 1e-12).all(), (
        "a change beyond its city's yearly move"
    )
    assert len(anchored.filled) == int(public["wage"].isna().sum()) == 2
    merged = public.sort_values(["city_code", "year"]).reset_index(drop=True)
    for v in anc.ANCHORED:
        mine, fil = ch[ch["variable"] == v], anchored.filled[anchored.filled["variable"] == v]
        moved = set(zip(mine["city_code"], mine["year"], strict=True))
        fills = set(zip(fil["city_code"], fil["year"], strict=True))
        keep = [
            (c, y) not in moved and (c, y) not in fills
            for c, y in zip(merged["city_code"], merged["year"], strict=True)
        ]
        np.testing.assert_array_equal(
            anchored.values.loc[keep, v].to_numpy(), merged.loc[keep, v].to_numpy(), err_msg=v
        )


def test_min_median_max_and_their_order_are_kept(public, anchored):
    for v in anc.ANCHORED:
        before = public[v].dropna().to_numpy()
        after = anchored.values[v].to_numpy()
        assert after.min() == before.min() and after.max() == before.max(), v
        med = np.sort(before)[[204, 205]]
        moved = anchored.changes[anchored.changes["variable"] == v]
        for r in moved.itertuples():
            assert (r.public < med[0]) == (r.twin < med[0]), (
                f"{v} {r.city_code} {r.year} crossed the median"
            )


def test_deterministic(public, anchored):
    again = anc.anchor(public)
    pd.testing.assert_frame_equal(again.values, anchored.values, check_exact=True)


def test_a_cell_that_cannot_be_reached_is_named(public):
    pub = published.load()
    c = pub.cells.copy()
    sel = (c["table"] == 2) & (c["row"] == "gdp") & (c["statistic"] == "mean")
    c.loc[sel, "value"] = 18.5  # no small changes can move the mean by 1.4
    import dataclasses

    with pytest.raises(RuntimeError, match="infeasible|gdp"):
        anc.anchor(public, dataclasses.replace(pub, cells=c))
