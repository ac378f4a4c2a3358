r"""What public figures reproduce of Tables 2 and 3 (gdp, wage, stru).

The public panel (:func:`yrd.data.public.load_public`) holds official GDP, value added and wages
for the 41 cities. This module sets its Table 2 rows and Table 3 correlations beside the printed
ones, tries the readings of each definition (nominal or real GDP, logs or levels, value added or
sector shares), and measures which city-years would close what remains.

A printed cell is *matched* when the public value lies within its rounding (half a unit of the
last printed digit, :func:`yrd.paper.audit.half_width`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrd.econ.winsor import stata_percentile

__all__ = [
    "STATISTICS",
    "VARIABLES",
    "PAIRS",
    "describe",
    "table2_comparison",
    "correlation_comparison",
    "real_gdp",
    "definitions",
    "gap_closers",
    "gap_location",
]

#: Table 2's statistics, in its order (obs apart).
STATISTICS = ("mean", "sd", "min", "median", "max")
#: The variables public figures give.
VARIABLES = ("gdp", "wage", "stru")
#: Table 3's cells among them: (row, column) as keyed in ``cells.csv``.
PAIRS = (("wage", "gdp"), ("stru", "gdp"), ("stru", "wage"))


def describe(x) -> dict:
    """Table 2's statistics of ``x`` (NaN dropped): n, mean, SD (n - 1), min, Stata median, max."""
    v = pd.Series(x, dtype=float).dropna()
    return {
        "obs": len(v),
        "mean": float(v.mean()),
        "sd": float(v.std(ddof=1)),
        "min": float(v.min()),
        "median": stata_percentile(v, 50),
        "max": float(v.max()),
    }


def table2_comparison(panel: pd.DataFrame, pub, variables=VARIABLES) -> pd.DataFrame:
    """Table 2 rows from the public panel beside the printed ones.

    Returns
    -------
    DataFrame
        One row per (variable, statistic): ``published``, ``public``, ``difference`` (public
        minus published), ``half_width`` (printed rounding) and ``matched``.
    """
    rows = []
    for var in variables:
        d = describe(panel[var])
        for stat in ("obs", *STATISTICS):
            p = pub.value(2, var, "", stat)
            h = 0.0 if stat == "obs" else pub.half_width(2, var, "", stat)
            rows.append(
                {
                    "variable": var,
                    "statistic": stat,
                    "published": p,
                    "public": float(d[stat]),
                    "difference": float(d[stat]) - p,
                    "half_width": h,
                    "matched": abs(float(d[stat]) - p) <= h + 1e-12,
                }
            )
    return pd.DataFrame(rows)


def correlation_comparison(panel: pd.DataFrame, pub, pairs=PAIRS) -> pd.DataFrame:
    """Table 3's correlations among gdp, wage and stru (pairwise complete) beside the printed ones."""
    rows = []
    for a, b in pairs:
        sub = panel[[a, b]].dropna()
        r = float(np.corrcoef(sub[a], sub[b])[0, 1])
        p = pub.value(3, a, b, "corr")
        h = pub.half_width(3, a, b, "corr")
        rows.append(
            {
                "pair": f"{a} x {b}",
                "n": len(sub),
                "published": p,
                "public": r,
                "difference": r - p,
                "half_width": h,
                "matched": abs(r - p) <= h + 1e-12,
            }
        )
    return pd.DataFrame(rows)


def real_gdp(panel: pd.DataFrame, base: int = 2011) -> pd.Series:
    r"""GDP at ``base``-year prices (10,000 yuan), chained with the real growth ``GDPYoY``.

    :math:`Y^{real}_t = Y_{base} \prod_{s=base+1}^{t} (1 + g_s/100)`; NaN from the first year
    whose growth is missing onwards (Zhejiang 2017 in the public extract). Only ``base`` = the
    first sample year is supported (a later base would need the chain backwards as well).
    """
    p = panel.sort_values(["city_code", "year"])
    if base != int(p["year"].min()):
        raise ValueError(f"real_gdp: base must be the first year {int(p['year'].min())}")
    growth = 1 + p["gdp_real_growth"] / 100
    growth = growth.where(p["year"] != base, 1.0)
    index = growth.groupby(p["city_code"]).cumprod(skipna=False)
    base_level = p["gdp_nominal"].where(p["year"] == base).groupby(p["city_code"]).transform("max")
    return (base_level * index).reindex(panel.index)


