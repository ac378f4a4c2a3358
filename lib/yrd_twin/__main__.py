"""``python -m yrd_twin [--seed N] [--attempts K] [--out DIR] [--report CSV]``: regenerate the twin.

The new twin is built in a scratch folder and checked against every target
(:func:`yrd_twin.fidelity.missed`) before it replaces anything: a twin that falls short of a
target is never written to ``--out``. The shaping is a local search from a random start, and a
start can stall a hair short of one target (measured: of seeds 20240601, 1, 2, 3 on one machine,
2 and 3 reached every target; 20240601 missed one t-statistic by 0.9 %, 1 missed five cells), so
up to ``--attempts`` seeds are tried in turn (``N``, ``N + 1``, ...; one moment design serves all)
and the first twin that reaches every target is written. If none does, the command names the
cells the last one missed and exits with 2.
"""

import os

# single-threaded BLAS before numpy loads: threaded reductions can change the last bits
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

#: Files of a twin folder, as :func:`yrd_twin.generate.write` writes them.
FILES = ("panel.csv", "W_economic.csv")


def _write_report(rep, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rep.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")


def main(argv=None) -> int:
    """Command-line entry point; returns the exit status (0, or 2 for a twin that falls short)."""
    from yrd_twin import ATTEMPTS
    from yrd_twin.fidelity import fidelity, missed, summary
    from yrd_twin.generate import SEED, TWIN_DIR, build, make_design, write

    ap = argparse.ArgumentParser(prog="python -m yrd_twin", description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=SEED, help="first seed tried")
    ap.add_argument("--attempts", type=int, default=ATTEMPTS, help="seeds tried at most")
    ap.add_argument("--out", type=Path, default=TWIN_DIR)
    ap.add_argument("--report", type=Path, default=None, help="also write the fidelity CSV here")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument(
        "--unanchored",
        action="store_true",
        help="the earlier, fully synthetic twin (gdp, wage, stru synthetic too); by default gdp, "
        "wage, stru are the anchored public figures (yrd_twin.anchor)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="do not rebuild the twin: recompute the fidelity CSV of the one in --out",
    )
    a = ap.parse_args(argv)
    if a.report_only and a.report is None:
        ap.error("--report-only needs --report")
    t0 = time.time()
    if a.report_only:
        rep = fidelity(a.out)
        _write_report(rep, a.report)
        print(summary(rep))
        return 0
    anchored = not a.unanchored
    design = make_design(anchored, a.verbose)
    for k in range(max(a.attempts, 1)):
        seed = a.seed + k
        df = build(seed, verbose=a.verbose, anchored=anchored, design=design)
        stage = Path(tempfile.mkdtemp(prefix="yrd-twin-"))
        write(df, stage)
        rep = fidelity(stage)
        print(f"seed {seed}: {summary(rep)}", flush=True)
        short = missed(rep)
        if short.empty:
            break
        cells = "\n".join(
            f"  Table {r.table} {r.cell} [{r.statistic}]: published {r.published:g}, "
            f"twin {r.reproduced:.6g}"
            for r in short.itertuples()
        )
        print(f"yrd_twin: seed {seed} misses {len(short)} target(s):\n{cells}", file=sys.stderr)
        if k + 1 < max(a.attempts, 1):
            shutil.rmtree(stage, ignore_errors=True)
    if not short.empty:
        print(
            f"yrd_twin: no twin of seeds {a.seed}..{seed} reaches every target; "
            f"{a.out} is unchanged; the last rejected twin is in {stage}.",
            file=sys.stderr,
        )
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.move(stage / name, a.out / name)
    shutil.rmtree(stage, ignore_errors=True)
    print(
        f"wrote {', '.join(str(a.out / n) for n in FILES)} (seed {seed}) "
        f"in {time.time() - t0:.1f} s"
    )
    if a.report is not None:
        _write_report(rep, a.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
