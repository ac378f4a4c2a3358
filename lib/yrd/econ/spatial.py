"""Spatial panel models with fixed effects: SAR, SEM and SDM by maximum likelihood.

A thin, tested equivalent of Stata's ``xsmle`` and R's ``splm::spml`` for balanced panels:
the within (individual, time or two-way demeaning) estimator of Elhorst (2003, 2014), with the
Lee and Yu (2010) bias correction as an option, LeSage-Pace impacts, Anselin-type LM tests in
their panel form, and the usual tests of the spatial Durbin model.

Entry points: :func:`fit_panel` (returns a :class:`SpatialPanelResults`), :func:`lm_tests`,
:func:`sdm_tests`. The estimator itself lives in :class:`SpatialPanelModel`.

Two conventions matter when comparing with other software, both chosen by options:

``lag="splm"``
    the spatial lag is computed on the demeaned outcome, :math:`W(Qy)`, as R's ``splm`` does;
``lag="elhorst"`` (default)
    the demeaning is applied to the lag computed on the raw outcome, :math:`Q(Wy)`, as Elhorst's
    MATLAB code and Stata's ``xsmle`` do. The paper this book replicates used ``xsmle``.

With individual effects only, or with a ``W`` whose columns also sum to one, the two coincide.

Internally every panel is an array of shape ``(T, N, ...)`` (period-major, units in sorted
order), so the spatial lag of one period is ``W @ y[t]``.

Which library computes the same numbers, and why the code here is kept: R's ``splm`` and Stata's
``xsmle`` (the tests compare with ``splm`` outputs stored in the repository). In Python,
``spreg.Panel_FE_Lag`` and ``spreg.Panel_FE_Error`` estimate the same likelihood with unit effects
only (the tests check that ``spreg`` agrees on year-demeaned data); they have no time or two-way
effects, no Lee-Yu correction, no spatial Durbin model and no ``xsmle`` lag convention, which the
paper's Table 9 and the book's checks need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, optimize, sparse, stats
from scipy.sparse import linalg as splinalg

__all__ = [
    "SpatialInputError",
    "SpatialEstimationError",
    "SpatialPanelModel",
    "SpatialPanelResults",
    "fit_panel",
    "lm_j_ceiling",
    "lm_tests",
    "sdm_tests",
]

MODELS = ("sar", "sem", "sdm")
EFFECTS = ("twoways", "individual", "time", "none")
LAGS = ("elhorst", "splm")
LOGDETS = ("auto", "eigen", "sparse")
#: Above this many units ``logdet="auto"`` uses sparse LU factorisations instead of eigenvalues.
SPARSE_THRESHOLD = 500


class SpatialInputError(ValueError):
    """Bad input to a spatial panel estimator (data, weights or options)."""


class SpatialEstimationError(ValueError):
    """The estimation cannot give a usable answer (e.g. rho/lambda on its bound)."""


# --------------------------------------------------------------------------------------------
# input checking and reshaping
# --------------------------------------------------------------------------------------------


def _check_choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise SpatialInputError(f"unknown {name} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _show(values, limit: int = 5) -> str:
    values = list(values)
    text = ", ".join(repr(v) for v in values[:limit])
    return text + (f" ... ({len(values)} in all)" if len(values) > limit else "")


def _weights_matrix(w: Any, units: pd.Index) -> np.ndarray:
    """Dense N x N array of ``w`` with rows and columns in the order of ``units``."""
    if hasattr(w, "full") and hasattr(w, "id_order"):  # a libpysal W
        # ids are matched as text so that 1 and "1" (CSV round trips) are the same unit
        ids = [str(i) for i in w.id_order]
        wanted = [str(u) for u in units]
        missing = [u for u, s in zip(units, wanted, strict=True) if s not in set(ids)]
        extra = [i for i in w.id_order if str(i) not in set(wanted)]
        if missing or extra or len(ids) != len(units):
            parts = []
            if missing:
                parts.append(f"units not in W: {_show(missing)}")
            if extra:
                parts.append(f"W ids not in the data: {_show(extra)}")
            if not parts:
                parts.append(f"W has {len(ids)} ids for {len(units)} units")
            raise SpatialInputError(
                "libpysal W ids do not match the panel units; " + "; ".join(parts)
            )
        full, full_ids = w.full()
        position = {str(i): j for j, i in enumerate(full_ids)}
        order = [position[s] for s in wanted]
        arr = np.asarray(full, dtype=float)[np.ix_(order, order)]
    elif sparse.issparse(w):
        arr = np.asarray(w.toarray(), dtype=float)
    else:
        try:
            arr = np.asarray(w, dtype=float)
        except (TypeError, ValueError) as err:
            raise SpatialInputError(
                f"W must be a numeric N x N array or a libpysal W: {err}"
            ) from None
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise SpatialInputError(f"W must be a square N x N matrix, got shape {arr.shape}")
    if arr.shape[0] != len(units):
        raise SpatialInputError(
            f"W is {arr.shape[0]} x {arr.shape[1]} but the panel has {len(units)} units"
        )
    if not np.all(np.isfinite(arr)):
        raise SpatialInputError("W contains NaN or infinite values")
    if np.any(np.diag(arr) != 0):
        bad = units[np.flatnonzero(np.diag(arr) != 0)]
        raise SpatialInputError(
            f"W has a non-zero diagonal (a unit is its own neighbour): {_show(bad)}"
        )
    zero = np.flatnonzero(~np.any(arr != 0, axis=1))
    if zero.size:
        raise SpatialInputError(
            f"W has a zero row for unit(s) {_show(units[zero])} (an island without neighbours); "
            "drop the unit or give it a neighbour"
        )
    return arr


class _Panel:
    """A checked, balanced panel as arrays of shape (T, N) and (T, N, k)."""

    def __init__(self, data, y, x, w, unit, time):
        if not isinstance(data, pd.DataFrame):
            raise SpatialInputError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        x = [x] if isinstance(x, str) else list(x)
        if not x:
            raise SpatialInputError("x must name at least one regressor")
        if len(set(x)) != len(x):
            raise SpatialInputError(f"x lists a column twice: {x}")
        if y in x:
            raise SpatialInputError(f"y column {y!r} is also in x")
        missing = [c for c in [y, *x, unit, time] if c not in data.columns]
        if missing:
            raise SpatialInputError(f"column(s) not in data: {_show(missing)}")
        for c in [y, *x]:
            if not pd.api.types.is_numeric_dtype(data[c]) or pd.api.types.is_bool_dtype(data[c]):
                raise SpatialInputError(f"column {c!r} is not numeric (dtype {data[c].dtype})")
        for c in (unit, time):
            if data[c].isna().any():
                raise SpatialInputError(
                    f"{c!r} (the {'unit' if c == unit else 'time'} id) has missing values"
                )
        values = data[[y, *x]].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            counts = {c: int(n) for c, n in zip([y, *x], bad.sum(axis=0), strict=True) if n}
            raise SpatialInputError(
                "NaN or infinite values in "
                + ", ".join(f"{c!r} ({n} rows)" for c, n in counts.items())
                + "; the estimators need a balanced panel without gaps"
            )
        dup = data.duplicated([unit, time], keep=False)
        if dup.any():
            pairs = list(
                data.loc[dup, [unit, time]].drop_duplicates().itertuples(index=False, name=None)
            )
            raise SpatialInputError(f"duplicate {unit}-{time} rows: {_show(pairs)}")
        units = pd.Index(np.sort(data[unit].unique()))
        periods = pd.Index(np.sort(data[time].unique()))
        n, t = len(units), len(periods)
        if len(data) != n * t:
            per_unit = data.groupby(unit)[time].nunique()
            short = per_unit[per_unit < t]
            raise SpatialInputError(
                f"unbalanced panel: {len(data)} rows for {n} units x {t} periods; "
                f"units with missing periods: {_show(list(short.index))}"
            )
        if t < 2:
            raise SpatialInputError(f"the panel needs at least 2 periods, got {t}")
        ui = units.get_indexer(data[unit])
        ti = periods.get_indexer(data[time])
        self.Y = np.empty((t, n))
        self.Y[ti, ui] = values[:, 0]
        self.X = np.empty((t, n, len(x)))
        self.X[ti, ui, :] = values[:, 1:]
        self.W = _weights_matrix(w, units)
        self.y_name, self.x_names = y, x
        self.unit, self.time = unit, time
        self.units, self.periods = units, periods
        self.n, self.t = n, t

    @property
    def row_standardised(self) -> bool:
        return bool(np.allclose(self.W.sum(axis=1), 1.0, atol=1e-10))


def _within(a: np.ndarray, effects: str) -> np.ndarray:
    """The within transformation Q of an array shaped (T, N, ...).

    A spatial panel is balanced by construction (every period holds all N units that W links), and
    on a balanced panel one pass of two-way demeaning is exact; :func:`yrd.econ.fe.within` is the
    general transformation, exact on unbalanced panels too.
    """
    if effects == "individual":
        return a - a.mean(axis=0, keepdims=True)
    if effects == "time":
        return a - a.mean(axis=1, keepdims=True)
    if effects == "twoways":
        return (
            a
            - a.mean(axis=0, keepdims=True)
            - a.mean(axis=1, keepdims=True)
            + a.mean(axis=(0, 1), keepdims=True)
        )
    return a.copy()


def _lag(W: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Spatial lag of every period of an array shaped (T, N, ...)."""
    return np.einsum("ij,tj...->ti...", W, a)


