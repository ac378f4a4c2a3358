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
