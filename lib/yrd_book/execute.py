"""Execute the book's notebooks in parallel into MyST-NB's execution cache, before the build.

``jupyter-book build`` executes notebooks one after another. On a machine with several cores it is
faster to execute them side by side first and let the build find them in its cache
(``_build/.jupyter_cache``, the jupyter-cache database MyST-NB reads with
``execute_notebooks: cache``). This module does exactly what MyST-NB does for one notebook (read the
``py:percent`` source with jupytext, execute it in its folder in a fresh kernel, store it keyed on
its code) for all of them, in a pool of worker processes. Only the main process writes to the cache
database.

First the cache is emptied if it was filled from other code or data
(:func:`yrd_book.freshness.ensure_fresh`): jupyter-cache keys on a notebook's code alone. A notebook
that fails here is not cached: the book build then executes it again and fails with the usual
message, so the build stays the gate. Notebooks already cached are skipped.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import ROOT
from .freshness import ensure_fresh, inputs_digest

#: The timeout per notebook, as in ``_config.yml``.
TIMEOUT = 900


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The ``.py`` notebooks of the table of contents, in order."""
    from .pdf import toc_pages

    return [root / f"{src}.py" for src, _ in toc_pages(root) if (root / f"{src}.py").exists()]


def _read(path: Path):
    import jupytext

    return jupytext.reads(path.read_text(encoding="utf-8"), fmt="py:percent")


def _execute(path: str) -> tuple[str, object, float, str | None]:
    """Worker: execute one notebook as MyST-NB would; returns (path, notebook, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = _read(Path(path))
    result = single_nb_execution(
        nb,
        cwd=str(Path(path).parent),
        timeout=TIMEOUT,
        allow_errors=False,
        meta_override=True,
    )
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return path, nb, float(result.time), error


def longest_first(paths: list[str], report: Path | None = None) -> list[str]:
    """Notebooks in the order to start them: longest first, so the last to start is a short one
    and no core idles at the end while one long notebook runs (the LPT rule of scheduling).

    The expected seconds are the last benchmark's (``reports/bench.csv``, rows ``execute <name>``);
    a notebook it does not list is placed by its source size instead (about 1.5 s per 10 kB).
    """
    import csv

    report = report if report is not None else ROOT / "reports" / "bench.csv"
    seconds = {}
    if report.exists():
        with report.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("measure", "").startswith("execute "):
                    seconds[row["measure"].removeprefix("execute ")] = float(row["seconds"])

    def expected(path: str) -> float:
        name = Path(path).stem
        return seconds.get(name, Path(path).stat().st_size / 10_000 * 1.5)

    return sorted(paths, key=expected, reverse=True)


def precompute(
    cache_dir: Path, notebooks: list[Path], workers: int | None = None
) -> dict[str, str]:
    """Execute every uncached notebook (``workers`` at a time) and store it in ``cache_dir``.

    Returns
    -------
    dict
        Notebook path -> "cached" (already there), "executed" or the error text.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    status: dict[str, str] = {}
    todo = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(_read(path))
            status[str(path)] = "cached"
        except KeyError:
            todo.append(str(path))
    todo = longest_first(todo)
    if not todo:
        return status
    # one kernel more than cores: a kernel starting up or waiting on its messages leaves a core idle
    # (measured with make bench: 3 kernels on 2 cores finish about a tenth sooner than 2)
    workers = workers or min(len(todo), (os.cpu_count() or 1) + 1)
    # spawned, not forked, workers: a fork would copy whatever ZeroMQ/asyncio state the calling
    # process holds (a test session that ran kernels before, say), and nbclient then spins
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        futures = [pool.submit(_execute, p) for p in todo]
        for fut in as_completed(futures):
            path, nb, seconds, error = fut.result()
            if error:
                status[path] = error
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, path, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            status[path] = "executed"
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yrd_book.execute", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--build-root", type=Path, default=ROOT, help="jupyter-book --path-output")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    # one BLAS thread per kernel (the kernels inherit this): with a notebook per core, threaded
    # BLAS oversubscribes the cores and small decompositions get many times slower
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    cache_dir = args.build_root / "_build" / ".jupyter_cache"
    t0 = time.perf_counter()
    if ensure_fresh(cache_dir, inputs_digest()):
        print("yrd_book.execute: execution cache emptied (lib/, data/ or requirements changed)")
    status = precompute(cache_dir, toc_notebooks(), args.workers)
    done = sum(v == "executed" for v in status.values())
    failed = {k: v for k, v in status.items() if v not in ("cached", "executed")}
    print(
        f"yrd_book.execute: {done} executed, "
        f"{sum(v == 'cached' for v in status.values())} already cached, "
        f"{len(failed)} failed, in {time.perf_counter() - t0:.1f} s"
        + ("".join(f"\n  {Path(k).name}: {v.splitlines()[0][:200]}" for k, v in failed.items()))
    )
    return 0  # failures are reported again, with tracebacks, by the book build


if __name__ == "__main__":
    sys.exit(main())
