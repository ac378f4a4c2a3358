"""Fixed-effects panel regressions as the paper reports them (Tables 4-6).

The paper's columns are least-squares regressions with city dummies, year dummies, both or neither
(LSDV). Its R-squared is that of the dummy-variable regression (the fixed effects count as
explained), its constants are what Stata prints with the first city and 2011 as base categories,
and its F is the joint test of the slopes alone, as Stata's ``areg``/``reghdfe`` report it.

This module fits that regression with explicit dummies (410 rows and at most 59 columns) through
the fixed-effects core :mod:`yrd.econ.fe` (least squares, classical/HC1/CR1 covariances, Wald F,
within transformation) and returns a small immutable result. The tests check it against
statsmodels (same design) and ``linearmodels.PanelOLS`` (within transformation).

Which library computes the same numbers, and why the code here is kept: statsmodels'
``OLS(y, [1, X, dummies]).fit(cov_type=...)`` on the same design gives the same coefficients,
standard errors and R-squared (``tests/test_regress.py`` checks them), and
``linearmodels.PanelOLS`` the same slopes (the baseline chapter shows it beside this module's
fit). What is kept is a small result over the fixed-effects core (which the twin generator calls
directly, many times, without a model object), and the F of the slopes alone under clustering,
where statsmodels' ``wald_test`` counts floating-point noise as rank and this module returns
Stata's missing F instead (:func:`yrd.econ.fe.wald_f` says more).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from yrd.econ import fe

#: The nine controls, in the paper's order.
CONTROLS = ("gdp", "open", "fin", "wage", "human", "stru", "infor", "infra", "tech")

#: The five columns of Tables 4 and 6: regressors and which fixed effects each includes.
COLUMNS = {
    "1": {"x": ("inno",), "city": True, "year": True},
    "2": {"x": ("inno", *CONTROLS), "city": False, "year": True},
    "3": {"x": ("inno", *CONTROLS), "city": True, "year": False},
    "4": {"x": ("inno", *CONTROLS), "city": False, "year": False},
    "5": {"x": ("inno", *CONTROLS), "city": True, "year": True},
}

#: Covariance estimators: statsmodels name and description.
COV_TYPES = {
    "classical": "OLS, homoskedastic: s^2 (X'X)^-1",
    "hc1": "heteroskedasticity-robust HC1: n/(n-k) (X'X)^-1 X' diag(e^2) X (X'X)^-1",
    "cluster": "clustered by city (CR1): G/(G-1) (n-1)/(n-k) sandwich, G = 41",
}


class RegressionInputError(ValueError):
    """The data cannot be used for the regression asked for; the message says why."""


@dataclass(frozen=True)
class FEResult:
    """Result of :func:`fit_fe`; every property is read-only."""

    params: pd.Series
    """Slopes and the constant (``const``), dummies excluded."""
    bse: pd.Series
    """Standard errors under ``cov_type``."""
    cov_type: str
    """``classical``, ``hc1`` or ``cluster``."""
    nobs: int
    """Number of observations."""
    df_model: int
    """Regressors excluding the constant, dummies included (k - 1)."""
    df_resid: int
    """n - k."""
    r2: float
    """R-squared of the LSDV regression (fixed effects count as explained), as the paper reports."""
    r2_a: float
    """Adjusted R-squared of the LSDV regression, 1 - (1 - R2)(n - 1)/(n - k)."""
    r2_within: float
    """R-squared of the within regression, 1 - SSR / |M_D y|^2 with M_D removing the included
    effects (exact on unbalanced panels too; linearmodels' ``PanelOLS(...).rsquared``)."""
    f_slopes: float
    """F test of the slopes jointly zero, dummies excluded (Stata ``areg``/``reghdfe``); NaN
    (Stata's missing F) when the covariance of the slopes has lower rank (CR1, few clusters)."""
    f_all: float
    """Classical F test of all regressors including dummies (Stata ``regress ... i.id i.year``)."""
    f_wald_all: float
    """Wald F of all regressors including dummies under ``cov_type`` (``regress ..., vce(...)``);
    NaN, Stata's missing F, when ``f_wald_rank`` is below the number of regressors (CR1 with
    G clusters has rank at most G - 1), see :func:`yrd.econ.fe.wald_f`."""
    f_wald_rank: int
    """Rank of that Wald test's covariance (below the regressor count when clusters are few)."""
    ssr: float
    """Sum of squared residuals."""
    city_effects: bool
    year_effects: bool
    dummies: pd.Series = field(repr=False)
    """Coefficients of the city and year dummies (relative to the base categories)."""

    @property
    def tvalues(self) -> pd.Series:
        """params / bse."""
        return self.params / self.bse

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided p-values from the standard normal (the paper's stars follow normal cutoffs)."""
        return pd.Series(2 * stats.norm.sf(np.abs(self.tvalues)), index=self.params.index)

    @property
    def sigma2(self) -> float:
        """Residual variance s^2 = SSR / (n - k)."""
        return self.ssr / self.df_resid


def _design(data, x, city, year, unit, time):
    X = data[list(x)].astype(float)
    parts = [pd.Series(1.0, index=data.index, name="const"), X]
    if city:
        d = pd.get_dummies(data[unit], prefix="city", dtype=float)
        parts.append(d.iloc[:, 1:])  # base category: the first (smallest) city code
    if year:
        d = pd.get_dummies(data[time], prefix="year", dtype=float)
        parts.append(d.iloc[:, 1:])  # base category: the first year (2011)
    return pd.concat(parts, axis=1)


def _check(data, y, x, unit, time):
    need = [y, *x, unit, time]
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise RegressionInputError(f"columns {missing} are not in the data")
    nan = [c for c in [y, *x] if data[c].isna().any()]
    if nan:
        raise RegressionInputError(f"columns {nan} have missing values")
    dup = data.duplicated([unit, time])
    if dup.any():
        raise RegressionInputError(f"{int(dup.sum())} duplicate ({unit}, {time}) rows")


def fit_fe(
    data: pd.DataFrame,
    y: str,
    x,
    city: bool = True,
    year: bool = True,
    cov: str = "classical",
    unit: str = "city_code",
    time: str = "year",
) -> FEResult:
    r"""Least squares with optional city and year dummies (LSDV), as in the paper's Table 4.

    Parameters
    ----------
    data
        Long panel, one row per city and year.
    y, x
        Dependent variable and regressors (column names).
    city, year
        Include city dummies (base: the smallest city code) and year dummies (base: the first year).
    cov
        ``"classical"``, ``"hc1"`` or ``"cluster"`` (by ``unit``); see :data:`COV_TYPES`.

    Notes
    -----
    The model is

    .. math::

        y_{it} = \alpha_0 + x_{it}'\beta + \sum_{j \ne 1} \mu_j d^{city}_{j,it}
                 + \sum_{s \ne 2011} \gamma_s d^{year}_{s,it} + \varepsilon_{it},

    with the city terms present when ``city=True`` and the year terms when ``year=True``.
    :math:`\alpha_0` is then the expected outcome of the base city in the base year at x = 0, which
    is the constant Stata prints for ``regress y x i.id i.year``. R-squared and adjusted R-squared
    are those of this regression (k counts the dummies); ``r2_within`` is the R-squared after
    removing the included effects (:func:`yrd.econ.fe.within`, exact on unbalanced panels). The
    F statistic tests :math:`\beta = 0` with the chosen covariance, as ``areg`` and ``reghdfe``
    do: :math:`F = \hat\beta' V_\beta^{-1} \hat\beta / p`, missing (NaN) when :math:`V_\beta`
    has rank below :math:`p` (CR1 with :math:`G \le p` clusters), as Stata prints it.

    The clustered covariance uses Stata's small-sample factor
    :math:`\frac{G}{G-1}\frac{n-1}{n-k}` with k counting the dummies, as ``regress, vce(cluster)``.

    References
    ----------
    .. [1] White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a
       direct test for heteroskedasticity. Econometrica 48(4), 817-838.
    .. [2] Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2008). Bootstrap-based improvements
       for inference with clustered errors. Review of Economics and Statistics 90(3), 414-427.
    .. [3] Correia, S. (2016). Linear models with high-dimensional fixed effects: an efficient and
       feasible estimator. Working paper (``reghdfe``).
    """
    x = list(x)
    if cov not in COV_TYPES:
        raise RegressionInputError(f"cov must be one of {list(COV_TYPES)}, got {cov!r}")
    _check(data, y, x, unit, time)
    data = data.sort_values([unit, time]).reset_index(drop=True)
    X = _design(data, x, city, year, unit, time)
    yv = data[y].to_numpy(dtype=float)
    M = X.to_numpy()
    try:
        ols = fe.ols(M, yv)
    except fe.CollinearityError as err:
        raise RegressionInputError(
            f"regressors {x} are collinear with each other or with the fixed effects ({err})"
        ) from None
    n, k = X.shape
    groups = data[unit].to_numpy()
    if cov == "classical":
        V = fe.classical_cov(M, ols.resid, bread=ols.bread)
        max_rank = None
    elif cov == "hc1":
        V = fe.hc_cov(M, ols.resid, bread=ols.bread)
        max_rank = None
    else:
        V = fe.cluster_cov(M, ols.resid, groups, bread=ols.bread)
        max_rank = int(np.unique(groups).size) - 1
    names = list(X.columns)
    coef = pd.Series(ols.params, index=names)
    se = pd.Series(np.sqrt(np.diag(V)), index=names)
    keep = ["const", *x]
    pos = {c: i for i, c in enumerate(names)}
    ix = [pos[c] for c in x]
    f_slopes, _ = fe.wald_f(ols.params[ix], V[np.ix_(ix, ix)], max_rank)
    # within R2: residual SS over the SS of y net of the included effects (exact when unbalanced)
    factors = [data[c].to_numpy() for c, on in ((unit, city), (time, year)) if on]
    yw = fe.within(yv, *factors)
    # Stata's header F after `regress ..., vce()`: all coefficients but the constant, tested with
    # the chosen covariance; missing when the covariance has lower rank (41 clusters, 50+ columns)
    io = [pos[c] for c in names if c != "const"]
    f_wald_all, rank = fe.wald_f(ols.params[io], V[np.ix_(io, io)], max_rank)
    ssr, tss = ols.ssr, float(((yv - yv.mean()) ** 2).sum())
    return FEResult(
        params=coef[x + ["const"]],
        bse=se[x + ["const"]],
        cov_type=cov,
        nobs=n,
        df_model=k - 1,
        df_resid=n - k,
        r2=1 - ssr / tss,
        r2_a=1 - ssr / tss * (n - 1) / (n - k),
        r2_within=float(1 - ssr / float(yw @ yw)),
        f_slopes=f_slopes,
        f_all=float(((tss - ssr) / (k - 1)) / (ssr / (n - k))),
        f_wald_all=f_wald_all,
        f_wald_rank=rank,
        ssr=ssr,
        city_effects=city,
        year_effects=year,
        dummies=coef.drop(keep),
    )


def fit_column(data: pd.DataFrame, column: str, y: str = "quality", cov: str = "classical"):
    """Fit one of the paper's columns (1)-(5) (see :data:`COLUMNS`) of Table 4 (or 6 with ``y="tcf"``)."""
    if column not in COLUMNS:
        raise RegressionInputError(f"column must be one of {list(COLUMNS)}, got {column!r}")
    spec = COLUMNS[column]
    return fit_fe(data, y, spec["x"], city=spec["city"], year=spec["year"], cov=cov)


def stars(p: float, levels: dict[str, float]) -> str:
    """Stars for a p-value under a legend such as ``{"***": 0.01, "**": 0.05, "*": 0.1}``."""
    for s, cut in sorted(levels.items(), key=lambda kv: kv[1]):
        if p < cut:
            return s
    return ""


def result_cells(res: FEResult, column: str, levels: dict[str, float]) -> pd.DataFrame:
    """A fitted column as long cells keyed like ``data/published/cells.csv`` (value, stars)."""
    rows = []
    p = res.pvalues
    for name in res.params.index:
        row = name if name != "const" else "const"
        rows.append((column, row, "coef", float(res.params[name]), stars(p[name], levels)))
        rows.append((column, row, "t", float(res.tvalues[name]), ""))
    rows += [
        (column, "nobs", "value", float(res.nobs), ""),
        (column, "r2", "value", res.r2, ""),
        (column, "r2_a", "value", res.r2_a, ""),
        # the F Stata prints after `regress ..., vce(robust)`: every regressor but the constant
        (column, "F", "value", res.f_wald_all, ""),
        (column, "year_fe", "flag", float(res.year_effects), ""),
        (column, "id_fe", "flag", float(res.city_effects), ""),
    ]
    return pd.DataFrame(rows, columns=["column", "row", "statistic", "value", "stars"])


def ols_from_moments(
    means: pd.Series, sds: pd.Series, corr: pd.DataFrame, y: str, x, n: int
) -> dict[str, pd.Series | float]:
    r"""Pooled OLS from the first and second moments alone (Table 4 column (4) from Tables 2-3).

    With :math:`D = \mathrm{diag}(s_x)` and :math:`R_{xx}`, :math:`r_{xy}` the correlations,

    .. math::

        \hat\beta = s_y\, D^{-1} R_{xx}^{-1} r_{xy}, \qquad
        \hat\alpha = \bar y - \bar x'\hat\beta, \qquad
        R^2 = r_{xy}' R_{xx}^{-1} r_{xy},

    and the classical standard errors follow from
    :math:`s^2 = (n-1) s_y^2 (1-R^2)/(n-k)` and :math:`(X'X)^{-1}` built from the same moments.
    Fixed-effects columns cannot be recovered this way: they need the within-city (or within-year)
    moments, which the pooled moments of Tables 2-3 mix with the between part.

    Returns
    -------
    dict
        ``params`` and ``bse`` (Series: x names then ``const``), ``tvalues``, ``r2``, ``r2_a``.
    """
    x = list(x)
    Rxx = corr.loc[x, x].to_numpy(float)
    rxy = corr.loc[x, y].to_numpy(float)
    sx = sds[x].to_numpy(float)
    g = np.linalg.solve(Rxx, rxy)
    beta = sds[y] * g / sx
    const = means[y] - means[x].to_numpy(float) @ beta
    r2 = float(rxy @ g)
    k = len(x) + 1
    s2 = (n - 1) * sds[y] ** 2 * (1 - r2) / (n - k)
    # X'X for [x, 1] from moments: centred cross-products plus the mean terms
    S = (n - 1) * np.outer(sx, sx) * Rxx
    m = means[x].to_numpy(float)
    XtX = np.zeros((k, k))
    XtX[:-1, :-1] = S + n * np.outer(m, m)
    XtX[:-1, -1] = XtX[-1, :-1] = n * m
    XtX[-1, -1] = n
    se = np.sqrt(s2 * np.diag(np.linalg.inv(XtX)))
    index = [*x, "const"]
    params = pd.Series([*beta, const], index=index)
    bse = pd.Series(se, index=index)
    return {
        "params": params,
        "bse": bse,
        "tvalues": params / bse,
        "r2": r2,
        "r2_a": 1 - (1 - r2) * (n - 1) / (n - k),
    }


__all__ = [
    "COLUMNS",
    "CONTROLS",
    "COV_TYPES",
    "FEResult",
    "RegressionInputError",
    "fit_column",
    "fit_fe",
    "ols_from_moments",
    "result_cells",
    "stars",
]
