"""``make bench``: where the time goes, measured as ratios within one run on this machine.

Measures, in one process and one run:

* the book, built into a temporary output folder two ways: as ``make book`` builds it (notebooks
  executed side by side in fresh kernels into the cache by :mod:`yrd_book.execute`, then
  ``jupyter-book build``) and by a plain ``jupyter-book build`` of the same tree (which executes the
  notebooks one after another); each cold (empty execution cache, environment present) and as a
  cached rebuild, alternating the two ways and taking the ratio pair by pair (the host's speed drifts);
  plus each notebook's execution time;
* one two-way SAR fit on Munnell's panel (48 x 17): ``yrd.econ.spatial.fit_panel`` against PySAL's
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

    from yrd.econ.spatial import fit_panel
    from yrd.paper.validation import X, Y, load_produc

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

    from yrd.econ.spatial import fit_panel

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


def _build(out: Path, parallel: bool) -> tuple[float, float]:
    """One build of the book into ``out``: wall and CPU seconds (all child processes)."""
    jb = Path(sys.executable).with_name("jupyter-book")
    t0, cpu0 = time.perf_counter(), _children_cpu()
    if parallel:  # what `make book` does: parallel pre-execution into the cache, then the build
        run = subprocess.run(
            [sys.executable, "-m", "yrd_book.execute", "--build-root", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0 or " 0 failed" not in run.stdout:
            raise RuntimeError(f"notebook execution failed:\n{run.stdout}\n{run.stderr[-2000:]}")
    run = subprocess.run(
        [str(jb), "build", "--path-output", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"book build failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return time.perf_counter() - t0, _children_cpu() - cpu0


def _warm_up() -> None:
    """Pay the one-off costs before any timed build, so the first build timed is not penalised:
    byte-compiling changed modules, matplotlib's font cache, the kernel's first start."""
    code = (
        "import matplotlib.pyplot, pandas, ipykernel.kernelapp, esda, libpysal, geopandas; "
        "import yrd.paper.scoreboard, yrd.paper.audit, yrd.report.maps, yrd.data.public, "
        "yrd.econ.inference, yrd.econ.montecarlo, yrd_twin.fidelity"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def book_builds(pairs: int = 2, cached_repeats: int = 3) -> tuple[dict[str, float], pd.DataFrame]:
    """Cold and cached builds, ``make book``'s way and plain ``jupyter-book build``, in one run.

    The machine's speed drifts (a shared host), so the two ways alternate: ``pairs`` times a cold
    plain build then a cold make-book build, each into a fresh temporary folder, and the ratio is
    taken pair by pair (its median is reported, with the medians of the seconds). The last pair's
    folders then get ``cached_repeats`` cached rebuilds each, alternating too. Also returns each
    notebook's execution time (from make-book's last cache).
    """
    times: dict[str, float] = {}
    execution = None
    _warm_up()
    ways = (("plain", False), ("make book", True))
    cold: dict[str, list] = {way: [] for way, _ in ways}
    ratios = []
    folders: dict[str, Path] = {}
    try:
        for _ in range(pairs):
            for way, parallel in ways:
                if way in folders:
                    shutil.rmtree(folders[way], ignore_errors=True)
                folders[way] = Path(tempfile.mkdtemp(prefix="yrd-bench-"))
                cold[way].append(_build(folders[way], parallel))
            ratios.append(cold["make book"][-1][0] / cold["plain"][-1][0])
        cached: dict[str, list] = {way: [] for way, _ in ways}
        for _ in range(cached_repeats):
            for way, parallel in ways:
                cached[way].append(_build(folders[way], parallel))
        execution = _execution_times(folders["make book"] / "_build" / ".jupyter_cache")
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
    for way, _ in ways:
        times[f"{way} cold"], times[f"{way} cold cpu"] = (
            float(np.median(v)) for v in zip(*cold[way], strict=True)
        )
        times[f"{way} cached"], times[f"{way} cached cpu"] = (
            float(np.median(v)) for v in zip(*cached[way], strict=True)
        )
    times["ratio cold"] = float(np.median(ratios))
    times["ratio cold each"] = ratios
    times["ratio cached"] = times["make book cached"] / times["plain cached"]
    return times, execution


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
    parser = argparse.ArgumentParser(
        prog="python -m yrd_book.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--no-book", action="store_true", help="skip the book builds")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    if not args.no_book:
        b, execution = book_builds()
        # CPU seconds barely depend on what else runs; wall seconds do (load = 1-min average)
        load = f"load {os.getloadavg()[0]:.2f}"
        for way in ("plain", "make book"):
            name = "plain jupyter-book build" if way == "plain" else "make book"
            rows.append(
                (
                    f"{name}, cold",
                    b[f"{way} cold"],
                    f"median of 2; CPU {b[f'{way} cold cpu']:.1f} s",
                )
            )
            rows.append((f"{name}, cached rebuild", b[f"{way} cached"], f"median of 3, {load}"))
        each = ", ".join(f"{r:.3f}" for r in b["ratio cold each"])
        rows.append(
            (
                "ratio make book / plain, cold",
                b["ratio cold"],
                f"median of pairs ({each}); target <= 0.6",
            )
        )
        rows.append(("ratio make book / plain, cached", b["ratio cached"], "same run"))
        rows += [(f"execute {r.notebook}", r.seconds, "") for r in execution.itertuples()]
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
