r"""Moran's I of a panel variable, year by year (the paper's Table 7), and local Moran's I (esda).

.. math::

    I = \frac{N}{S_0} \frac{\sum_i \sum_j w_{ij} z_i z_j}{\sum_i z_i^2},
    \qquad z_i = x_i - \bar x, \quad S_0 = \sum_{ij} w_{ij},

with expectation :math:`-1/(N-1)` under no spatial autocorrelation. Inference is reported three
ways and kept apart, as ``esda`` does: the normal approximation (``z_norm``, ``p_norm``), the
randomisation approximation (``z_rand``, ``p_rand``) and a permutation test with a seed
(``p_sim``). Stars follow the table's legend applied to the two-sided normal p-value, which is what
Stata's ``spatgsa``/``moransi`` report by default.

The statistics are computed by :class:`esda.Moran` and :class:`esda.Moran_Local` on a
:class:`libpysal.weights.W` built from the weights DataFrame; this module only aligns the panel's
cross-sections with W, seeds the permutations and lays the results out as the book's tables.

References
----------
.. [1] Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. Biometrika 37, 17-23.
.. [2] Cliff, A. D. and Ord, J. K. (1981). Spatial Processes: Models and Applications. Pion.
.. [3] Anselin, L. (1995). Local indicators of spatial association - LISA. Geographical Analysis
   27(2), 93-115.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pandas as pd
from libpysal.weights import W, full2W

with warnings.catch_warnings():
    # esda imports tqdm.auto, which in a notebook kernel without ipywidgets warns that it will
    # draw text progress bars; esda's Moran statistics never draw one
    warnings.filterwarnings("ignore", message="IProgress not found")
    import esda

from yrd.econ.regress import stars


def _libpysal_w(w: pd.DataFrame) -> W:
    """The DataFrame as a libpysal W (ids = its index, in its order; weights as they are)."""
    return full2W(w.to_numpy(dtype=float), ids=list(w.index), silence_warnings=True)


@contextlib.contextmanager
def _global_seed(seed: int):
    """Seed numpy's global RandomState for the block, then put the caller's state back."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def moran(x, w: pd.DataFrame, permutations: int = 999, seed: int = 12345) -> dict[str, float]:
    r"""Moran's I of one cross-section ``x`` (ordered like ``w``'s rows) with all three inferences.

    ``esda.Moran(x, W, transformation="r", permutations=permutations, two_tailed=True)``: W is
    row-standardised first. With :math:`S_0 = \sum_{ij} w_{ij}`,
    :math:`S_1 = \tfrac12\sum_{ij}(w_{ij} + w_{ji})^2`,
    :math:`S_2 = \sum_i (w_{i\cdot} + w_{\cdot i})^2` and :math:`E[I] = -1/(n-1)`:

    - normal: :math:`V[I] = \frac{n^2 S_1 - n S_2 + 3 S_0^2}{(n^2 - 1) S_0^2} - E[I]^2`;
    - randomisation, with the kurtosis :math:`b_2 = n\sum z^4 / (\sum z^2)^2`:
      :math:`V[I] = \frac{n((n^2 - 3n + 3)S_1 - nS_2 + 3S_0^2)
      - b_2((n^2 - n)S_1 - 2nS_2 + 6S_0^2)}{(n-1)(n-2)(n-3)S_0^2} - E[I]^2`
      (undefined for :math:`n \le 3`: ``z_rand`` and ``p_rand`` are then NaN);
    - permutation: ``permutations`` random relabellings of :math:`z`; ``p_sim`` is (the smaller
      tail count + 1) / (permutations + 1).

    ``esda.Moran`` has no seed argument: it draws its permutations with
    ``numpy.random.permutation``, from numpy's global RandomState. So the global state is seeded
    with ``numpy.random.seed(seed)`` right before the call, which makes ``p_sim`` reproducible, and
    the caller's global state is put back afterwards. References: Cliff and Ord (1981), ch. 2.
    """
    x = np.asarray(x, dtype=float)
    if x.shape != (w.shape[0],):
        raise ValueError(f"moran: x has shape {x.shape}, W is {w.shape}")
    if np.isnan(x).any():
        raise ValueError("moran: x has missing values")
    # the randomisation variance divides by n - 3: below n = 4 esda's value is 0/0 or x/0
    defined = len(x) > 3
    quiet = contextlib.nullcontext() if defined else np.errstate(divide="ignore", invalid="ignore")
    with _global_seed(seed), quiet:
        mi = esda.Moran(
            x, _libpysal_w(w), transformation="r", permutations=permutations, two_tailed=True
        )
    return {
        "I": float(mi.I),
        "EI": float(mi.EI),
        "z_norm": float(mi.z_norm),
        "p_norm": float(mi.p_norm),
        "z_rand": float(mi.z_rand) if defined else float("nan"),
        "p_rand": float(mi.p_rand) if defined else float("nan"),
        "p_sim": float(mi.p_sim) if permutations else float("nan"),
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

    computed by ``esda.Moran_Local(x, W, transformation="r", permutations=permutations,
    seed=seed)`` (Anselin 1995; GeoDa's definition). ``quadrant`` is esda's ``q`` (1 High-High,
    2 Low-High, 3 Low-Low, 4 High-Low); ``p_sim`` is esda's conditional-permutation pseudo
    p-value: :math:`x_i` is held fixed, the other :math:`n - 1` values are permuted
    ``permutations`` times, and :math:`p = (1 + \min(\#\{I_i^* \ge I_i\}, \#\{I_i^* < I_i\})) /
    (1 + \text{permutations})`. Units with :math:`p \ge` ``alpha`` are labelled
    "Not significant" (esda's ``get_cluster_labels`` says "Insignificant"). Up to this book's
    switch to esda, ``p_sim`` came from yrd's own loop (numpy ``default_rng(seed)``, counting in
    the direction of the observed sign rather than folding): ``Is`` and ``quadrant`` are unchanged
    (to 1e-13), the p-values come from another random stream and differ.

    numba is not installed here, so esda runs its conditional randomisation on its plain numpy
    path (one table of permuted neighbour ids for all units, a Python loop over units).
    Measured in fresh processes on this book's 2-core machine: ``import esda`` 1.2-1.6 s after
    numpy and pandas (about 0.7 s when scipy.stats is already loaded), one ``Moran_Local`` on the
    41 cities with 999 permutations 0.010-0.015 s. Without numba, esda applies ``seed`` with
    ``numpy.random.seed``, i.e. to numpy's global RandomState, so the caller's global state is
    saved before and put back after the call.

    References
    ----------
    .. [1] Anselin, L. (1995). Local indicators of spatial association - LISA. Geographical Analysis
       27(2), 93-115.
    """
    x = np.asarray(x, dtype=float)
    if x.shape != (w.shape[0],):
        raise ValueError(f"lisa: x has shape {x.shape}, W is {w.shape}")
    n = len(x)
    with _global_seed(seed), warnings.catch_warnings():
        # esda 2.9 warns that the default alternative of its conditional randomisation will
        # change; Moran_Local takes no ``alternative`` and recomputes p_sim (folded, as above)
        # from the simulations it keeps, so the warning does not concern the numbers here
        warnings.filterwarnings(
            "ignore", "The alternative hypothesis for conditional randomization", DeprecationWarning
        )
        lm = esda.Moran_Local(
            x, _libpysal_w(w), transformation="r", permutations=permutations, seed=seed
        )
    q = np.asarray(lm.q, dtype=int)
    p = np.asarray(lm.p_sim, dtype=float) if permutations else np.ones(n)
    label = [
        QUADRANTS[int(k)] if pv < alpha else "Not significant" for k, pv in zip(q, p, strict=True)
    ]
    return pd.DataFrame(
        {"Is": np.asarray(lm.Is, dtype=float), "quadrant": q, "p_sim": p, "cluster": label},
        index=w.index,
    )


__all__ += ["QUADRANTS", "lisa"]
