"""Which earlier targets keep Table 9's open cells out: the binding experiment.

The generator's last stage (:func:`yrd_twin.generate.polish_table9`) reaches for Table 9's open
cells (:data:`yrd.data.twinfit.T9_OPEN`) with every earlier target held; :data:`CELLS` are those
it left outside their rounding box on the committed twin. :func:`binding` asks of each, starting
from the committed twin's fitted state (:func:`yrd_twin.generate.shaped`): with every earlier
target held (those of Tables 4-8 and the Table 9 cells the twin matches), how close does the
generator's reach come, and which held cells block it? Then, with those let go
(``polish(release=)``): does the cell come in, and how far out do they go? (If it stays out, the
matched cells of its own model are let go as well: a step pinned against them is not a rejected
try, so they are not named as blockers.) A cell that comes in
only by pushing a blocker out of its box is one the twin reaches only by giving up an earlier
target (:func:`shown_out`; :data:`yrd.data.twinfit.HELD_OUT`). That is a measurement along the
generator's path, not a proof.

``python -m yrd_twin.reach`` (``make table9-binding``) rebuilds the committed twin's state and
writes the record ``reports/table9_binding.csv``; the twin chapter shows it
(:func:`binding_summary`). :func:`held_fit` measures the committed twin's Table 9 cells.
"""

from __future__ import annotations

import copy
import pickle
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from yrd import DATA
from yrd.data.twinfit import REACHED, T9_OPEN
from yrd_twin.polish import polish
from yrd_twin.spcells import SpatialTargets

#: Table 9's open cells the committed twin misses (:data:`yrd.data.twinfit.T9_OPEN` but not
#: :data:`~yrd.data.twinfit.REACHED`), as ``(weights, model, row, statistic)``.
CELLS = [k[1:] for k in T9_OPEN if k not in REACHED]


def weights(real) -> dict[str, np.ndarray]:
    """Table 9's two matrices: inverse distance (the book's) and the generator's economic one."""
    from yrd.data.geo import load_inverse_distance
    from yrd_twin.generate import anchored_values, economic_weights

    gdp = anchored_values()["gdp"].to_numpy(float)
    return {
        "inverse_distance": load_inverse_distance().to_numpy(float),
        "economic": economic_weights(gdp),
    }


#: Steps of each :func:`binding` run (as :data:`yrd_twin.generate.T9_POLISH`).
BINDING_ITERS = 60
#: Released runs of :func:`binding_one` at most (each lets go of the held cells that blocked the
#: one before).
BINDING_ROUNDS = 3


def _label(lab) -> str:
    """A polish label ``(table, column, row, statistic)`` as one string: ``T4(3) F``."""
    table, col, row, stat = lab
    col = f"({col})" if col else ""
    return f"T{table}{col} {row} {stat}".strip()