def _flat(a: np.ndarray) -> np.ndarray:
    """(T, N) -> (NT,), (T, N, k) -> (NT, k), period-major."""
    return a.reshape((a.shape[0] * a.shape[1],) + a.shape[2:])


def _check_rank(X: np.ndarray, names: list[str], effects: str) -> None:
    norms = np.sqrt((X**2).sum(axis=0))
    scale = max(float(norms.max()), 1.0) if norms.size else 1.0
    zero = [nm for nm, v in zip(names, norms, strict=True) if v <= 1e-10 * scale]
    if zero:
        why = {
            "individual": "constant within units, so absorbed by the individual fixed effects",
            "time": "constant within periods, so absorbed by the time fixed effects",
            "twoways": "absorbed by the two-way fixed effects",
            "none": "identically zero",
        }[effects]
        raise SpatialInputError(
            f"regressor(s) {_show(zero)} vanish after the within transformation ({why})"
        )
    s, vt = linalg.svd(X / norms, full_matrices=False)[1:]
    if s[-1] <= 1e-9 * s[0]:
        weights = np.abs(vt[-1])
        involved = [nm for nm, v in zip(names, weights, strict=True) if v > 1e-6]
        raise SpatialInputError(f"singular design: regressors {_show(involved, 10)} are collinear")


# --------------------------------------------------------------------------------------------
# log-determinant ln|I - rho W|
# --------------------------------------------------------------------------------------------


class _LogDet:
    """ln|I - rho W| and the admissible interval of rho.

    ``eigen``: from the eigenvalues of W (exact; O(N^3) once). ``sparse``: one sparse LU
    factorisation of I - rho W per evaluation, ln|det| = sum ln|U_ii| (exact up to rounding;
    the interval comes from the extreme eigenvalues by ARPACK).
    """

    def __init__(self, W: np.ndarray, method: str):
        n = W.shape[0]
        if method == "auto":
            method = "sparse" if n > SPARSE_THRESHOLD else "eigen"
        self.method = method
        self.n = n
        if method == "eigen":
            ev = linalg.eigvals(W)
            self.ev = ev.real if np.max(np.abs(ev.imag)) < 1e-10 else ev
            re = np.real(ev)
            lo_ev, hi_ev = float(re.min()), float(re.max())
        else:
            self.ev = None
            self.S = sparse.csc_matrix(W)
            self.I = sparse.identity(n, format="csc")
            lo_ev, hi_ev = self._extreme_eigenvalues()
        # rho must keep I - rho W non-singular: 1/min(eig) < rho < 1/max(eig), as spdep does
        self.interval = (1.0 / lo_ev, 1.0 / hi_ev)

    def _extreme_eigenvalues(self) -> tuple[float, float]:
        row_std = np.allclose(np.asarray(self.S.sum(axis=1)).ravel(), 1.0)
        try:
            hi = float(
                np.real(splinalg.eigs(self.S, k=1, which="LR", return_eigenvectors=False)[0])
            )
        except (splinalg.ArpackNoConvergence, ValueError):
            hi = 1.0 if row_std else float(abs(self.S).sum(axis=1).max())
        try:
            lo = float(
                np.real(splinalg.eigs(self.S, k=1, which="SR", return_eigenvectors=False)[0])
            )
        except (splinalg.ArpackNoConvergence, ValueError):
            # for a row-standardised W every eigenvalue is >= -1; -1 gives a safe, narrower interval
            lo = -1.0 if row_std else -float(abs(self.S).sum(axis=1).max())
        return lo, hi

    def __call__(self, rho: float) -> float:
        if self.ev is not None:
            return float(np.sum(np.log(np.abs(1.0 - rho * self.ev))))
        lu = splinalg.splu(self.I - rho * self.S)
        return float(np.sum(np.log(np.abs(lu.U.diagonal()))))


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------


