"""The fidelity report: every published cell of Tables 2-7 against the twin, at printed precision.

Everything is recomputed from ``data/twin/panel.csv`` with the estimators the result chapters
use (:func:`yrd.econ.regress.fit_column` for Tables 4-6, :func:`yrd.econ.winsor.winsorize` for Table 5).
A cell *matches* when the reproduced value lies inside the rounding box of the printed one,
``|reproduced - printed| <= 0.5 * 10**-decimals``. t-statistics are reported under each standard
error type (``classical``, ``hc1``, ``cluster``): under :data:`SE_CHOICE` (HC1, the covariance the
book argues the paper used) with the same printed-precision rule (two decimals: within 0.005),
under the other two with a 5 % relative tolerance, as a measurement only. The F statistic of
Tables 4-6 is reported under HC1 (statistic ``F:hc1``): the Wald F of every coefficient but the
constant, dummies included (``FEResult.f_wald_all``, what Stata prints after ``regress ...,
vce(robust)``), at printed precision. Plausibility checks are reported as rows of table
``plausibility`` (published = the threshold).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from yrd.data import published
from yrd.data.geo import load_inverse_distance
from yrd.econ.regress import CONTROLS, fit_column, fit_fe
from yrd.econ.winsor import winsorize
from yrd_twin.targets import N_CITY, N_YEAR, lag1_autocorr

COLUMNS = ["table", "cell", "statistic", "published", "reproduced", "match"]
SE_TYPES = ("classical", "hc1", "cluster")
#: Relative tolerance for t-statistics under the SE types other than :data:`SE_CHOICE` (measured,
#: not targets; under :data:`SE_CHOICE` a t-statistic must print as published).
T_TOL = 0.05
#: SE type the twin's t-statistics are compared under in the headline total.
SE_CHOICE = "hc1"
GROWTH = ("gdp", "wage", "human", "inno")


#: SE type of the F statistics reported (and targeted).
F_SE = "hc1"


def _in_box(rep: float, pub: float, decimals: int) -> bool:
    return bool(abs(rep - pub) <= 0.5 * 10.0 ** (-decimals) + 1e-12)


def t_match(rep: float, cell, se: str) -> bool:
    """Whether a reproduced t-statistic matches the published ``cell`` (a row of
    ``published.load().cells``): printed precision under :data:`SE_CHOICE`, within
    :data:`T_TOL` (relative) under the other SE types."""
    if se == SE_CHOICE:
        return _in_box(rep, cell["value"], int(cell["decimals"]))
    return bool(abs(rep - cell["value"]) <= T_TOL * abs(cell["value"]))


def moran_i(x: np.ndarray, W: np.ndarray) -> float:
    r"""Moran's I, :math:`I = \frac{n}{S_0}\frac{z'Wz}{z'z}` with :math:`z = x - \bar x`, W row-standardised.

    The statistic the spatial chapter reports (:func:`yrd.econ.moran.moran`), without its inference.
    """
    from yrd.econ.moran import moran

    return moran(np.asarray(x, float), pd.DataFrame(W), permutations=0)["I"]


def economic_weights(panel: pd.DataFrame, folder: Path | None = None) -> np.ndarray:
    """The twin's economic weights (``W_economic.csv`` if present, else rebuilt)."""
    if folder is not None and (Path(folder) / "W_economic.csv").exists():
        return pd.read_csv(Path(folder) / "W_economic.csv", index_col=0).to_numpy()
    from yrd.econ.weights import economic_distance

    return economic_distance(panel, "gdp").to_numpy()


def reproduce(panel: pd.DataFrame, folder: Path | None = None) -> dict:
    """Every reproduced statistic keyed like the published cells.

    Returns
    -------
    dict
        ``(table, panel, column, row, statistic) -> value``; t-statistics are keyed with
        statistic ``t:<se type>``.
    """
    out = {}
    panel = panel.sort_values(["city_code", "year"]).reset_index(drop=True)
    for v in published.VARIABLES:
        x = panel[v]
        for s, val in (
            ("mean", x.mean()),
            ("sd", x.std(ddof=1)),
            ("min", x.min()),
            ("median", x.median()),
            ("max", x.max()),
            ("obs", len(x)),
        ):
            out[(2, "", "", v, s)] = float(val)
    R = panel[list(published.VARIABLES)].corr()
    for a in published.VARIABLES:
        for b in published.VARIABLES:
            out[(3, "", b, a, "corr")] = float(R.loc[a, b])
    wins = panel.copy()
    for v in published.VARIABLES:
        wins[v] = winsorize(panel[v], 1, 99)
    jobs = [(4, c, panel, "quality") for c in "12345"] + [(6, c, panel, "tcf") for c in "12345"]
    jobs.append((5, "1", wins, "quality"))
    for table, col, data, y in jobs:
        for k, se in enumerate(SE_TYPES):
            if table == 5:
                res = fit_fe(data, y, ("inno", *CONTROLS), city=True, year=True, cov=se)
            else:
                res = fit_column(data, col, y=y, cov=se)
            for name in res.params.index:
                if k == 0:
                    out[(table, "", col, name, "coef")] = float(res.params[name])
                out[(table, "", col, name, f"t:{se}")] = float(res.tvalues[name])
            if k == 0:
                out[(table, "", col, "r2", "value")] = res.r2
                out[(table, "", col, "r2_a", "value")] = res.r2_a
                out[(table, "", col, "F", "value")] = res.f_slopes
            # the printed F: Wald F of every coefficient but the constant (dummies included)
            out[(table, "", col, "F", f"F:{se}")] = res.f_wald_all
    Wd = load_inverse_distance().to_numpy()
    We = economic_weights(panel, folder)
    for yr, g in panel.groupby("year"):
        x = g.sort_values("city_code")["quality"].to_numpy()
        out[(7, "", "inverse_distance", str(yr), "moran_i")] = moran_i(x, Wd)
        out[(7, "", "economic", str(yr), "moran_i")] = moran_i(x, We)
    return out


#: Yearly rises of the year mean required of a :data:`GROWTH` variable (9 of 9 unless listed).
#: ``human``: 8. With the real ``gdp``, ``wage`` and ``stru`` the design gives ``human``'s year
#: part a slightly negative covariance with theirs, and by Chebyshev's sum inequality a path
#: rising every year cannot covary negatively with paths that rise every year; its rise over the
#: decade is still required (see :func:`year_covariances`).
RISES_NEEDED = {"human": 8}


def plausibility(panel: pd.DataFrame) -> pd.DataFrame:
    """Plausibility checks: Shanghai's gdp, rising year means, spatial gdp, smooth paths."""
    panel = panel.sort_values(["city_code", "year"]).reset_index(drop=True)
    rows = []
    cm = panel.groupby("city_code")["gdp"].mean()
    rows.append(
        (
            "plausibility",
            "Shanghai has the largest city-mean gdp",
            "flag",
            1.0,
            float(cm.idxmax() == cm.index.min()),
            bool(cm.idxmax() == cm.index.min()),
        )
    )
    ym = panel.groupby("year")[list(published.VARIABLES)].mean()
    for v in GROWTH:
        d = np.diff(ym[v].to_numpy())
        rows.append(
            (
                "plausibility",
                f"{v}: year mean 2020 minus 2011",
                "min",
                0.0,
                float(ym[v].iloc[-1] - ym[v].iloc[0]),
                bool(ym[v].iloc[-1] > ym[v].iloc[0]),
            )
        )
        need = RISES_NEEDED.get(v, 9)
        rows.append(
            (
                "plausibility",
                f"{v}: year-on-year rises of the year mean (of 9)",
                "min",
                float(need),
                float(np.sum(d > 0)),
                bool(np.sum(d > 0) >= need),
            )
        )
    W = load_inverse_distance().to_numpy()
    mi = moran_i(cm.to_numpy(), W)
    rows.append(
        (
            "plausibility",
            "Moran's I of city-mean gdp (inverse distance)",
            "min",
            0.0,
            mi,
            bool(mi > 0),
        )
    )
    for v in (*published.VARIABLES, "tcf"):
        r1 = lag1_autocorr(panel[v].to_numpy())
        need = 0.5 if v in ("gdp", "wage", "human") else np.nan
        rows.append(
            (
                "plausibility",
                f"{v}: mean within-city lag-1 autocorrelation",
                "min",
                need,
                r1,
                bool(r1 >= 0.5) if v in ("gdp", "wage", "human") else True,
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)


#: Variables whose city means are compared, by rank, with the public city-mean ``gdp``.
RANKED = ("inno", "human", "quality")


def public_gdp_spearman(panel: pd.DataFrame, public: pd.DataFrame | None = None) -> pd.Series:
    """Spearman rank correlation of the twin's city means of :data:`RANKED` with the real
    (public, :func:`yrd.data.public.load_public`) city-mean ``gdp``.

    A plausibility measure, not a target: the paper prints nothing about it. For an anchored
    twin the real ``gdp`` is (up to the anchoring's few changes) the twin's own.
    """
    from yrd.data.public import load_public

    public = load_public() if public is None else public
    real = public.groupby("city_code")["gdp"].mean().rank()
    cm = panel.groupby("city_code")[list(RANKED)].mean().rank().reindex(real.index)
    return pd.Series({v: float(np.corrcoef(cm[v], real)[0, 1]) for v in RANKED}, name="spearman")


def year_covariances(panel: pd.DataFrame, v: str, others) -> pd.DataFrame:
    """Covariance (over the ten years, divisor 10) of the year mean of ``v`` with those of
    ``others``, and how many of each variable's nine yearly changes are rises.

    By Chebyshev's sum inequality two sequences that both rise every year have a nonnegative
    covariance; a negative one means at least one of the two falls somewhere.
    """
    ym = panel.groupby("year")[[v, *others]].mean()
    dev = ym - ym.mean()
    rises = (ym.diff().iloc[1:] > 0).sum()
    return pd.DataFrame(
        {
            f"covariance with {v}": [float((dev[v] * dev[o]).mean()) for o in others],
            "rises (of 9)": [int(rises[o]) for o in others],
            f"rises of {v} (of 9)": int(rises[v]),
        },
        index=pd.Index(list(others), name="year mean of"),
    )


def repeated_values(panel: pd.DataFrame) -> pd.DataFrame:
    """Per variable, the value repeated most often and how many rows hold it.

    Real data of this kind almost never repeat a value exactly; in the twin, repeats are the
    trace of order-statistic constraints met with equality (the printed median, the planned
    winsorization tails), shown in the chapter so nobody mistakes them for data.
    """
    rows = []
    for v in published.VARIABLES:
        counts = panel[v].value_counts(sort=True)
        top = counts.index[0]
        rows.append(
            {
                "variable": v,
                "value": float(top),
                "rows": int(counts.iloc[0]),
                "is_median": bool(top == panel[v].median()),
            }
        )
    return pd.DataFrame(rows).set_index("variable")


def spatial_distances(panel: pd.DataFrame, pub: published.Published) -> pd.DataFrame:
    """Tables 8-9 on the twin (not shaped): every numeric cell, published against reproduced.

    Computed exactly as the spatial chapter computes them (:mod:`yrd.paper.spatial_results`: LM tests
    on pooled residuals, two-way fixed-effects SEM / SAR with effects). Counts, flags and
    ``nobs`` are left out, as for Tables 2-7; ``match`` is the printed-precision rule of
    :func:`yrd.paper.compare.compare`. The distance is ``reproduced - published``.
    """
    from yrd.paper import spatial_results as sr

    ws = sr.weights_for(panel)
    t8 = sr.table8(panel, ws, pub.stars_levels(8))
    t9 = sr.table9(panel, sr.fit_table9(panel, ws), pub.stars_levels(9))
    comp = pd.concat([sr.reproduce(pub, 8, t8), sr.reproduce(pub, 9, t9)], ignore_index=True)
    comp = comp[(comp["statistic"] != "flag") & ~comp["row"].isin(["nobs", "n_ids"])]
    rows = []
    for _, c in comp.iterrows():
        cell = "|".join(str(x) for x in (c["panel"], c["column"], c["row"]) if x)
        stat = "t:spatial" if c["statistic"] == "t" else c["statistic"]
        rows.append(
            (
                str(c["table"]),
                cell,
                stat,
                float(c["published"]),
                float(c["reproduced"]),
                bool(c["match"]),
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)


#: The ``table`` label of the report's section holding every printed cell (:func:`printed_cells`).
PRINTED = "printed"


def printed_cells(panel: pd.DataFrame, pub: published.Published) -> pd.DataFrame:
    """Every printed cell of Tables 2-9 as the book's one fidelity figure counts it
    (:func:`yrd.paper.scoreboard.headline`): ``table`` is :data:`PRINTED`, ``cell`` is
    ``<table>|<panel>|<column>|<row>``, ``match`` is the printed-precision rule, and ``impossible``
    names the audit check that proves a cell unreachable by any data (empty otherwise).

    The same comparisons the chapters show (:func:`yrd.paper.scoreboard.reproduce_all`), so the
    report, the scoreboard and the twin chapter cannot count differently.
    """
    from yrd.paper import scoreboard

    comp = scoreboard.reproduce_all(pub, panel)
    scoreboard.headline(comp, pub)  # raises if an impossible cell is missing
    key = ["table", "panel", "column", "row", "statistic"]
    imp = scoreboard.impossible_cells(pub)
    comp = comp.merge(imp, on=key, how="left")
    out = pd.DataFrame(
        {
            "table": PRINTED,
            "cell": [
                "|".join(str(x) for x in (r.table, r.panel, r.column, r.row))
                for r in comp.itertuples()
            ],
            "statistic": comp["statistic"].to_numpy(),
            # flags (fixed effects "YES") have no number: NaN here, their match is the text's
            "published": pd.to_numeric(comp["published"], errors="coerce").to_numpy(),
            "reproduced": pd.to_numeric(comp["reproduced"], errors="coerce").to_numpy(),
            "match": comp["match"].astype(bool).to_numpy(),
            "impossible": comp["check"].fillna("").to_numpy(),
        }
    )
    return out


#: How :func:`spatial_view` names the parts of a Tables 8-9 report key.
SPATIAL_LABELS = {
    "inverse_distance": "inverse distance",
    "economic": "economic distance",
    "spatial_error": "LM error",
    "spatial_lag": "LM lag",
    "lm": "LM",
    "robust_lm": "robust LM",
    "rho": "rho / lambda",
}


def spatial_view(rep: pd.DataFrame) -> pd.DataFrame:
    """The report's Tables 8-9 rows laid out as the paper prints them: one column block per matrix.

    Report keys are ``test|weights|row`` (Table 8) and ``weights|model|row`` (Table 9). The result
    has one row per (table, test or model, row, statistic) and, for each weights matrix, the
    published value, the reproduced one and their difference (reproduced - published).
    """
    rows = []
    for r in rep[rep["table"].astype(str).isin(["8", "9"])].itertuples(index=False):
        first, second, row = str(r.cell).split("|")
        weights, what = (second, first) if str(r.table) == "8" else (first, second)
        stat = "t" if str(r.statistic).startswith("t:") else str(r.statistic)
        rows.append(
            (
                f"Table {r.table}",
                SPATIAL_LABELS.get(what, what),
                SPATIAL_LABELS.get(row, row),
                stat,
                SPATIAL_LABELS.get(weights, weights),
                float(r.published),
                float(r.reproduced),
                float(r.reproduced) - float(r.published),
            )
        )
    key = ["table", "test or model", "row", "statistic"]
    long = pd.DataFrame(rows, columns=[*key, "weights", "published", "reproduced", "difference"])
    wide = long.pivot(
        index=key, columns="weights", values=["published", "reproduced", "difference"]
    )
    order = [SPATIAL_LABELS[w] for w in ("inverse_distance", "economic")]
    wide = wide.swaplevel(axis=1).reindex(
        columns=pd.MultiIndex.from_product([order, ["published", "reproduced", "difference"]])
    )
    # the paper's order: by table, then test or model, row and statistic as they first appear
    rank = long[key].apply(lambda col: pd.Series(pd.factorize(col)[0], index=col.index))
    order_rows = long.assign(**{f"_{k}": rank[k] for k in key}).drop_duplicates(key)
    order_rows = order_rows.sort_values([f"_{k}" for k in key])
    return wide.loc[pd.MultiIndex.from_frame(order_rows[key])]


def fidelity(
    folder: Path | None = None,
    panel: pd.DataFrame | None = None,
    pub: published.Published | None = None,
) -> pd.DataFrame:
    """The fidelity report (``reports/fidelity.csv``): one row per published target.

    Rows: every numeric cell of Tables 2-7 except ``nobs``/``F``/flags and Table 3's diagonal
    (statistic as published); every t-statistic under each SE type (statistic ``t:<type>``,
    matched by :func:`t_match`); the F of Tables 4-6 under HC1 (statistic ``F:hc1``, cell
    ``<column>|F``, at printed precision); the distances of Tables 8-9, which the twin is not
    shaped to (:func:`spatial_distances`; their t-statistics as ``t:spatial``); then the
    plausibility checks; last, every printed cell of Tables 2-9 (:func:`printed_cells`, ``table``
    :data:`PRINTED`), the book's one fidelity figure.
    """
    from yrd_twin import TWIN_DIR

    folder = Path(folder) if folder is not None else TWIN_DIR
    if panel is None:
        panel = pd.read_csv(folder / "panel.csv")
    pub = pub or published.load()
    rep = reproduce(panel, folder)
    rows = []
    for _, c in pub.cells[pub.cells["table"].between(2, 7)].iterrows():
        if c["statistic"] in ("flag", "obs") or c["row"] in ("nobs", "F"):
            continue
        if c["table"] == 3 and c["row"] == c["column"]:
            continue
        cell = "|".join(x for x in (c["panel"], c["column"], c["row"]) if x)
        if c["statistic"] == "t":
            for se in SE_TYPES:
                r = rep.get((c["table"], c["panel"], c["column"], c["row"], f"t:{se}"), np.nan)
                rows.append((c["table"], cell, f"t:{se}", c["value"], r, t_match(r, c, se)))
            continue
        r = rep.get((c["table"], c["panel"], c["column"], c["row"], c["statistic"]), np.nan)
        rows.append(
            (
                c["table"],
                cell,
                c["statistic"],
                c["value"],
                r,
                _in_box(r, c["value"], int(c["decimals"])),
            )
        )
    for _, c in pub.cells[pub.cells["table"].between(4, 6) & (pub.cells["row"] == "F")].iterrows():
        r = rep.get((c["table"], "", c["column"], "F", f"F:{F_SE}"), np.nan)
        ok = _in_box(r, c["value"], int(c["decimals"]))
        rows.append((c["table"], f"{c['column']}|F", f"F:{F_SE}", c["value"], r, ok))
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["table"] = df["table"].astype(str)
    parts = [df, spatial_distances(panel, pub), plausibility(panel), printed_cells(panel, pub)]
    out = pd.concat(parts, ignore_index=True)
    out["impossible"] = out["impossible"].fillna("")
    return out


def spatial_targets() -> set[tuple[str, str, str]]:
    """The cells of Tables 8-9 the twin is fitted to, keyed as the report keys them (table, cell,
    statistic): Table 8's :data:`yrd_twin.targets.LM_CELLS`.

    Not the Table 9 cells of :data:`yrd.data.twinfit.REACHED`: which cells
    :func:`yrd_twin.generate.polish_table9` brings in depends on the last bits of the arithmetic
    (measured on an earlier version of the stage: under OpenBLAS's Sandybridge kernel seed 2
    brought in none of the three cells it brought in here), so a twin made on another CPU is not
    refused for them; the committed twin's are checked by the tests (``tests/test_reach.py``)."""
    from yrd.paper.spatial_results import LM_ROWS
    from yrd_twin.targets import LM_CELLS

    where = {test: key for key, test in LM_ROWS.items()}
    return {
        ("8", f"{where[test][0]}|{w}|{where[test][1]}", "lm")
        for w, tests in LM_CELLS.items()
        for test in tests
    }


def targets(rep: pd.DataFrame, se: str = SE_CHOICE) -> pd.DataFrame:
    """The rows of a fidelity report the twin is built to match.

    Every cell of Tables 2-7 at printed precision, every t-statistic under ``se`` and every
    HC1 F of Tables 4-6 at printed precision, the cells of Tables 8-9 of :func:`spatial_targets`,
    and every plausibility check; the rest of Tables 8-9 and the t-statistics under other SE
    types are measured only.
    """
    stat = rep["statistic"].astype(str)
    cells = rep["table"].isin(list("234567")) & ~stat.str.startswith(("t:", "F:"))
    keep = cells | (stat == f"t:{se}") | (stat == f"F:{F_SE}") | (rep["table"] == "plausibility")
    sp = spatial_targets()
    keep |= pd.Series(
        [k in sp for k in zip(rep["table"].astype(str), rep["cell"], stat, strict=True)],
        index=rep.index,
    )
    return rep[keep]


def missed(rep: pd.DataFrame, se: str = SE_CHOICE) -> pd.DataFrame:
    """The targets (:func:`targets`) a report does not match; empty when the twin reaches all."""
    t = targets(rep, se)
    return t[~t["match"].astype(bool)]


def summary(rep: pd.DataFrame, se: str = SE_CHOICE) -> str:
    """One-line total: cells matched per table, t-statistics under ``se``, plausibility."""
    parts = []
    stat = rep["statistic"].astype(str)
    main = rep[~stat.str.startswith(("t:", "F:")) & rep["table"].isin(list("234567"))]
    for tab, g in main.groupby("table", sort=True):
        parts.append(f"T{tab} {int(g['match'].sum())}/{len(g)}")
    tt = rep[rep["statistic"] == f"t:{se}"]
    ff = rep[rep["statistic"] == f"F:{F_SE}"]
    pl = rep[rep["table"] == "plausibility"]
    core = main[main["table"].isin(["2", "3", "4", "5", "6"])]
    spatial = rep[rep["table"].isin(["8", "9"])]
    sp = spatial_targets()
    fitted = spatial[
        [
            k in sp
            for k in zip(
                spatial["table"].astype(str), spatial["cell"], spatial["statistic"], strict=True
            )
        ]
    ]
    return (
        f"fidelity: Tables 2-6 {int(core['match'].sum())}/{len(core)} cells; "
        + ", ".join(parts)
        + f"; t ({se}, printed precision) {int(tt['match'].sum())}/{len(tt)}"
        + f"; F ({F_SE}) {int(ff['match'].sum())}/{len(ff)}"
        + "; t (best of types) "
        + str(
            int(
                rep[stat.str.startswith("t:") & rep["table"].isin(["4", "5", "6"])]
                .groupby(["table", "cell"])["match"]
                .any()
                .sum()
            )
        )
        + f"; plausibility {int(pl['match'].sum())}/{len(pl)}"
        + f"; Tables 8-9 fitted {int(fitted['match'].sum())}/{len(fitted)}, all "
        + f"{int(spatial['match'].sum())}/{len(spatial)}"
    )


__all__ = [
    "fidelity",
    "missed",
    "targets",
    "t_match",
    "moran_i",
    "plausibility",
    "printed_cells",
    "public_gdp_spearman",
    "year_covariances",
    "repeated_values",
    "reproduce",
    "spatial_distances",
    "summary",
    "N_CITY",
    "N_YEAR",
]