def binding_one(
    state, cell, ws=None, release=False, iters=BINDING_ITERS, rounds=BINDING_ROUNDS, verbose=0
):
    """One run of :func:`binding` for ``cell`` (``(weights, model, row, statistic)``) from
    ``state`` = (real, t, plan, W) (copied): a dict of what it measured.

    The generator's one-cell pass (:func:`yrd_twin.generate.polish_table9`, its settings
    :data:`yrd_twin.generate.T9_POLISH`) with ``cell`` alone as the reach target and every earlier
    target held: Tables 4-7, Table 8's fitted LM cells and the Table 9 cells of
    :data:`yrd.data.twinfit.REACHED`. With ``release`` it first runs held, then again from
    ``state`` with the held cells that blocked that run let go (``polish(release=)``); if the
    cell is still out and other held cells blocked that run, those are let go too, and so on,
    at most ``rounds`` released runs. If the cell is still out after them, one last run also lets
    go of the matched Table 9 cells of its own model (:func:`own_cells`: the same estimates'
    other cells, which the rejected tries do not name when the step is pinned against them
    rather than thrown out by them). The result is the last released run's, with ``let_go``
    (every cell let go), ``own`` (the own-model cells among them) and ``freed_cells`` (those let
    go that ended outside their box, with their residuals in printed units, furthest first).
    """
    from yrd_twin.generate import POLISH, T9_POLISH, lm_cells

    ws = ws or weights(state[0])
    matched = [k[1:] for k in sorted(REACHED)]

    def run(let_go=()):
        real, t, plan, W = copy.deepcopy(state)
        st = SpatialTargets(ws, cells=[cell])
        held = lm_cells(ws) + ([SpatialTargets(ws, cells=matched)] if matched else [])
        kw = {**POLISH, **T9_POLISH, "iters": iters}
        t0 = time.time()
        r, pt = polish(
            real, t, W, plan, extra=held, reach=[st], release=let_go, verbose=verbose, **kw
        )
        rest = np.abs(r[:-1])
        freed = np.isin(np.arange(len(rest)), [pt.labels.index(lab) for lab in let_go])
        gone = sorted(np.flatnonzero(freed & (rest > 1)), key=lambda i: -rest[i])
        return dict(
            reached=float(st.values(real.panel())[cell]),
            residual_units=float(r[-1]),
            held_out=int(np.sum(rest[~freed] > 1)),
            held_max_units=float(rest[~freed].max()),
            freed_max_units=float(rest[freed].max()) if freed.any() else np.nan,
            freed_out=int(np.sum(rest[freed] > 1)),
            freed_cells={pt.labels[i]: float(r[i]) for i in gone},
            rejections=pt.rejections,
            seconds=time.time() - t0,
        ), pt

    held, _ = run()
    out = {"held": held}
    if not (release and held["rejections"]):
        return out
    # let the blockers go; if others then block it, let those go too (at most ``rounds`` runs)
    let_go = tuple(held["rejections"])
    for _ in range(rounds):
        freed, _ = run(let_go)
        more = tuple(k for k in freed["rejections"] if k not in let_go)
        if abs(freed["residual_units"]) <= 1 or not more:
            break
        let_go += more
    own = ()
    if abs(freed["residual_units"]) > 1:
        own = tuple(lab for lab in own_cells(cell) if lab not in let_go)
        if own:
            let_go += own
            freed, _ = run(let_go)
    freed["let_go"], freed["own"] = let_go, own
    out["released"] = freed
    return out


def own_cells(cell) -> tuple:
    """The polish labels of the Table 9 cells of :data:`yrd.data.twinfit.REACHED` in ``cell``'s
    own model (same weights, same model; ``cell`` itself left out): the estimates it shares.

    >>> [lab[2:] for lab in own_cells(("inverse_distance", "SAR", "sigma2", "coef"))]
    [('inno', 'coef'), ('rho', 'coef')]
    """
    w, m = cell[0], cell[1]
    return tuple(
        (9, f"{w}|{m}", k[3], k[4])
        for k in sorted(REACHED)
        if k[1] == w and k[2] == m and k[3:] != tuple(cell[2:])
    )


