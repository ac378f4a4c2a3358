"""yrd_twin.reach: the binding record's reading (shown_out, binding_summary), the committed record
against twinfit, and held_fit on the committed twin."""

import re

import numpy as np
import pandas as pd
import pytest

from yrd.data import twinfit
from yrd_twin import reach


def _row(cell, run, residual, blockers="", freed_out=0, let_go="", own="", freed_cells=""):
    return dict(
        cell=cell, run=run, published=0.5, start_units=40.0, reached=0.5, residual_units=residual,
        held_out=0, held_max_units=0.6, freed_out=freed_out,
        freed_max_units=np.nan if run == "held" else 120.0, blockers=blockers, let_go=let_go,
        own=own, freed_cells=freed_cells, seconds=3,
    )  # fmt: skip


def _record():
    a, b, c, d = ("/".join(k) for k in reach.CELLS[:4])
    return pd.DataFrame(
        [
            # out held, in once its blocker goes, which leaves its box: shown out
            _row(a, "held", -60.0, "T4(3) F value:6"),
            _row(a, "released", -0.4, "T4(3) F value:6", 1, "T4(3) F value; T5(1) F value"),
            # in while held: reached, not out
            _row(b, "held", 0.4),
            # out held, no blocker (the reach stopped by itself): not shown
            _row(c, "held", 3.0),
            # out held, still out with its blockers let go: not shown
            _row(d, "held", 9.0, "T8(inverse_distance) spatial_error|lm lm:4"),
            _row(d, "released", 2.5, "T8(inverse_distance) spatial_error|lm lm:4", freed_out=1),
        ]
    )


def test_shown_out_needs_the_trade_off():
    a, b, c, d = ("/".join(k) for k in reach.CELLS[:4])
    assert reach.shown_out(_record()) == {a}
    # the blocker let go but still inside its own box: the trade-off is not shown
    rec = _record()
    rec.loc[(rec["cell"] == a) & (rec["run"] == "released"), "freed_out"] = 0
    assert reach.shown_out(rec) == set()


def test_binding_summary_one_row_per_cell_in_order():
    s = reach.binding_summary(_record())
    assert list(s.index) == ["/".join(k) for k in reach.CELLS[:4]]
    assert s["shown"].tolist() == [True, False, False, False]
    assert s["held"].tolist() == [-60.0, 0.4, 3.0, 9.0]
    assert np.isnan(s["released"].iloc[1]) and s["released"].iloc[3] == 2.5
    assert s["blockers"].iloc[0] == "T4(3) F value:6" and s["blockers"].iloc[1] == ""
    # a second released run let go of what blocked the first one
    assert s["also let go"].tolist() == [1, 0, 0, 0]
    assert s["own model out"].tolist() == ["", "", "", ""]
    assert not s["own round"].any()


def test_binding_summary_names_the_own_model_cells_that_left():
    """``own model out`` keeps the freed cells of the row's own weights and model, residuals
    rounded; cells of other tables or models are left to ``blockers out``."""
    a = "/".join(reach.CELLS[0])
    w, m = reach.CELLS[0][:2]
    freed = f"T8(inverse_distance) spatial_error|lm lm:-3041.2; T9({w}|{m}) rho coef:253.6"
    freed += "; T9(economic|SAR) rho coef:6.2" if (w, m) != ("economic", "SAR") else ""
    rec = pd.DataFrame(
        [
            _row(a, "held", -60.0, "T4(3) F value:6"),
            _row(a, "released", -0.4, "T4(3) F value:6", 2, "T4(3) F value", freed_cells=freed),
        ]
    )
    assert reach.binding_summary(rec).loc[a, "own model out"] == "ρ 254"
    assert not reach.binding_summary(rec).loc[a, "own round"]
    rec.loc[1, "own"] = f"T9({w}|{m}) rho coef"
    assert reach.binding_summary(rec).loc[a, "own round"]


def test_plain_words_for_every_label_of_the_committed_record():
    """Every held-cell label the committed record names reads as words (no code left), and the
    blockers field keeps its counts."""
    rec = reach.load_binding()
    labels = {n for text in rec["blockers"] for n in reach._names(text)}
    labels |= {x for text in rec["let_go"] for x in text.split("; ") if x}
    assert labels
    for lab in labels:
        words = reach.plain(lab)
        assert words.startswith("Table ") and words != lab
        assert not re.search(r"_|\||\bcoef\b|\blm\b", words), words
    assert reach.plain("not a label") == "not a label"
    assert reach.plain_blockers("T4(3) F value:6; T5(1) const t:1") == (
        "Table 4 (3)'s F: 6; Table 5 (1)'s t of the constant: 1"
    )


def test_own_cells_are_the_matched_cells_of_the_same_model():
    cells = reach.own_cells(("economic", "SAR", "indirect", "t"))
    assert cells and all(lab[:2] == (9, "economic|SAR") for lab in cells)
    assert {(9, "economic", "SAR", *lab[2:]) for lab in cells} == {
        k for k in twinfit.REACHED if k[1:3] == ("economic", "SAR")
    }
    # the cell itself is not its own blocker
    assert (9, "economic|SAR", "rho", "coef") not in reach.own_cells(
        ("economic", "SAR", "rho", "coef")
    )


class _Real:
    def panel(self):
        return None


