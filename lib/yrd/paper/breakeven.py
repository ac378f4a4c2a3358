r"""What the paper's printed numbers can bear: break-even values computed from Tables 4-6 and 9.

Every function here reads the published tables (:class:`yrd.data.published.Published`) and, for
the spatial models, a weights matrix built from geography or public data; none reads a panel.
The questions are those a referee asks of a printed table:

* :func:`inno_breakeven`: for every printed coefficient of ``inno``, by what factor its standard
  error would have to grow for significance at 5% (or the 1% stars) to go, and what within-city
  dependence would produce that factor under clustering by city (:mod:`yrd.econ.breakeven`);
* :func:`spatial_breakeven`: for the two SAR columns of Table 9, the direct, indirect and total
  effects that the printed :math:`\hat\beta` and :math:`\hat\rho` imply, their delta-method
  t-statistics for any correlation of the two estimates, the range of :math:`\rho` over which the
  spillover stays significant and the factor by which the standard errors would have to grow;
* :func:`weights_sweep`: the same effects under other non-negative, row-standardised weights
  matrices, holding the printed :math:`\hat\beta` and :math:`\hat\rho`;
* :func:`published_mc_values`: the parameters that calibrate the Monte Carlo to the paper;
* sentence functions (``*_sentence``) that turn these frames into the chapter's prose, so that
  every branching conclusion on the page comes from tested code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from yrd.econ import breakeven as be
from yrd.econ import regress
from yrd.report.tables import cell_text

__all__ = [
    "PANEL_NAMES",
    "clustering_sentence",
    "inno_breakeven",
    "mc_sentence",
    "published_mc_values",
    "se_sentence",
    "spatial_breakeven",
    "spillover_sentence",
    "verdicts",
    "weights_sentence",
    "weights_sweep",
]

#: Table 9's weights matrices, as the book names them.
PANEL_NAMES = {"inverse_distance": "inverse distance", "economic": "economic distance"}


def _fe_text(city: bool, year: bool) -> str:
    return {
        (True, True): "city and year effects",
        (True, False): "city effects",
        (False, True): "year effects",
        (False, False): "no effects",
    }[(city, year)]


def _units_and_periods(pub) -> tuple[int, int]:
    n_obs = int(pub.value(4, "nobs", "5", "value"))
    g = int(pub.value(9, "n_ids", "SAR", "value", "inverse_distance"))
    return g, n_obs // g


def inno_breakeven(pub) -> pd.DataFrame:
    r"""One row per printed ``inno`` coefficient (Tables 4, 5, 6 and 9) with its break-even values.

    Columns: ``table``, ``panel``, ``column``, ``label`` (e.g. "Table 4 (5)"), ``outcome``,
    ``model`` (OLS, SAR or SEM), ``city_fe``, ``year_fe`` (from the printed flags), ``coef``,
    ``t``, ``stars`` (as printed), ``se`` (= coef / t), ``factor_05`` (the factor by which the
    SE must grow to lose significance at 5%, normal reference), ``factor_05_t`` (the same with
    Student t and G - 1 degrees of freedom, the reference of Stata's clustered SEs),
    ``factor_01`` (at 1%, the three stars), ``moulton_product`` (the product of the within-city
    correlations of ``inno`` and of the errors that makes Moulton's factor equal ``factor_05``;
    columns without city effects only, which Moulton's equicorrelation applies to) and
    ``ar1_phi`` (the common AR(1) coefficient of ``inno`` and the errors within a city at which
    clustering inflates the SE by ``factor_05``, :func:`yrd.econ.breakeven.serial_inflation`;
    ``nan`` when no AR(1) coefficient does). Both are left missing for Table 9 (maximum
    likelihood with a spatial term, which the least-squares algebra does not cover) and for a
    coefficient not significant at 5% as printed.
    """
    g, t_periods = _units_and_periods(pub)
    cells = pub.cells
    rows = []
    hits = cells[(cells["row"] == "inno") & (cells["statistic"] == "coef")]
    for _, c in hits.iterrows():
        tab, panel, col = int(c["table"]), c["panel"], c["column"]
        if tab not in (4, 5, 6, 9):
            continue
        t = pub.value(tab, "inno", col, "t", panel)
        city = bool(pub.value(tab, "id_fe", col, "flag", panel))
        year = bool(pub.value(tab, "year_fe", col, "flag", panel))
        f05 = be.se_factor(t)
        if tab == 9:
            label = f"Table 9 {col}, {PANEL_NAMES[panel]}"
            model = col
        else:
            label = f"Table {tab} ({col})"
            model = "OLS"
        rows.append(
            {
                "table": tab,
                "panel": panel,
                "column": col,
                "label": label,
                "outcome": "tcf" if tab == 6 else "quality",
                "model": model,
                "controls": not (tab in (4, 6) and col == "1"),
                "city_fe": city,
                "year_fe": year,
                "effects": _fe_text(city, year),
                "coef": float(c["value"]),
                "t": t,
                "stars": c["stars"],
                "se": float(c["value"]) / t,
                "factor_05": f05,
                "factor_05_t": be.se_factor(t, df=g - 1),
                "factor_01": be.se_factor(t, 0.01),
                "moulton_product": math.nan
                if (city or tab == 9 or f05 <= 1)
                else be.moulton_breakeven(f05, t_periods),
                "ar1_phi": math.nan
                if (tab == 9 or f05 <= 1)
                else be.serial_breakeven(f05, t_periods, demean=city),
            }
        )
    return pd.DataFrame(rows)


def _fmt(v: float, d: int = 2) -> str:
    return cell_text(v, d)


def se_sentence(frame: pd.DataFrame) -> str:
    """The chapter's sentence on how far the standard errors of ``inno`` would have to move.

    Reads :func:`inno_breakeven`; names the most and least fragile coefficient and the factor
    that would remove the three stars of the headline, Table 4 column (5).
    """
    n = len(frame)
    sig = frame[frame["factor_05"] > 1]
    weakest = frame.loc[frame["factor_05"].idxmin()]
    strongest = frame.loc[frame["factor_05"].idxmax()]
    head = frame[(frame["table"] == 4) & (frame["column"] == "5")].iloc[0]
    if len(sig) == n:
        first = (
            f"All {n} printed coefficients of `inno` are significant at 5%. The most fragile is "
            f"{weakest['label']} (t = {_fmt(weakest['t'])}): its standard error would have to grow "
            f"by a factor of {weakest['factor_05']:.2f}, that is by "
            f"{100 * (weakest['factor_05'] - 1):.0f}%, for significance at 5% to go. The most "
            f"robust, {strongest['label']} (t = {_fmt(strongest['t'])}), would need a factor of "
            f"{strongest['factor_05']:.2f}."
        )
    else:
        first = (
            f"{n - len(sig)} of the {n} printed coefficients of `inno` "
            f"{'is' if n - len(sig) == 1 else 'are'} not significant at 5% "
            f"as printed (the weakest, {weakest['label']}, has t = {_fmt(weakest['t'])}); the "
            f"others would need their standard errors to grow by at least "
            f"{sig['factor_05'].min():.2f}."
        )
    second = (
        f" The headline, {head['label']} (t = {_fmt(head['t'])}), keeps significance at 5% up to a "
        f"factor of {head['factor_05']:.2f} ({head['factor_05_t']:.2f} with the t(40) reference "
        "of clustered standard errors), but its three stars go with a factor of "
        f"{head['factor_01']:.2f}: a standard error {100 * (head['factor_01'] - 1):.0f}% larger."
    )
    return first + second


def clustering_sentence(frame: pd.DataFrame) -> str:
    """What within-city dependence would remove significance at 5%, from :func:`inno_breakeven`.

    Only the least-squares columns (Tables 4-6) are used; the statement is conditional on the
    printed t-statistics ignoring that dependence (heteroskedasticity-robust or classical SEs).
    """
    ols = frame[(frame["model"] == "OLS") & (frame["factor_05"] > 1)]
    fe = ols[ols["city_fe"]]
    pooled = ols[~ols["city_fe"]]
    parts = []
    if len(fe):
        reach = fe[fe["ar1_phi"].notna()]
        never = fe[fe["ar1_phi"].isna()]
        if len(reach):
            lo = reach.loc[reach["ar1_phi"].idxmin()]
            parts.append(
                f"In the {len(fe)} columns with city effects, a dependence that is constant within "
                "a city is absorbed by the effects; what clustering would pick up is serial "
                "correlation that fades over the years. If `inno` and the errors both followed an "
                "AR(1) within each city, the common coefficient that would remove significance at "
                f"5% is {lo['ar1_phi']:.2f} in {lo['label']}"
                + (
                    f", up to {reach['ar1_phi'].max():.2f} in "
                    f"{reach.loc[reach['ar1_phi'].idxmax(), 'label']}"
                    if len(reach) > 1
                    else ""
                )
                + "."
            )
        if len(never):
            labels = " and ".join(never["label"])
            parts.append(
                f"In {labels} no AR(1) coefficient would: with ten years the within "
                "transformation caps the inflation of the standard error at about "
                f"{be.serial_inflation(0.999, 0.999, 10):.2f}."
            )
    if len(pooled):
        hi = pooled.loc[pooled["moulton_product"].idxmax()]
        lo = pooled.loc[pooled["moulton_product"].idxmin()]
        parts.append(
            f"The {len(pooled)} columns without city effects that are significant at 5% are more "
            "exposed: by Moulton's formula "
            "a product of within-city correlations of `inno` and of the errors of "
            f"{lo['moulton_product']:.2f} ({lo['label']})"
            + (f" to {hi['moulton_product']:.2f} ({hi['label']})" if len(pooled) > 1 else "")
            + " would be enough; if `inno` were perfectly correlated within a city, that is the "
            "within-city correlation of the errors that would do it."
        )
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# Table 9
# --------------------------------------------------------------------------------------------


def _sar_printed(pub, panel: str) -> dict:
    out = {}
    for row in ("inno", "rho", "direct", "indirect", "total"):
        out[row] = pub.value(9, row, "SAR", "coef", panel)
        out[f"t_{row}"] = pub.value(9, row, "SAR", "t", panel)
    out["se_beta"] = out["inno"] / out["t_inno"]
    out["se_rho"] = out["rho"] / out["t_rho"]
    return out


def spatial_breakeven(pub, weights: dict[str, pd.DataFrame]) -> pd.DataFrame:
    r"""The SAR effects the printed :math:`\hat\beta` and :math:`\hat\rho` imply, and their limits.

    ``weights`` maps a Table 9 panel (``inverse_distance``, ``economic``) to the book's version
    of its weights matrix. One row per panel: the printed ``beta``, ``rho`` and their SEs
    (coef / t); the printed effects (``printed_*``) and t (``printed_t_*``); the implied effects
    (``direct``, ``indirect``, ``total``) with delta-method ``t_*`` for uncorrelated estimates;
    ``t_indirect_min``, ``t_indirect_max``: the range of that t over every correlation in
    [-1, 1]; ``corr_printed``: the correlation that reproduces the printed t of the indirect
    effect (``nan`` if none does); ``rho_lo``, ``rho_hi``: the values of :math:`\rho` between
    which the implied indirect effect is significant at 5% holding the printed SEs;
    ``rho_margin_se``: how many standard errors of :math:`\hat\rho` separate the printed
    :math:`\hat\rho` from ``rho_lo``; ``factor_indirect``: the factor by which both SEs would
    have to grow for the implied indirect effect to lose significance at 5%.
    """
    rows = []
    for panel, w in weights.items():
        p = _sar_printed(pub, panel)
        W = w.to_numpy(float) if isinstance(w, pd.DataFrame) else np.asarray(w, float)
        b, sb, r, sr = p["inno"], p["se_beta"], p["rho"], p["se_rho"]
        eff = be.sar_effects(b, sb, r, sr, W)
        tmin, tmax = be.sar_effect_t_range(b, sb, r, sr, W)
        lo, hi = be.significance_interval(b, sb, sr, W)
        row = {
            "panel": panel,
            "name": PANEL_NAMES[panel],
            "beta": b,
            "se_beta": sb,
            "rho": r,
            "se_rho": sr,
        }
        for e in be.EFFECTS:
            row[f"printed_{e}"] = p[e]
            row[f"printed_t_{e}"] = p[f"t_{e}"]
        for e in be.EFFECTS:
            row[e] = eff[e]
            row[f"se_{e}"] = eff[f"se_{e}"]
            row[f"t_{e}"] = eff[f"t_{e}"]
        row.update(
            t_indirect_min=tmin,
            t_indirect_max=tmax,
            corr_printed=be.implied_corr(b, sb, r, sr, W, p["t_indirect"]),
            rho_lo=lo,
            rho_hi=hi,
            rho_margin_se=(r - lo) / sr,
            factor_indirect=be.se_factor(eff["t_indirect"]),
        )
        rows.append(row)
    return pd.DataFrame(rows).set_index("panel")


def spillover_sentence(row: pd.Series) -> str:
    """One SAR column of :func:`spatial_breakeven` in words: does the spillover claim follow?"""
    name = row["name"]
    implied = (
        f"At the printed beta = {_fmt(row['beta'], 3)} and rho = {_fmt(row['rho'], 3)}, the "
        f"{name} SAR implies an indirect effect of {_fmt(row['indirect'], 3)}, with t = "
        f"{_fmt(row['t_indirect'])} if the two estimates are uncorrelated "
        f"({_fmt(row['t_indirect_min'])} to {_fmt(row['t_indirect_max'])} for any correlation)"
    )
    same_sign = np.sign(row["indirect"]) == np.sign(row["printed_indirect"])
    printed = (
        f"the printed {_fmt(row['printed_indirect'], 3)} (t = {_fmt(row['printed_t_indirect'])})"
    )
    if same_sign and abs(row["printed_t_indirect"]) > be.critical_value():
        agree = (
            f"; the paper prints {_fmt(row['printed_indirect'], 3)} (t = {_fmt(row['printed_t_indirect'])})"
            + (
                f", which a correlation of {_fmt(row['corr_printed'])} between the estimates reproduces."
                if not math.isnan(row["corr_printed"])
                else "."
            )
        )
    else:
        agree = (
            f", not {printed}: the printed effects did not come from the printed coefficient and "
            "rho (see the {ref}`audit <audit-sar-indirect-sign>`)."
        )
    if math.isnan(row["rho_lo"]):
        where = " Holding the printed standard errors, no rho in (0, 1) makes it significant at 5%."
    else:
        inside = row["rho_lo"] <= row["rho"] <= row["rho_hi"]
        up = (row["rho_hi"] - row["rho"]) / row["se_rho"]
        where = (
            f" Holding the printed standard errors, it is significant at 5% for rho between "
            f"{_fmt(row['rho_lo'])} and {_fmt(row['rho_hi'])}"
            + (
                f": rho would have to be overstated by {_fmt(row['rho'] - row['rho_lo'])} "
                f"({row['rho_margin_se']:.1f} of its standard errors)"
                + (
                    f", or understated by {_fmt(row['rho_hi'] - row['rho'], 3)} "
                    f"({up:.1f} standard errors, where 1/(1 - rho) makes the effect too "
                    "uncertain),"
                    if up < min(row["rho_margin_se"], 2.0)
                    else ""
                )
                + " for the spillover to lose significance, or both standard errors would have "
                f"to grow by a factor of {row['factor_indirect']:.2f}."
                if inside
                else ", a range the printed rho lies outside."
            )
        )
    return implied + agree + where


def weights_sweep(pub, panel: str, variants) -> pd.DataFrame:
    r"""The effects implied by one SAR column's printed :math:`\hat\beta, \hat\rho` under other W.

    ``variants`` are :class:`yrd.paper.sensitivity.Variant` (or objects with ``label`` and
    ``w``); matrices that are not row-standardised are skipped (their :math:`\rho` is on another
    scale). Holding :math:`\hat\beta` and :math:`\hat\rho` fixed isolates what W does: the total
    effect :math:`\beta/(1-\rho)` is the same for every row-standardised W, so W only moves the
    split between direct and indirect. Columns: ``label``, ``direct``, ``indirect``, ``total``,
    ``t_indirect`` (uncorrelated estimates) and ``share_indirect`` (indirect / total).
    """
    p = _sar_printed(pub, panel)
    rows = []
    for v in variants:
        W = v.w.to_numpy(float)
        if not np.allclose(W.sum(axis=1), 1.0):
            continue
        e = be.sar_effects(p["inno"], p["se_beta"], p["rho"], p["se_rho"], W)
        rows.append(
            {
                "label": v.label,
                "direct": e["direct"],
                "indirect": e["indirect"],
                "total": e["total"],
                "t_indirect": e["t_indirect"],
                "share_indirect": e["indirect"] / e["total"],
            }
        )
    return pd.DataFrame(rows)


def weights_sentence(sweep: pd.DataFrame, name: str) -> str:
    """:func:`weights_sweep` in words: how far the choice of W moves the implied spillover."""
    lo = sweep.loc[sweep["indirect"].idxmin()]
    hi = sweep.loc[sweep["indirect"].idxmax()]
    sig = int((sweep["t_indirect"].abs() > be.critical_value()).sum())
    sign = (
        "a positive spillover under all of them"
        if (sweep["indirect"] > 0).all()
        else "a spillover whose sign varies across them"
    )
    return (
        f"Across {len(sweep)} row-standardised matrices, the printed beta and rho of the {name} "
        f"SAR imply {sign}, from {_fmt(lo['indirect'], 3)} ({lo['label']}) to "
        f"{_fmt(hi['indirect'], 3)} ({hi['label']}), {100 * lo['share_indirect']:.0f}% to "
        f"{100 * hi['share_indirect']:.0f}% of the total effect; it is significant at 5% under "
        f"{sig} of the {len(sweep)} (uncorrelated estimates)."
    )


# --------------------------------------------------------------------------------------------
# the Monte Carlo's calibration
# --------------------------------------------------------------------------------------------


def published_mc_values(pub, panel: str, model: str = "SAR") -> dict:
    r"""Parameters of a Monte Carlo calibrated to one column of Table 9.

    ``inno``'s slope, :math:`\rho` (or :math:`\lambda`) and :math:`\sigma^2` are the printed
    values of Table 9 (``panel`` = ``inverse_distance`` or ``economic``, ``model`` = ``SAR`` or
    ``SEM``); Table 9 does not print the controls, so their slopes are those of Table 4 column
    (5), the same regression without the spatial term. Returns ``beta`` (dict), ``rho``,
    ``sigma2`` and ``model`` (lower case, as :func:`yrd.econ.montecarlo.design_from_values`
    takes it).
    """
    beta = {c: pub.value(4, c, "5") for c in regress.CONTROLS}
    beta["inno"] = pub.value(9, "inno", model, "coef", panel)
    return {
        "beta": beta,
        "rho": pub.value(9, "rho", model, "coef", panel),
        "sigma2": pub.value(9, "sigma2", model, "coef", panel),
        "model": model.lower(),
    }


def mc_sentence(summary: pd.DataFrame, label: str, lo_rho: float | None = None) -> str:
    """One Monte Carlo design (:func:`yrd.econ.montecarlo.summarize`) in words.

    States how far the direct (``xsmle``-style) estimator and the Lee-Yu one land from the true
    spatial parameter and how often the indirect effect is found, then what the direct
    estimator's bias means: when it cannot recover the parameter at all (bias beyond half the
    truth and coverage below one half), that the printed value is hard to reconcile with it;
    otherwise in which direction it pushes the spillover, against the break-even ``lo_rho`` of
    :func:`spatial_breakeven` when given.
    """
    r = summary.loc["rho"]
    text = (
        f"{label}: with the true spatial parameter at {_fmt(r['true'], 3)}, the direct estimator "
        f"averages {_fmt(r['mean'], 3)} (bias {_fmt(100 * r['rel_bias'], 1)}%, coverage of its "
        f"95% interval {r['coverage']:.2f})"
    )
    if "ly_rho" in summary.index:
        ly = summary.loc["ly_rho"]
        text += (
            f", the Lee-Yu estimator {_fmt(ly['mean'], 3)} (bias {_fmt(100 * ly['rel_bias'], 1)}%, "
            f"coverage {ly['coverage']:.2f}"
            + (f"; {int(ly['failed'])} fits ended on the bound" if ly["failed"] else "")
            + ")"
        )
    text += "."
    if "indirect" in summary.index:
        ind = summary.loc["indirect"]
        text += (
            f" The indirect effect of `inno` (true {_fmt(ind['true'], 3)}) is estimated at "
            f"{_fmt(ind['mean'], 3)} on average and found significant at 5% in "
            f"{100 * ind['reject']:.0f}% of the samples."
        )
    if abs(r["rel_bias"]) > 0.5 and r["coverage"] < 0.5:
        text += (
            " The direct estimator cannot recover a spatial parameter of this size with this "
            "matrix. A printed value this large from it means that the paper's matrix differs from "
            "the book's, or that its estimator was not the direct one, or that the truth lies far "
            "above the printed value; the tables cannot tell which."
        )
    elif r["bias"] < 0:
        text += (
            " The direct estimator understates the spatial parameter, so it errs towards finding "
            "too little spillover"
            + (
                f": a printed value above the break-even {_fmt(lo_rho)} is, if anything, "
                "conservative."
                if lo_rho is not None and not math.isnan(lo_rho)
                else "."
            )
        )
    else:
        text += (
            f" The direct estimator overstates the spatial parameter by {_fmt(r['bias'], 3)} on "
            "average, towards a spillover"
            + (
                f"; compare with the distance to the break-even {_fmt(lo_rho)}."
                if lo_rho is not None and not math.isnan(lo_rho)
                else "."
            )
        )
    return text


# --------------------------------------------------------------------------------------------
# the chapter's verdicts
# --------------------------------------------------------------------------------------------


def verdicts(frame: pd.DataFrame, spatial: pd.DataFrame, mc: dict[str, pd.DataFrame]) -> str:
    """The chapter's conclusions about the paper, as a numbered Markdown list.

    Built only from the published numbers (:func:`inno_breakeven`, :func:`spatial_breakeven`)
    and the Monte Carlo calibrated to them (``mc``: Table 9 panel -> the SAR design's
    :func:`yrd.econ.montecarlo.summarize`); nothing here reads the twin's estimates.
    """
    items = []
    n = len(frame)
    k = int((frame["factor_05"] > 1).sum())
    head = frame[(frame["table"] == 4) & (frame["column"] == "5")].iloc[0]
    text = (
        f"*`inno` and export quality (Tables 4-6 and 9).* The coefficient is significant at 5% in "
        f"{k} of the {n} printed columns. For the headline, {head['label']}, the standard error "
        f"would have to be {100 * (head['factor_05'] - 1):.0f}% larger to lose significance at 5% "
        f"and {100 * (head['factor_01'] - 1):.0f}% larger to lose the three stars."
    )
    if not math.isnan(head["ar1_phi"]):
        text += (
            " With city effects in the model, clustering by city would produce the first only if "
            "`inno` and the errors were both serially correlated within a city, with an AR(1) "
            f"coefficient of about {head['ar1_phi']:.2f}. The paper reports no such diagnostic and "
            "does not say which standard errors it uses (the {ref}`audit <audit-classical-t>` "
            "finds them robust, not classical). Standard errors decide significance, not the sign of the estimate."
        )
    items.append(text)
    for panel, row in spatial.iterrows():
        name = row["name"]
        printed_sig = abs(row["printed_t_indirect"]) > be.critical_value()
        consistent = np.sign(row["indirect"]) == np.sign(row["printed_indirect"])
        if consistent and printed_sig:
            text = (
                f"*Spillovers, {name} (Table 9).* The printed coefficient and rho imply the "
                f"printed indirect effect ({_fmt(row['indirect'], 3)} against "
                f"{_fmt(row['printed_indirect'], 3)}). It stays significant at 5% unless rho is "
                f"overstated by more than {_fmt(row['rho'] - row['rho_lo'])} "
                f"({row['rho_margin_se']:.1f} standard errors) or both standard errors are "
                f"{100 * (row['factor_indirect'] - 1):.0f}% larger."
            )
        elif not consistent:
            text = (
                f"*Spillovers, {name} (Table 9).* The printed indirect effect "
                f"({_fmt(row['printed_indirect'], 3)}) has the opposite sign to the one the printed "
                f"coefficient and rho imply ({_fmt(row['indirect'], 3)}, t = "
                f"{_fmt(row['t_indirect'])} for uncorrelated estimates); with a non-negative "
                "weights matrix no other sign is possible. The paper's reading of a negative "
                "spillover (a 'siphon' effect) rests on numbers its own estimates do not produce."
            )
        else:
            text = (
                f"*Spillovers, {name} (Table 9).* The printed indirect effect is not significant; "
                f"the printed coefficient and rho imply {_fmt(row['indirect'], 3)} (t = "
                f"{_fmt(row['t_indirect'])})."
            )
        s = mc.get(panel)
        if s is not None:
            r = s.loc["rho"]
            if abs(r["rel_bias"]) > 0.5 and r["coverage"] < 0.5:
                text += (
                    f" In the Monte Carlo, the direct estimator the paper most likely used cannot "
                    f"recover a rho of "
                    f"{_fmt(r['true'], 3)} with the book's {name} matrix (it averages "
                    f"{_fmt(r['mean'], 3)}): the printed rho is hard to reconcile with the book's reading "
                    "of the paper's matrix and estimator."
                )
            else:
                text += (
                    f" In the Monte Carlo, the direct estimator's rho is off by "
                    f"{_fmt(100 * r['rel_bias'], 0)}% on average"
                    + (
                        ", towards less spillover, not more."
                        if r["bias"] < 0
                        else ", towards more spillover."
                    )
                )
        items.append(text)
    return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))