def binding(state, cells=CELLS, out: str | Path | None = None, iters=BINDING_ITERS, verbose=0):
    """Which earlier target keeps each of ``cells`` out: the closest the twin comes with every
    earlier target held, the held cells that blocked it, and where it goes with those let go.

    For each cell (one :func:`binding_one` each, from the same ``state``) two rows, run
    ``held`` and ``released``: the published value, the value reached, the residual (printed
    units: within 1 prints as published), how many held cells ended outside their rounding box
    and how far out the furthest was, the same for the cells let go (``released`` only), and
    ``blockers``, the held cells that stopped a try (``T4(3) F:10`` = ten tries), furthest out
    first; for ``released``, ``let_go`` (every cell the run let go), ``own`` (those its last round
    added from the cell's own model, :func:`own_cells`) and ``freed_cells`` (the cells let go that
    ended outside their box, ``label:residual``, furthest first). A cell whose held run no held cell blocked (the reach stopped by itself: no step
    lowers its residual within the tail plan and hinges) has no ``released`` row. Rows are
    written to ``out`` after each cell.
    """
    if isinstance(state, (str, Path)):
        with open(state, "rb") as fh:
            state = pickle.load(fh)
    ws = weights(state[0])
    st0 = SpatialTargets(ws, cells=list(cells))
    start = st0.values(state[0].panel())
    rows = []
    for k, cell in enumerate(st0.cells):
        res = binding_one(state, cell, ws=ws, release=True, iters=iters, verbose=verbose)
        blockers = "; ".join(
            f"{_label(lab)}:{n}"
            for lab, n in sorted(res["held"]["rejections"].items(), key=lambda kv: -kv[1])
        )
        for run, d in res.items():
            rows.append(
                dict(
                    cell="/".join(cell),
                    run=run,
                    published=st0.target[k],
                    start_units=(start[cell] - st0.target[k]) / st0.unit[k],
                    reached=d["reached"],
                    residual_units=d["residual_units"],
                    held_out=d["held_out"],
                    held_max_units=d["held_max_units"],
                    freed_out=d["freed_out"],
                    freed_max_units=d["freed_max_units"],
                    blockers=blockers,
                    let_go="; ".join(_label(lab) for lab in d.get("let_go", ())),
                    own="; ".join(_label(lab) for lab in d.get("own", ())),
                    freed_cells="; ".join(
                        f"{_label(lab)}:{v:.1f}" for lab, v in d.get("freed_cells", {}).items()
                    ),
                    seconds=round(d["seconds"]),
                )
            )
        if out is not None:
            pd.DataFrame(rows).to_csv(out, index=False, float_format="%.10g", lineterminator="\n")
    return pd.DataFrame(rows)


#: The binding record (``python -m yrd_twin.reach`` writes it; the twin chapter reads it).
BINDING_RECORD = DATA.parent / "reports" / "table9_binding.csv"
_BINDING_COLUMNS = (
    "cell", "run", "published", "start_units", "reached", "residual_units", "held_out",
    "held_max_units", "freed_out", "freed_max_units", "blockers", "let_go", "own", "freed_cells",
)  # fmt: skip


