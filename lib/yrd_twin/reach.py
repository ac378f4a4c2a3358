"""Which old targets keep Table 9's unmatched cells out: a relaxation experiment.

:func:`relaxation` starts every run from the same polished twin, fits the cells :data:`CELLS`
with :class:`yrd_twin.spcells.SpatialTargets` by a continuation on its ``slack`` (as the module
docstring of :mod:`yrd_twin.spcells` describes) while one group of the old targets of
:func:`yrd_twin.polish.polish` is left out (``drop=``; :data:`RUNS`), and writes one row per run
and cell, after every level of the continuation: the published value, the value reached, the
residual in printed units and how many of the old targets (all of them, F included) ended outside
their rounding box. The rotations and the
tail plan are kept in every run: run ``f`` (no old target) asks whether the twin's fixed moment
design lets Table 9 in at all.

Measured (``python -m yrd_twin.reach``: the committed twin's seed, from
:func:`yrd_twin.generate.shaped`, levels 300..1, 15 steps each; about 22 minutes for the six
runs, single-threaded; the record is ``reports/table9_relaxation.csv``, shown in the twin chapter by
:func:`summary`): no run converged. The old targets are weighed
in the polish's merit, not held, so at slack 3 and 1 every run traded them for Table 9 (run
``a``: 3 old targets out at slack 10, 53 at slack 1). With everything kept only the coefficients
(inno, sigma2, effects) come within about 2 units; the R-squared, the effects' t, the rho t and
the rhos stay 12-510 units off. Without any old target (``f``) the largest Table 9 residual
fell from 1080 to 65 units (economic SEM R-squared and inno t inside, indirect t -4.6) and was
still falling: the fixed moment design does not by itself rule Table 9 out.
"""

from __future__ import annotations

import copy
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd

from yrd import DATA
from yrd.data.twinfit import SEARCHED
from yrd_twin.polish import PolishTargets, polish
from yrd_twin.spcells import SpatialTargets

#: The 20 cells of Table 9 reachable in principle but unmatched by the polished twin
#: (:data:`yrd.data.twinfit.SEARCHED`), as ``(weights, model, row, statistic)``.
CELLS = [k[1:] for k in SEARCHED]
#: run -> (groups dropped, fit the F statistics).
RUNS = {
    "a_all": ((), True),
    "b_no_moran": (("moran",), True),
    "c_no_t": (("t",), True),
    "d_no_F": ((), False),
    "e_no_t5": (("t5",), True),
    "f_none": (("t", "t5", "F", "moran"), False),
}
SLACKS = (300.0, 100.0, 30.0, 10.0, 3.0, 1.0)


def weights(real) -> dict[str, np.ndarray]:
    """Table 9's two matrices: inverse distance (the book's) and the generator's economic one."""
    from yrd.data.geo import load_inverse_distance
    from yrd_twin.generate import anchored_values, economic_weights

    gdp = anchored_values()["gdp"].to_numpy(float)
    return {
        "inverse_distance": load_inverse_distance().to_numpy(float),
        "economic": economic_weights(gdp),
    }


def run_one(
    state,
    name,
    drop=(),
    f_stats=True,
    ws=None,
    cells=CELLS,
    slacks=SLACKS,
    iters=20,
    budget=None,
    verbose=0,
):
    """One relaxation run from ``state`` = (real, t, plan, W) (copied): rows of the tidy table."""
    real, t, plan, W = copy.deepcopy(state)
    ws = ws or weights(real)
    st = SpatialTargets(ws, cells=list(cells))
    full = PolishTargets(W, f_stats=True)
    r_old0, _ = full.residuals(real.panel(), plan)
    t0 = time.time()
    rows = []
    for s in slacks:
        if budget is not None and time.time() - t0 > budget:
            break
        st.slack = s
        polish(
            real, t, W, plan, f_stats=f_stats, city=True, box=0.5, aim=0.3, extra=[st],
            iters=iters, drop=drop, verbose=verbose,
        )  # fmt: skip
        # the state after every level: the old targets are weighed, not held, so the last
        # levels may trade them for Table 9 (the rows show where)
        st.slack = 1.0
        X = real.panel()
        r_old, _ = full.residuals(X, plan)
        vals = st.values(X)
        for k, c in enumerate(st.cells):
            rows.append(
                dict(
                    run=name,
                    slack=s,
                    cell="/".join(c),
                    published=st.target[k],
                    reached=vals[c],
                    residual_units=(vals[c] - st.target[k]) / st.unit[k],
                    old_targets_out=int(np.sum(np.abs(r_old) > 1)),
                    old_targets_out_start=int(np.sum(np.abs(r_old0) > 1)),
                    old_max_units=float(np.abs(r_old).max()),
                )
            )
    return pd.DataFrame(rows), (real, t, plan, W)


def relaxation(state, runs=None, out: str | Path | None = None, **kw) -> pd.DataFrame:
    """Every run of :data:`RUNS` (or the named ``runs``) from ``state``; the tidy table, written
    to ``out`` (CSV) after each run."""
    if isinstance(state, (str, Path)):
        with open(state, "rb") as fh:
            state = pickle.load(fh)
    ws = weights(state[0])
    frames = []
    for name in runs or RUNS:
        drop, f_stats = RUNS[name]
        df, _ = run_one(state, name, drop=drop, f_stats=f_stats, ws=ws, **kw)
        frames.append(df)
        tab = pd.concat(frames, ignore_index=True)
        if out is not None:
            tab.to_csv(out, index=False)
    return pd.concat(frames, ignore_index=True)