class SpatialPanelModel:
    r"""Fixed-effects spatial panel model (SAR, SEM or SDM) estimated by maximum likelihood.

    The model does the mathematics; :meth:`fit` returns an immutable
    :class:`SpatialPanelResults`. Most users call :func:`fit_panel`.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period; must be balanced.
    y : str
        Outcome column.
    x : list of str
        Regressor columns (no constant; with ``effects="none"`` a constant ``const`` is added).
    w : numpy.ndarray or libpysal.weights.W
        N x N spatial weights, rows and columns in the order of the sorted unit ids (a libpysal
        W is reordered by its ids). Usually row-standardised; it is used as given.
    unit, time : str
        Unit and period id columns.
    model : {"sar", "sem", "sdm"}
        Spatial lag, spatial error, or spatial Durbin (lag plus lagged regressors ``W_<name>``).
    effects : {"twoways", "individual", "time", "none"}
        Fixed effects removed by the within transformation.
    lag : {"elhorst", "splm"}
        ``"elhorst"``: lag terms are :math:`Q(Wy)`, the lag of the raw data demeaned (Elhorst's
        code, Stata ``xsmle``); ``"splm"``: :math:`W(Qy)`, the lag of the demeaned data (R
        ``splm``). Identical unless there are time effects and the columns of W do not sum to one.
    lee_yu : bool
        Lee and Yu (2010) bias correction: the likelihood is that of the data transformed by
        orthonormal deviations, with :math:`T-1` effective periods for individual effects and
        :math:`N-1` effective units (and :math:`\ln|I-\rho W| - \ln(1-\rho)`) for time effects.
        With individual effects only this rescales :math:`\sigma^2` by :math:`T/(T-1)` and leaves
        the coefficients unchanged (as ``splm`` and ``xsmle``). Time effects need a
        row-standardised W and ``lag="elhorst"``, which is what the transformation implies.
    logdet : {"auto", "eigen", "sparse"}
        How :math:`\ln|I-\rho W|` is computed: from the eigenvalues of W (exact, O(N^3) once), or
        by a sparse LU factorisation of :math:`I-\rho W` at every trial value (exact up to
        rounding, for large sparse W). ``"auto"`` uses ``"sparse"`` above
        ``SPARSE_THRESHOLD`` (500) units. The information matrix and the impacts still need one
        dense N x N inverse / eigendecomposition, fine up to a few thousand units.

    Notes
    -----
    Let :math:`Q` be the within transformation, :math:`\tilde y = Qy`, :math:`\tilde X = QX`,
    and :math:`\widetilde{Wy}` the transformed lag (see ``lag``), stacked over :math:`T`
    periods of :math:`N` units. The SAR (spatial lag) log-likelihood is

    .. math::

        \ln L = -\frac{NT}{2}\ln(2\pi\sigma^2) + T\ln|I_N-\rho W|
                - \frac{1}{2\sigma^2} e'e, \qquad
        e = \tilde y - \rho\,\widetilde{Wy} - \tilde X\beta,

    and the SEM (spatial error) log-likelihood is the same with
    :math:`e = (\tilde y - \lambda\widetilde{Wy}) - (\tilde X - \lambda\widetilde{WX})\beta`
    and :math:`\lambda` in place of :math:`\rho`. The SDM is the SAR with regressors
    :math:`[\tilde X, \widetilde{WX}]` and coefficients :math:`(\beta, \theta)`.
    :math:`\beta` and :math:`\sigma^2 = e'e/NT` are concentrated out and the concentrated
    log-likelihood :math:`-\tfrac{NT}{2}\ln e'e + T\ln|I-\rho W|` is maximised over the
    admissible interval :math:`(1/\omega_{min}, 1/\omega_{max})` of the eigenvalues
    :math:`\omega` of W (bounded Brent). Standard errors are from the inverse of the full
    information matrix of :math:`(\sigma^2, \rho, \beta)` (Elhorst 2014, ch. 3; as ``splm``),
    with :math:`G = W(I-\rho W)^{-1}`:

    .. math::

        I = \begin{pmatrix}
        \frac{NT}{2\sigma^4} & \frac{T\,\mathrm{tr}G}{\sigma^2} & 0 \\
        \cdot & T\,\mathrm{tr}(GG + G'G) + \frac{(G\tilde X\beta)'(G\tilde X\beta)}{\sigma^2}
              & \frac{(G\tilde X\beta)'\tilde X}{\sigma^2} \\
        \cdot & \cdot & \frac{\tilde X'\tilde X}{\sigma^2}
        \end{pmatrix}

    (for the SEM the :math:`\lambda`-:math:`\beta` block is zero, the :math:`\beta` block uses
    :math:`\tilde X - \lambda\widetilde{WX}` and the :math:`\lambda` block has no
    :math:`G\tilde X\beta` term). With ``lee_yu=True``, :math:`T \to T-1` (individual effects)
    and :math:`N \to N-1` with :math:`\ln|I-\rho W| \to \ln|I-\rho W| - \ln(1-\rho)` and
    :math:`G \to J_N G J_N` (time effects) throughout.

    The reported ``loglik`` is the full Gaussian log-likelihood with all constants (``splm``
    leaves the constants out of its SEM ``logLik``).

    References
    ----------
    .. [1] Elhorst, J. P. (2003). Specification and estimation of spatial panel data models.
       International Regional Science Review, 26(3), 244-268.
    .. [2] Elhorst, J. P. (2014). Spatial Econometrics: From Cross-Sectional Data to Spatial
       Panels. Springer.
    .. [3] Lee, L.-F., & Yu, J. (2010). Estimation of spatial autoregressive panel data models
       with fixed effects. Journal of Econometrics, 154(2), 165-185.
    .. [4] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press.
    .. [5] Millo, G., & Piras, G. (2012). splm: Spatial panel data models in R. Journal of
       Statistical Software, 47(1), 1-38.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        y: str,
        x: Sequence[str],
        w: Any,
        unit: str,
        time: str,
        model: str = "sar",
        effects: str = "twoways",
        *,
        lag: str = "elhorst",
        lee_yu: bool = False,
        logdet: str = "auto",
    ):
        self.model = _check_choice("model", model, MODELS)
        self.effects = _check_choice("effects", effects, EFFECTS)
        self.lag = _check_choice("lag convention", lag, LAGS)
        self.logdet_method = _check_choice("logdet method", logdet, LOGDETS)
        self.lee_yu = bool(lee_yu)
        self.panel = p = _Panel(data, y, x, w, unit, time)
        if self.lee_yu:
            if self.effects == "none":
                raise SpatialInputError("lee_yu=True needs fixed effects (effects is 'none')")
            if self.effects in ("time", "twoways"):
                if not p.row_standardised:
                    raise SpatialInputError(
                        "lee_yu=True with time effects needs a row-standardised W"
                    )
                if self.lag != "elhorst":
                    raise SpatialInputError(
                        "lee_yu=True with time effects implies the lag convention lag='elhorst'"
                    )
        # effective dimensions of the likelihood (Lee-Yu: orthonormal deviations drop one)
        self.t_eff = p.t - 1 if self.lee_yu and self.effects in ("individual", "twoways") else p.t
        self.n_eff = p.n - 1 if self.lee_yu and self.effects in ("time", "twoways") else p.n

        W = p.W
        X = p.X
        names = list(p.x_names)
        if self.effects == "none":
            X = np.concatenate([np.ones(X.shape[:2] + (1,)), X], axis=2)
            names = ["const", *names]
        self.x_names = names
        self.y = _within(p.Y, self.effects)
        Xt = _within(X, self.effects)
        self.wy = self._wlag(p.Y, self.y)
        if self.model == "sdm":
            raw = p.X  # the constant is not lagged: W 1 = 1 duplicates it for row-standardised W
            wx = self._wlag(raw, _within(raw, self.effects))
            Xt = np.concatenate([Xt, wx], axis=2)
            names = names + [f"W_{nm}" for nm in p.x_names]
        self.design_names = names
        self.X = Xt
        if self.model == "sem":
            self.wX = self._wlag(X, Xt)
        _check_rank(_flat(self.X), self.design_names, self.effects)
        self._logdet = _LogDet(W, self.logdet_method)
        self._eig = None

    def _wlag(self, raw: np.ndarray, demeaned: np.ndarray) -> np.ndarray:
        if self.lag == "splm":
            return _lag(self.panel.W, demeaned)
        return _within(_lag(self.panel.W, raw), self.effects)

    # ---- likelihood pieces -----------------------------------------------------------------

    @property
    def spatial_name(self) -> str:
        """``"lambda"`` for the SEM, ``"rho"`` otherwise."""
        return "lambda" if self.model == "sem" else "rho"

    def logdet(self, rho: float) -> float:
        """Jacobian term ln|I - rho W| (minus ln(1 - rho) under Lee-Yu with time effects)."""
        value = self._logdet(rho)
        if self.n_eff < self.panel.n:
            value -= math.log(1.0 - rho)
        return value

    @property
    def nobs_eff(self) -> int:
        """Observations that count in the likelihood (N T, fewer under Lee-Yu)."""
        return self.n_eff * self.t_eff

    def _sem_sse(self, lam: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        yc = _flat(self.y - lam * self.wy)
        Xc = _flat(self.X - lam * self.wX)
        beta = linalg.lstsq(Xc, yc)[0]
        e = yc - Xc @ beta
        return float(e @ e), beta, e, Xc

    def concentrated_loglik(self, rho: float) -> float:
        """Log-likelihood with beta and sigma^2 concentrated out, without constants."""
        if self.model == "sem":
            sse = self._sem_sse(rho)[0]
        else:
            sse = self._e00 - 2.0 * rho * self._e01 + rho * rho * self._e11
        return -0.5 * self.nobs_eff * math.log(sse) + self.t_eff * self.logdet(rho)

    def _dense_g(self, rho: float) -> np.ndarray:
        n = self.panel.n
        W = self.panel.W
        G = W @ linalg.solve(np.eye(n) - rho * W, np.eye(n))
        if self.n_eff < n:
            J = np.eye(n) - 1.0 / n
            G = J @ G @ J
        return G

    # ---- estimation ------------------------------------------------------------------------

    def fit(self, *, xtol: float = 1e-10) -> SpatialPanelResults:
        """Maximise the likelihood and return the results (see the class Notes)."""
        p = self.panel
        Xf = _flat(self.X)
        yf = _flat(self.y)
        if self.model != "sem":
            wyf = _flat(self.wy)
            b0 = linalg.lstsq(Xf, yf)[0]
            b1 = linalg.lstsq(Xf, wyf)[0]
            e0, e1 = yf - Xf @ b0, wyf - Xf @ b1
            self._e00, self._e01, self._e11 = float(e0 @ e0), float(e0 @ e1), float(e1 @ e1)
        lo, hi = self._logdet.interval
        width = hi - lo
        margin = 1e-7 * width
        res = optimize.minimize_scalar(
            lambda r: -self.concentrated_loglik(r),
            bounds=(lo + margin, hi - margin),
            method="bounded",
            options={"xatol": xtol * max(1.0, width)},
        )
        rho = float(res.x)
        if min(rho - lo, hi - rho) < 1e-5 * width:
            bound = lo if rho - lo < hi - rho else hi
            raise SpatialEstimationError(
                f"{self.spatial_name} = {rho:.6g} is at the bound {bound:.6g} of its admissible "
                f"interval ({lo:.6g}, {hi:.6g}): the optimiser hit the boundary, so the estimate "
                "and its standard error are not usable (check W and the specification)"
            )
        n_obs, t_eff = self.nobs_eff, self.t_eff
        G = self._dense_g(rho)
        tr_g = float(np.trace(G))
        tr_gg = float(np.sum(G * G.T))
        tr_gtg = float(np.sum(G * G))
        k = Xf.shape[1]
        if self.model == "sem":
            sse, beta, e, Xc = self._sem_sse(rho)
            s2 = sse / n_obs
            info = np.zeros((k + 2, k + 2))
            info[0, 0] = n_obs / (2 * s2 * s2)
            info[0, 1] = info[1, 0] = t_eff * tr_g / s2
            info[1, 1] = t_eff * (tr_gg + tr_gtg)
            info[2:, 2:] = Xc.T @ Xc / s2
        else:
            beta = linalg.lstsq(Xf, yf - rho * wyf)[0]
            e = yf - rho * wyf - Xf @ beta
            sse = float(e @ e)
            s2 = sse / n_obs
            gxb = _flat(_lag(G, (self.X @ beta)))
            info = np.zeros((k + 2, k + 2))
            info[0, 0] = n_obs / (2 * s2 * s2)
            info[0, 1] = info[1, 0] = t_eff * tr_g / s2
            info[1, 1] = t_eff * (tr_gg + tr_gtg) + gxb @ gxb / s2
            info[1, 2:] = info[2:, 1] = Xf.T @ gxb / s2
            info[2:, 2:] = Xf.T @ Xf / s2
        loglik = -0.5 * n_obs * (math.log(2 * math.pi * s2) + 1.0) + t_eff * self.logdet(rho)
        cov_full = linalg.inv(info)
        # reorder (sigma2, rho, beta) -> (beta, rho)
        order = list(range(2, k + 2)) + [1]
        names = [*self.design_names, self.spatial_name]
        vcov = pd.DataFrame(cov_full[np.ix_(order, order)], index=names, columns=names)
        params = pd.Series(np.append(beta, rho), index=names, name="params")
        index = pd.MultiIndex.from_product([p.periods, p.units], names=[p.time, p.unit])
        resid = pd.Series(e, index=index, name="resid").swaplevel().sort_index()
        return SpatialPanelResults(
            model=self,
            params=params,
            vcov=vcov,
            sigma2=s2,
            sigma2_se=math.sqrt(cov_full[0, 0]),
            loglik=loglik,
            resid=resid,
            interval=(lo, hi),
        )

    # ---- impacts helpers -------------------------------------------------------------------

    def _eigen(self):
        """Eigenvalues of W and the weights giving 1'(I - rho W)^-1 1 / N."""
        if self._eig is None:
            W = self.panel.W
            ev, V = linalg.eig(W)
            ones = np.ones(W.shape[0])
            c = (ones @ V) * linalg.solve(V, ones)
            self._eig = (ev, c)
        return self._eig

    def multipliers(self, rho, derivative: bool = False) -> dict[str, np.ndarray]:
        r"""Impact multipliers at ``rho`` (scalar or array of draws).

        ``direct_b`` = tr((I - rho W)^-1)/N, ``direct_t`` = tr((I - rho W)^-1 W)/N,
        ``total_b`` = 1'(I - rho W)^-1 1/N, ``total_t`` = 1'(I - rho W)^-1 W 1/N
        (both 1/(1 - rho) for a row-standardised W); ``derivative=True`` gives d/d rho.
        """
        ev, c = self._eigen()
        r = np.atleast_1d(np.asarray(rho, dtype=float))[:, None]
        n = ev.size
        power = 2 if derivative else 1
        inv = 1.0 / (1.0 - r * ev) ** power
        lead = ev if derivative else 1.0
        out = {
            "direct_b": np.real(np.sum(lead * inv, axis=1)) / n,
            "direct_t": np.real(np.sum(ev * lead * inv, axis=1)) / n,
        }
        if self.panel.row_standardised:
            total = 1.0 / (1.0 - r[:, 0]) ** power
            out["total_b"] = total
            out["total_t"] = total
        else:
            out["total_b"] = np.real(np.sum(c * lead * inv, axis=1)) / n
            out["total_t"] = np.real(np.sum(c * ev * lead * inv, axis=1)) / n
        return out