def load_binding(path: str | Path = BINDING_RECORD) -> pd.DataFrame:
    """The :func:`binding` record at ``path``; a missing file raises ``FileNotFoundError`` saying
    how to make it, a missing column or run ``ValueError`` naming it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no binding record; `python -m yrd_twin.reach --out {path}` "
            "writes it (`make table9-binding`)"
        )
    rec = pd.read_csv(path, keep_default_na=False, na_values=[""])
    missing = [c for c in _BINDING_COLUMNS if c not in rec.columns]
    if missing:
        raise ValueError(f"{path}: binding record without column(s) {missing}")
    bad = sorted(set(rec["run"]) - {"held", "released"})
    if bad:
        raise ValueError(f"{path}: unknown run(s) {bad} in column 'run'; known: held, released")
    rec["blockers"] = rec["blockers"].fillna("")
    for col in ("let_go", "own", "freed_cells"):
        rec[col] = rec[col].fillna("")
    return rec


_LABEL = re.compile(r"T(\d+)(?:\(([^)]*)\))? (\S+) (\S+)$")
_PLAIN_ROW = {"rho": "ρ", "sigma2": "σ²", "r2": "R-squared", "const": "the constant"}


def plain(label: str) -> str:
    """A polish label as :func:`_label` writes it, in words: ``T4(5) F value`` -> ``Table 4 (5)'s
    F``, ``T8(inverse_distance) spatial_error|lm lm`` -> ``Table 8's LM error test (inverse
    distance)``. A string of another form is returned unchanged.

    >>> plain("T7(economic) 2020 moran_i"), plain("T9(economic|SAR) rho coef")
    ("Table 7's Moran's I of 2020 (economic distance)", 'Table 9, SAR (economic distance), ρ')
    >>> plain("T5(1) const t"), plain("T9(inverse_distance|SAR) indirect coef")
    ("Table 5 (1)'s t of the constant", 'Table 9, SAR (inverse distance), indirect effect')
    """
    m = _LABEL.match(str(label).strip())
    if not m:
        return label
    table, col, row, stat = m.groups()
    w, _, model = (col or "").partition("|")
    dist = {"inverse_distance": "inverse distance", "economic": "economic distance"}.get(w, w)
    name = _PLAIN_ROW.get(row, row)
    if table == "8":
        test = "LM error" if row == "spatial_error|lm" else row.replace("_", " ").replace("|", " ")
        return f"Table 8's {test} test ({dist})"
    if table == "7":
        return f"Table 7's Moran's I of {row} ({dist})"
    if table == "9":
        if stat == "t":
            what = f"t of {name}"
        elif row in ("direct", "indirect", "total"):
            what = f"{row} effect"
        elif row in ("rho", "sigma2", "r2"):
            what = name
        else:
            what = f"coefficient of {name}"
        return f"Table 9, {model} ({dist}), {what}"
    where = f"Table {table} ({col})" if col else f"Table {table}"
    if row == "F":
        return f"{where}'s F"
    return f"{where}'s {'t' if stat == 't' else 'coefficient'} of {name}"


def _entries(field: str) -> list[tuple[str, str]]:
    """The ``(label, value)`` pairs of a record field written as ``"label:value; ..."`` (the
    ``blockers`` and ``freed_cells`` columns); an entry without ``:`` has the value ``""``."""
    pairs = [item.rpartition(":") for item in str(field or "").split("; ") if item]
    return [(name, value) if name else (value, "") for name, _, value in pairs]


def plain_blockers(blockers: str) -> str:
    """A ``blockers`` field (``"T4(3) F value:6; ..."``) with each label in words (:func:`plain`)."""
    return "; ".join(f"{plain(name)}: {n}" if n else plain(name) for name, n in _entries(blockers))


def _names(blockers: str) -> list[str]:
    """The cells of a ``blockers`` entry (``"T4(3) F value:6; T8(...) lm:2"``), counts dropped."""
    return [name for name, _ in _entries(blockers)]


def _also(blockers: str, let_go) -> int:
    """How many cells of ``let_go`` are not among ``blockers``."""
    first = set(_names(blockers))
    return sum(1 for x in str(let_go or "").split("; ") if x and x not in first)


def _own_out(cell: str, freed_cells: str) -> str:
    """The entries of a ``freed_cells`` record field that belong to ``cell``'s own model
    (``weights/model/...``), in words (:func:`plain`) without the model, residuals in printed
    units: ``"ρ 254"``."""
    w, m = cell.split("/")[:2]
    prefix = f"T9({w}|{m}) "
    return ", ".join(
        f"{plain(name).split(', ', 2)[-1]} {float(value):.0f}"
        for name, value in _entries(freed_cells)
        if name.startswith(prefix)
    )


def blocker_tally(summary: pd.DataFrame) -> pd.Series:
    """For the cells a :func:`binding_summary` table shows out, how many of them each held cell
    blocked (a held run it stopped at least once), most first (ties in first-seen order)."""
    names = [n for text in summary.loc[summary["shown"], "blockers"] for n in _names(text)]
    counts = pd.Series(names, dtype=object).value_counts(sort=False)
    return counts.sort_values(ascending=False, kind="stable").rename("cells blocked")


def binding_summary(record: pd.DataFrame) -> pd.DataFrame:
    """One row per cell of a :func:`binding` record, in :data:`CELLS` order: the published value,
    the residual (printed units) on the committed twin, with every earlier target held, and with
    the blockers let go; the blockers; how many other held cells the released runs let go (those
    that blocked an earlier released run, and the own-model cells of the last round: the record's
    ``let_go`` names them); how many of the cells let go the released run left outside their
    rounding box and how far the furthest went; ``own model out``: the cells of the cell's own
    model among those, with their residuals (printed units); ``own round``: whether the last run
    was the one that let go of the own model's matched cells (:func:`binding_one`); and ``shown``: whether the record
    shows the cell unreachable together with the earlier targets (:func:`shown_out`)."""
    held = record[record["run"] == "held"].set_index("cell")
    rel = record[record["run"] == "released"].set_index("cell")
    order = [c for c in ("/".join(k) for k in CELLS) if c in held.index]
    out = pd.DataFrame(
        {
            "published": held["published"],
            "twin": held["start_units"],
            "held": held["residual_units"],
            "blockers": held["blockers"],
            "released": rel["residual_units"].reindex(held.index),
            "also let go": [
                _also(held.loc[c, "blockers"], rel["let_go"].get(c, "")) for c in held.index
            ],
            "blockers out": rel["freed_out"].reindex(held.index),
            "furthest blocker": rel["freed_max_units"].reindex(held.index),
            "own model out": [_own_out(c, rel["freed_cells"].get(c, "")) for c in held.index],
            "own round": [bool(rel["own"].get(c, "")) for c in held.index],
        }
    ).loc[order]
    out["shown"] = [c in shown_out(record) for c in out.index]
    return out


def shown_out(record: pd.DataFrame) -> set[str]:
    """Cells (``weights/model/row/statistic``) that a :func:`binding` record shows cannot be
    reached together with the earlier targets, numerically: with every earlier target held the
    closest the twin comes is outside the rounding box (|residual| > 1); held cells blocked the
    run; and with those let go the cell comes inside its box while at least one of them ends
    outside its own. Along the generator's path, then, the cell and its blockers trade off; that is
    a measurement on the twin, not a proof for other data."""
    held = record[record["run"] == "held"].set_index("cell")
    rel = record[record["run"] == "released"].set_index("cell")
    return {
        c
        for c in held.index
        if abs(held.loc[c, "residual_units"]) > 1
        and held.loc[c, "blockers"]
        and c in rel.index
        and abs(rel.loc[c, "residual_units"]) <= 1
        and rel.loc[c, "freed_out"] >= 1
    }


def held_fit(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where the generator's Table 9 stage left its cells: one row per cell of
    :data:`yrd.data.twinfit.T9_OPEN` (``weights/model/row/statistic``), the published value, the
    twin's (the book's estimator as :class:`yrd_twin.spcells.SpatialTargets` computes it), the
    residual in printed units (within 1 the cell prints as published) and whether the stage
    brought it in on the committed twin (:data:`yrd.data.twinfit.REACHED`).

    ``panel``: the twin panel (default the committed one, :func:`yrd_twin.generate.load`); a panel
    without the twin's columns raises ``ValueError`` naming them.
    """
    from yrd_twin.generate import load
    from yrd_twin.targets import VARS

    df = load() if panel is None else panel
    missing = [v for v in VARS if v not in df.columns]
    if missing:
        raise ValueError(f"twin panel: missing column(s) {missing}")
    X = df[list(VARS)].to_numpy(float)
    st = SpatialTargets(weights(None), cells=[k[1:] for k in T9_OPEN])
    vals = st.values(X)
    return pd.DataFrame(
        {
            "published": st.target,
            "twin": [vals[c] for c in st.cells],
            "residual_units": [
                (vals[c] - st.target[k]) / st.unit[k] for k, c in enumerate(st.cells)
            ],
            "reached": [(9, *c) in REACHED for c in st.cells],
        },
        index=pd.Index(["/".join(c) for c in st.cells], name="cell"),
    )


