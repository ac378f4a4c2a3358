"""``python -m yrd.twin [--seed N] [--out DIR] [--report]``: regenerate the synthetic twin."""

import os

# single-threaded BLAS before numpy loads: threaded reductions can change the last bits
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def main(argv=None) -> None:
    """Command-line entry point."""
    from .generate import SEED, TWIN_DIR, build, write

    ap = argparse.ArgumentParser(prog="python -m yrd.twin", description=__doc__)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=TWIN_DIR)
    ap.add_argument("--report", type=Path, default=None, help="also write the fidelity CSV here")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="do not rebuild the twin: recompute the fidelity CSV of the one in --out",
    )
    a = ap.parse_args(argv)
    if a.report_only and a.report is None:
        ap.error("--report-only needs --report")
    t0 = time.time()
    folder = a.out
    if not a.report_only:
        df = build(a.seed, verbose=a.verbose)
        panel, w = write(df, a.out)
        print(f"wrote {panel} and {w} in {time.time() - t0:.1f} s")
        folder = panel.parent
    if a.report is not None:
        from .fidelity import fidelity, summary

        rep = fidelity(folder)
        a.report.parent.mkdir(parents=True, exist_ok=True)
        rep.to_csv(a.report, index=False, float_format="%.10g", lineterminator="\n")
        print(summary(rep))


if __name__ == "__main__":
    main()