# --------------------------------------------------------------------------------------------
# the results
# --------------------------------------------------------------------------------------------


class SpatialPanelResults:
    """Read-only results of :class:`SpatialPanelModel.fit` (see :func:`fit_panel`)."""

    __slots__ = (
        "_model",
        "_params",
        "_vcov",
        "_sigma2",
        "_sigma2_se",
        "_loglik",
        "_resid",
        "_interval",
    )

    def __init__(self, *, model, params, vcov, sigma2, sigma2_se, loglik, resid, interval):
        for name, value in (
            ("_model", model),
            ("_params", params),
            ("_vcov", vcov),
            ("_sigma2", float(sigma2)),
            ("_sigma2_se", float(sigma2_se)),
            ("_loglik", float(loglik)),
            ("_resid", resid),
            ("_interval", interval),
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        m = self._model
        return (
            f"<SpatialPanelResults {m.model.upper()} effects={m.effects} lag={m.lag} "
            f"lee_yu={m.lee_yu} N={m.panel.n} T={m.panel.t} loglik={self._loglik:.4f}>"
        )

    # ---- the numbers -----------------------------------------------------------------------

    @property
    def model(self) -> SpatialPanelModel:
        """The estimated model (data, options and likelihood)."""
        return self._model

    @property
    def params(self) -> pd.Series:
        """Coefficients: regressors (then ``W_<x>`` for the SDM), then ``rho`` or ``lambda``."""
        return self._params.copy()

    @property
    def vcov(self) -> pd.DataFrame:
        """Covariance of ``params`` from the inverse full information matrix."""
        return self._vcov.copy()

    @property
    def bse(self) -> pd.Series:
        """Standard errors of ``params``."""
        return pd.Series(np.sqrt(np.diag(self._vcov)), index=self._params.index, name="bse")

    @property
    def tvalues(self) -> pd.Series:
        """z statistics, params / bse."""
        return (self._params / self.bse).rename("tvalues")

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided p-values of ``tvalues`` from the standard normal."""
        return pd.Series(
            2 * stats.norm.sf(np.abs(self.tvalues)), index=self._params.index, name="pvalues"
        )

    @property
    def sigma2(self) -> float:
        """Error variance e'e / NT (e'e / (N(T-1)) etc. with the Lee-Yu correction)."""
        return self._sigma2

    @property
    def sigma2_se(self) -> float:
        """Standard error of ``sigma2`` from the information matrix."""
        return self._sigma2_se

    @property
    def loglik(self) -> float:
        """Maximised log-likelihood, all constants included."""
        return self._loglik

    @property
    def nobs(self) -> int:
        """Number of observations N T."""
        return self._model.panel.n * self._model.panel.t

    @property
    def n_units(self) -> int:
        """Number of units N."""
        return self._model.panel.n

    @property
    def n_periods(self) -> int:
        """Number of periods T."""
        return self._model.panel.t

    @property
    def resid(self) -> pd.Series:
        """Residuals of the transformed model, indexed by (unit, time)."""
        return self._resid.copy()

    @property
    def df_model(self) -> int:
        """Estimated parameters counted in information criteria (params plus sigma2)."""
        return len(self._params) + 1

    @property
    def aic(self) -> float:
        """Akaike information criterion -2 loglik + 2 df_model."""
        return -2 * self._loglik + 2 * self.df_model

    @property
    def interval(self) -> tuple[float, float]:
        """Admissible interval of rho/lambda searched by the optimiser."""
        return self._interval

    def summary_frame(self) -> pd.DataFrame:
        """Coefficient table: coef, std err, z, p-value."""
        return pd.DataFrame(
            {"coef": self.params, "std_err": self.bse, "z": self.tvalues, "pvalue": self.pvalues}
        )

    # ---- impacts ---------------------------------------------------------------------------

    def _impact_parts(self):
        m = self._model
        names = list(m.panel.x_names)
        p = self._params
        beta = p[names].to_numpy()
        theta = (
            p[[f"W_{nm}" for nm in names]].to_numpy() if m.model == "sdm" else np.zeros(len(names))
        )
        cols = [*names, *([f"W_{nm}" for nm in names] if m.model == "sdm" else []), "rho"]
        return names, beta, theta, cols

    def impacts(
        self,
        method: str = "simulation",
        draws: int = 1000,
        seed: int | None = None,
        covariance: str = "full",
    ) -> pd.DataFrame:
        r"""Direct, indirect and total impacts of each regressor (LeSage and Pace 2009).

        Parameters
        ----------
        method : {"simulation", "delta"}
            Inference: ``"simulation"`` draws the parameters from
            :math:`N(\hat\theta, \hat V)` (full covariance, including the rho-beta terms) and
            takes the standard deviation of the impacts over the draws; ``"delta"`` uses the
            delta method with analytic derivatives.
        draws : int
            Number of simulation draws.
        seed : int, optional
            Seed of ``numpy.random.default_rng``; a given seed gives identical results.
        covariance : {"full", "splm"}
            ``"full"``: the inverse information matrix; ``"splm"``: the same with the rho-beta
            covariances set to zero, as ``splm``'s ``vcov`` (to reproduce its impacts' SEs).

        Returns
        -------
        pandas.DataFrame
            Indexed by regressor, columns ``direct``, ``indirect``, ``total``, their standard
            errors ``se_*`` and t statistics ``t_*``.

        Notes
        -----
        With :math:`S(W) = (I_N-\rho W)^{-1}(I_N\beta_k + W\theta_k)` (:math:`\theta = 0` for the
        SAR), the point impacts are closed form:

        .. math::

            \text{direct}_k = \tfrac1N\mathrm{tr}\,S(W), \quad
            \text{total}_k = \tfrac1N \iota'S(W)\iota = \frac{\beta_k+\theta_k}{1-\rho}
            \text{ (row-standardised } W), \quad
            \text{indirect}_k = \text{total}_k - \text{direct}_k,

        with the traces from the eigenvalues of W. ``splm``'s ``impacts`` gives the same point
        values; its simulated standard errors differ slightly because its covariance matrix sets
        the rho-beta covariances to zero.

        References
        ----------
        .. [1] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press.
        """
        m = self._model
        if m.model == "sem":
            raise SpatialInputError(
                "impacts are defined for the SAR and SDM models; in the SEM the marginal effects "
                "are the coefficients themselves"
            )
        _check_choice("impacts method", method, ("simulation", "delta"))
        names, beta, theta, cols = self._impact_parts()
        rho = float(self._params["rho"])
        mult = m.multipliers(rho)
        direct = beta * mult["direct_b"][0] + theta * mult["direct_t"][0]
        total = beta * mult["total_b"][0] + theta * mult["total_t"][0]
        indirect = total - direct
        _check_choice("impacts covariance", covariance, ("full", "splm"))
        V = self._vcov.loc[cols, cols].to_numpy(copy=True)
        if covariance == "splm":
            V[-1, :-1] = V[:-1, -1] = 0.0
        k = len(names)
        if method == "simulation":
            if int(draws) < 2:
                raise SpatialInputError(f"draws must be at least 2, got {draws}")
            rng = np.random.default_rng(seed)
            centre = self._params[cols].to_numpy()
            sim = rng.multivariate_normal(centre, V, size=int(draws), method="eigh")
            b = sim[:, :k]
            t = sim[:, k : 2 * k] if m.model == "sdm" else np.zeros_like(b)
            md = m.multipliers(sim[:, -1])
            d = b * md["direct_b"][:, None] + t * md["direct_t"][:, None]
            tot = b * md["total_b"][:, None] + t * md["total_t"][:, None]
            se = {
                "direct": d.std(axis=0, ddof=1),
                "indirect": (tot - d).std(axis=0, ddof=1),
                "total": tot.std(axis=0, ddof=1),
            }
        else:
            dm = m.multipliers(rho, derivative=True)
            se = {}
            for label, (mb, mt, db, dt) in {
                "direct": (
                    mult["direct_b"][0],
                    mult["direct_t"][0],
                    dm["direct_b"][0],
                    dm["direct_t"][0],
                ),
                "total": (
                    mult["total_b"][0],
                    mult["total_t"][0],
                    dm["total_b"][0],
                    dm["total_t"][0],
                ),
            }.items():
                se[label] = self._delta_se(beta, theta, mb, mt, db, dt, V)
            # indirect = total - direct: difference of the gradients
            grads = []
            for j in range(k):
                gt = self._impact_grad(
                    j,
                    beta,
                    theta,
                    mult["total_b"][0],
                    mult["total_t"][0],
                    dm["total_b"][0],
                    dm["total_t"][0],
                )
                gd = self._impact_grad(
                    j,
                    beta,
                    theta,
                    mult["direct_b"][0],
                    mult["direct_t"][0],
                    dm["direct_b"][0],
                    dm["direct_t"][0],
                )
                grads.append(gt - gd)
            se["indirect"] = np.array([math.sqrt(g @ V @ g) for g in grads])
        out = pd.DataFrame(
            {"direct": direct, "indirect": indirect, "total": total},
            index=pd.Index(names, name="variable"),
        )
        for label in ("direct", "indirect", "total"):
            out[f"se_{label}"] = se[label]
        for label in ("direct", "indirect", "total"):
            out[f"t_{label}"] = out[label] / out[f"se_{label}"]
        return out

    def _impact_grad(self, j, beta, theta, mb, mt, db, dt) -> np.ndarray:
        k = len(beta)
        sdm = self._model.model == "sdm"
        g = np.zeros(2 * k + 1 if sdm else k + 1)
        g[j] = mb
        if sdm:
            g[k + j] = mt
        g[-1] = beta[j] * db + theta[j] * dt
        return g

    def _delta_se(self, beta, theta, mb, mt, db, dt, V) -> np.ndarray:
        return np.array(
            [
                math.sqrt(g @ V @ g)
                for g in (
                    self._impact_grad(j, beta, theta, mb, mt, db, dt) for j in range(len(beta))
                )
            ]
        )

    # ---- SDM Wald tests --------------------------------------------------------------------

    def wald_theta(self) -> pd.Series:
        """SDM: Wald test of theta = 0 (the SDM reduces to the SAR); chi2(k)."""
        names, beta, theta, cols = self._sdm_only()
        tcols = [f"W_{nm}" for nm in names]
        V = self._vcov.loc[tcols, tcols].to_numpy()
        stat = float(theta @ linalg.solve(V, theta))
        return _test_row(stat, len(names))

    def wald_common_factor(self) -> pd.Series:
        r"""SDM: nonlinear Wald test of :math:`\theta + \rho\beta = 0` (the SDM reduces to the
        SEM), delta method; chi2(k)."""
        names, beta, theta, cols = self._sdm_only()
        k = len(names)
        rho = float(self._params["rho"])
        g = theta + rho * beta
        jac = np.hstack([rho * np.eye(k), np.eye(k), beta[:, None]])
        V = self._vcov.loc[cols, cols].to_numpy()
        stat = float(g @ linalg.solve(jac @ V @ jac.T, g))
        return _test_row(stat, k)

    def _sdm_only(self):
        if self._model.model != "sdm":
            raise SpatialInputError(f"this test needs model='sdm', not {self._model.model!r}")
        return self._impact_parts()


def _test_row(stat: float, df: int) -> pd.Series:
    return pd.Series({"statistic": stat, "df": df, "pvalue": float(stats.chi2.sf(stat, df))})


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------


def fit_panel(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: Any,
    unit: str,
    time: str,
    model: str = "sar",
    effects: str = "twoways",
    **options: Any,
) -> SpatialPanelResults:
    r"""Fit a fixed-effects spatial panel model (SAR, SEM or SDM) by maximum likelihood.

    Parameters
    ----------
    data : pandas.DataFrame
        Long, balanced panel.
    y : str
        Outcome column.
    x : list of str
        Regressor columns.
    w : numpy.ndarray or libpysal.weights.W
        N x N weights, rows in the order of the sorted unit ids (libpysal W: matched by id).
    unit, time : str
        Unit and period id columns.
    model : {"sar", "sem", "sdm"}
        Spatial lag, spatial error or spatial Durbin model.
    effects : {"twoways", "individual", "time", "none"}
        Fixed effects swept out by the within transformation.
    **options
        ``lag`` ("elhorst" default, or "splm"), ``lee_yu`` (bool), ``logdet`` ("auto",
        "eigen", "sparse"), ``xtol`` (optimiser tolerance); see :class:`SpatialPanelModel`.

    Returns
    -------
    SpatialPanelResults
        ``params``, ``bse``, ``tvalues``, ``pvalues``, ``sigma2``, ``loglik`` (constants
        included), ``nobs``, ``n_units``, ``n_periods``, ``resid`` and ``impacts()``.

    Raises
    ------
    SpatialInputError
        Bad data, weights or options (a ``ValueError``), with the problem named.
    SpatialEstimationError
        The spatial parameter ends on the bound of its admissible interval.

    Notes
    -----
    Maximum likelihood on the within-transformed data (Elhorst 2003, 2014), with the
    concentrated log-likelihood

    .. math::

        \ln L_c(\rho) = -\frac{NT}{2}\ln e(\rho)'e(\rho) + T\ln|I_N-\rho W|

    maximised over the admissible interval of :math:`\rho`, then standard errors from the full
    information matrix. See :class:`SpatialPanelModel` for the full likelihoods.

    References
    ----------
    .. [1] Elhorst, J. P. (2003). Specification and estimation of spatial panel data models.
       International Regional Science Review, 26(3), 244-268.
    .. [2] Elhorst, J. P. (2014). Spatial Econometrics. Springer.
    .. [3] Lee, L.-F., & Yu, J. (2010). Journal of Econometrics, 154(2), 165-185.
    .. [4] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press.
    .. [5] Millo, G., & Piras, G. (2012). splm. Journal of Statistical Software, 47(1).

    Examples
    --------
    >>> res = fit_panel(df, "lgsp", ["lpcap", "lpc"], W, "state", "year", model="sar",
    ...                 effects="individual")  # doctest: +SKIP
    >>> res.impacts(method="delta")  # doctest: +SKIP
    """
    xtol = options.pop("xtol", 1e-10)
    known = {"lag", "lee_yu", "logdet"}
    unknown = set(options) - known
    if unknown:
        raise SpatialInputError(
            f"unknown option(s) {_show(sorted(unknown))}; known: {', '.join(sorted(known | {'xtol'}))}"
        )
    return SpatialPanelModel(data, y, x, w, unit, time, model, effects, **options).fit(xtol=xtol)


def lm_j_ceiling(W: np.ndarray, r2: float, n_periods: int) -> float:
    r"""An upper bound on :math:`j = J/(T T_W)` for every panel whose pooled regression has R-squared
    ``r2``, under a row-standardised ``W`` (:math:`W\mathbf 1 = \mathbf 1`), with ``n_periods``
    periods: :math:`J` is the denominator of :func:`lm_tests`' LM lag statistic and
    :math:`T_W = \mathrm{tr}(W'W + W^2)`.

    Proof. :math:`J - T T_W = (\mathbf W\hat y)'M(\mathbf W\hat y)/\hat\sigma^2`, and :math:`M`
    removes the constant and :math:`\hat y` itself. With :math:`u = \hat y - \bar y` (centred)
    and :math:`\mathbf W\mathbf 1 = \mathbf 1`,
    :math:`(\mathbf W\hat y)'M(\mathbf W\hat y) \le \min_\alpha \|P\mathbf W u - \alpha u\|^2
    = \|P\mathbf W u\|^2 - (u'\mathbf W u)^2/\|u\|^2 \le \kappa\|u\|^2` with :math:`P` the
    centring and :math:`\kappa = \max_{v \perp 1, \|v\| = 1} \|P\mathbf W v\|^2 - (v'\mathbf W v)^2`.
    For every :math:`\lambda`, :math:`-\mu^2 \le -\lambda\mu + \lambda^2/4`, so
    :math:`\kappa \le \lambda_{max}(Q'(\mathbf W'P\mathbf W - \lambda\,\mathrm{sym}\,\mathbf W)Q)
    + \lambda^2/4` (:math:`Q` a basis of the centred vectors; minimised over :math:`\lambda`).
    Finally :math:`\|u\|^2 = e'e\,R^2/(1 - R^2) = n\hat\sigma^2 R^2/(1 - R^2)`, so

    .. math::

        j \le 1 + \kappa\, \frac{n R^2}{(1 - R^2)\, T T_W}.

    It depends on ``W`` and the R-squared alone: no choice of data goes above it. (Rows are taken
    unit-major, :math:`W \otimes I_T`; the bound is a maximum over all vectors, so the order does
    not matter.)
    """
    from scipy.linalg import null_space
    from scipy.optimize import minimize_scalar

    m = W.shape[0]
    n = m * n_periods
    B = np.kron(W, np.eye(n_periods))  # (I_T kron W) on city-major rows
    Q = null_space(np.ones((1, n)))
    PB = B - B.mean(axis=0)
    A = Q.T @ (PB.T @ PB) @ Q
    S = Q.T @ ((B + B.T) / 2) @ Q

    def bound(lam):
        return float(np.linalg.eigvalsh(A - lam * S)[-1] + lam**2 / 4)

    kappa = minimize_scalar(bound, bounds=(-4.0, 4.0), method="bounded").fun
    tw = n_periods * float(np.trace(W @ W + W.T @ W))
    return 1.0 + kappa * n * r2 / ((1.0 - r2) * tw)


def lm_tests(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: Any,
    unit: str,
    time: str,
    effects: str = "none",
) -> pd.DataFrame:
    r"""LM tests for a spatial lag and a spatial error, plain and robust, on (within) OLS.

    Parameters
    ----------
    data, y, x, w, unit, time
        As in :func:`fit_panel`.
    effects : {"none", "individual", "time", "twoways"}
        ``"none"``: pooled OLS with a constant; otherwise OLS on the within-transformed data.

    Returns
    -------
    pandas.DataFrame
        Rows ``lm_lag``, ``lm_error``, ``robust_lm_lag``, ``robust_lm_error``; columns
        ``statistic``, ``df`` (1) and ``pvalue`` (chi-squared).

    Notes
    -----
    Anselin's tests in Elhorst's (2014) panel form, as ``splm::slmtest``. With OLS residuals
    :math:`e`, fitted values :math:`\hat y = X\hat\beta`,
    :math:`\mathbf W = I_T \otimes W`, :math:`\hat\sigma^2 = e'e/NT`,
    :math:`T_W = \mathrm{tr}(WW + W'W)`, :math:`M = I - X(X'X)^{-1}X'` and
    :math:`J = (\mathbf W\hat y)'M(\mathbf W\hat y)/\hat\sigma^2 + T\,T_W`:

    .. math::

        LM_\rho = \frac{(e'\mathbf Wy/\hat\sigma^2)^2}{J}, \quad
        LM_\lambda = \frac{(e'\mathbf We/\hat\sigma^2)^2}{T\,T_W},

        LM^*_\rho = \frac{(e'\mathbf Wy/\hat\sigma^2 - e'\mathbf We/\hat\sigma^2)^2}{J - T\,T_W},
        \quad
        LM^*_\lambda = \frac{(e'\mathbf We/\hat\sigma^2 - T\,T_W/J\; e'\mathbf Wy/\hat\sigma^2)^2}
        {T\,T_W(1 - T\,T_W/J)}.

    ``spreg``'s ``panel_LMlag`` is not used: it has ``trw*trw*sig2`` where ``T*trw*sig2`` is
    meant, and spreg's panel tests use :math:`e'e/(NT-k)`.

    References
    ----------
    .. [1] Anselin, L., Bera, A. K., Florax, R., & Yoon, M. J. (1996). Simple diagnostic tests
       for spatial dependence. Regional Science and Urban Economics, 26(1), 77-104.
    .. [2] Elhorst, J. P. (2014). Spatial Econometrics. Springer.
    .. [3] Millo, G., & Piras, G. (2012). splm. Journal of Statistical Software, 47(1).
    """
    _check_choice("effects", effects, EFFECTS)
    p = _Panel(data, y, x, w, unit, time)
    X = p.X
    names = list(p.x_names)
    if effects == "none":
        X = np.concatenate([np.ones(X.shape[:2] + (1,)), X], axis=2)
        names = ["const", *names]
    Xt = _within(X, effects)
    yt = _within(p.Y, effects)
    Xf, yf = _flat(Xt), _flat(yt)
    _check_rank(Xf, names, effects)
    beta = linalg.lstsq(Xf, yf)[0]
    yhat = Xt @ beta
    e = yt - yhat
    nt = p.n * p.t
    s2 = float(np.sum(e * e)) / nt
    W = p.W
    tw = float(np.sum(W * W.T) + np.sum(W * W))
    wyhat = _flat(_lag(W, yhat))
    m_wyhat = wyhat - Xf @ linalg.lstsq(Xf, wyhat)[0]
    J = float(m_wyhat @ m_wyhat) / s2 + p.t * tw
    ewy = float(np.sum(e * _lag(W, yt))) / s2
    ewe = float(np.sum(e * _lag(W, e))) / s2
    ttw = p.t * tw
    stats_ = {
        "lm_lag": ewy**2 / J,
        "lm_error": ewe**2 / ttw,
        "robust_lm_lag": (ewy - ewe) ** 2 / (J - ttw),
        "robust_lm_error": (ewe - ttw / J * ewy) ** 2 / (ttw * (1 - ttw / J)),
    }
    return pd.DataFrame(
        [_test_row(v, 1) for v in stats_.values()], index=pd.Index(list(stats_), name="test")
    )


def sdm_tests(
    data: pd.DataFrame,
    y: str,
    x: Sequence[str],
    w: Any,
    unit: str,
    time: str,
    effects: str = "twoways",
    **options: Any,
) -> pd.DataFrame:
    r"""Can the spatial Durbin model be simplified? LR and Wald tests (Elhorst 2014, ch. 3).

    Fits the SDM, SAR and SEM with the same options and returns, with statistic, df (k, the
    number of regressors) and chi-squared p-value:

    ``lr_sdm_vs_sar``
        :math:`2(\ln L_{SDM} - \ln L_{SAR})`, H0: :math:`\theta = 0`;
    ``lr_sdm_vs_sem``
        :math:`2(\ln L_{SDM} - \ln L_{SEM})`, H0: :math:`\theta = -\rho\beta`;
    ``wald_theta``
        :math:`\hat\theta'\hat V_\theta^{-1}\hat\theta`, H0: :math:`\theta = 0`;
    ``wald_common_factor``
        :math:`g'(\hat J\hat V\hat J')^{-1}g` with :math:`g = \hat\theta + \hat\rho\hat\beta`
        and :math:`J = \partial g/\partial(\beta, \theta, \rho)` (delta method).

    References
    ----------
    .. [1] Elhorst, J. P. (2014). Spatial Econometrics. Springer.
    .. [2] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press.
    """
    sdm = fit_panel(data, y, x, w, unit, time, model="sdm", effects=effects, **options)
    sar = fit_panel(data, y, x, w, unit, time, model="sar", effects=effects, **options)
    sem = fit_panel(data, y, x, w, unit, time, model="sem", effects=effects, **options)
    k = len(sdm.model.panel.x_names)
    rows = {
        "lr_sdm_vs_sar": _test_row(2 * (sdm.loglik - sar.loglik), k),
        "lr_sdm_vs_sem": _test_row(2 * (sdm.loglik - sem.loglik), k),
        "wald_theta": sdm.wald_theta(),
        "wald_common_factor": sdm.wald_common_factor(),
    }
    return pd.DataFrame(list(rows.values()), index=pd.Index(list(rows), name="test"))
