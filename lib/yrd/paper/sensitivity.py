r"""How the spatial results depend on the weights matrix, and repframe's robustness indicators.

:func:`weight_variants` builds the alternative matrices a referee would ask for (where the city
is located, how far a neighbour may be, how fast influence decays, how the matrix is scaled,
contiguity, economic distance); :func:`fit_variants` re-estimates the paper's SAR model with each;
:func:`repframe_indicators` summarises the robustness paths with the indicators of the Institute
for Replication's ``repframe`` package (Dreber and Johannesson 2025).

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

from yrd.econ import weights as wts
from yrd.econ.spatial import SpatialEstimationError, fit_panel

__all__ = [
    "Variant",
    "centroid_cities",
    "fit_variants",
    "repframe_indicators",
    "weight_variants",
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