def main(argv=None) -> int:
    """``python -m yrd_twin.reach [--out CSV] [--seed N]``: rebuild the committed twin's fitted
    state (:func:`yrd_twin.generate.shaped`) and write the :func:`binding` record."""
    import argparse

    from threadpoolctl import threadpool_limits

    from yrd_twin.generate import SEED, shaped

    ap = argparse.ArgumentParser(
        prog="python -m yrd_twin.reach", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--out", type=Path, default=BINDING_RECORD)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".partial.csv")
    # single-threaded BLAS, as python -m yrd_twin: threaded reductions can change the last bits
    with threadpool_limits(limits=1):
        binding(shaped(a.seed), out=tmp)
    # written whole at the end: an interrupted run leaves the old record as it was
    rec = pd.read_csv(tmp)
    rec.to_csv(a.out, index=False, float_format="%.10g", lineterminator="\n")
    tmp.unlink()
    return 0


__all__ = [
    "BINDING_ITERS",
    "BINDING_RECORD",
    "CELLS",
    "binding",
    "binding_one",
    "binding_summary",
    "blocker_tally",
    "held_fit",
    "load_binding",
    "main",
    "own_cells",
    "plain",
    "plain_blockers",
    "shown_out",
    "weights",
]


if __name__ == "__main__":
    raise SystemExit(main())
