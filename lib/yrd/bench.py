"""``make bench``: where the time goes, measured as ratios within one run on this machine.

Measures, in one process and one run:

* the book, as ``make book`` builds it (notebooks executed side by side into the cache by
  :mod:`yrd.execute`, then ``jupyter-book build``): a cold build (empty execution cache, environment
  present) and a cached rebuild, into a temporary output folder, plus each notebook's execution time
  (measured in its own process, two at a time);
* all notebooks executed (cold cache) with kernels forked from a preloaded process
  (:mod:`yrd.forkkernel`, what the build uses) and with fresh kernels, and their ratio;
* one two-way SAR fit on Munnell's panel (48 x 17): ``yrd.spatial.fit_panel`` against PySAL's
  ``spreg.Panel_FE_Lag`` on year-demeaned data (the same estimator), median of several repeats, and
  their ratio;
* one SAR fit on a synthetic N = 2000, T = 10 panel with a sparse k-nearest-neighbour W (the sparse
  log-determinant path).

Writes ``reports/bench.csv`` (measure, seconds, note) and prints it. Timings are wall-clock seconds
and vary between machines and runs; compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import ROOT

REPORT = ROOT / "reports" / "bench.csv"


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def sar_vs_spreg(repeats: int = 5) -> dict[str, float]:
    """Median seconds of one two-way SAR fit: yrd vs spreg (year-demeaned), and yrd / spreg."""
    import libpysal
    import spreg

    from .spatial import fit_panel
    from .validation import X, Y, load_produc

    df, w = load_produc()
    ordered = df.sort_values(["year", "state"])
    cols = [Y, *X]
    demeaned = ordered[cols] - ordered.groupby("year")[cols].transform("mean")
    wlib = libpysal.weights.full2W(w)
    wlib.transform = "r"

    def ours():
        fit_panel(df, Y, X, w, "state", "year", model="sar", effects="twoways", lag="splm")

    def theirs():
        with contextlib.redirect_stdout(io.StringIO()):  # spreg prints progress
            spreg.Panel_FE_Lag(demeaned[[Y]].to_numpy(), demeaned[X].to_numpy(), wlib)

    ours()
    theirs()  # warm-up: imports and caches
    t_ours = _median_time(ours, repeats)
    t_spreg = _median_time(theirs, repeats)
    return {"yrd": t_ours, "spreg": t_spreg, "ratio": t_ours / t_spreg}


def large_sparse(n: int = 2000, t: int = 10, k: int = 6, seed: int = 20261126) -> dict[str, float]:
    """Seconds for a two-way SAR fit on a synthetic N x T panel with a sparse kNN weights matrix."""
    from scipy import sparse
    from scipy.spatial import cKDTree

    from .spatial import fit_panel

    rng = np.random.default_rng(seed)
    pts = rng.uniform(size=(n, 2))
    _, idx = cKDTree(pts).query(pts, k + 1)
    rows = np.repeat(np.arange(n), k)
    w = sparse.csr_matrix((np.full(n * k, 1 / k), (rows, idx[:, 1:].ravel())), shape=(n, n))
    x = rng.normal(size=(t, n))
    eps = rng.normal(scale=0.5, size=(t, n))
    a = sparse.identity(n, format="csc") - 0.4 * w.tocsc()
    y = np.vstack([sparse.linalg.spsolve(a, 1.0 * x[s] + eps[s]) for s in range(t)])
    data = pd.DataFrame(
        {
            "unit": np.tile(np.arange(n), t),
            "time": np.repeat(np.arange(t), n),
            "y": y.ravel(),
            "x": x.ravel(),
        }
    )
    t0 = time.perf_counter()
    res = fit_panel(data, "y", ["x"], w.toarray(), "unit", "time", model="sar", logdet="sparse")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rho": float(res.params["rho"])}


def book_builds() -> tuple[dict[str, float], pd.DataFrame]:
    """Cold and cached builds of the book into a temporary folder; per-notebook execution times."""
    jb = Path(sys.executable).with_name("jupyter-book")
    out = Path(tempfile.mkdtemp(prefix="yrd-bench-"))
    try:
        times = {}
        cached = []
        for label in ("cold", "cached", "cached", "cached"):
            t0 = time.perf_counter()
            cpu0 = _children_cpu()
            # what `make book` does: parallel pre-execution into the cache, then the build
            subprocess.run(
                [sys.executable, "-m", "yrd.execute", "--build-root", str(out)],
                capture_output=True,
                text=True,
                check=False,
            )
            run = subprocess.run(
                [str(jb), "build", "--path-output", str(out), str(ROOT)],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
            if run.returncode != 0:
                raise RuntimeError(
                    f"book build failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
                )
            if label == "cold":
                times["cold"], times["cold cpu"] = seconds, cpu
            else:
                cached.append((seconds, cpu))
        # a cached rebuild takes a few seconds, so load matters: the median of three
        times["cached"], times["cached cpu"] = (
            float(np.median(v)) for v in zip(*cached, strict=True)
        )
        execution = _execution_times(out / "_build" / ".jupyter_cache")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return times, execution


def kernels_forked_vs_fresh() -> dict[str, float]:
    """Execute every notebook (cold cache) with forked kernels, then with fresh ones.

    ``python -m yrd.execute`` both times, into two temporary caches; wall and CPU seconds of each
    and the wall-clock ratio forked / fresh (see :mod:`yrd.forkkernel`).
    """
    from .forkkernel import DISABLE_ENV

    out = {}
    for label, flag in (("forked", "1"), ("fresh", "0")):
        root = Path(tempfile.mkdtemp(prefix=f"yrd-bench-{label}-"))
        try:
            t0, cpu0 = time.perf_counter(), _children_cpu()
            run = subprocess.run(
                [sys.executable, "-m", "yrd.execute", "--build-root", str(root)],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, DISABLE_ENV: flag},
            )
            out[label] = time.perf_counter() - t0
            out[f"{label} cpu"] = _children_cpu() - cpu0
            if f"({label} kernels)" not in run.stdout:  # e.g. no fork support on this machine
                raise RuntimeError(f"expected {label} kernels, yrd.execute said:\n{run.stdout}")
            if run.returncode != 0 or " 0 failed" not in run.stdout:
                raise RuntimeError(
                    f"notebook execution failed:\n{run.stdout}\n{run.stderr[-2000:]}"
                )
        finally:
            shutil.rmtree(root, ignore_errors=True)
    out["ratio"] = out["forked"] / out["fresh"]
    return out


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process (kernels included)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _execution_times(cache: Path) -> pd.DataFrame:
    from jupyter_cache import get_cache

    rows = []
    for record in get_cache(str(cache)).list_cache_records():
        data = record.data or {}
        rows.append((Path(record.uri).stem, float(data.get("execution_seconds", np.nan))))
    return pd.DataFrame(rows, columns=["notebook", "seconds"]).sort_values("notebook")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yrd.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--no-book", action="store_true", help="skip the book builds")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    if not args.no_book:
        builds, execution = book_builds()
        load = os.getloadavg()[0]
        rows.append(("book build, cold (empty cache)", builds["cold"], "target <= 45 s"))
        rows.append(("book build, cached rebuild", builds["cached"], "median of 3; target <= 5 s"))
        # CPU seconds barely depend on what else runs; wall seconds do (load = 1-min average)
        rows.append(("cold build CPU, all processes", builds["cold cpu"], f"load {load:.2f}"))
        rows.append(("cached build CPU, all processes", builds["cached cpu"], ""))
        rows += [(f"execute {r.notebook}", r.seconds, "") for r in execution.itertuples()]
        kernels = kernels_forked_vs_fresh()
        for label in ("forked", "fresh"):
            note = f"CPU {kernels[label + ' cpu']:.1f} s"
            rows.append((f"all notebooks, {label} kernels (yrd.execute)", kernels[label], note))
        rows.append(("ratio forked / fresh kernels", kernels["ratio"], "wall clock, same run"))
    sar = sar_vs_spreg(args.repeats)
    rows.append(("two-way SAR on Produc: yrd", sar["yrd"], f"median of {args.repeats}"))
    rows.append(("two-way SAR on Produc: spreg", sar["spreg"], f"median of {args.repeats}"))
    rows.append(("ratio yrd / spreg", sar["ratio"], "target <= 1"))
    big = large_sparse()
    rows.append(("SAR, N=2000 T=10, sparse log-det", big["seconds"], f"rho = {big['rho']:.3f}"))
    report = pd.DataFrame(rows, columns=["measure", "seconds", "note"])
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report.to_csv(REPORT, index=False, float_format="%.3f", lineterminator="\n")
    print(report.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(json.dumps({"written": str(REPORT.relative_to(ROOT))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
