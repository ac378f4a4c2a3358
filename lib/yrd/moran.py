"""Moran's I of a panel variable, year by year (the paper's Table 7), on top of PySAL's ``esda``.

.. math::

    I = \\frac{N}{S_0} \\frac{\\sum_i \\sum_j w_{ij} z_i z_j}{\\sum_i z_i^2},
    \\qquad z_i = x_i - \\bar x, \\quad S_0 = \\sum_{ij} w_{ij},

with expectation :math:`-1/(N-1)` under no spatial autocorrelation. Inference is reported three
ways and kept apart, as ``esda`` does: the normal approximation (``z_norm``, ``p_norm``), the
randomisation approximation (``z_rand``, ``p_rand``) and a permutation test with a seed
(``p_sim``). Stars follow the table's legend applied to the two-sided normal p-value, which is what
Stata's ``spatgsa``/``moransi`` report by default.

References
----------
.. [1] Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. Biometrika 37, 17-23.
.. [2] Cliff, A. D. and Ord, J. K. (1981). Spatial Processes: Models and Applications. Pion.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd

from .regress import stars


def _libpysal_w(w: pd.DataFrame):
    import libpysal

    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lw = libpysal.weights.full2W(w.to_numpy(), ids=list(w.index))
    lw.transform = "r"
    return lw


def moran(x, w: pd.DataFrame, permutations: int = 999, seed: int = 12345) -> dict[str, float]:
    """Moran's I of one cross-section ``x`` (ordered like ``w``'s rows) with all three inferences."""
    with warnings.catch_warnings():
        # esda imports tqdm.auto, which warns in a notebook without ipywidgets
        warnings.simplefilter("ignore")
        import esda

    x = np.asarray(x, dtype=float)
    if x.shape != (w.shape[0],):
        raise ValueError(f"moran: x has shape {x.shape}, W is {w.shape}")
    if np.isnan(x).any():
        raise ValueError("moran: x has missing values")
    np.random.seed(seed)  # esda draws its permutations from numpy's global generator
    m = esda.Moran(x, _libpysal_w(w), permutations=permutations, two_tailed=True)
    return {
        "I": float(m.I),
        "EI": float(m.EI),
        "z_norm": float(m.z_norm),
        "p_norm": float(m.p_norm),
        "z_rand": float(m.z_rand),
        "p_rand": float(m.p_rand),
        "p_sim": float(m.p_sim) if permutations else float("nan"),
    }


def moran_by_year(
    panel: pd.DataFrame,
    var: str,
    w: pd.DataFrame,
    unit: str = "city_code",
    time: str = "year",
    permutations: int = 999,
    seed: int = 12345,
    levels: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Moran's I of ``var`` in each period, with normal, randomisation and permutation inference.

    ``w`` is a square DataFrame indexed by unit ids; each year's cross-section is aligned to it.
    ``levels`` (e.g. ``{"***": 0.01, "**": 0.05, "*": 0.1}``) adds a ``stars`` column from
    ``p_norm``.
    """
    rows = {}
    for t, part in panel.groupby(time, sort=True):
        x = part.set_index(unit)[var]
        missing = set(w.index) - set(x.index)
        if missing or len(x) != len(w):
            raise ValueError(
                f"moran_by_year: period {t} has {len(x)} units; W has {len(w)} "
                f"(missing {sorted(missing)[:5]})"
            )
        rows[t] = moran(x.reindex(w.index).to_numpy(), w, permutations, seed)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = time
    if levels:
        out["stars"] = [stars(p, levels) for p in out["p_norm"]]
    return out


def table7_cells(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long cells of Table 7 from ``{"inverse_distance": moran_by_year(...), "economic": ...}``."""
    rows = []
    for column, frame in results.items():
        for year, r in frame.iterrows():
            rows.append((column, str(year), "moran_i", r["I"], r.get("stars", "")))
    return pd.DataFrame(rows, columns=["column", "row", "statistic", "value", "stars"])


__all__ = ["moran", "moran_by_year", "table7_cells"]


#: LISA quadrant labels (esda's q: 1 HH, 2 LH, 3 LL, 4 HL).
QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}


def lisa(
    x, w: pd.DataFrame, permutations: int = 999, seed: int = 12345, alpha: float = 0.05
) -> pd.DataFrame:
    r"""Local Moran's I per unit, its quadrant, a conditional-permutation p-value and a cluster label.

    .. math::

        I_i = (n - 1) \frac{z_i \sum_j w_{ij} z_j}{\sum_k z_k^2},

    as ``esda.Moran_Local`` and GeoDa define it (Anselin 1995). The pseudo p-value holds :math:`x_i`
    fixed and permutes the other :math:`n - 1` values ``permutations`` times (conditional
    randomisation), counting draws at least as extreme in the direction of the observed value:
    :math:`p = (1 + \#\{\text{as extreme}\}) / (1 + \text{permutations})`. It is computed here with
    a seeded NumPy generator rather than esda's numba kernel, whose just-in-time compilation costs
    about half a minute in every new process (the statistic itself is checked against esda in the
    tests). Units with :math:`p \ge` ``alpha`` are labelled "Not significant".

    References
    ----------
    .. [1] Anselin, L. (1995). Local indicators of spatial association - LISA. Geographical Analysis
       27(2), 93-115.
    """
    x = np.asarray(x, dtype=float)
    ws = w.to_numpy(dtype=float)
    ws = ws / ws.sum(axis=1, keepdims=True)
    n = len(x)
    z = x - x.mean()
    m2 = (z @ z) / (n - 1)
    lag = ws @ z
    local = z * lag / m2
    quadrant = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    rng = np.random.default_rng(seed)
    p = np.ones(n)
    if permutations:
        for i in range(n):
            others = np.delete(z, i)
            wi = np.delete(ws[i], i)
            draws = np.array([rng.permutation(others) for _ in range(permutations)])
            sim = z[i] * (draws @ wi) / m2
            extreme = (sim >= local[i]).sum() if local[i] >= 0 else (sim <= local[i]).sum()
            p[i] = (1 + extreme) / (1 + permutations)
    label = [
        QUADRANTS[int(q)] if pv < alpha else "Not significant"
        for q, pv in zip(quadrant, p, strict=True)
    ]
    return pd.DataFrame(
        {"Is": local, "quadrant": quadrant, "p_sim": p, "cluster": label}, index=w.index
    )


__all__ += ["QUADRANTS", "lisa"]
