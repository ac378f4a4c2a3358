r"""Inference for one coefficient of the two-way fixed-effects regression, six ways.

The headline number of the paper is the ``inno`` coefficient of Table 4 column (5): least squares
with city and year dummies (LSDV). Its point estimate does not depend on how the errors are
modelled; its standard error, p-value and confidence interval do. This module computes them
under six assumptions about the errors:

``classical``
    homoskedastic, independent errors, :math:`s^2 (X'X)^{-1}`;
``hc1``
    heteroskedastic, independent errors (White 1980), with the factor :math:`n/(n-k)`;
``cr1``
    arbitrary correlation within a city over the ten years, none across cities (cluster-robust
    by city, Stata's factor :math:`\frac{G}{G-1}\frac{n-1}{n-k}`);
``wild``
    the same clustering, with the p-value and interval from the wild cluster restricted bootstrap
    (WCR) of Cameron, Gelbach and Miller (2008), computed as in Roodman et al. (2019);
``driscoll_kraay``
    arbitrary correlation across cities within a year and Bartlett-weighted correlation across
    nearby years (Driscoll and Kraay 1998), computed by linearmodels;
``conley``
    correlation between cities that fades with the distance between their seats (Conley 1999),
    optionally with Bartlett-weighted serial correlation within a city.

Every estimator works on the same design (:func:`fe_design`): the city dummies are absorbed by
demeaning within city (they are nested in the clusters, so the cluster scores, the bootstrap and
all sandwiches are those of the full LSDV regression) and the year dummies stay as explicit
regressors. By the Frisch-Waugh-Lovell theorem the slopes, residuals and every sandwich block of
the slopes equal those of the regression with all dummies; ``k`` counts all LSDV parameters.
The within transformation, the least squares and the HC1/CR1 sandwiches are those of the
fixed-effects core :mod:`yrd.econ.fe` (``hc_cov``, ``cluster_cov`` and ``sandwich`` are re-exported
here); this module adds the estimators beyond them.

Which library computes the same numbers, and why the code here is kept:

* Driscoll-Kraay: computed by linearmodels (:func:`driscoll_kraay_cov`);
* classical, HC1 and CR1: statsmodels' ``OLS`` with explicit dummies gives the same numbers (the
  tests check it); :mod:`yrd.econ.fe` says why its sandwiches are kept;
* the wild cluster restricted bootstrap: ``wildboottest`` (Python port of Stata's ``boottest``)
  computes it, but it needs numba, which this book does not install; the code here follows
  Roodman et al. (2019) and is tested against brute-force LSDV bootstraps and full enumeration;
* Conley: no installed library computes a spatial HAC for a panel (linearmodels and statsmodels
  have none; spreg's ``OLS(..., robust="hac", gwk=...)`` is the cross-sectional Kelejian-Prucha
  estimator, one period at a time, without the serial terms); the estimator is kept and tested
  against its limits (HC1 at a zero cutoff, one cluster per period with a huge cutoff,
  Driscoll-Kraay with bandwidth 0).

References
----------
.. [1] White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a direct
   test for heteroskedasticity. Econometrica, 48(4), 817-838.
.. [2] Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements for
   inference with clustered errors. Review of Economics and Statistics, 90(3), 414-427.
.. [3] Roodman, D., Nielsen, M. O., MacKinnon, J. G., & Webb, M. D. (2019). Fast and wild:
   Bootstrap inference in Stata using boottest. The Stata Journal, 19(1), 4-60.
.. [4] Webb, M. D. (2023). Reworking wild bootstrap-based inference for clustered errors.
   Canadian Journal of Economics, 56(3), 839-858.
.. [5] Driscoll, J. C., & Kraay, A. C. (1998). Consistent covariance matrix estimation with
   spatially dependent panel data. Review of Economics and Statistics, 80(4), 549-560.
.. [6] Conley, T. G. (1999). GMM estimation with cross sectional dependence. Journal of
   Econometrics, 92(1), 1-45.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from linearmodels.panel.covariance import DriscollKraay
from scipy import stats

from yrd.econ import fe
from yrd.econ.fe import cluster_cov, hc_cov, sandwich

__all__ = [
    "FEDesign",
    "WildBootstrapResult",
    "bootstrap_weights",
    "conley_cov",
    "cluster_cov",
    "driscoll_kraay_cov",
    "fe_design",
    "hc_cov",
    "inference_table",
    "sandwich",
    "wild_cluster_bootstrap",
]

#: Distributions of the wild bootstrap weights (mean 0, variance 1).
WEIGHTS = ("rademacher", "webb")
#: Kernels of the Conley estimator, as functions of distance over cutoff.
KERNELS = ("uniform", "bartlett")


# --------------------------------------------------------------------------------------------
# the design
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FEDesign:
    """The LSDV regression with the unit dummies absorbed; every attribute is read-only."""

    y: np.ndarray
    """(n,) outcome demeaned within unit."""
    X: np.ndarray
    """(n, p) regressors then period dummies (base period dropped), demeaned within unit."""
    names: list[str]
    """Column names of ``X``."""
    unit: np.ndarray
    """(n,) unit (cluster) id of each row."""
    time: np.ndarray
    """(n,) period id of each row."""
    k: int
    """Parameters of the full LSDV regression: ``X`` columns + constant + unit dummies."""
    params: pd.Series = field(repr=False)
    """Least-squares coefficients of ``X``."""
    resid: np.ndarray = field(repr=False)
    """(n,) least-squares residuals (those of the LSDV regression)."""

    @property
    def n(self) -> int:
        """Observations."""
        return int(self.y.size)

    @property
    def bread(self) -> np.ndarray:
        """(X'X)^-1."""
        return np.linalg.inv(self.X.T @ self.X)

    @property
    def n_units(self) -> int:
        """Number of units (clusters)."""
        return int(np.unique(self.unit).size)

    @property
    def n_periods(self) -> int:
        """Number of periods."""
        return int(np.unique(self.time).size)


def fe_design(
    data: pd.DataFrame,
    y: str,
    x,
    unit: str = "city_code",
    time: str = "year",
    time_effects: bool = True,
) -> FEDesign:
    r"""Build the two-way fixed-effects design with the unit dummies absorbed.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel (need not be balanced), one row per unit and period.
    y, x : str, list of str
        Outcome and regressors.
    unit, time : str
        Unit and period columns; the unit is also the cluster.
    time_effects : bool
        Include period dummies (base: the first period).

    Returns
    -------
    FEDesign
        Rows sorted by unit then period.

    Notes
    -----
    With :math:`D` the unit dummies and :math:`M_D` the within-unit demeaning, the design is
    :math:`(M_D y, M_D[X, \text{period dummies}])`. The coefficients and residuals are those of
    the regression of :math:`y` on :math:`[1, X, \text{unit and period dummies}]` (Frisch-Waugh-
    Lovell), and ``k`` counts all of its parameters, as Stata's ``regress`` with dummies does.
    """
    x = list(x)
    missing = [c for c in [y, *x, unit, time] if c not in data.columns]
    if missing:
        raise ValueError(f"fe_design: columns {missing} are not in the data")
    if data[[y, *x]].isna().any().any():
        raise ValueError("fe_design: missing values in the outcome or regressors")
    if data.duplicated([unit, time]).any():
        raise ValueError(f"fe_design: duplicated ({unit}, {time}) rows")
    d = data.sort_values([unit, time]).reset_index(drop=True)
    parts = [d[x].astype(float)]
    if time_effects:
        parts.append(pd.get_dummies(d[time], prefix=time, dtype=float).iloc[:, 1:])
    Z = pd.concat(parts, axis=1)
    names = list(Z.columns)
    g = d[unit].to_numpy()
    absorb = fe.Absorber(g)
    Zd = absorb.transform(Z.to_numpy(float))
    yd = absorb.transform(d[y].to_numpy(float))
    try:
        fit = fe.ols(Zd, yd)
    except fe.CollinearityError as err:
        raise ValueError(
            f"fe_design: regressors are collinear with each other or with the fixed effects ({err})"
        ) from None
    beta, resid = fit.params, fit.resid
    n_units = int(np.unique(g).size)
    return FEDesign(
        y=yd,
        X=Zd,
        names=names,
        unit=g,
        time=d[time].to_numpy(),
        k=Zd.shape[1] + n_units,
        params=pd.Series(beta, index=names),
        resid=resid,
    )


# --------------------------------------------------------------------------------------------
# sandwiches
# --------------------------------------------------------------------------------------------


def _bartlett(lag: int, bandwidth: int) -> float:
    return 1.0 - lag / (bandwidth + 1.0)


def driscoll_kraay_cov(
    X: np.ndarray, u: np.ndarray, time, bandwidth: int, scale: float = 1.0
) -> np.ndarray:
    r"""Driscoll-Kraay covariance: a Newey-West estimator on the period sums of the scores.

    .. math::

        h_t = \sum_i x_{it} u_{it}, \quad
        S = \sum_t h_t h_t' + \sum_{l=1}^{L} \Big(1 - \frac{l}{L+1}\Big)
            \sum_{t>l} (h_t h_{t-l}' + h_{t-l} h_t'), \quad
        V = c\,(X'X)^{-1} S (X'X)^{-1},

    with :math:`L` = ``bandwidth`` (Bartlett kernel) and :math:`c` = ``scale``. Periods are taken
    in sorted order; ``bandwidth`` must be below the number of periods.

    Computed by linearmodels' ``DriscollKraay`` covariance estimator
    (:mod:`linearmodels.panel.covariance`, the one behind ``PanelOLS.fit(cov_type="kernel",
    kernel="bartlett", bandwidth=L)``), given the residuals as its outcome and zero coefficients
    and no degrees-of-freedom correction, so that ``scale`` is the only factor. On a two-way
    fixed-effects design (:func:`fe_design`), :math:`c = n/(n-k)` with :math:`k` counting the
    slopes, the period dummies and all unit effects gives the standard errors of
    ``PanelOLS(y, x, entity_effects=True, time_effects=True).fit(cov_type="kernel",
    kernel="bartlett", bandwidth=L)``, whose default ``debiased=True`` applies that factor
    (``tests/test_inference.py`` checks both, and the formula above, on the twin and on
    ``linearmodels.datasets.wage_panel``).
    """
    periods, inv = np.unique(np.asarray(time), return_inverse=True)
    T = periods.size
    bandwidth = int(bandwidth)
    if not 0 <= bandwidth < T:
        raise ValueError(
            f"driscoll_kraay_cov: bandwidth must be in [0, {T - 1}] (T = {T}), got {bandwidth}"
        )
    X = np.asarray(X, dtype=float)
    u = np.asarray(u, dtype=float).reshape(-1, 1)
    dk = DriscollKraay(
        u,  # the "outcome", so that the residuals y - X 0 are u
        X,
        np.zeros((X.shape[1], 1)),
        np.zeros((X.shape[0], 1), dtype=int),  # entities: not used by Driscoll-Kraay
        inv.reshape(-1, 1),
        kernel="bartlett",
        bandwidth=bandwidth,
    )
    return dk.cov * scale


def conley_cov(
    X: np.ndarray,
    u: np.ndarray,
    unit,
    time,
    distance: pd.DataFrame,
    cutoff_km: float,
    kernel: str = "bartlett",
    lags: int = 0,
    scale: float = 1.0,
) -> np.ndarray:
    r"""Conley's spatial HAC covariance for a panel, with optional serial correlation.

    .. math::

        S = \sum_t \sum_{i,j} K\!\Big(\frac{d_{ij}}{\bar d}\Big) s_{it} s_{jt}'
          + \sum_i \sum_{l=1}^{L}\Big(1-\frac{l}{L+1}\Big)\sum_{t}
            (s_{it}s_{i,t-l}' + s_{i,t-l}s_{it}'),
        \qquad V = c\,(X'X)^{-1} S (X'X)^{-1},

    with scores :math:`s_{it} = x_{it}u_{it}`, :math:`d_{ij}` the distance between units,
    :math:`\bar d` = ``cutoff_km``, :math:`L` = ``lags`` and :math:`c` = ``scale``. The kernel is
    ``"uniform"``, :math:`K = 1\{d_{ij} \le \bar d\}`, or ``"bartlett"``,
    :math:`K = \max(0, 1 - d_{ij}/\bar d)`; :math:`K = 1` on the diagonal (:math:`i = j`), so a
    zero cutoff gives White's HC0 meat. A uniform kernel with a cutoff beyond every distance and
    one period gives the one-cluster meat :math:`(\sum_i s_i)(\sum_i s_i)'`. Neither kernel is
    guaranteed to give a positive semi-definite matrix in two dimensions; the diagonal of ``V``
    is what the book reports.

    Parameters
    ----------
    X, u : numpy.ndarray
        (n, p) regressors and (n,) residuals.
    unit, time : array-like
        (n,) unit and period of each row; units must be in ``distance``'s index.
    distance : pandas.DataFrame
        Unit x unit distances (e.g. :func:`yrd.econ.weights.distance_matrix`).
    cutoff_km : float
        Bandwidth :math:`\bar d \ge 0`.
    kernel : {"bartlett", "uniform"}
    lags : int
        Serial lags within a unit (periods taken in sorted order); 0 for none.
    scale : float
        Small-sample factor; ``n/(n-k)`` makes a zero cutoff equal HC1.
    """
    if kernel not in KERNELS:
        raise ValueError(f"conley_cov: kernel must be one of {KERNELS}, got {kernel!r}")
    if not (np.isfinite(cutoff_km) and cutoff_km >= 0):
        raise ValueError(f"conley_cov: cutoff_km must be finite and >= 0, got {cutoff_km!r}")
    unit = np.asarray(unit)
    time = np.asarray(time)
    units = np.unique(unit)
    missing = sorted(set(units.tolist()) - set(distance.index.tolist()))
    if missing:
        raise ValueError(f"conley_cov: no distances for units {missing[:5]}")
    D = distance.loc[units, units].to_numpy(float)
    if cutoff_km == 0:
        K = np.zeros_like(D)
    elif kernel == "uniform":
        K = (D <= cutoff_km).astype(float)
    else:
        K = np.clip(1.0 - D / cutoff_km, 0.0, None)
    np.fill_diagonal(K, 1.0)
    periods, ti = np.unique(time, return_inverse=True)
    ui = np.searchsorted(units, unit)
    s = X * u[:, None]
    # scores on a (T, N, p) grid; missing unit-periods contribute zeros
    grid = np.zeros((periods.size, units.size, X.shape[1]))
    grid[ti, ui] = s
    S = np.einsum("tip,ij,tjq->pq", grid, K, grid)
    for lag in range(1, int(lags) + 1):
        if lag >= periods.size:
            break
        G = np.einsum("tip,tiq->pq", grid[lag:], grid[:-lag])
        S += _bartlett(lag, int(lags)) * (G + G.T)
    return sandwich(X, S) * scale


# --------------------------------------------------------------------------------------------
# wild cluster bootstrap
# --------------------------------------------------------------------------------------------


def bootstrap_weights(kind: str, B: int, G: int, rng: np.random.Generator) -> np.ndarray:
    r"""(B, G) wild bootstrap weights, one per cluster and draw.

    ``"rademacher"``: :math:`\pm 1` with probability 1/2 each; ``"webb"``: the six points
    :math:`\pm\sqrt{1/2}, \pm 1, \pm\sqrt{3/2}` with probability 1/6 each (Webb 2023). Both have
    mean 0 and variance 1. With Rademacher weights and :math:`2^G \le B` every sign vector is
    enumerated once instead (:math:`B = 2^G` rows), as ``boottest`` and ``wildboottest`` do.
    """
    if kind == "rademacher":
        if 2**G <= B:
            grid = (np.arange(2**G)[:, None] >> np.arange(G)[None, :]) & 1
            return 1.0 - 2.0 * grid
        return rng.choice(np.array([-1.0, 1.0]), size=(B, G))
    if kind == "webb":
        pts = np.sqrt(np.array([0.5, 1.0, 1.5]))
        return rng.choice(np.concatenate([-pts, pts]), size=(B, G))
    raise ValueError(f"bootstrap_weights: kind must be one of {WEIGHTS}, got {kind!r}")


@dataclass(frozen=True)
class WildBootstrapResult:
    """Wild cluster restricted bootstrap of one coefficient (read-only)."""

    term: str
    """The coefficient tested."""
    estimate: float
    """Least-squares estimate."""
    null: float
    """Value under the null hypothesis."""
    tstat: float
    """Cluster-robust (CR1) t statistic of the null."""
    pvalue: float
    """Symmetric bootstrap p-value, share of draws with :math:`|t^*| > |t|`."""
    conf_int: tuple[float, float]
    """Interval of the nulls not rejected at ``level`` (test inversion)."""
    level: float
    """Confidence level of ``conf_int``."""
    weights: str
    """``rademacher`` or ``webb``."""
    draws: int
    """Number of bootstrap draws (2^G under full enumeration)."""
    seed: int | None
    """Seed of ``numpy.random.default_rng``."""
    tstar: np.ndarray = field(repr=False)
    """The bootstrap t statistics under the null."""


class _WCR:
    """Fast WCR for one coefficient: everything is linear or quadratic in the null value."""

    def __init__(self, X, y, groups, j, v, k=None):
        n, p = X.shape
        k = p if k is None else int(k)
        _, inv = np.unique(np.asarray(groups), return_inverse=True)
        G = int(inv.max()) + 1
        A = np.linalg.inv(X.T @ X)
        a = A[j]  # row j of (X'X)^-1
        beta = A @ (X.T @ y)
        others = [c for c in range(p) if c != j]
        Xo = X[:, others]
        # restricted residuals u_r(b0) = M_o (y - b0 x_j) = r0 - b0 r1
        proj = np.linalg.lstsq(Xo, np.column_stack([y, X[:, j]]), rcond=None)[0]
        r0 = y - Xo @ proj[:, 0]
        r1 = X[:, j] - Xo @ proj[:, 1]

        def scores(r):
            S = np.zeros((G, p))
            np.add.at(S, inv, X * r[:, None])
            return S  # (G, p): X_g' r_g

        # H_g a for every cluster: (G, p)
        Ha = np.zeros((G, p))
        np.add.at(Ha, inv, X * (X @ a)[:, None])
        S0, S1 = scores(r0), scores(r1)
        q0, q1 = S0 @ a, S1 @ a  # numerators: sum_g v_g q_g
        C0, C1 = Ha @ A @ S0.T, Ha @ A @ S1.T  # (G, G)
        # bootstrap cluster scores c_b = v_b * q - v_b C', linear in b0: c0 - b0 c1
        self.n0, self.n1 = v @ q0, v @ q1
        # draws with one weight c for every cluster give y* = X b_r + c u_r, hence t* = sign(c) t
        # exactly; computed, they differ from +-t by rounding and would count on either side
        self.tie = np.all(v == v[:, :1], axis=1)
        self.tie_sign = np.sign(v[:, 0])
        c0 = v * q0 - v @ C0.T
        c1 = v * q1 - v @ C1.T
        self.d00 = np.sum(c0 * c0, axis=1)
        self.d01 = np.sum(c0 * c1, axis=1)
        self.d11 = np.sum(c1 * c1, axis=1)
        # original CR1 statistic (the small-sample factor cancels in the p-value; kept for t)
        self.ssc = G / (G - 1) * (n - 1) / (n - k)
        u = y - X @ beta
        su = scores(u)
        self.se = math.sqrt(self.ssc * float((su @ a) @ (su @ a)))
        self.beta = float(beta[j])

    def tstar(self, b0: float) -> np.ndarray:
        num = self.n0 - b0 * self.n1
        den = self.d00 - 2 * b0 * self.d01 + b0 * b0 * self.d11
        out = num / np.sqrt(self.ssc * np.maximum(den, 1e-300))
        out[self.tie] = self.tie_sign[self.tie] * self.t(b0)
        return out

    def t(self, b0: float) -> float:
        return (self.beta - b0) / self.se

    def pvalue(self, b0: float) -> float:
        return float(np.mean(np.abs(self.tstar(b0)) > abs(self.t(b0))))

    def bound(self, alpha: float, side: int, tol: float) -> float:
        inside = self.beta
        step = self.se
        outside = inside + side * step
        for _ in range(60):
            if self.pvalue(outside) <= alpha:
                break
            inside, step = outside, step * 2
            outside = inside + side * step
        else:
            return side * math.inf
        while abs(outside - inside) > tol * self.se:
            mid = 0.5 * (inside + outside)
            if self.pvalue(mid) > alpha:
                inside = mid
            else:
                outside = mid
        return 0.5 * (inside + outside)


def wild_cluster_bootstrap(
    X: np.ndarray,
    y: np.ndarray,
    groups,
    term: int | str,
    names: list[str] | None = None,
    null: float = 0.0,
    draws: int = 9999,
    weights: str = "webb",
    seed: int | None = None,
    level: float = 0.95,
    tol: float = 1e-6,
    k: int | None = None,
) -> WildBootstrapResult:
    r"""Wild cluster restricted (WCR) bootstrap test and confidence interval for one coefficient.

    Parameters
    ----------
    X, y : numpy.ndarray
        (n, p) regressors and (n,) outcome. Fixed effects nested in the clusters may be absorbed
        beforehand (:func:`fe_design`); other fixed effects must be columns of ``X``.
    groups : array-like
        (n,) cluster ids.
    term : int or str
        Column tested (a name needs ``names``).
    null : float
        :math:`\beta_0` in :math:`H_0: \beta = \beta_0`.
    draws : int
        Bootstrap draws :math:`B`.
    weights : {"webb", "rademacher"}
        See :func:`bootstrap_weights`.
    seed : int, optional
        Seed of ``numpy.random.default_rng``; a given seed gives identical results.
    level : float
        Confidence level of the interval.
    tol : float
        Precision of the interval bounds, in units of the CR1 standard error.
    k : int, optional
        Parameters counted in CR1's factor :math:`(n-1)/(n-k)` (default: the columns of ``X``;
        :attr:`FEDesign.k` with absorbed effects). It changes ``tstat``, not the p-value.

    Notes
    -----
    Under :math:`H_0: \beta_j = \beta_0` the restricted fit gives residuals :math:`\tilde u`; each
    draw multiplies the residuals of cluster :math:`g` by one weight :math:`v_g`,
    :math:`y^* = X\tilde\beta + \tilde u \odot v`, re-estimates, and computes the CR1 statistic
    :math:`t^* = (\hat\beta_j^* - \beta_0)/se^*`. The p-value is the share of
    :math:`|t^*| > |t|` (Cameron, Gelbach and Miller 2008). A draw with one weight :math:`c` for
    every cluster (under full Rademacher enumeration: all plus and all minus) reproduces the data
    up to scale, :math:`t^* = \operatorname{sign}(c)\,t` exactly: its :math:`t^*` is set to that
    value rather than recomputed, so it ties with :math:`|t|` and is never counted (rounding would
    otherwise count it on either side, making exact p-values up to :math:`2/2^G` too high and the
    inverted intervals too wide). Following Roodman et al. (2019) no
    regression is re-run: with :math:`A = (X'X)^{-1}`, :math:`a_j` its row :math:`j`,
    :math:`s_g = X_g'\tilde u_g` and :math:`H_g = X_g'X_g`,

    .. math::

        \hat\beta_j^* - \beta_0 = \sum_g v_g a_j's_g, \qquad
        a_j'X_g'\hat u_g^* = v_g a_j's_g - \sum_h a_j'H_g A s_h v_h ,

    all linear in :math:`\beta_0` through :math:`\tilde u`, so the interval (the nulls with
    p-value above :math:`1-\text{level}`) is found by bisection with the same draws throughout.
    The small-sample factor of CR1 cancels between :math:`t` and :math:`t^*`.
    """
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    if isinstance(term, str):
        if names is None or term not in names:
            raise ValueError(f"wild_cluster_bootstrap: unknown term {term!r}")
        j = list(names).index(term)
        label = term
    else:
        j = int(term)
        label = names[j] if names is not None else str(j)
    G = int(np.unique(np.asarray(groups)).size)
    if G < 2:
        raise ValueError("wild_cluster_bootstrap: need at least 2 clusters")
    if not 0 < level < 1:
        raise ValueError(f"wild_cluster_bootstrap: level must be in (0, 1), got {level}")
    rng = np.random.default_rng(seed)
    v = bootstrap_weights(weights, int(draws), G, rng)
    wcr = _WCR(X, y, groups, j, v, k)
    alpha = 1 - level
    ci = (wcr.bound(alpha, -1, tol), wcr.bound(alpha, +1, tol))
    return WildBootstrapResult(
        term=label,
        estimate=wcr.beta,
        null=float(null),
        tstat=wcr.t(null),
        pvalue=wcr.pvalue(null),
        conf_int=ci,
        level=level,
        weights=weights,
        draws=int(v.shape[0]),
        seed=seed,
        tstar=wcr.tstar(null),
    )


# --------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------


def _row(method, detail, estimate, se, reference, df, level):
    t = estimate / se
    if reference == "t":
        p = float(2 * stats.t.sf(abs(t), df))
        crit = float(stats.t.ppf(0.5 + level / 2, df))
        ref = f"t({df})"
    else:
        p = float(2 * stats.norm.sf(abs(t)))
        crit = float(stats.norm.ppf(0.5 + level / 2))
        ref = "normal"
    return {
        "method": method,
        "detail": detail,
        "estimate": estimate,
        "se": se,
        "t": t,
        "reference": ref,
        "p": p,
        "ci_low": estimate - crit * se,
        "ci_high": estimate + crit * se,
    }


def inference_table(
    design: FEDesign,
    term: str,
    distance: pd.DataFrame,
    *,
    dk_bandwidth: int = 2,
    conley_cutoffs=(100, 200, 400),
    conley_kernel: str = "bartlett",
    conley_lags: int = 0,
    draws: int = 9999,
    seed: int = 20261126,
    level: float = 0.95,
) -> pd.DataFrame:
    r"""SE, t, p-value and interval of one coefficient under every method of this module.

    Reference distributions follow the software an applied economist would use: Student t with
    :math:`n-k` degrees of freedom for classical, HC1 and Conley errors; :math:`G-1` for CR1
    (Stata's ``vce(cluster)``); :math:`T-1` for Driscoll-Kraay (Stata's ``xtscc``, Hoechle 2007).
    The two wild bootstrap rows (Webb and Rademacher weights, ``draws`` each, seeded) report the
    bootstrap p-value and the inverted interval; their ``se`` and ``t`` are those of CR1.
    Driscoll-Kraay and Conley use the scale :math:`n/(n-k)` (linearmodels' for Driscoll-Kraay;
    for Conley it makes the zero-cutoff limit HC1).
    """
    X, u, n, k = design.X, design.resid, design.n, design.k
    j = design.names.index(term)
    b = float(design.params[term])
    G, T = design.n_units, design.n_periods
    rows = []
    A = design.bread
    s2 = float(u @ u) / (n - k)
    rows.append(
        _row("Classical", "none, equal variances", b, math.sqrt(s2 * A[j, j]), "t", n - k, level)
    )
    V = hc_cov(X, u, k=k)
    rows.append(_row("HC1", "none, unequal variances", b, math.sqrt(V[j, j]), "t", n - k, level))
    V = cluster_cov(X, u, design.unit, k=k)
    cr1 = math.sqrt(V[j, j])
    rows.append(_row("Cluster CR1", f"within a city (G = {G})", b, cr1, "t", G - 1, level))
    for w in ("webb", "rademacher"):
        res = wild_cluster_bootstrap(
            X,
            design.y,
            design.unit,
            j,
            names=design.names,
            draws=draws,
            weights=w,
            seed=seed,
            level=level,
            k=k,
        )
        rows.append(
            {
                "method": f"Wild bootstrap ({w.capitalize()})",
                "detail": f"within a city; WCR, B = {res.draws}, seed {seed}",
                "estimate": b,
                "se": cr1,
                "t": res.tstat,
                "reference": "bootstrap",
                "p": res.pvalue,
                "ci_low": res.conf_int[0],
                "ci_high": res.conf_int[1],
            }
        )
    V = driscoll_kraay_cov(X, u, design.time, dk_bandwidth, scale=n / (n - k))
    rows.append(
        _row(
            "Driscoll-Kraay",
            f"all cities in a year, {dk_bandwidth} years apart (Bartlett)",
            b,
            math.sqrt(V[j, j]),
            "t",
            T - 1,
            level,
        )
    )
    for cut in conley_cutoffs:
        V = conley_cov(
            X,
            u,
            design.unit,
            design.time,
            distance,
            cut,
            kernel=conley_kernel,
            lags=conley_lags,
            scale=n / (n - k),
        )
        detail = f"cities within {cut:g} km in a year ({conley_kernel})" + (
            f", {conley_lags} lags" if conley_lags else ""
        )
        rows.append(_row(f"Conley {cut:g} km", detail, b, math.sqrt(V[j, j]), "t", n - k, level))
    return pd.DataFrame(rows)
