"""Moran's I of a panel variable, year by year (the paper's Table 7), as PySAL's ``esda`` computes it.

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

import numpy as np
import pandas as pd
from scipy import stats

from yrd.econ.regress import stars


def _row_standardise(w: pd.DataFrame) -> np.ndarray:
    """W divided by its row sums (rows summing to zero stay zero, as libpysal's ``transform="r"``)."""
    m = w.to_numpy(dtype=float)
    rs = m.sum(axis=1, keepdims=True)
    return np.divide(m, rs, out=np.zeros_like(m), where=rs != 0)


def moran(x, w: pd.DataFrame, permutations: int = 999, seed: int = 12345) -> dict[str, float]:
    r"""Moran's I of one cross-section ``x`` (ordered like ``w``'s rows) with all three inferences.

    W is row-standardised first. With :math:`S_0 = \sum_{ij} w_{ij}`,
    :math:`S_1 = \tfrac12\sum_{ij}(w_{ij} + w_{ji})^2`,
    :math:`S_2 = \sum_i (w_{i\cdot} + w_{\cdot i})^2` and :math:`E[I] = -1/(n-1)`:

    - normal: :math:`V[I] = \frac{n^2 S_1 - n S_2 + 3 S_0^2}{(n^2 - 1) S_0^2} - E[I]^2`;
    - randomisation, with the kurtosis :math:`b_2 = n\sum z^4 / (\sum z^2)^2`:
      :math:`V[I] = \frac{n((n^2 - 3n + 3)S_1 - nS_2 + 3S_0^2)
      - b_2((n^2 - n)S_1 - 2nS_2 + 6S_0^2)}{(n-1)(n-2)(n-3)S_0^2} - E[I]^2`;
    - permutation: ``permutations`` random relabellings of :math:`z` drawn with
      ``numpy.random.RandomState(seed).permutation``; ``p_sim`` is (the smaller tail count + 1) /
      (permutations + 1), folded as ``esda`` folds it.

    This is ``esda.Moran(x, w, transformation="r", two_tailed=True)`` after
    ``numpy.random.seed(seed)``, written out because importing esda (and libpysal) cost each
    chapter about three seconds; ``tests/test_moran.py`` checks every field against esda,
    permutation p-values included. References: Cliff and Ord (1981), ch. 2.
    """
    x = np.asarray(x, dtype=float)
    if x.shape != (w.shape[0],):
        raise ValueError(f"moran: x has shape {x.shape}, W is {w.shape}")
    if np.isnan(x).any():
        raise ValueError("moran: x has missing values")
    W = _row_standardise(w)
    n = len(x)
    z = x - x.mean()
    z2ss = float(z @ z)
    s0 = W.sum()
    s1 = 0.5 * ((W + W.T) ** 2).sum()
    s2 = ((W.sum(axis=1) + W.sum(axis=0)) ** 2).sum()
    ei = -1.0 / (n - 1)
    n2, s02 = n * n, s0 * s0
    vi_norm = (n2 * s1 - n * s2 + 3 * s02) / ((n - 1) * (n + 1) * s02) - ei**2
    b2 = ((z**4).sum() / n) / ((z**2).sum() / n) ** 2
    a_ = n * ((n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02)
    b_ = b2 * ((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
    # the randomisation variance needs n >= 4 (Cliff and Ord's (n - 3) factor); undefined below
    vi_rand = (a_ - b_) / ((n - 1) * (n - 2) * (n - 3) * s02) - ei * ei if n > 3 else np.nan
    i_ = n / s0 * float(z @ (W @ z)) / z2ss
    z_norm = (i_ - ei) / np.sqrt(vi_norm)
    z_rand = (i_ - ei) / np.sqrt(vi_rand)
    out = {
        "I": float(i_),
        "EI": ei,
        "z_norm": float(z_norm),
        "p_norm": float(2 * stats.norm.sf(abs(z_norm))),
        "z_rand": float(z_rand),
        "p_rand": float(2 * stats.norm.sf(abs(z_rand))),
        "p_sim": float("nan"),
    }
    if permutations:
        rs = np.random.RandomState(seed)
        Z = np.array([rs.permutation(z) for _ in range(permutations)])
        sim = n / s0 * (Z * (Z @ W.T)).sum(axis=1) / z2ss
        larger = int((sim >= i_).sum())
        larger = min(larger, permutations - larger)
        out["p_sim"] = (larger + 1.0) / (permutations + 1.0)
    return out


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
