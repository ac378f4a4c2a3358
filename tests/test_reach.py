"""yrd_twin.reach: the relaxation record's summary, and the committed record itself."""

import numpy as np
import pandas as pd
import pytest

from yrd.data import twinfit
from yrd_twin import reach


def _record():
    rows = []
    for run, scale, out in (("a_all", 1.0, 3), ("f_none", 0.5, 40)):
        for slack in (10.0, 1.0):
            for k, c in enumerate(reach.CELLS):
                rows.append(
                    dict(
                        run=run,
                        slack=slack,
                        cell="/".join(c),
                        published=0.1 * k,
                        reached=0.0,
                        residual_units=scale * k * slack,
                        old_targets_out=out + int(slack),
                    )
                )
    return pd.DataFrame(rows)


def test_summary_takes_each_runs_last_level():
    s = reach.summary(_record())
    assert list(s.columns) == ["published", "every target kept", "no other target"]
    cells = s.drop(index="old targets out")
    assert list(cells.index) == ["/".join(c) for c in reach.CELLS]
    k = np.arange(len(reach.CELLS))
    np.testing.assert_allclose(cells["every target kept"], k * 1.0)
    np.testing.assert_allclose(cells["no other target"], 0.5 * k)
    np.testing.assert_allclose(cells["published"], 0.1 * k)
    assert s.loc["old targets out", "every target kept"] == 4
    assert s.loc["old targets out", "no other target"] == 41
    # |residual| <= 1 is inside: cells 0 and 1 with every target kept, 0-2 with none
    inside = reach.inside(s)
    assert inside["every target kept"].sum() == 2 and inside["no other target"].sum() == 3
    assert list(inside.index) == list(cells.index)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda d: d.drop(columns="residual_units"), "missing column"),
        (lambda d: d.assign(run=d["run"].replace("a_all", "z_new")), "unknown run"),
        (lambda d: d[d["cell"] != "economic/SEM/inno/t"], "no row for cell"),
    ],
)
def test_summary_names_what_is_wrong_with_a_record(spoil, message):
    with pytest.raises(ValueError, match=message):
        reach.summary(spoil(_record()))


def test_missing_record_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m yrd_twin.reach"):
        reach.load_record(tmp_path / "none.csv")


def test_committed_record_covers_every_searched_cell_and_run():
    rec = reach.load_record()
    assert set(rec["run"]) == set(reach.RUNS)
    assert set(rec["cell"]) == {"/".join(k[1:]) for k in twinfit.SEARCHED}
    # every run went down to the printed tolerance
    assert (rec.groupby("run")["slack"].min() == 1.0).all()
    s = reach.summary(rec)
    assert s.shape == (len(twinfit.SEARCHED) + 1, 1 + len(reach.RUNS))
    # what the chapter says: no run brings every cell in while keeping Tables 4-7
    inside = reach.inside(s)
    assert not (inside.all() & (s.loc["old targets out"].drop("published") == 0)).any()


def test_held_fit_is_inside_exactly_for_the_fitted_cells():
    """On the committed twin, the cells of the generator's Table 9 stage that print as published
    are exactly twinfit.REACHED, and the rest are named with how far off."""
    tab = reach.held_fit()
    assert len(tab) == 12
    inside = tab.index[tab["residual_units"].abs() <= 1]
    assert set(inside) == set(tab.index[tab["reached"]])
    assert set(tab.index[tab["reached"]]) == {"/".join(k[1:]) for k in twinfit.REACHED}
    # every cell of the stage is printed with three decimals: a unit is 0.0005
    np.testing.assert_allclose(tab["twin"] - tab["published"], tab["residual_units"] * 5e-4)


def test_held_fit_names_missing_columns():
    with pytest.raises(ValueError, match="missing column"):
        reach.held_fit(pd.DataFrame({"quality": [1.0]}))
