"""Execute the book's notebooks in parallel into MyST-NB's execution cache, before the build.

``jupyter-book build`` executes notebooks one after another. On a machine with several cores it is
faster to execute them side by side first and let the build find them in its cache
(``_build/.jupyter_cache``, the jupyter-cache database MyST-NB reads with
``execute_notebooks: cache``). This module does exactly what MyST-NB does for one notebook (read the
``py:percent`` source with jupytext, execute it in its folder, store it keyed on its code) for all of
them, in a pool of worker processes. Only the main process writes to the cache database.

Each kernel is forked from a process that has already imported the libraries the notebooks use
(:mod:`yrd.forkkernel`; ``YRD_FORK_KERNELS=0`` starts fresh kernels instead): on two cores this cuts
the execution of all notebooks by about a third (``make bench``).

A notebook that fails here is not cached: the book build then executes it again and fails with
the usual message, so the build stays the gate. Notebooks already cached are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import ROOT

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
    """Worker: execute one notebook as MyST-NB would; returns (path, notebook, seconds, error).

    With a fork server running (:mod:`yrd.forkkernel`, socket in ``YRD_FORK_SOCKET``) the kernel
    is forked from it, with the libraries already imported; otherwise it is a fresh process.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    from .forkkernel import SOCKET_ENV, ForkKernelManager

    extra = {"kernel_manager_class": ForkKernelManager} if os.environ.get(SOCKET_ENV) else {}
    nb = _read(Path(path))
    result = single_nb_execution(
        nb,
        cwd=str(Path(path).parent),
        timeout=TIMEOUT,
        allow_errors=False,
        meta_override=True,
        **extra,
    )
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return path, nb, float(result.time), error


@contextlib.contextmanager
def _environ(name: str, value: str):
    """Set one environment variable (inherited by the workers) for the duration of a block."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


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
    # longest first (source size as the proxy), so the last notebook to start is a short one
    todo.sort(key=lambda p: Path(p).stat().st_size, reverse=True)
    if not todo:
        return status
    from . import forkkernel  # here, not at the top: a fully cached rebuild never needs it

    workers = workers or min(len(todo), os.cpu_count() or 1) or 1
    with contextlib.ExitStack() as stack:
        if forkkernel.enabled():
            server = stack.enter_context(forkkernel.ForkServer())
            stack.enter_context(_environ(forkkernel.SOCKET_ENV, server.socket_path))
        # spawned, not forked, workers: a fork would copy whatever ZeroMQ/asyncio state the calling
        # process holds (a test session that ran kernels before, say), and nbclient then spins
        spawn = multiprocessing.get_context("spawn")
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers, mp_context=spawn))
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
        prog="python -m yrd.execute", description=__doc__.split("\n")[0]
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
    notebooks = toc_notebooks()
    db = cache_dir / "global.db"
    if db.exists() and all(nb.stat().st_mtime < db.stat().st_mtime for nb in notebooks):
        # nothing edited since the cache was last written: leave the (hash-based) check to the build
        print("yrd.execute: no notebook changed since the cache was written; nothing to do")
        return 0
    status = precompute(cache_dir, notebooks, args.workers)
    if db.exists():
        db.touch()  # every notebook was checked against the cache at this time
    done = sum(v == "executed" for v in status.values())
    failed = {k: v for k, v in status.items() if v not in ("cached", "executed")}
    from .forkkernel import enabled

    kernels = "forked" if enabled() else "fresh"
    print(
        f"yrd.execute: {done} executed ({kernels} kernels), "
        f"{sum(v == 'cached' for v in status.values())} already cached, "
        f"{len(failed)} failed, in {time.perf_counter() - t0:.1f} s"
        + ("".join(f"\n  {Path(k).name}: {v.splitlines()[0][:200]}" for k, v in failed.items()))
    )
    return 0  # failures are reported again, with tracebacks, by the book build


if __name__ == "__main__":
    sys.exit(main())
