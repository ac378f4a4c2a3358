"""Validation of :mod:`yrd.econ.spatial` against R's ``splm`` on a public panel.

The reference (``data/reference/splm/``) holds splm 1.6-5 results for Munnell's productivity
panel (48 US states, 1970-1986) with splm's row-standardised contiguity matrix: SAR and SEM with
individual and two-way fixed effects, LeSage-Pace impacts, and the LM tests. This module refits
every model with :func:`yrd.econ.spatial.fit_panel` and lays the two side by side.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from yrd import DATA
from yrd.econ.spatial import fit_panel, lm_tests

REFERENCE = DATA / "reference" / "splm"
Y = "log(gsp)"
X = ["log(pcap)", "log(pc)", "log(emp)", "unemp"]


def load_reference(folder: Path | None = None) -> dict:
    """The splm results (parsed JSON)."""
    folder = Path(folder) if folder is not None else REFERENCE
    return json.loads((folder / "splm_produc_reference.json").read_text(encoding="utf-8"))


def load_produc(folder: Path | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Produc with the model's log variables, and the 48 x 48 weights (rows in sorted state order)."""
    folder = Path(folder) if folder is not None else REFERENCE
    df = pd.read_csv(folder / "produc.csv")
    for c in ("gsp", "pcap", "pc", "emp"):
        df[f"log({c})"] = np.log(df[c])
    w = pd.read_csv(folder / "usaww.csv", index_col=0)
    if list(w.index) != sorted(df["state"].unique()) or list(w.columns) != list(w.index):
        raise ValueError(f"{folder / 'usaww.csv'}: rows/columns are not in sorted state order")
    return df, w.to_numpy()


def splm_loglik_full(key: str, loglik: float, n: int, t: int) -> float | None:
    """splm's reported logLik as the full Gaussian log-likelihood ``yrd`` reports.

    splm's SAR value is already complete. Its SEM value is :math:`T\\ln|I-\\lambda W| -
    \\tfrac{NT}{2}\\ln e'e`, so the constants :math:`\\tfrac{NT}{2}\\ln NT - \\tfrac{NT}{2}(\\ln 2\\pi +
    1)` are added back. With ``LeeYu = TRUE`` the SEM value is the uncorrected one: the Lee-Yu
    likelihood has :math:`N(T-1)` observations. Returns None where no comparison is meaningful.
    """
    nt = n * t
    if key in ("sar_fe_individual", "sar_fe_twoways", "sar_fe_individual_LeeYu"):
        return loglik
    if key in ("sem_fe_individual", "sem_fe_twoways"):
        return loglik + nt / 2 * math.log(nt) - nt / 2 * (math.log(2 * math.pi) + 1)
    if key == "sem_fe_individual_LeeYu":
        m = n * (t - 1)
        return (t - 1) / t * loglik + m / 2 * math.log(m) - m / 2 * (math.log(2 * math.pi) + 1)
    return None


def model_options(key: str) -> dict:
    """fit_panel options of a reference key such as ``sem_fe_twoways_LeeYu`` (splm's lag convention)."""
    model, _, effects = key.split("_")[:3]
    return {"model": model, "effects": effects, "lag": "splm", "lee_yu": key.endswith("LeeYu")}


#: Keys that are not a reference (see the README: splm mis-scales sigma2 there).
NOT_A_REFERENCE = {"sar_fe_twoways_LeeYu"}


def compare_models(ref: dict | None = None) -> pd.DataFrame:
    """Every coefficient, SE, sigma2 and log-likelihood of every reference model: splm vs yrd.

    Returns
    -------
    DataFrame
        Columns model, quantity, term, splm, yrd, abs_diff.
    """
    ref = ref if ref is not None else load_reference()
    df, w = load_produc()
    n, t = ref["meta"]["N"], ref["meta"]["T"]
    rows = []
    for key, r in ref["models"].items():
        if key in NOT_A_REFERENCE:
            continue
        opts = model_options(key)
        res = fit_panel(df, Y, X, w, "state", "year", **opts)
        # splm calls the lag coefficient "lambda" and the error coefficient "rho"
        rename = {"lambda": "rho"} if opts["model"] == "sar" else {"rho": "lambda"}
        for quantity, ours in (("coef", res.params), ("se", res.bse)):
            for name, value in r[quantity].items():
                rows.append(
                    (key, quantity, rename.get(name, name), value, ours[rename.get(name, name)])
                )
        rows.append((key, "sigma2", "", r["sigma2"], res.sigma2))
        full = splm_loglik_full(key, r["logLik"], n, t)
        if full is not None:
            rows.append((key, "loglik", "", full, res.loglik))
    out = pd.DataFrame(rows, columns=["model", "quantity", "term", "splm", "yrd"])
    out["abs_diff"] = (out["yrd"] - out["splm"]).abs()
    return out


def compare_impacts(ref: dict | None = None) -> pd.DataFrame:
    """Point impacts (direct, indirect, total) of the reference SAR models: splm vs yrd."""
    ref = ref if ref is not None else load_reference()
    df, w = load_produc()
    rows = []
    for key, r in ref["impacts"].items():
        res = fit_panel(df, Y, X, w, "state", "year", **model_options(key))
        ours = res.impacts(method="delta")
        for effect in ("direct", "indirect", "total"):
            for name, value in zip(r["names"], r[effect], strict=True):
                rows.append((key, effect, name, value, float(ours.loc[name, effect])))
    out = pd.DataFrame(rows, columns=["model", "effect", "term", "splm", "yrd"])
    out["abs_diff"] = (out["yrd"] - out["splm"]).abs()
    return out


#: splm ``slmtest`` settings (key of the reference) -> ``lm_tests`` effects.
LM_KEYS = {
    "pooling_individual": "none",
    "within_individual": "individual",
    "within_time": "time",
    "within_twoways": "twoways",
}
#: splm test names -> ``lm_tests`` row names.
LM_NAMES = {
    "lml": "lm_lag",
    "lme": "lm_error",
    "rlml": "robust_lm_lag",
    "rlme": "robust_lm_error",
}


def compare_lm(ref: dict | None = None) -> pd.DataFrame:
    """The four LM statistics for pooled and fixed-effects residuals: splm's slmtest vs yrd."""
    ref = ref if ref is not None else load_reference()
    df, w = load_produc()
    rows = []
    for key, tests in ref["lm_tests"].items():
        ours = lm_tests(df, Y, X, w, "state", "year", effects=LM_KEYS[key])
        for splm_name, name in LM_NAMES.items():
            rows.append(
                (key, name, tests[splm_name]["statistic"], float(ours.loc[name, "statistic"]))
            )
    out = pd.DataFrame(rows, columns=["residuals", "test", "splm", "yrd"])
    out["abs_diff"] = (out["yrd"] - out["splm"]).abs()
    return out


__all__ = [
    "LM_KEYS",
    "LM_NAMES",
    "NOT_A_REFERENCE",
    "REFERENCE",
    "compare_impacts",
    "compare_lm",
    "compare_models",
    "load_produc",
    "load_reference",
    "model_options",
    "splm_loglik_full",
]
