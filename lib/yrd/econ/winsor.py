r"""Winsorizing with the semantics of Stata's ``winsor2 ..., cuts(1 99)``.

The paper's robustness check (Table 5) winsorizes the variables ("缩尾处理")
without saying how; ``winsor2`` with ``cuts(1 99)`` is the Stata default and
the usual choice in the Chinese applied literature, so this module reproduces
it exactly, including Stata's percentile definition, which differs from
:func:`numpy.percentile`'s default (linear interpolation).

Stata's default percentile (``_pctile``, ``summarize, detail``; the
definition ``winsor2`` uses): with the :math:`n` non-missing values sorted,
:math:`x_{(1)} \le \dots \le x_{(n)}`, and :math:`P = np/100`,

.. math::

    q_p = \begin{cases}
        \tfrac12 \left(x_{(P)} + x_{(P+1)}\right) & \text{if } P \text{ is an integer},\\
        x_{(\lceil P \rceil)} & \text{otherwise,}
    \end{cases}

with :math:`q_0 = x_{(1)}` and :math:`q_{100} = x_{(n)}`. Values below
:math:`q_{\text{lower}}` are set to it, values above :math:`q_{\text{upper}}`
likewise; missing values stay missing and do not count in :math:`n`.

Which library computes the same numbers, and why the code here is kept:
``scipy.stats.mstats.winsorize(x, limits=(0.01, 0.01))`` replaces the :math:`\lfloor np/100
\rfloor` smallest and largest values by the next order statistic, which is Stata's bound
whenever :math:`np/100` is not an integer (so on the book's 410-row panel the numbers are the
same) but not when it is, where Stata averages two order statistics (for 400 standard-normal
draws the two differ by 0.08); ``pandas.Series.clip`` with ``quantile`` interpolates linearly.
Neither gives ``winsor2``'s bounds on every sample size, so the definition is written out.

References
----------
Lian, Y. (2014). WINSOR2: Stata module to winsorize data. Statistical Software
Components S458058, Boston College.
StataCorp. *Stata Base Reference Manual*, ``pctile`` (Methods and formulas).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

__all__ = ["stata_percentile", "winsorize", "winsorize_frame"]


def _check_cuts(lower: float, upper: float) -> None:
    if not (0 <= lower < upper <= 100):
        raise ValueError(f"cuts must satisfy 0 <= lower < upper <= 100, got ({lower}, {upper})")


def stata_percentile(x, p: float) -> float:
    r"""Stata's default ``p``-th percentile of ``x`` (missing values ignored).

    Parameters
    ----------
    x : array-like of float
        Data; NaN values are dropped before counting :math:`n`.
    p : float
        Percentile in [0, 100].

    Returns
    -------
    float
        :math:`x_{(P)}/2 + x_{(P+1)}/2` when :math:`P = np/100` is an integer,
        else :math:`x_{(\lceil P \rceil)}`; NaN when there are no values.

    Examples
    --------
    >>> stata_percentile(range(1, 201), 1)  # P = 2: mean of the 2nd and 3rd values
    2.5
    >>> stata_percentile(range(1, 411), 1)  # P = 4.1: the 5th value
    5.0
    """
    if not 0 <= p <= 100:
        raise ValueError(f"p must lie in [0, 100], got {p}")
    v = np.asarray(x, dtype=float)
    v = np.sort(v[~np.isnan(v)])
    n = v.size
    if n == 0:
        return float("nan")
    if p == 0:
        return float(v[0])
    if p == 100:
        return float(v[-1])
    # Decide "is P an integer" on n*p (exact for whole p) rather than on n*p/100, which
    # floating point can miss (410 * 1 / 100 is fine, 1000 * 0.3 / 100 is not).
    num = float(round(n * p, 9))
    if num.is_integer() and int(num) % 100 == 0:
        k = int(num) // 100  # 1-based order statistic
        return float((v[k - 1] + v[k]) / 2)  # k < n because p < 100
    k = int(np.ceil(num / 100))
    return float(v[min(max(k, 1), n) - 1])


def _bounds(values: np.ndarray, lower: float, upper: float) -> tuple[float, float]:
    return stata_percentile(values, lower), stata_percentile(values, upper)


def winsorize(x, lower: float = 1, upper: float = 99, by=None):
    r"""Winsorize ``x`` at Stata's ``lower``-th and ``upper``-th percentiles.

    Parameters
    ----------
    x : pandas.Series or array-like
        Values to winsorize. NaN stays NaN and is excluded from :math:`n`.
    lower, upper : float, default 1 and 99
        Percentile cuts, ``0 <= lower < upper <= 100`` (``winsor2``'s ``cuts()``).
        ``(0, 100)`` returns the data unchanged.
    by : array-like, optional
        Group labels (same length as ``x``); bounds are then computed within each
        group, like ``winsor2 ..., by()``.

    Returns
    -------
    pandas.Series or numpy.ndarray
        Float values of the same shape; a Series keeps its index and name.

    Notes
    -----
    The bounds use :func:`stata_percentile`; see the module docstring for the
    formula. Winsorizing is idempotent when neither :math:`n \cdot
    \text{lower}/100` nor :math:`n \cdot \text{upper}/100` is an integer (the
    bounds are then order statistics, which a second pass leaves in place; the
    paper's :math:`n = 410` with cuts 1 and 99 is such a case). When one is an
    integer the bound averages two order statistics, and a second pass moves it
    again, inwards (e.g. nine 0s and one 1 with cuts (0, 90): the upper bound is
    0.5, then 0.25), exactly as repeating ``winsor2`` in Stata would.
    """
    _check_cuts(lower, upper)
    is_series = isinstance(x, pd.Series)
    values = np.asarray(x.to_numpy(dtype=float, na_value=np.nan) if is_series else x, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {values.shape}")
    out = values.copy()
    if by is None:
        groups = [np.arange(values.size)]
    else:
        labels = pd.Series(np.asarray(by))
        if len(labels) != values.size:
            raise ValueError(f"by has length {len(labels)}, x has length {values.size}")
        groups = [np.asarray(ix) for ix in labels.groupby(labels, sort=False).indices.values()]
    for ix in groups:
        lo, hi = _bounds(values[ix], lower, upper)
        if np.isnan(lo):
            continue  # an all-missing group stays missing
        # np.clip keeps NaN as NaN.
        out[ix] = np.clip(values[ix], lo, hi)
    if is_series:
        return pd.Series(out, index=x.index, name=x.name)
    return out


def winsorize_frame(
    df: pd.DataFrame,
    cols: Sequence[Hashable],
    lower: float = 1,
    upper: float = 99,
    by: Hashable | Sequence[Hashable] | None = None,
    suffix: str | None = None,
) -> pd.DataFrame:
    """Winsorize columns ``cols`` of ``df``; the input frame is not modified.

    Parameters
    ----------
    df : pandas.DataFrame
        The data.
    cols : sequence of column labels
        Columns to winsorize (each on its own, as ``winsor2 varlist``).
    lower, upper : float, default 1 and 99
        Percentile cuts, see :func:`winsorize`.
    by : column label or list of labels, optional
        Compute the bounds within groups of these columns.
    suffix : str, optional
        ``None`` (default) replaces the columns in the returned copy, like
        ``winsor2 ..., replace``; a string such as ``"_w"`` adds new columns
        ``col + suffix`` instead (``winsor2``'s default behaviour).

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with winsorized columns.
    """
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")
    out = df.copy()
    if by is None:
        labels = None
    else:
        keys = [by] if isinstance(by, str) or not isinstance(by, Sequence) else list(by)
        # One label per row; a tuple key for several grouping columns.
        labels = (
            pd.MultiIndex.from_frame(df[keys]).to_flat_index() if len(keys) > 1 else df[keys[0]]
        )
    for c in cols:
        w = winsorize(df[c], lower, upper, by=labels)
        out[c if suffix is None else f"{c}{suffix}"] = w
    return out
