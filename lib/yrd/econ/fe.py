r"""Least squares with fixed effects: within transformation, fit, HC1/CR1 covariances, Wald F.

One core for every fixed-effects regression of the book. Arrays in, arrays out; the paper's
conventions (which columns, which base categories) live in :mod:`yrd.econ.regress`.

* :class:`Absorber` / :func:`within` -- the within transformation :math:`M_D a` for one or more
  sets of dummies :math:`D`, exact on unbalanced panels (one-pass two-way demeaning
  :math:`a - \bar a_{i\cdot} - \bar a_{\cdot t} + \bar a` is exact only when balanced);
* :func:`ols` -- least squares from one SVD, with the rank check;
* :func:`classical_cov`, :func:`hc_cov`, :func:`cluster_cov` -- :math:`s^2(X'X)^{-1}`, HC0/HC1 and
  CR1 sandwiches, with the parameter count ``k`` of the small-sample factors given explicitly so
  that absorbed effects count (as Stata's ``regress`` with dummies counts them);
* :func:`wald_f` -- :math:`F = \hat b' V^{-1} \hat b / q`, missing (NaN) when the covariance has
  rank below ``q``, as Stata prints it.

Which library computes the same numbers, and why the code here is kept:

* the within transformation: ``pyhdfe`` and ``linearmodels`` (``PanelData.demean``) compute it by
  iteration (alternating projections or LSMR, to a tolerance of about 1e-8). Here the factor with
  most levels is swept out by group means and the remaining ones by an exact Frisch-Waugh-Lovell
  projection on their (demeaned) dummies, which is exact to rounding for the book's panels (one
  small factor: the years) and lets the tests compare at 1e-10;
* the fit and the sandwiches: ``statsmodels`` ``OLS(...).fit(cov_type="HC1" | "cluster")`` gives
  the same numbers for an explicit-dummy design (``tests/test_regress.py`` and ``tests/test_fe.py``
  check them at 1e-8), but it counts ``k`` as the columns of the design, so on a within-transformed
  design (absorbed effects) its small-sample factors are wrong; ``linearmodels`` counts absorbed
  effects but uses other small-sample conventions than Stata's ``regress``. The formulas are five
  lines each; the fast twin generator also needs them without a model object per evaluation;
* the Wald F: ``statsmodels``' ``wald_test`` takes the rank of the restricted covariance from
  ``numpy.linalg.matrix_rank`` and inverts with a pseudo-inverse, which with few clusters counts
  floating-point noise as rank and returns huge (even negative) F values; :func:`wald_f` bounds the
  rank by :math:`G-1` under CR1 and returns Stata's missing F instead.

References
----------
.. [1] Frisch, R. and Waugh, F. V. (1933). Partial time regressions as compared with individual
   trends. Econometrica 1(4), 387-401; Lovell, M. C. (1963). Seasonal adjustment of economic time
   series and multiple regression analysis. JASA 58(304), 993-1010.
.. [2] MacKinnon, J. G. and White, H. (1985). Some heteroskedasticity-consistent covariance matrix
   estimators with improved finite sample properties. Journal of Econometrics 29(3), 305-325.
.. [3] Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to cluster-robust
   inference. Journal of Human Resources 50(2), 317-372.
.. [4] StataCorp. Stata Base Reference Manual, ``regress`` (Methods and formulas; the model F
   after ``vce(cluster)``) and ``test``.
.. [5] Correia, S. (2016). Linear models with high-dimensional fixed effects: an efficient and
   feasible estimator. Working paper (``reghdfe``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Absorber",
    "CollinearityError",
    "OLSFit",
    "classical_cov",
    "cluster_cov",
    "hc_cov",
    "ols",
    "sandwich",
    "wald_f",
    "within",
]

_EPS = np.finfo(float).eps


class CollinearityError(ValueError):
    """The regressors are linearly dependent (the message gives the rank)."""


# --------------------------------------------------------------------------------------------
# the within transformation
# --------------------------------------------------------------------------------------------


def _codes(labels) -> tuple[np.ndarray, int]:
    _, inv = np.unique(np.asarray(labels), return_inverse=True)
    inv = inv.reshape(-1)
    return inv, int(inv.max()) + 1 if inv.size else 0


class Absorber:
    r"""The within transformation for a set of fixed-effects factors, set up once.

    Parameters
    ----------
    *factors : array-like
        One (n,) label array per set of fixed effects (e.g. unit, period). With none, the
        transformation removes the mean (the intercept is absorbed).

    Notes
    -----
    With :math:`D = [D_1, \dots, D_m]` the dummies of all levels of every factor, the
    transformation is the residual maker :math:`M_D a = a - D(D'D)^{+}D'a`. The factor with most
    levels (:math:`D_1`) is swept out by its group means, :math:`M_1 a = a - D_1 \bar a`; the others
    by the Frisch-Waugh-Lovell theorem,

    .. math::

        M_D a = M_1 a - Z (Z'Z)^{+} Z' M_1 a, \qquad Z = M_1 [D_2, \dots, D_m],

    computed with an orthonormal basis of the column space of :math:`Z` (an SVD, rank cut at
    numpy's ``matrix_rank`` tolerance). This is exact, balanced or not; on a balanced two-way panel
    it equals :math:`a - \bar a_{i\cdot} - \bar a_{\cdot t} + \bar a`. :math:`Z` is dense with
    :math:`\sum_{j \ge 2} L_j` columns, meant for a second factor of up to a few thousand levels
    (for many high-dimensional effects use ``pyhdfe``). ``rank`` is the number of parameters the
    effects absorb, :math:`\operatorname{rank}(D)` (:math:`N + T - 1` on a connected two-way panel).
    """

    def __init__(self, *factors):
        self.n = None
        self._parts = []
        for f in factors:
            inv, L = _codes(f)
            if self.n is not None and inv.size != self.n:
                raise ValueError("Absorber: factors of different lengths")
            self.n = inv.size
            self._parts.append((inv, L))
        self._parts.sort(key=lambda p: -p[1])
        self._basis = None
        if not self._parts:
            self.rank = 1
            return
        inv1, L1 = self._parts[0]
        self._inv1, self._L1 = inv1, L1
        self._count1 = np.bincount(inv1, minlength=L1).astype(float)
        rank = L1
        if len(self._parts) > 1:
            Z = np.hstack([(inv[:, None] == np.arange(L)[None, :]) for inv, L in self._parts[1:]])
            Zd = self._sweep(Z.astype(float))
            U, sv, _ = np.linalg.svd(Zd, full_matrices=False)
            tol = sv.max() * max(Zd.shape) * _EPS if sv.size else 0.0
            r = int((sv > tol).sum())
            self._basis = U[:, :r]
            rank += r
        self.rank = rank

    def _sweep(self, a: np.ndarray) -> np.ndarray:
        """Subtract the group means of the first (largest) factor."""
        inv, L = self._inv1, self._L1
        if a.ndim == 1:
            means = np.bincount(inv, weights=a, minlength=L) / self._count1
        else:
            means = np.zeros((L, a.shape[1]))
            np.add.at(means, inv, a)
            means /= self._count1[:, None]
        return a - means[inv]

    def transform(self, a) -> np.ndarray:
        """:math:`M_D a` for an (n,) or (n, p) array."""
        a = np.asarray(a, dtype=float)
        if not self._parts:
            return a - a.mean(axis=0)
        if a.shape[0] != self.n:
            raise ValueError(f"Absorber: {a.shape[0]} rows, the factors have {self.n}")
        out = self._sweep(a)
        if self._basis is not None:
            out = out - self._basis @ (self._basis.T @ out)
        return out


def within(a, *factors) -> np.ndarray:
    """The within transformation of ``a`` for the given factors; see :class:`Absorber`."""
    return Absorber(*factors).transform(a)


# --------------------------------------------------------------------------------------------
# least squares
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OLSFit:
    """Least-squares fit of :func:`ols` (read-only)."""

    params: np.ndarray
    """(k,) coefficients."""
    resid: np.ndarray
    """(n,) residuals."""
    ssr: float
    """Sum of squared residuals."""
    bread: np.ndarray
    """(k, k) :math:`(X'X)^{-1}`."""
    rank: int
    """Rank of X (= its column count; a deficient X raises :class:`CollinearityError`)."""

    @property
    def n(self) -> int:
        """Observations."""
        return int(self.resid.size)


def ols(X, y) -> OLSFit:
    r"""Least squares :math:`\hat\beta = (X'X)^{-1}X'y` from one SVD :math:`X = USV'`.

    :math:`\hat\beta = V S^{-1} U'y` and :math:`(X'X)^{-1} = V S^{-2} V'`. The rank is the number of
    singular values above numpy's ``matrix_rank`` tolerance
    :math:`s_{\max}\max(n, k)\,\epsilon`; below the column count the fit raises
    :class:`CollinearityError` (statsmodels would silently return a pseudo-inverse fit).

    Raises
    ------
    CollinearityError
        ``X`` has rank below its column count.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    U, sv, Vt = np.linalg.svd(X, full_matrices=False)
    rank = int((sv > sv.max() * max(X.shape) * _EPS).sum()) if sv.size else 0
    if rank < X.shape[1]:
        raise CollinearityError(f"rank {rank} < {X.shape[1]} columns")
    params = Vt.T @ ((U.T @ y) / sv)
    bread = (Vt.T / sv**2) @ Vt
    e = y - X @ params
    return OLSFit(params=params, resid=e, ssr=float(e @ e), bread=bread, rank=rank)


# --------------------------------------------------------------------------------------------
# covariances
# --------------------------------------------------------------------------------------------


def sandwich(X, meat, bread=None) -> np.ndarray:
    r"""The sandwich :math:`(X'X)^{-1} S (X'X)^{-1}` (``bread`` = :math:`(X'X)^{-1}` if known)."""
    A = np.linalg.inv(X.T @ X) if bread is None else bread
    return A @ meat @ A


def classical_cov(X, u, k: int | None = None, bread=None) -> np.ndarray:
    r"""Homoskedastic covariance :math:`s^2 (X'X)^{-1}`, :math:`s^2 = u'u/(n-k)`.

    ``k`` (default: the columns of ``X``) counts every estimated parameter, absorbed effects
    included. statsmodels' ``OLS(...).fit()`` (``nonrobust``) gives the same on an explicit design.
    """
    X = np.asarray(X, dtype=float)
    u = np.asarray(u, dtype=float)
    n = X.shape[0]
    k = X.shape[1] if k is None else int(k)
    A = np.linalg.inv(X.T @ X) if bread is None else bread
    return float(u @ u) / (n - k) * A


def hc_cov(X, u, k: int | None = None, kind: str = "hc1", bread=None) -> np.ndarray:
    r"""White's heteroskedasticity-robust covariance, HC0 or HC1.

    .. math::

        V_{HC0} = (X'X)^{-1} X'\operatorname{diag}(u^2) X (X'X)^{-1}, \qquad
        V_{HC1} = \frac{n}{n-k} V_{HC0},

    with ``k`` (default: the columns of ``X``) counting every estimated parameter, absorbed effects
    included, as Stata's ``regress ..., vce(robust)`` does with dummies (MacKinnon and White 1985).
    statsmodels' ``cov_type="HC1"`` is the same on an explicit-dummy design; kept here because on
    a within-transformed design it would count ``k`` without the absorbed effects.
    """
    X = np.asarray(X, dtype=float)
    u = np.asarray(u, dtype=float)
    n = X.shape[0]
    k = X.shape[1] if k is None else int(k)
    s = X * u[:, None]
    V = sandwich(X, s.T @ s, bread)
    if kind == "hc0":
        return V
    if kind == "hc1":
        return V * n / (n - k)
    raise ValueError(f"hc_cov: kind must be 'hc0' or 'hc1', got {kind!r}")


def cluster_cov(X, u, groups, k: int | None = None, bread=None) -> np.ndarray:
    r"""Cluster-robust covariance CR1 (Stata's ``vce(cluster)``).

    .. math::

        V_{CR1} = \frac{G}{G-1}\frac{n-1}{n-k}(X'X)^{-1}
                  \Big(\sum_{g=1}^{G} X_g'u_g u_g'X_g\Big)(X'X)^{-1},

    with :math:`G` clusters and ``k`` (default: the columns of ``X``) counting every estimated
    parameter, absorbed effects included (Cameron and Miller 2015, section VI.C). Since
    :math:`\sum_g X_g'u_g = X'u = 0` for least-squares residuals, the meat (hence :math:`V`) has
    rank at most :math:`G - 1`. statsmodels' ``cov_type="cluster"`` is the same on an
    explicit-dummy design; kept here because statsmodels takes ``k`` from the design's columns.
    """
    X = np.asarray(X, dtype=float)
    u = np.asarray(u, dtype=float)
    n = X.shape[0]
    k = X.shape[1] if k is None else int(k)
    inv, G = _codes(groups)
    if G < 2:
        raise ValueError("cluster_cov: need at least 2 clusters")
    scores = np.zeros((G, X.shape[1]))
    np.add.at(scores, inv, X * u[:, None])
    return sandwich(X, scores.T @ scores, bread) * G / (G - 1) * (n - 1) / (n - k)


# --------------------------------------------------------------------------------------------
# the Wald F
# --------------------------------------------------------------------------------------------


def wald_f(b, V, max_rank: int | None = None) -> tuple[float, int]:
    r"""Wald F of :math:`H_0: \beta = 0` for a set of :math:`q` coefficients.

    .. math::

        F = \frac{\hat b' V^{-1} \hat b}{q},

    with :math:`\hat b` the :math:`q` estimates and :math:`V` their covariance (the block of the
    full covariance). This is the F Stata prints in the header of ``regress`` (all slopes, any
    ``vce()``) and after ``test``; under CR1 it is referred to :math:`F(q, G-1)`.

    The rank :math:`r` of :math:`V` is taken from its correlation form
    :math:`D^{-1/2} V D^{-1/2}` (so the scale of the regressors does not matter) with numpy's
    ``matrix_rank`` tolerance, and bounded by ``max_rank``: pass :math:`G - 1` for a CR1
    covariance, whose rank is at most :math:`G - 1` (see :func:`cluster_cov`), because the noise
    of the sandwich product can otherwise look like rank. When :math:`q > r` the joint test of the
    :math:`q` coefficients is not defined and the F is **missing** (NaN), as Stata prints ``F(q,
    G-1) = .`` after ``regress ..., vce(cluster)`` with more coefficients than clusters; Stata's
    ``test`` would instead drop constraints, which is a different hypothesis. (statsmodels'
    ``wald_test`` inverts with a pseudo-inverse and the noisy rank, giving arbitrary, even
    negative, values in that case.)

    Returns
    -------
    (float, int)
        F (NaN when :math:`q = 0` or :math:`q > r`) and the rank :math:`r`.
    """
    b = np.asarray(b, dtype=float).reshape(-1)
    V = np.asarray(V, dtype=float)
    q = b.size
    if q == 0:
        return float("nan"), 0
    d = np.sqrt(np.diag(V))
    if not np.all(np.isfinite(d)) or np.any(d == 0):
        rank = int(np.linalg.matrix_rank(V, hermitian=True))
    else:
        C = V / np.outer(d, d)
        rank = int(np.linalg.matrix_rank(0.5 * (C + C.T), hermitian=True))
    if max_rank is not None:
        rank = min(rank, int(max_rank))
    if rank < q:
        return float("nan"), rank
    return float(b @ np.linalg.solve(V, b) / q), rank
