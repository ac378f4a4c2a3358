r"""How the results depend on the analyst's choices: weights, a specification curve, indicators.

:func:`weight_variants` builds the alternative matrices a referee would ask for (where the city
is located, how far a neighbour may be, how fast influence decays, how the matrix is scaled,
contiguity, economic distance); :func:`fit_variants` re-estimates the paper's SAR model with each;
:func:`repframe_indicators` summarises the robustness paths with the indicators of the Institute
for Replication's ``repframe`` package (Dreber and Johannesson 2025). :func:`spec_universe`
builds the book's specification curve for the ``inno`` coefficient (every fixed-effect set,
control set, winsorization, standard error and weights matrix the library can estimate) and
:func:`speccurve_sentence`, :func:`inference_sentence` and :func:`weights_verdict` put the
chapter's conclusions about them into words.

References
----------
.. [1] Dreber, A., & Johannesson, M. (2025). A framework for evaluating reproducibility and
   replicability in economics. Economic Inquiry, 63(2), 338-356.
.. [2] Bensch, G. (2024). repframe: Stata package to calculate reproducibility and
   replicability indicators. https://github.com/guntherbensch/repframe
.. [3] LeSage, J., & Pace, R. K. (2009). Introduction to Spatial Econometrics. CRC Press, ch. 4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from yrd.econ import regress, speccurve
from yrd.econ import weights as wts
from yrd.econ.spatial import SpatialEstimationError, fit_panel
from yrd.paper.results import winsorized
from yrd.report.pages import times
from yrd.report.tables import cell_text

__all__ = [
    "BASELINE",
    "SPEC_DIMS",
    "Variant",
    "centroid_cities",
    "fit_variants",
    "inference_sentence",
    "repframe_indicators",
    "spec_universe",
    "speccurve_sentence",
    "weight_variants",
    "weights_verdict",
    "with_economic",
]


@dataclass(frozen=True)
class Variant:
    """One weights matrix for the sensitivity analysis."""

    label: str
    """Short name, used as the table row."""
    description: str
    """What changes relative to the baseline."""
    w: pd.DataFrame
    """N x N weights, index and columns the city codes in ascending order."""


def centroid_cities(seat_centroids: pd.DataFrame) -> pd.DataFrame:
    """Cities located at their polygon centroids instead of their seats.

    ``seat_centroids`` is :func:`yrd.data.geo.seat_centroid_distances` (columns city_code,
    centroid_lon, centroid_lat); the result has the columns city_code, lon, lat.
    """
    out = seat_centroids[["city_code", "centroid_lon", "centroid_lat"]].copy()
    return out.rename(columns={"centroid_lon": "lon", "centroid_lat": "lat"})


def weight_variants(
    cities: pd.DataFrame,
    seat_centroids: pd.DataFrame,
    polygons,
    panel: pd.DataFrame,
    cutoffs=(200, 400),
) -> list[Variant]:
    """The baseline inverse-distance matrix and its alternatives, in a fixed order.

    1. baseline: inverse seat-to-seat distance, row-standardised (the paper's matrix);
    2. centroid distances instead of seats;
    3. cut-offs (no weight beyond ``cutoffs`` km);
    4. inverse squared distance (power 2);
    5. spectral instead of row normalisation;
    6. queen contiguity of the city polygons (Zhoushan linked to its nearest seat);
    7. economic distance, the reciprocal gap in mean log GDP (the paper's second matrix).
    """
    out = [
        Variant(
            "Inverse distance",
            "baseline: 1/d between seats, row-standardised",
            wts.inverse_distance(cities),
        ),
        Variant(
            "Centroids",
            "1/d between polygon centroids",
            wts.inverse_distance(centroid_cities(seat_centroids)),
        ),
    ]
    for c in cutoffs:
        out.append(
            Variant(
                f"Cut-off {c:g} km",
                f"1/d, zero beyond {c:g} km",
                wts.inverse_distance(cities, cutoff_km=c),
            )
        )
    out += [
        Variant("Power 2", "1/d^2 (gravity-type decay)", wts.inverse_distance(cities, power=2)),
        Variant(
            "Spectral",
            "1/d divided by its largest eigenvalue, not row-standardised",
            wts.inverse_distance(cities, normalize="spectral"),
        ),
        Variant(
            "Queen contiguity",
            "shared border or corner, row-standardised",
            wts.queen_contiguity(polygons, cities=cities),
        ),
        Variant(
            "Economic distance",
            "1/|mean gdp_i - mean gdp_j|, row-standardised",
            wts.economic_distance(panel),
        ),
    ]
    return out


def with_economic(variants: list[Variant], panel: pd.DataFrame) -> list[Variant]:
    """The same variants with the economic-distance matrix rebuilt from another panel.

    The geographic matrices do not depend on the panel; only the economic one does (its GDP),
    so a second set of variants, e.g. with public GDP instead of the twin's, needs no new geometry.
    """
    return [
        Variant(v.label, v.description, wts.economic_distance(panel))
        if v.label == "Economic distance"
        else v
        for v in variants
    ]


def fit_variants(
    panel: pd.DataFrame,
    variants: list[Variant],
    y: str,
    x,
    term: str,
    unit: str = "city_code",
    time: str = "year",
    **options,
) -> pd.DataFrame:
    """Fit the two-way SAR model with each weights matrix; one row per variant.

    Columns: ``label``, ``description``, ``rho``, ``se_rho``, ``beta``, ``se_beta``, ``direct``,
    ``indirect``, ``total`` and their ``se_*`` (delta method), ``loglik`` and ``error`` (the
    message when the spatial parameter ends on its bound; the numbers are then missing).
    ``options`` go to :func:`yrd.econ.spatial.fit_panel`.
    """
    rows = []
    for v in variants:
        row = {"label": v.label, "description": v.description, "error": ""}
        try:
            res = fit_panel(panel, y, list(x), v.w, unit, time, model="sar", **options)
        except SpatialEstimationError as err:
            row["error"] = str(err)
            rows.append(row)
            continue
        imp = res.impacts(method="delta").loc[term]
        row.update(
            rho=float(res.params["rho"]),
            se_rho=float(res.bse["rho"]),
            beta=float(res.params[term]),
            se_beta=float(res.bse[term]),
            loglik=float(res.loglik),
        )
        for e in ("direct", "indirect", "total"):
            row[e] = float(imp[e])
            row[f"se_{e}"] = float(imp[f"se_{e}"])
        rows.append(row)
    cols = ["label", "description", "rho", "se_rho", "beta", "se_beta"]
    cols += ["direct", "se_direct", "indirect", "se_indirect", "total", "se_total"]
    return pd.DataFrame(rows).reindex(columns=[*cols, "loglik", "error"])


def repframe_indicators(
    estimates, ses, original: float, original_se: float, alpha: float = 0.05
) -> pd.Series:
    r"""Robustness indicators of repframe for a set of robustness paths of one estimate.

    With :math:`\hat\beta_i, se_i` the estimates of the paths and :math:`\hat\beta_0, se_0` the
    original, significance is a two-sided normal test at level ``alpha``:

    - ``I1`` (significance agreement): if the original is significant, the share of paths that
      are significant with the same sign; if not, the share of paths that are not significant;
    - ``I2`` (relative effect size): :math:`\bar\beta / \hat\beta_0`, the mean estimate over the
      paths relative to the original;
    - ``rel_t`` (relative t value): :math:`\overline{t} / t_0`;
    - ``variation``: :math:`\mathrm{sd}(\hat\beta_i) / se_0`, the spread of the paths in units
      of the original standard error (sample SD, ddof = 1).

    Paths with a missing estimate are dropped and counted in ``paths_missing``.
    """
    b = pd.Series(np.asarray(estimates, float))
    s = pd.Series(np.asarray(ses, float))
    if len(b) != len(s):
        raise ValueError("repframe_indicators: estimates and ses differ in length")
    if not (original_se > 0):
        raise ValueError(f"repframe_indicators: original_se must be positive, got {original_se}")
    ok = b.notna() & s.notna()
    b, s = b[ok], s[ok]
    if len(b) == 0:
        raise ValueError("repframe_indicators: no robustness path with an estimate")
    z = float(stats.norm.ppf(1 - alpha / 2))
    t0 = original / original_se
    t = b / s
    sig = t.abs() > z
    if abs(t0) > z:
        agree = sig & (np.sign(b) == np.sign(original))
    else:
        agree = ~sig
    return pd.Series(
        {
            "I1": float(agree.mean()),
            "I2": float(b.mean() / original) if original != 0 else math.nan,
            "rel_t": float(t.mean() / t0) if t0 != 0 else math.nan,
            "variation": float(b.std(ddof=1) / original_se) if len(b) > 1 else math.nan,
            "original_significant": bool(abs(t0) > z),
            "paths": int(len(b)),
            "paths_missing": int((~ok).sum()),
        }
    )


# --------------------------------------------------------------------------------------------
# the specification curve
# --------------------------------------------------------------------------------------------

#: The choices of the specification curve, in the order of the plot's lower panel.
SPEC_DIMS = ("estimator", "effects", "controls", "sample", "se_type")

#: The specification of Table 4 column (5) in the curve's vocabulary (HC1: the audit reads the
#: printed t-statistics as robust, and the twin was fitted to them that way).
BASELINE = {
    "estimator": "OLS",
    "effects": "city and year",
    "controls": "all nine",
    "sample": "none",
    "se_type": "hc1",
}


def spec_universe(
    panel: pd.DataFrame,
    variants: list[Variant],
    y: str = "quality",
    term: str = "inno",
    unit: str = "city_code",
    time: str = "year",
    dk_bandwidth: int = 2,
) -> pd.DataFrame:
    """Every specification of the ``inno`` coefficient the book's library can estimate.

    Least squares (:func:`yrd.econ.speccurve.fe_curve`): 3 samples (raw; every variable
    winsorized at 1/99, the paper's Table 5 as the book reads it; at 5/95) x 4 sets of fixed
    effects (none, city, year, city and year) x 11 control sets (none, all nine, all nine but
    one) x 4 standard errors (classical, HC1, CR1 by city, Driscoll-Kraay). Spatial lag
    (:func:`fit_variants`): the 3 samples x every weights matrix of ``variants``, with city and
    year effects, all nine controls and the ML (information-matrix) standard error, recording
    the coefficient of ``inno``. Columns: those of ``fe_curve`` plus ``estimator`` (``OLS`` or
    ``SAR``) and ``weights`` (``none`` for OLS); spatial fits on the bound are dropped.
    """
    samples = {
        "none": panel,
        "1/99": winsorized(panel, 1, 99),
        "5/95": winsorized(panel, 5, 95),
    }
    controls = {"none": [], "all nine": list(regress.CONTROLS)}
    for c in regress.CONTROLS:
        controls[f"all but {c}"] = [v for v in regress.CONTROLS if v != c]
    effects = {"none": [], "city": [unit], "year": [time], "city and year": [unit, time]}
    ols = speccurve.fe_curve(
        samples, y, term, controls, effects, unit=unit, time=time, dk_bandwidth=dk_bandwidth
    ).assign(estimator="OLS", weights="none")
    rows = []
    x = [term, *regress.CONTROLS]
    for s_name, data in samples.items():
        fits = fit_variants(data, variants, y, x, term, unit, time)
        for _, f in fits.iterrows():
            if f["error"]:
                continue
            t = f["beta"] / f["se_beta"]
            rows.append(
                {
                    "sample": s_name,
                    "effects": "city and year",
                    "controls": "all nine",
                    "se_type": "ML",
                    "estimate": f["beta"],
                    "se": f["se_beta"],
                    "t": t,
                    "df": np.inf,
                    "p": float(2 * stats.norm.sf(abs(t))),
                    "k": np.nan,
                    "n": len(data),
                    "estimator": "SAR",
                    "weights": f["label"],
                }
            )
    return pd.concat([ols, pd.DataFrame(rows)], ignore_index=True)


def _share(v: float) -> str:
    """A share in percent for running text; "under 1%" rather than a rounded "0%"."""
    if 0 < v < 0.005:
        return "under 1%"
    return f"{100 * v:.0f}%"


def speccurve_sentence(by: pd.DataFrame, published: float) -> str:
    """The specification curve in words, from :func:`yrd.econ.speccurve.indicators_by`.

    ``by`` is computed against the paper's printed estimate ``published``. Names the overall
    shares and the choice whose values differ most in the share significant with the paper's sign.
    """
    a = by.loc[("all", "all")]
    text = (
        f"Of the {int(a['n'])} specifications, {_share(a['same_sign'])} give `inno` the paper's "
        f"(positive) sign and {_share(a['sig_same'])} are significant at 5% with it"
        + (
            f"; {_share(a['sig_opposite'])} are significant with the opposite sign"
            if a["sig_opposite"] > 0
            else ""
        )
        + f". The median estimate is {times(a['median_ratio'], 'the printed ' + cell_text(published, 3))}"
        f", and the estimates run from {cell_text(a['min'], 3)} to "
        f"{cell_text(a['max'], 3)}."
    )
    parts = by.drop(index="all", level="choice")
    top = parts["median_ratio"].idxmax()
    text += (
        f" The largest estimates come with {top[0].replace('_', ' ')} = {top[1]} (median "
        f"{times(parts.loc[top, 'median_ratio'], 'the printed value')})."
    )
    spread = parts.groupby(level="choice")["sig_same"].agg(lambda s: s.max() - s.min())
    spread = spread[spread > 0]
    if len(spread):
        d = spread.idxmax()
        sub = parts.loc[d]["sig_same"]
        text += (
            f" The choice that matters most for significance is {d.replace('_', ' ')}: "
            f"{_share(sub.max())} of the specifications are significant with "
            f"{sub.idxmax()} against {_share(sub.min())} with {sub.idxmin()}."
        )
    return text


def inference_sentence(table: pd.DataFrame, factor: float, label: str) -> str:
    """How the standard errors of the twin compare with the paper's break-even factor.

    ``table`` is :func:`yrd.econ.inference.inference_table` on the twin; ``factor`` the
    break-even factor of the printed t (:func:`yrd.paper.breakeven.inno_breakeven`) for
    ``label``. The ratios are to HC1, the twin's counterpart of the printed standard error.
    """
    hc1 = float(table.loc[table["method"] == "HC1", "se"].iloc[0])
    rest = table[~table["method"].str.startswith("Wild") & (table["method"] != "HC1")]
    ratio = rest["se"] / hc1
    hi = rest.loc[ratio.idxmax()]
    above = rest[ratio >= factor]
    text = (
        f"On the twin, the largest standard error, {hi['method']}, is "
        f"{times(ratio.max(), 'the HC1 one')}; the printed t of {label} would lose significance at 5% at a factor of "
        f"{factor:.2f}. "
    )
    if len(above):
        text += (
            f"{len(above)} of the {len(rest)} alternatives ({', '.join(above['method'])}) "
            f"{'reaches' if len(above) == 1 else 'reach'} it here. "
        )
    else:
        text += "None of the alternatives reaches it here. "
    return text + (
        "This is a demonstration of the methods, not evidence about the paper: the twin's HC1 "
        "t-statistics were fitted to the printed ones, and how its errors are correlated within "
        "a city, within a year or across neighbours is whatever its construction left, not a "
        "property of the cities."
    )


def weights_verdict(ind: pd.DataFrame) -> str:
    """The weights-matrix robustness paths on the twin (repframe indicators) in words.

    ``ind`` has one row per estimate (``beta``, ``indirect``, ...) with the columns of
    :func:`repframe_indicators`.
    """
    b, i = ind.loc["beta"], ind.loc["indirect"]

    def moves(v: float) -> str:
        if v < 0.25:
            return "barely moves"
        if v < 1:
            return "moves by less than its standard error"
        return "moves by more than its standard error"

    mb, mi = moves(b["variation"]), moves(i["variation"])
    beta = f"$I_1$ = {b['I1']:.2f}, $I_2$ = {b['I2']:.2f}"
    ind = f"$I_1$ = {i['I1']:.2f}, $I_2$ = {cell_text(i['I2'], 2)}"
    if mb == mi:
        said = (
            f"On the twin, the `inno` coefficient ({beta}) and the indirect effect ({ind}) both "
            f"{mb.replace('moves', 'move').replace(' its ', ' their ')} across the matrices. "
        )
    else:
        said = (
            f"On the twin, the `inno` coefficient {mb} across the matrices ({beta}), while the "
            f"indirect effect {mi} ({ind}). "
        )
    return (
        said
        + "This shows how to read such paths, not how the paper's estimates would move: the twin "
        "was fitted to the paper's tables, not to its spatial structure."
    )