#: The committed record (``python -m yrd_twin.reach`` writes it; the twin chapter reads it).
RECORD = DATA.parent / "reports" / "table9_relaxation.csv"


def load_record(path: str | Path = RECORD) -> pd.DataFrame:
    """The relaxation record at ``path``; a missing file raises ``FileNotFoundError`` saying how
    to make it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no relaxation record; `python -m yrd_twin.reach --out {path}` writes it "
            "(about 22 minutes, single-threaded)"
        )
    return pd.read_csv(path)


#: What each run leaves out, in words (the chapter's column heads).
RUN_TITLES = {
    "a_all": "every target kept",
    "b_no_moran": "without Moran's I",
    "c_no_t": "without the t",
    "d_no_F": "without the F",
    "e_no_t5": "without Table 5",
    "f_none": "no other target",
}


def summary(record: pd.DataFrame) -> pd.DataFrame:
    """The last level of every run of a :func:`relaxation` record, one row per cell: the published
    value, then the residual each run ended with (printed units: within 1 prints as published),
    and a last row ``old targets out``: how many of the earlier targets (Tables 4-7) that run
    left outside their rounding box.

    A record missing a column, run or level raises ``ValueError`` naming it.
    """
    need = {"run", "slack", "cell", "published", "residual_units", "old_targets_out"}
    missing = sorted(need - set(record.columns))
    if missing:
        raise ValueError(f"relaxation record: missing column(s) {missing}")
    unknown = sorted(set(record["run"]) - set(RUN_TITLES))
    if unknown:
        raise ValueError(f"relaxation record: unknown run(s) {unknown}; known: {list(RUN_TITLES)}")
    # each run's last level (the levels go down: the smallest slack reached)
    last = record[record["slack"] == record.groupby("run")["slack"].transform("min")]
    runs = [r for r in RUN_TITLES if r in set(last["run"])]
    res = last.pivot(index="cell", columns="run", values="residual_units")[runs]
    pub = last.groupby("cell")["published"].first()
    out = pd.concat([pub, res], axis=1).reindex(["/".join(c) for c in CELLS])
    if out["published"].isna().any():
        absent = out.index[out["published"].isna()].tolist()
        raise ValueError(f"relaxation record: no row for cell(s) {absent}")
    off = last.groupby("run")["old_targets_out"].first()[runs]
    out.loc["old targets out"] = [np.nan, *off.to_numpy(float)]
    return out.rename(columns=RUN_TITLES)


def inside(summary_table: pd.DataFrame) -> pd.DataFrame:
    """Which cells of a :func:`summary` table each run ended with inside their rounding box
    (|residual| <= 1: the cell prints as published), one column per run."""
    return summary_table.drop(index="old targets out").drop(columns="published").abs() <= 1


def held_fit(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where the generator's Table 9 stage left its cells: one row per cell of
    :data:`yrd_twin.generate.T9_REACH` (``weights/model/row/statistic``), the published value, the
    twin's (the book's estimator as :class:`yrd_twin.spcells.SpatialTargets` computes it), the
    residual in printed units (within 1 the cell prints as published) and whether the stage
    brought it in on the committed twin (:data:`yrd.data.twinfit.REACHED`).

    ``panel``: the twin panel (default the committed one, :func:`yrd_twin.generate.load`); a panel
    without the twin's columns raises ``ValueError`` naming them.
    """
    from yrd.data.twinfit import REACHED
    from yrd_twin.generate import T9_REACH, load
    from yrd_twin.targets import VARS

    df = load() if panel is None else panel
    missing = [v for v in VARS if v not in df.columns]
    if missing:
        raise ValueError(f"twin panel: missing column(s) {missing}")
    X = df[list(VARS)].to_numpy(float)
    st = SpatialTargets(weights(None), cells=list(T9_REACH))
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
    """``python -m yrd_twin.reach [--out CSV] [--iters N] [--runs a_all,...]``: rebuild the
    committed twin's fitted state (:func:`yrd_twin.generate.shaped`) and write the record."""
    import argparse

    from threadpoolctl import threadpool_limits

    from yrd_twin.generate import SEED, shaped

    ap = argparse.ArgumentParser(
        prog="python -m yrd_twin.reach", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--out", type=Path, default=RECORD)
    ap.add_argument("--iters", type=int, default=15, help="polish steps per slack level")
    ap.add_argument("--runs", default=",".join(RUNS), help="comma-separated runs of RUNS")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    runs = [r for r in a.runs.split(",") if r]
    bad = sorted(set(runs) - set(RUNS))
    if bad:
        ap.error(f"unknown run(s) {bad}; known: {list(RUNS)}")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".partial.csv")
    # single-threaded BLAS, as python -m yrd_twin: threaded reductions can change the last bits
    with threadpool_limits(limits=1):
        relaxation(shaped(a.seed), runs=runs, out=tmp, iters=a.iters)
    # written whole at the end: an interrupted run leaves the old record as it was
    rec = pd.read_csv(tmp)
    rec.to_csv(a.out, index=False, float_format="%.10g", lineterminator="\n")
    tmp.unlink()
    return 0


__all__ = [
    "CELLS",
    "RUNS",
    "RUN_TITLES",
    "RECORD",
    "held_fit",
    "inside",
    "load_record",
    "main",
    "relaxation",
    "run_one",
    "summary",
]


if __name__ == "__main__":
    raise SystemExit(main())
