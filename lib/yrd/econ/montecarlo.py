r"""A Monte Carlo of the two-way fixed-effects SAR and SEM estimators, calibrated to a panel.

The data-generating process is the spatial-lag model (SAR),

.. math::

    y_t = (I_N - \rho W)^{-1}(X_t\beta + \mu + \alpha_t\iota_N + \varepsilon_t), \qquad
    \varepsilon_t \sim N(0, \sigma^2 I_N), \quad t = 1, \dots, T,

or the spatial-error model (SEM), :math:`y_t = X_t\beta + \mu + \alpha_t\iota_N +
(I_N - \lambda W)^{-1}\varepsilon_t`, with a panel's regressors :math:`X_t` (held fixed across
replications), a weights matrix :math:`W`, and the parameters either estimated on the panel
(:func:`calibrate`) or given, e.g. as printed in a paper (:func:`design_from_values`). The fixed effects are set to zero: the within transformation sweeps them out
of the estimator exactly (a row-standardised :math:`W` maps a period constant to a period
constant), so their values cannot matter; ``tests/test_montecarlo.py`` checks this.

Each replication re-estimates the model with :func:`yrd.econ.spatial.fit_panel`, once as the paper did
(direct maximum likelihood with two-way effects, Stata's ``xsmle`` default) and once with the Lee
and Yu (2010) transformation approach, and records the estimates, their standard errors and the
LeSage-Pace effects of one regressor with delta-method standard errors.

No library runs this experiment; its pieces are numpy's seeded ``Generator`` for the draws and
:mod:`yrd.econ.spatial` for the fits (which says why it is kept).

References
----------
.. [1] Lee, L.-F., & Yu, J. (2010). Estimation of spatial autoregressive panel data models with
   fixed effects. Journal of Econometrics, 154(2), 165-185.
.. [2] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from yrd.econ.breakeven import sar_effects
from yrd.econ.spatial import SpatialEstimationError, SpatialPanelModel, fit_panel

__all__ = [
    "SARDesign",
    "calibrate",
    "design_from_values",
    "expected_sigma2_factors",
    "run",
    "simulate",
    "summarize",
    "true_effects",
]

#: Quantities summarised by :func:`summarize`, with the column of their standard error.
QUANTITIES = {
    "rho": "se_rho",
    "beta": "se_beta",
    "direct": "se_direct",
    "indirect": "se_indirect",
    "total": "se_total",
}


@dataclass(frozen=True)
class SARDesign:
    """A calibrated SAR data-generating process (read-only)."""

    X: np.ndarray = field(repr=False)
    """(T, N, k) regressors, period-major, units in sorted order."""
    W: np.ndarray = field(repr=False)
    """(N, N) weights."""
    beta: np.ndarray
    """(k,) slopes."""
    rho: float
    """Spatial autoregressive parameter."""
    sigma2: float
    """Error variance."""
    names: tuple[str, ...]
    """Regressor names."""
    units: tuple = field(repr=False)
    """Unit ids (sorted)."""
    periods: tuple = field(repr=False)
    """Period ids (sorted)."""
    model: str = "sar"
    """``"sar"`` (``rho`` is the spatial-lag parameter) or ``"sem"`` (``rho`` holds lambda)."""

    def __post_init__(self):
        if self.model not in ("sar", "sem"):
            raise ValueError(f"SARDesign: model must be 'sar' or 'sem', got {self.model!r}")

    @property
    def n(self) -> int:
        """Units N."""
        return self.X.shape[1]

    @property
    def t(self) -> int:
        """Periods T."""
        return self.X.shape[0]

    def frame(self) -> pd.DataFrame:
        """The regressors as a long frame (unit, time, x...), with an empty outcome ``y``."""
        t, n, k = self.X.shape
        out = pd.DataFrame(
            {
                "unit": np.tile(np.asarray(self.units), t),
                "time": np.repeat(np.asarray(self.periods), n),
            }
        )
        for j, name in enumerate(self.names):
            out[name] = self.X[:, :, j].ravel()
        out["y"] = 0.0
        return out


def calibrate(
    data: pd.DataFrame,
    y: str,
    x,
    w,
    unit: str = "city_code",
    time: str = "year",
    **options,
) -> tuple[SARDesign, object]:
    """Fit the two-way SAR model to a panel and return the design it implies and the fit.

    ``options`` go to :func:`yrd.econ.spatial.fit_panel` (e.g. ``lag``).
    """
    res = fit_panel(data, y, list(x), w, unit, time, model="sar", effects="twoways", **options)
    p = res.model.panel
    design = SARDesign(
        X=p.X.copy(),
        W=p.W.copy(),
        beta=res.params[list(x)].to_numpy(float),
        rho=float(res.params["rho"]),
        sigma2=float(res.sigma2),
        names=tuple(x),
        units=tuple(p.units),
        periods=tuple(p.periods),
    )
    return design, res


def design_from_values(
    data: pd.DataFrame,
    x,
    w,
    beta,
    rho: float,
    sigma2: float,
    unit: str = "city_code",
    time: str = "year",
    model: str = "sar",
) -> SARDesign:
    """A design with a panel's regressors and given parameters (no estimation).

    ``beta`` maps each regressor of ``x`` to its slope; ``w`` is an N x N frame indexed by the
    unit ids (reordered to the sorted ids) or an array already in that order; ``rho`` is the
    spatial-lag parameter (``model="sar"``) or the spatial-error lambda (``model="sem"``). The
    panel must be balanced.
    """
    x = list(x)
    missing = [c for c in [unit, time, *x] if c not in data.columns]
    if missing:
        raise ValueError(f"design_from_values: columns {missing} are not in the data")
    lacking = [c for c in x if c not in beta]
    if lacking:
        raise ValueError(f"design_from_values: no slope given for {lacking}")
    if not sigma2 > 0:
        raise ValueError(f"design_from_values: sigma2 must be positive, got {sigma2}")
    units = np.sort(data[unit].unique())
    periods = np.sort(data[time].unique())
    d = data.set_index([time, unit]).sort_index()
    if len(d) != units.size * periods.size or d.index.has_duplicates:
        raise ValueError(
            "design_from_values: the panel must be balanced, one row per unit and period"
        )
    X = d[x].to_numpy(float).reshape(periods.size, units.size, len(x))
    if isinstance(w, pd.DataFrame):
        W = w.loc[units, units].to_numpy(float)
    else:
        W = np.asarray(w, dtype=float)
    if W.shape != (units.size, units.size):
        raise ValueError(f"design_from_values: W is {W.shape}, expected {(units.size,) * 2}")
    return SARDesign(
        X=X,
        W=W,
        beta=np.array([float(beta[c]) for c in x]),
        rho=float(rho),
        sigma2=float(sigma2),
        names=tuple(x),
        units=tuple(units.tolist()),
        periods=tuple(periods.tolist()),
        model=model,
    )


def simulate(
    design: SARDesign,
    rng: np.random.Generator,
    unit_effects: np.ndarray | None = None,
    time_effects: np.ndarray | None = None,
) -> np.ndarray:
    r"""One (T, N) draw of :math:`y` from the design (optional fixed effects, default zero)."""
    n, t = design.n, design.t
    eps = rng.normal(scale=math.sqrt(design.sigma2), size=(t, n))
    A = np.eye(n) - design.rho * design.W
    if design.model == "sem":
        rhs = design.X @ design.beta + np.linalg.solve(A, eps.T).T
    else:
        rhs = design.X @ design.beta + eps
    if unit_effects is not None:
        rhs = rhs + np.asarray(unit_effects)[None, :]
    if time_effects is not None:
        rhs = rhs + np.asarray(time_effects)[:, None]
    if design.model == "sem":
        return rhs
    return np.linalg.solve(A, rhs.T).T


def true_effects(design: SARDesign, term: str) -> dict[str, float]:
    r"""True rho, beta, direct, indirect and total effects of ``term`` and sigma2.

    direct :math:`= \beta\,\mathrm{tr}[(I-\rho W)^{-1}]/N`, total
    :math:`= \beta\,\iota'(I-\rho W)^{-1}\iota/N` (:math:`\beta/(1-\rho)` for a row-standardised
    W), indirect = total - direct (LeSage and Pace 2009). In a SEM the regressors have no
    spillover: direct = total = beta, indirect = 0.
    """
    j = design.names.index(term)
    n = design.n
    b = float(design.beta[j])
    if design.model == "sem":
        return {
            "rho": design.rho,
            "beta": b,
            "direct": b,
            "indirect": 0.0,
            "total": b,
            "sigma2": design.sigma2,
        }
    S = np.linalg.inv(np.eye(n) - design.rho * design.W)
    direct = b * float(np.trace(S)) / n
    total = b * float(S.sum()) / n
    return {
        "rho": design.rho,
        "beta": b,
        "direct": direct,
        "indirect": total - direct,
        "total": total,
        "sigma2": design.sigma2,
    }


def expected_sigma2_factors(n: int, t: int, k: int) -> dict[str, float]:
    r"""Expected ratio of the ML :math:`\hat\sigma^2` to the truth under fixed effects.

    ``individual``: :math:`(T-1)/T`, the incidental-parameter factor of Lee and Yu (2010) with
    unit effects; ``twoways``: :math:`(N-1)(T-1)/(NT)`, the degrees of freedom the two-way
    transformation leaves; ``twoways_k``: the same less the :math:`k` slopes,
    :math:`[(N-1)(T-1)-k]/(NT)` (what least squares with known :math:`\rho` would give).
    """
    return {
        "individual": (t - 1) / t,
        "twoways": (n - 1) * (t - 1) / (n * t),
        "twoways_k": ((n - 1) * (t - 1) - k) / (n * t),
    }


def _one(frame, design, term, lee_yu):
    names = list(design.names)
    row = {}
    for tag, ly in (("", False), ("ly_", True)) if lee_yu else (("", False),):
        try:
            res = SpatialPanelModel(
                frame, "y", names, design.W, "unit", "time", design.model, "twoways", lee_yu=ly
            ).fit()
        except SpatialEstimationError:
            continue
        par = "lambda" if design.model == "sem" else "rho"
        row[f"{tag}rho"] = float(res.params[par])
        row[f"{tag}se_rho"] = float(res.bse[par])
        row[f"{tag}beta"] = float(res.params[term])
        row[f"{tag}se_beta"] = float(res.bse[term])
        row[f"{tag}sigma2"] = float(res.sigma2)
        if not ly and design.model == "sar":
            # LeSage-Pace effects with delta-method SEs from the full covariance of (beta, rho);
            # the same numbers as res.impacts(method="delta"), without its per-call overhead
            V = res.vcov
            corr = float(V.loc[term, "rho"] / math.sqrt(V.loc[term, term] * V.loc["rho", "rho"]))
            eff = sar_effects(
                row[f"{tag}beta"],
                row[f"{tag}se_beta"],
                row[f"{tag}rho"],
                row[f"{tag}se_rho"],
                design.W,
                corr=max(-1.0, min(1.0, corr)),
            )
            for e in ("direct", "indirect", "total"):
                row[e] = eff[e]
                row[f"se_{e}"] = eff[f"se_{e}"]
    return row


def run(
    design: SARDesign,
    term: str,
    reps: int,
    seed: int,
    *,
    lee_yu: bool = True,
    progress: bool = True,
) -> pd.DataFrame:
    """Simulate ``reps`` panels and re-estimate the SAR model on each.

    Parameters
    ----------
    design : SARDesign
        From :func:`calibrate`.
    term : str
        Regressor whose coefficient and effects are recorded.
    reps : int
        Replications.
    seed : int
        Seed of ``numpy.random.SeedSequence``; replication r draws from its r-th spawned child,
        so a given seed gives identical results and the first replications do not depend on
        ``reps``.
    lee_yu : bool
        Also fit the Lee-Yu transformation approach (columns prefixed ``ly_``).
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per replication (``rep``): ``rho``, ``se_rho`` (lambda in a SEM), ``beta``,
        ``se_beta``, ``sigma2``, ``direct``, ``indirect``, ``total`` and their ``se_*`` (SAR
        only; missing in a SEM, whose regressors have no spillovers), and with ``lee_yu`` the
        ``ly_*`` columns. A fit whose spatial parameter ends on the bound of its
        admissible interval leaves its columns missing (NaN).
    """
    from tqdm import tqdm

    if term not in design.names:
        raise ValueError(f"run: term {term!r} is not a regressor of the design")
    if int(reps) < 1:
        raise ValueError(f"run: reps must be positive, got {reps}")
    children = np.random.SeedSequence(seed).spawn(int(reps))
    frame = design.frame()
    rows = []
    for r in tqdm(range(int(reps)), disable=not progress, desc="SAR Monte Carlo", mininterval=1):
        y = simulate(design, np.random.default_rng(children[r]))
        frame["y"] = y.ravel()
        row = {"rep": r}
        row.update(_one(frame, design, term, lee_yu))
        rows.append(row)
    cols = ["rep", "rho", "se_rho", "beta", "se_beta", "sigma2"]
    cols += ["direct", "se_direct", "indirect", "se_indirect", "total", "se_total"]
    if lee_yu:
        cols += ["ly_rho", "ly_se_rho", "ly_beta", "ly_se_beta", "ly_sigma2"]
    return pd.DataFrame(rows).reindex(columns=cols)


def summarize(draws: pd.DataFrame, truth: dict[str, float], level: float = 0.95) -> pd.DataFrame:
    r"""Bias, spread and coverage of each estimate across replications.

    For each quantity: the true value, the mean estimate, the bias and the bias relative to the
    size of the true value (bias / |true|, so its sign is the direction of the bias), the Monte Carlo standard deviation, the mean reported standard error, and the
    coverage of the normal interval :math:`\hat\theta \pm z_{1-\alpha/2}\,\widehat{se}`, with its
    Monte Carlo standard error :math:`\sqrt{c(1-c)/R}`, and ``reject``, the share of
    replications whose interval excludes zero (the power of the test of a zero value, or its
    size when the truth is zero). Rows ``rho`` ... ``total`` are the
    direct ML estimator, ``ly_rho`` and ``ly_beta`` the Lee-Yu one; the ``sigma2`` rows have no
    standard error or coverage. Failed fits (NaN) are dropped and counted in ``failed``;
    quantities missing from ``draws`` or never estimated (the effects of a SEM) are left out.
    """
    z = float(stats.norm.ppf(0.5 + level / 2))
    rows = []
    items = [(q, se, q) for q, se in QUANTITIES.items()]
    if "ly_rho" in draws:
        items += [("ly_rho", "ly_se_rho", "rho"), ("ly_beta", "ly_se_beta", "beta")]
    items += [("sigma2", None, "sigma2")]
    if "ly_sigma2" in draws:
        items += [("ly_sigma2", None, "sigma2")]
    for col, se_col, key in items:
        if col not in draws or draws[col].isna().all():
            continue
        est = draws[col]
        ok = est.notna()
        est = est[ok]
        true = truth[key]
        row = {
            "quantity": col,
            "true": true,
            "mean": est.mean(),
            "bias": est.mean() - true,
            "rel_bias": (est.mean() - true) / abs(true) if true != 0 else math.nan,
            "sd": est.std(ddof=1),
            "mean_se": math.nan,
            "coverage": math.nan,
            "coverage_mcse": math.nan,
            "reject": math.nan,
            "ratio": est.mean() / true if true != 0 else math.nan,
            "reps": int(ok.sum()),
            "failed": int((~ok).sum()),
        }
        if se_col is not None:
            se = draws.loc[ok, se_col]
            cover = float(np.mean(np.abs(est - true) <= z * se))
            row["mean_se"] = se.mean()
            row["coverage"] = cover
            row["coverage_mcse"] = math.sqrt(cover * (1 - cover) / max(len(est), 1))
            row["reject"] = float(np.mean(np.abs(est) > z * se))
        rows.append(row)
    return pd.DataFrame(rows).set_index("quantity")


def reliable(row: pd.Series) -> bool:
    """Whether one row of :func:`summarize` describes a reliable estimator.

    Reliable: the bias is below a quarter of the sampling SD (or 5% of the true value) and, where
    an interval exists, the nominal 95% interval covers the truth at least 90% of the time.
    """
    in_sd = row["bias"] / row["sd"]
    cover = row["coverage"]
    small = abs(in_sd) < 0.25 or abs(row["rel_bias"]) < 0.05
    return bool(small and (np.isnan(cover) or cover >= 0.90))


#: The seed of the book's Monte Carlo (the beyond-the-paper chapter).
BOOK_SEED = 20261126

__all__ += ["BOOK_SEED", "reliable"]