def _stub_reach(monkeypatch, outcome):
    """binding_one with the polish replaced: ``outcome(release)`` gives the reach cell's residual
    (printed units) and the rejections of a run that lets ``release`` go; held: the own-model
    cells of the reached cell's model, then three others (``labels[-3:]``). Returns the releases
    the runs asked for."""
    import yrd_twin.generate as generate

    cell = ("inverse_distance", "SAR", "sigma2", "coef")
    own = reach.own_cells(cell)
    labels = [*own, (4, "3", "F", "value"), (8, "inverse_distance", "spatial_error|lm", "lm")]
    labels.append((5, "1", "const", "t"))
    calls = []

    class Pt:
        pass

    def polish(real, t, W, plan, extra=(), reach=(), release=(), **kw):
        calls.append(tuple(release))
        res, rejections = outcome(tuple(release))
        pt = Pt()
        pt.labels = [*labels, (9, "inverse_distance|SAR", "sigma2", "coef")]
        pt.rejections = rejections
        # cells let go end 50 units out, held ones at 0.5
        r = np.array([50.0 if lab in release else 0.5 for lab in labels] + [res])
        return r, pt

    class ST:
        def __init__(self, ws, cells):
            self.cells = cells

        def values(self, panel):
            return {c: 0.0 for c in self.cells}

    monkeypatch.setattr(reach, "polish", polish)
    monkeypatch.setattr(reach, "SpatialTargets", ST)
    monkeypatch.setattr(generate, "lm_cells", lambda ws: [])
    return cell, labels, calls


def test_binding_one_lets_the_own_model_go_last(monkeypatch):
    """Still out once the blockers of every run are let go: one more run also lets go of the
    matched cells of the cell's own model, and the record says which."""

    def outcome(release):
        if not release:
            return 30.0, {(4, "3", "F", "value"): 2}
        if (9, "inverse_distance|SAR", "rho", "coef") in release:
            return 0.3, {}
        return 20.0, {(8, "inverse_distance", "spatial_error|lm", "lm"): 1} if len(
            release
        ) < 2 else {}

    cell, labels, calls = _stub_reach(monkeypatch, outcome)
    f_test, lm_error = labels[-3], labels[-2]
    out = reach.binding_one((_Real(), None, None, None), cell, ws={}, release=True)
    own = reach.own_cells(cell)
    assert calls[0] == () and calls[1] == (f_test,)
    assert calls[2] == (f_test, lm_error)  # the second blocker, then no new one
    assert calls[3] == (f_test, lm_error, *own) and len(calls) == 4
    rel = out["released"]
    assert rel["residual_units"] == 0.3 and rel["own"] == own
    assert rel["freed_cells"] == {lab: 50.0 for lab in (*own, f_test, lm_error)}


def test_binding_one_stops_before_the_own_model_when_the_cell_is_in(monkeypatch):
    def outcome(release):
        return (30.0, {(4, "3", "F", "value"): 2}) if not release else (0.2, {})

    cell, labels, calls = _stub_reach(monkeypatch, outcome)
    out = reach.binding_one((_Real(), None, None, None), cell, ws={}, release=True)
    assert calls == [(), (labels[-3],)] and out["released"]["own"] == ()


def test_blocker_tally_counts_the_shown_cells_blockers():
    rec = _record()
    e = "/".join(reach.CELLS[4])
    rec = pd.concat(
        [
            rec,
            pd.DataFrame(
                [
                    _row(e, "held", 7.0, "T5(1) F value:2; T4(3) F value:1"),
                    _row(e, "released", 0.2, "T5(1) F value:2; T4(3) F value:1", 1),
                ]
            ),
        ],
        ignore_index=True,
    )
    tally = reach.blocker_tally(reach.binding_summary(rec))
    # cell d's blocker is not counted: d is not shown out
    assert tally.to_dict() == {"T4(3) F value": 2, "T5(1) F value": 1}
    assert list(tally.index) == ["T4(3) F value", "T5(1) F value"]


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda d: d.drop(columns="blockers"), r"without column\(s\) \['blockers'\]"),
        (lambda d: d.assign(run=d["run"].replace("held", "kept")), "unknown run"),
    ],
)
def test_load_binding_names_what_is_wrong(tmp_path, spoil, message):
    path = tmp_path / "rec.csv"
    spoil(_record()).to_csv(path, index=False)
    with pytest.raises(ValueError, match=message):
        reach.load_binding(path)


def test_missing_record_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m yrd_twin.reach"):
        reach.load_binding(tmp_path / "none.csv")


def test_committed_record_is_twinfits():
    """The committed binding record covers every open cell the twin misses, and the cells it
    shows out are exactly twinfit.HELD_OUT (the chapters count them apart)."""
    rec = reach.load_binding()
    assert set(rec["cell"]) == {"/".join(c) for c in reach.CELLS}
    assert reach.shown_out(rec) == {"/".join(k[1:]) for k in twinfit.HELD_OUT}
    # what the twin has: the record starts from the committed twin
    fit = reach.held_fit()
    held = rec[rec["run"] == "held"].set_index("cell")
    np.testing.assert_allclose(
        held["start_units"], fit.loc[held.index, "residual_units"], rtol=1e-6, atol=0.01
    )


def test_held_fit_is_inside_exactly_for_the_reached_cells():
    """On the committed twin, the open cells of Table 9 that print as published are exactly
    twinfit.REACHED; the rest are named with how far off."""
    tab = reach.held_fit()
    assert len(tab) == len(twinfit.T9_OPEN)
    inside = tab.index[tab["residual_units"].abs() <= 1]
    assert set(inside) == set(tab.index[tab["reached"]])
    assert set(tab.index[tab["reached"]]) == {"/".join(k[1:]) for k in twinfit.REACHED}
    # coefficients print with three decimals (a unit is 0.0005), t-statistics with two
    unit = np.where(tab.index.str.endswith("/t"), 5e-3, 5e-4)
    np.testing.assert_allclose(tab["twin"] - tab["published"], tab["residual_units"] * unit)


def test_held_fit_names_missing_columns():
    with pytest.raises(ValueError, match="missing column"):
        reach.held_fit(pd.DataFrame({"quality": [1.0]}))
