r"""Break-even values: how far a printed estimate's inference can be pushed before it changes.

A reader who holds only a printed table (a coefficient and its t-statistic) cannot recompute the
standard error under another assumption, but can ask how much it would have to change for the
conclusion to change, and what that change would require of the data. This module answers three
such questions, with nothing about any particular paper in it:

* :func:`se_factor`: by what factor the standard error must grow before a coefficient loses
  significance at level :math:`\alpha` (normal or Student-t reference);
* :func:`moulton_factor`, :func:`moulton_breakeven`, :func:`serial_inflation`,
  :func:`serial_breakeven`: how large the within-cluster correlation of the regressor and of the
  errors must be for clustering to produce that factor: Moulton's equicorrelated formula for
  pooled regressions, and its AR(1) version after the within transformation (where an
  equicorrelated, random-effect-like dependence is absorbed by the unit effects and only decaying
  serial correlation is left);
* :func:`sar_multipliers`, :func:`sar_effects`, :func:`sar_effect_t_range`,
  :func:`significance_interval`: the LeSage-Pace direct, indirect and total effects of a
  spatial-lag (SAR) model implied by a printed :math:`\beta` and :math:`\rho` under a given
  weights matrix, their delta-method standard errors for any correlation of the two estimates,
  and the range of :math:`\rho` over which an effect stays significant.

Every function is exact arithmetic on its inputs (no simulation, no seed).

References
----------
.. [1] Moulton, B. R. (1990). An illustration of a pitfall in estimating the effects of aggregate
   variables on micro units. Review of Economics and Statistics, 72(2), 334-338.
.. [2] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
   inference. Journal of Human Resources, 50(2), 317-372 (section II.B, the Moulton factor).
.. [3] Bertrand, M., Duflo, E., & Mullainathan, S. (2004). How much should we trust
   differences-in-differences estimates? Quarterly Journal of Economics, 119(1), 249-275.
.. [4] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press, ch. 2
   and 4.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

__all__ = [
    "ar1_correlation",
    "critical_value",
    "implied_corr",
    "moulton_breakeven",
    "moulton_factor",
    "sar_effect_t_range",
    "sar_effects",
    "sar_multipliers",
    "se_factor",
    "serial_breakeven",
    "serial_inflation",
    "significance_interval",
]

#: The three LeSage-Pace summary effects.
EFFECTS = ("direct", "indirect", "total")


# --------------------------------------------------------------------------------------------
# standard errors
# --------------------------------------------------------------------------------------------


def critical_value(alpha: float = 0.05, df: float | None = None) -> float:
    """Two-sided critical value at level ``alpha``: normal, or Student t with ``df`` degrees."""
    if not 0 < alpha < 1:
        raise ValueError(f"critical_value: alpha must be in (0, 1), got {alpha}")
    if df is None:
        return float(stats.norm.isf(alpha / 2))
    if not df > 0:
        raise ValueError(f"critical_value: df must be positive, got {df}")
    return float(stats.t.isf(alpha / 2, df))


def se_factor(t: float, alpha: float = 0.05, df: float | None = None) -> float:
    r"""The factor by which a standard error must grow for the estimate to lose significance.

    With a printed :math:`t = \hat\beta/se`, the estimate stays significant at level
    :math:`\alpha` as long as :math:`|t|/f > c_\alpha`; the break-even factor is
    :math:`f^* = |t|/c_\alpha`, with :math:`c_\alpha` the normal or :math:`t(df)` critical value.
    A value below 1 means the estimate is not significant to begin with.

    >>> round(se_factor(3.92), 3)
    2.0
    >>> round(se_factor(1.0), 3)
    0.51
    """
    return abs(float(t)) / critical_value(alpha, df)


def moulton_factor(rho_x: float, rho_u: float, m: float) -> float:
    r"""Moulton's factor: the true over the classical standard error with equicorrelated clusters.

    .. math:: \sqrt{1 + (m - 1)\,\rho_x\rho_u},

    with :math:`m` observations per cluster, :math:`\rho_x` the within-cluster correlation of the
    regressor and :math:`\rho_u` that of the errors (Moulton 1990; Cameron and Miller 2015,
    eq. 6). It applies to a pooled regression without unit effects.

    >>> moulton_factor(1.0, 1.0, 10)
    3.1622776601683795
    """
    v = 1.0 + (m - 1.0) * rho_x * rho_u
    if v <= 0:
        raise ValueError(f"moulton_factor: 1 + (m - 1) rho_x rho_u = {v} is not positive")
    return math.sqrt(v)


def moulton_breakeven(factor: float, m: float) -> float:
    r"""The product :math:`\rho_x\rho_u` at which Moulton's factor equals ``factor``:
    :math:`(f^2 - 1)/(m - 1)`. Values above 1 cannot be reached (correlations are at most 1).

    >>> moulton_breakeven(moulton_factor(0.5, 0.4, 10), 10)
    0.2
    """
    if m <= 1:
        raise ValueError(f"moulton_breakeven: need m > 1 observations per cluster, got {m}")
    return round((factor**2 - 1.0) / (m - 1.0), 15)


def ar1_correlation(phi: float, t: int) -> np.ndarray:
    r"""The :math:`T \times T` correlation matrix of a stationary AR(1): :math:`\phi^{|s-t|}`."""
    if not -1 < phi < 1:
        raise ValueError(f"ar1_correlation: phi must be in (-1, 1), got {phi}")
    lags = np.abs(np.subtract.outer(np.arange(t), np.arange(t)))
    return np.power(float(phi), lags)


def serial_inflation(phi_x: float, phi_u: float, t: int, demean: bool = True) -> float:
    r"""Clustered over heteroskedasticity-robust standard error, for AR(1) regressor and errors.

    In a panel of many units observed :math:`T` times, let the regressor and the errors of each
    unit be stationary AR(1) series with coefficients :math:`\phi_x` and :math:`\phi_u`,
    independent across units, with correlation matrices :math:`R_x, R_u`. With
    :math:`Q = I_T - \iota\iota'/T` (the within transformation, ``demean=True``) or
    :math:`Q = I_T` (pooled), :math:`A = QR_xQ` and :math:`B = QR_uQ`, the variance of the
    least-squares slope is proportional to :math:`\operatorname{tr}(AB)` while the
    heteroskedasticity-robust (HC) estimator, which ignores correlation over time, estimates
    :math:`\sum_t A_{tt}B_{tt}` (both over :math:`[\operatorname{tr} A]^2`). The factor returned is

    .. math:: \sqrt{\operatorname{tr}(AB) \big/ \textstyle\sum_t A_{tt}B_{tt}},

    the large-:math:`N` ratio of the cluster-robust to the HC standard error. Without
    demeaning and with equicorrelation instead of AR(1) it is Moulton's factor; with demeaning an
    equicorrelated (random-effect) component is absorbed by the unit effects and gives 1. Other
    regressors are ignored (the regressor is taken after partialling them out).

    >>> round(serial_inflation(0.0, 0.9, 10, demean=False), 6)  # independent regressor
    1.0
    >>> round(serial_inflation(0.5, 0.5, 10, demean=False) ** 2, 4)  # 1 + 2 sum (1-l/T) .25^l
    1.5778
    """
    t = int(t)
    if t < 2:
        raise ValueError(f"serial_inflation: need T >= 2, got {t}")
    Q = np.eye(t) - (np.ones((t, t)) / t if demean else 0.0)
    A = Q @ ar1_correlation(phi_x, t) @ Q
    B = Q @ ar1_correlation(phi_u, t) @ Q
    return math.sqrt(float(np.sum(A * B)) / float(np.sum(np.diag(A) * np.diag(B))))


def serial_breakeven(factor: float, t: int, demean: bool = True, phi_x: float | None = None):
    r"""The AR(1) coefficient at which :func:`serial_inflation` reaches ``factor``.

    With ``phi_x=None`` the regressor and the errors share the coefficient
    (:math:`\phi_x = \phi_u = \phi`) and the :math:`\phi \in [0, 1)` is returned; with ``phi_x``
    given, the errors' :math:`\phi_u`. ``nan`` when no coefficient below 0.999 reaches the factor
    (with demeaning and short :math:`T` the inflation is bounded), 0 when ``factor <= 1``.
    """
    if factor <= 1:
        return 0.0

    def gap(phi):
        px = phi if phi_x is None else phi_x
        return serial_inflation(px, phi, t, demean) - factor

    hi = 0.999
    if gap(hi) < 0:
        return math.nan
    return float(optimize.brentq(gap, 0.0, hi, xtol=1e-12))


# --------------------------------------------------------------------------------------------
# spatial-lag effects
# --------------------------------------------------------------------------------------------


def sar_multipliers(w, rho: float) -> dict[str, float]:
    r"""The LeSage-Pace multipliers of a SAR model and their derivatives in :math:`\rho`.

    With :math:`S = (I - \rho W)^{-1}`, the effects of a regressor with coefficient
    :math:`\beta` are :math:`\beta m(\rho)` with the direct multiplier
    :math:`m_D = \operatorname{tr}(S)/N`, the total :math:`m_T = \iota'S\iota/N`
    (:math:`1/(1-\rho)` for a row-standardised W) and the indirect :math:`m_I = m_T - m_D`.
    Since :math:`dS/d\rho = SWS`, the derivatives are :math:`m_D' = \operatorname{tr}(SWS)/N`
    and :math:`m_T' = \iota'SWS\iota/N`. Returns ``direct``, ``indirect``, ``total`` and
    ``d_direct``, ``d_indirect``, ``d_total``.

    >>> m = sar_multipliers(np.array([[0.0, 1.0], [1.0, 0.0]]), 0.5)
    >>> round(m["direct"], 6), round(m["total"], 6), round(m["d_total"], 6)
    (1.333333, 2.0, 4.0)
    """
    W = np.asarray(w, dtype=float)
    n = W.shape[0]
    if W.shape != (n, n):
        raise ValueError(f"sar_multipliers: W must be square, got {W.shape}")
    S = np.linalg.inv(np.eye(n) - float(rho) * W)
    SWS = S @ W @ S
    out = {
        "direct": float(np.trace(S)) / n,
        "total": float(S.sum()) / n,
        "d_direct": float(np.trace(SWS)) / n,
        "d_total": float(SWS.sum()) / n,
    }
    out["indirect"] = out["total"] - out["direct"]
    out["d_indirect"] = out["d_total"] - out["d_direct"]
    return out


def sar_effects(
    beta: float, se_beta: float, rho: float, se_rho: float, w, corr: float = 0.0
) -> dict[str, float]:
    r"""Effects implied by :math:`(\hat\beta, \hat\rho)`, with delta-method SEs and t-statistics.

    For an effect :math:`g = \beta m(\rho)`, the gradient is :math:`(m, \beta m')`, so

    .. math::

        \mathrm{Var}(\hat g) = m^2 se_\beta^2 + \beta^2 m'^2 se_\rho^2
            + 2\,r\,m\,\beta m'\,se_\beta\,se_\rho,

    with :math:`r` = ``corr`` the correlation of :math:`\hat\beta` and :math:`\hat\rho`, which
    regression tables do not print. Returns, for each of ``direct``, ``indirect``, ``total``, the
    value, ``se_*`` and ``t_*``.
    """
    if not -1 <= corr <= 1:
        raise ValueError(f"sar_effects: corr must be in [-1, 1], got {corr}")
    m = sar_multipliers(w, rho)
    out = {}
    for e in EFFECTS:
        g = beta * m[e]
        a, b = m[e] * se_beta, beta * m[f"d_{e}"] * se_rho
        var = a * a + b * b + 2.0 * corr * a * b
        se = math.sqrt(max(var, 0.0))
        out[e] = g
        out[f"se_{e}"] = se
        out[f"t_{e}"] = g / se if se > 0 else math.copysign(math.inf, g)
    return out


def sar_effect_t_range(
    beta: float, se_beta: float, rho: float, se_rho: float, w, effect: str = "indirect"
) -> tuple[float, float]:
    r"""The smallest and largest :math:`|t|` of an effect over every correlation in [-1, 1].

    The variance is linear in the correlation, so the extremes are at :math:`r = \pm 1`,
    where :math:`se = |m\,se_\beta \pm \beta m'\,se_\rho|`.
    """
    if effect not in EFFECTS:
        raise ValueError(f"sar_effect_t_range: effect must be one of {EFFECTS}, got {effect!r}")
    ts = [abs(sar_effects(beta, se_beta, rho, se_rho, w, c)[f"t_{effect}"]) for c in (-1.0, 1.0)]
    return min(ts), max(ts)


def significance_interval(
    beta: float,
    se_beta: float,
    se_rho: float,
    w,
    effect: str = "indirect",
    alpha: float = 0.05,
    corr: float = 0.0,
    grid: int = 400,
) -> tuple[float, float]:
    r"""The values of :math:`\rho \in (0, 1)` at which an effect is significant, holding the SEs.

    With :math:`\beta`, :math:`se_\beta` and :math:`se_\rho` held at their printed values, the
    :math:`|t|` of the effect (:func:`sar_effects`) is computed along :math:`\rho`; the function
    returns the first and last :math:`\rho` of the (single) stretch where it exceeds the normal
    critical value, refined by root finding, or ``(nan, nan)`` if there is none. For the
    indirect effect :math:`|t|` rises from 0 at :math:`\rho = 0`, so the lower end is the
    break-even :math:`\rho` below which the spillover is not significant. ``rho`` must keep
    :math:`I - \rho W` invertible on (0, 1): true for a row-standardised W.
    """
    crit = critical_value(alpha)

    def excess(r):
        return abs(sar_effects(beta, se_beta, r, se_rho, w, corr)[f"t_{effect}"]) - crit

    rs = np.linspace(1e-4, 0.999, int(grid))
    vals = np.array([excess(r) for r in rs])
    sig = np.flatnonzero(vals > 0)
    if sig.size == 0:
        return math.nan, math.nan
    i, j = int(sig[0]), int(sig[-1])
    lo = rs[0] if i == 0 else optimize.brentq(excess, rs[i - 1], rs[i], xtol=1e-10)
    hi = rs[-1] if j == rs.size - 1 else optimize.brentq(excess, rs[j], rs[j + 1], xtol=1e-10)
    return float(lo), float(hi)


def implied_corr(
    beta: float,
    se_beta: float,
    rho: float,
    se_rho: float,
    w,
    t_printed: float,
    effect: str = "indirect",
) -> float:
    r"""The correlation of :math:`\hat\beta` and :math:`\hat\rho` that reproduces a printed t.

    Solves :math:`\mathrm{Var}(\hat g) = (g/t)^2` (linear in the correlation, see
    :func:`sar_effects`) for the correlation; ``nan`` when the printed t has the other sign than
    the implied effect or the solution falls outside [-1, 1] (no correlation reproduces it).
    """
    if effect not in EFFECTS:
        raise ValueError(f"implied_corr: effect must be one of {EFFECTS}, got {effect!r}")
    m = sar_multipliers(w, rho)
    g = beta * m[effect]
    if t_printed == 0 or np.sign(t_printed) != np.sign(g):
        return math.nan
    a, b = m[effect] * se_beta, beta * m[f"d_{effect}"] * se_rho
    if a * b == 0:
        return math.nan
    r = ((g / t_printed) ** 2 - a * a - b * b) / (2.0 * a * b)
    return float(r) if -1 <= r <= 1 else math.nan
