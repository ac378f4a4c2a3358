r"""A specification curve for one coefficient of a panel regression, and its summary indicators.

A specification curve (Simonsohn, Simmons and Nelson 2020) estimates the same coefficient under
every combination of defensible analytical choices and shows all the estimates, sorted, above a
panel that marks which choices produced each. :func:`fe_curve` runs the least-squares part of
such a universe fast: for every sample (e.g. raw and winsorized data), every set of fixed
effects and every set of controls it fits one within-transformed regression
(:class:`yrd.econ.fe.Absorber`, :func:`yrd.econ.fe.ols`), then computes every requested
standard error from the same residuals. :func:`indicators` and :func:`indicators_by` summarise a
curve against a reference estimate with the shares the Institute for Replication's reports use:
same sign, significant with the same sign, significant with the opposite sign, and the median
estimate relative to the reference.

Standard errors and their reference distributions follow :func:`yrd.econ.inference.inference_table`:
``classical`` and ``hc1`` with Student t on :math:`n-k` degrees of freedom, ``cluster`` (CR1 by
unit) on :math:`G-1`, ``driscoll_kraay`` (Bartlett, ``dk_bandwidth``) on :math:`T-1`; :math:`k`
counts the slopes and every absorbed effect, as Stata's ``regress`` with dummies.

References
----------
.. [1] Simonsohn, U., Simmons, J. P., & Nelson, L. D. (2020). Specification curve analysis.
   Nature Human Behaviour, 4(11), 1208-1214.
.. [2] Brodeur, A., et al. (2024). Mass reproducibility and replicability: a new hope.
   I4R Discussion Paper 107 (the indicators of the Institute for Replication).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from yrd.econ import fe
from yrd.econ.inference import driscoll_kraay_cov

__all__ = ["SE_TYPES", "fe_curve", "indicators", "indicators_by"]

#: Standard errors :func:`fe_curve` can compute, with a label for tables and plots.
SE_TYPES = {
    "classical": "classical",
    "hc1": "HC1",
    "cluster": "CR1 by city",
    "driscoll_kraay": "Driscoll-Kraay",
}


def _se(kind, X, u, k, unit, time, dk_bandwidth, bread, j):
    n = X.shape[0]
    if kind == "classical":
        V = fe.classical_cov(X, u, k=k, bread=bread)
        df = n - k
    elif kind == "hc1":
        V = fe.hc_cov(X, u, k=k, bread=bread)
        df = n - k
    elif kind == "cluster":
        V = fe.cluster_cov(X, u, unit, k=k, bread=bread)
        df = int(np.unique(unit).size) - 1
    elif kind == "driscoll_kraay":
        V = driscoll_kraay_cov(X, u, time, dk_bandwidth, scale=n / (n - k))
        df = int(np.unique(time).size) - 1
    else:
        raise ValueError(f"fe_curve: unknown standard error {kind!r}; known: {list(SE_TYPES)}")
    return float(np.sqrt(V[j, j])), df


def fe_curve(
    samples: Mapping[str, pd.DataFrame],
    y: str,
    term: str,
    controls: Mapping[str, Sequence[str]],
    effects: Mapping[str, Sequence[str]],
    se_types: Sequence[str] = tuple(SE_TYPES),
    unit: str = "city_code",
    time: str = "year",
    dk_bandwidth: int = 2,
) -> pd.DataFrame:
    """Every combination of sample, fixed effects, controls and standard error.

    Parameters
    ----------
    samples
        Name -> panel (e.g. ``{"none": df, "1/99": winsorized}``); each needs ``y``, ``term``,
        the controls, ``unit`` and ``time``.
    y, term
        Outcome and the regressor whose coefficient is recorded.
    controls
        Name -> list of control columns (``[]`` for none).
    effects
        Name -> the columns whose fixed effects are absorbed (``[]``: intercept only;
        ``[unit]``, ``[time]``, ``[unit, time]``).
    se_types
        Keys of :data:`SE_TYPES`.

    Returns
    -------
    pandas.DataFrame
        One row per specification: ``sample``, ``effects``, ``controls``, ``se_type``,
        ``estimate``, ``se``, ``t``, ``df``, ``p`` (two-sided, Student t), ``k`` and ``n``.
    """
    rows = []
    for (s_name, data), (e_name, cols) in itertools.product(samples.items(), effects.items()):
        d = data.sort_values([unit, time]).reset_index(drop=True)
        absorber = fe.Absorber(*[d[c].to_numpy() for c in cols])
        yw = absorber.transform(d[y].to_numpy(float))
        u_ids, t_ids = d[unit].to_numpy(), d[time].to_numpy()
        for c_name, ctrl in controls.items():
            names = [term, *ctrl]
            X = absorber.transform(d[names].to_numpy(float))
            fit = fe.ols(X, yw)
            k = X.shape[1] + absorber.rank
            for kind in se_types:
                se, df = _se(kind, X, fit.resid, k, u_ids, t_ids, dk_bandwidth, fit.bread, 0)
                b = float(fit.params[0])
                t = b / se
                rows.append(
                    {
                        "sample": s_name,
                        "effects": e_name,
                        "controls": c_name,
                        "se_type": kind,
                        "estimate": b,
                        "se": se,
                        "t": t,
                        "df": df,
                        "p": float(2 * stats.t.sf(abs(t), df)),
                        "k": k,
                        "n": int(X.shape[0]),
                    }
                )
    return pd.DataFrame(rows)


def indicators(curve: pd.DataFrame, reference: float, alpha: float = 0.05) -> pd.Series:
    """Robustness indicators of a specification curve against a reference estimate.

    ``same_sign``: share of estimates with the sign of ``reference``; ``sig_same``: share
    significant at ``alpha`` (column ``p``) with that sign; ``sig_opposite``: significant with
    the other sign; ``median_ratio``: median estimate over ``reference``; ``min``, ``max``:
    range of the estimates; ``n``: number of specifications.

    >>> c = pd.DataFrame({"estimate": [1.0, 2.0, -1.0, 3.0], "p": [0.01, 0.2, 0.01, 0.001]})
    >>> indicators(c, 2.0)[["same_sign", "sig_same", "sig_opposite", "median_ratio"]].tolist()
    [0.75, 0.5, 0.25, 0.75]
    """
    if reference == 0 or not np.isfinite(reference):
        raise ValueError(f"indicators: reference must be finite and non-zero, got {reference}")
    if len(curve) == 0:
        raise ValueError("indicators: empty specification curve")
    b = curve["estimate"].to_numpy(float)
    sig = curve["p"].to_numpy(float) < alpha
    same = np.sign(b) == np.sign(reference)
    return pd.Series(
        {
            "same_sign": float(same.mean()),
            "sig_same": float((sig & same).mean()),
            "sig_opposite": float((sig & ~same).mean()),
            "median_ratio": float(np.median(b) / reference),
            "min": float(b.min()),
            "max": float(b.max()),
            "n": int(b.size),
        }
    )


def indicators_by(
    curve: pd.DataFrame, dims: Sequence[str], reference: float, alpha: float = 0.05
) -> pd.DataFrame:
    """:func:`indicators` for the whole curve and for each value of each choice in ``dims``.

    Rows are indexed by (dimension, value), the first row ``("all", "all")``.
    """
    out = {("all", "all"): indicators(curve, reference, alpha)}
    for d in dims:
        for value, part in curve.groupby(d, sort=False):
            out[(d, value)] = indicators(part, reference, alpha)
    frame = pd.DataFrame(out).T
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["choice", "value"])
    return frame