def _definition_rows(panel: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
    real = real_gdp(panel)
    return [
        ("gdp", "ln nominal GDP (10,000 yuan)", np.log(panel["gdp_nominal"])),
        ("gdp", "ln real GDP, 2011 prices (10,000 yuan)", np.log(real)),
        ("gdp", "ln nominal GDP (100 million yuan)", np.log(panel["gdp_nominal"] / 1e4)),
        ("gdp", "ln nominal GDP (yuan)", np.log(panel["gdp_nominal"] * 1e4)),
        ("gdp", "nominal GDP, level (100 million yuan)", panel["gdp_nominal"] / 1e4),
        ("gdp", "ln GDP per capita (yuan)", np.log(panel["gdp_per_capita"])),
        ("wage", "ln average wage (yuan)", np.log(panel["avg_wage"])),
        ("wage", "average wage, level (yuan)", panel["avg_wage"]),
        ("stru", "tertiary / secondary value added", panel["va_tertiary"] / panel["va_secondary"]),
        ("stru", "tertiary / secondary share (Gdpct04 / Gdpct03)", panel["share_tertiary"] / panel["share_secondary"]),
        ("stru", "tertiary share of GDP (fraction)", panel["share_tertiary"] / 100),
        ("stru", "ln (tertiary / secondary value added)", np.log(panel["va_tertiary"] / panel["va_secondary"])),
    ]  # fmt: skip


def definitions(panel: pd.DataFrame, pub) -> pd.DataFrame:
    """Each reading of gdp, wage and stru: its Table 2 statistics and how many printed cells it hits.

    Returns
    -------
    DataFrame
        ``variable``, ``definition``, ``n``, the five statistics, ``matched`` (how many of the
        five printed cells lie within rounding), ``matched_cells`` (which), ``largest_gap``
        (largest absolute difference from a printed cell).
    """
    rows = []
    for var, name, x in _definition_rows(panel):
        d = describe(x)
        hits, gaps = [], []
        for stat in STATISTICS:
            diff = d[stat] - pub.value(2, var, "", stat)
            gaps.append(abs(diff))
            if abs(diff) <= pub.half_width(2, var, "", stat) + 1e-12:
                hits.append(stat)
        rows.append(
            {
                "variable": var,
                "definition": name,
                "n": d["obs"],
                **{s: d[s] for s in STATISTICS},
                "matched": len(hits),
                "matched_cells": ", ".join(hits) if hits else "none",
                "largest_gap": max(gaps),
            }
        )
    return pd.DataFrame(rows)


def _stats_vec(x: np.ndarray) -> np.ndarray:
    return np.array(
        [x.mean(), x.std(ddof=1), x.min(), stata_percentile(x, 50), x.max()], dtype=float
    )


def gap_closers(panel: pd.DataFrame, pub, var: str) -> pd.DataFrame:
    """Which single change of the public figures would reproduce all five printed cells of ``var``?

    Two kinds are tried: one city-year shifted by the amount that closes the mean exactly, and
    one city's ten years shifted by a common amount that does. A candidate is kept when, after
    the shift, every statistic lies within its printed rounding. An empty frame means no single
    city-year or city explains the gap.
    """
    sub = panel[["city_code", "year", var]].dropna().reset_index(drop=True)
    x = sub[var].to_numpy(float)
    target = np.array([pub.value(2, var, "", s) for s in STATISTICS])
    half = np.array([pub.half_width(2, var, "", s) for s in STATISTICS])
    need = (target[0] - x.mean()) * len(x)
    rows = []

    def ok(y):
        return bool(np.all(np.abs(_stats_vec(y) - target) <= half + 1e-12))

    for i in range(len(x)):
        y = x.copy()
        y[i] += need
        if ok(y):
            rows.append(
                ("city-year", int(sub.at[i, "city_code"]), int(sub.at[i, "year"]), need, x[i])
            )
    for c in sub["city_code"].unique():
        m = (sub["city_code"] == c).to_numpy()
        y = x.copy()
        y[m] += need / m.sum()
        if ok(y):
            rows.append(("city (every year)", int(c), None, need / m.sum(), float(x[m].mean())))
    return pd.DataFrame(rows, columns=["kind", "city_code", "year", "shift", "value"])


def gap_location(panel: pd.DataFrame, pub, var: str) -> dict:
    r"""Where the gap in mean and SD sits, to first order.

    Lowering some values :math:`x_i` by :math:`\delta_i` (sum :math:`\Delta`) changes the
    sum of squared deviations by about :math:`-2\sum_i (x_i - \bar x)\delta_i`; the printed mean
    and SD fix :math:`\Delta` and that change, hence the :math:`\delta`-weighted mean
    :math:`\bar x + \Delta SS / (2\Delta)` of the values that differ.
    """
    x = panel[var].dropna().to_numpy(float)
    n = len(x)
    m, s = x.mean(), x.std(ddof=1)
    pm, ps = pub.value(2, var, "", "mean"), pub.value(2, var, "", "sd")
    total = (pm - m) * n  # sum of the changes
    ss_change = (n - 1) * (ps**2 - s**2) - n * (pm - m) ** 2  # change of sum of squares about m
    # d SS = sum (x_i - m + d_i)^2 - ... ~ 2 sum (x_i - m) d_i; with d_i < 0 summing to total
    where = m + ss_change / (2 * total) if total else float("nan")
    return {
        "n": n,
        "total_shift": total,
        "ss_change": ss_change,
        "weighted_value": where,
    }
