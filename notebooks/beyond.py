# ---
# jupyter:
#   jupytext:
#     formats: py:percent,ipynb
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# (beyond)=
# # Would the conclusion survive? What the printed numbers can bear
#
# The paper {cite}`yrd_paper` makes two claims. Innovation cooperation raises export quality: the
# coefficient of `inno` is positive and starred in every column of Tables 4-6 and 9. And the effect
# spills over to other cities: under the economic-distance matrix the indirect effect of Table 9 is
# positive and significant, while under inverse distance it is negative and insignificant, which the
# paper reads as a "siphon" effect of the central cities.
#
# Both claims rest on choices the paper does not discuss: which standard errors, which weights
# matrix, which estimator. Without the paper's data nobody can re-run its regressions with other
# choices. What one *can* do is ask how far each choice would have to move the printed numbers for
# the conclusion to change, and whether such a move is plausible. This chapter does that in two
# parts, and keeps them apart:
#
# - **From the published numbers.** Every statement about the paper comes from its printed
#   coefficients and t-statistics (read from `data/published/`), the geography of the 41 cities and
#   public GDP figures: by how much each standard error would have to grow before significance goes
#   ({ref}`break-even factors <beyond-se>`), what dependence within a city would produce that
#   ({ref}`clustering <beyond-clustering>`), what the printed spatial estimates imply for the
#   spillover and how far they can move ({ref}`spatial effects <beyond-spatial>`), and whether the
#   spatial estimator can be trusted, with a Monte Carlo calibrated to the paper's Table 9
#   ({ref}`Monte Carlo <beyond-montecarlo>`).
# - **Demonstrations on the twin.** The same tools a reader with the real panel would apply: six
#   kinds of standard error ({ref}`standard errors <beyond-inference>`), eight weights matrices
#   ({ref}`weights <beyond-weights>`) and a specification curve over every combination the book's
#   library can estimate ({ref}`specification curve <beyond-speccurve>`). They run on the synthetic
#   twin and show how the methods work; their numbers say nothing about the cities.
#
# The {ref}`verdicts <beyond-verdicts>` at the end use the first part only.

# %% tags=["remove-input"]
# Set-up: makes `import yrd` work wherever this notebook runs (see yrd_book.launch).
# Inside the book's repository it does nothing; outside it (Colab, Binder) it clones the repository
# and installs the requirements.
import importlib.util
import subprocess
import sys
from pathlib import Path

REPOSITORY = ""  # _config.yml: repository.url
if importlib.util.find_spec("yrd") is None:
    here = [Path.cwd(), *Path.cwd().parents]
    lib = next((p / "lib" for p in here if (p / "lib" / "yrd" / "__init__.py").exists()), None)
    if lib is None and not REPOSITORY:
        raise ModuleNotFoundError(
            "This notebook needs the book's package `yrd`: open it from a clone of the book's "
            "repository (its address is not published yet)."
        )
    if lib is None:
        clone = Path("yrd-book").resolve()
        if not clone.exists():
            subprocess.run(["git", "clone", "--depth", "1", REPOSITORY, str(clone)], check=True)
        if importlib.util.find_spec("linearmodels") is None:
            pip = [sys.executable, "-m", "pip", "install", "-q", "-r"]
            subprocess.run([*pip, str(clone / "requirements.txt")], check=True)
        lib = clone / "lib"
    sys.path.insert(0, str(lib))

# %% tags=["hide-input"]
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown
from myst_nb import glue

from yrd.data import geo, public, published
from yrd.data.panel import load_panel
from yrd.econ import breakeven, inference, montecarlo, regress, speccurve, weights
from yrd.paper import breakeven as pbreak
from yrd.paper import sensitivity
from yrd.report import pages, tables
from yrd.report.speccurve import plot_curve

pd.set_option("display.max_colwidth", None)  # text cells in full: some carry sentences

SEED = montecarlo.BOOK_SEED
X_VARS = ["inno", *regress.CONTROLS]

df = load_panel()
pub = published.load()
cities = geo.load_cities()
polygons = geo.load_polygons()
seat_centroids = geo.seat_centroid_distances(cities)
public_panel = public.load_public()


def fmt(v: float, d: int = 3) -> str:
    return tables.cell_text(v, d)  # true minus sign, no sign on a rounded zero


# %% tags=["remove-input"]
Markdown(
    pages.data_banner(
        df,
        twin_note="On this page it serves only the demonstrations, whose figures and tables say "
        "(twin); the statements about the paper are computed from its printed tables.",
    )
)

# %% [markdown]
# (beyond-se)=
# ## How much larger could the standard errors be?
#
# A coefficient $\hat\beta$ printed with the t-statistic $t = \hat\beta/\widehat{se}$ is significant at
# level $\alpha$ as long as $|t| > c_\alpha$, the critical value (1.96 at 5% with a normal reference,
# 2.58 at 1%). If another way of computing the standard error multiplied it by $f$, the t-statistic
# would become $t/f$, so the estimate loses significance once
#
# $$
# f > f^* = \frac{|t|}{c_\alpha}.
# $$ (eq-beyond-factor)
#
# $f^*$ is the **break-even factor**: the margin a printed t-statistic leaves for a less optimistic
# standard error. It needs only the printed t. {numref}`tbl-beyond-factors` computes it for all 15
# coefficients of `inno` in the paper, at 5% with the normal reference, at 5% with Student's
# $t(40)$ (the reference Stata uses for standard errors clustered by the 41 cities), and at 1%,
# where the three stars go. The printed t-statistics are rounded to two decimals, which moves each
# factor by at most 0.003.

# %% tags=["hide-input"]
be_frame = pbreak.inno_breakeven(pub)
Markdown(
    tables.to_myst_table(
        pd.DataFrame(
            {
                "fixed effects": be_frame["effects"].to_numpy(),
                "coefficient": [
                    tables.cell_text(c, 3, s)
                    for c, s in zip(be_frame["coef"], be_frame["stars"], strict=True)
                ],
                "t": be_frame["t"].map(lambda v: fmt(v, 2)).to_numpy(),
                "implied SE": be_frame["se"].map(lambda v: f"{v:.4f}").to_numpy(),
                "f* at 5%": be_frame["factor_05"].map(lambda v: f"{v:.2f}").to_numpy(),
                "f* at 5%, t(40)": be_frame["factor_05_t"].map(lambda v: f"{v:.2f}").to_numpy(),
                "f* at 1%": be_frame["factor_01"].map(lambda v: f"{v:.2f}").to_numpy(),
            },
            index=be_frame["label"].to_numpy(),
        ),
        "Break-even factors of every printed coefficient of inno, from the published tables: the "
        "factor by which its standard error would have to grow for significance to go. Below 1: "
        "not significant at that level as printed. Table 6 has the alternative outcome (tcf).",
        "tbl-beyond-factors",
        index_name="Printed coefficient",
    )
)

# %% tags=["remove-input"]
Markdown(pbreak.se_sentence(be_frame))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Break-even factors of the 15 printed coefficients of inno, computed from the published tables: by how much each standard error could grow before the coefficient loses significance at 5% (filled) or 1% (open). Left of the dashed line: not significant at that level as printed.", "name": "fig-beyond-factors"}}
fig, ax = plt.subplots(figsize=(8, 5), facecolor="white")
ypos = np.arange(len(be_frame))[::-1]
ax.hlines(ypos, be_frame["factor_01"], be_frame["factor_05"], color="#bbbbbb", lw=2)
ax.plot(be_frame["factor_05"], ypos, "o", color="tab:blue", label="5%")
ax.plot(be_frame["factor_01"], ypos, "o", mfc="white", color="tab:blue", label="1%")
ax.axvline(1, color="black", ls="--", lw=0.8)
ax.set_yticks(ypos, be_frame["label"])
ax.set_xlabel("break-even factor f* (standard error may grow by this factor)")
ax.legend(title="significance at", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Which standard errors did the paper print? It does not say. The audit shows that they are not the
# classical ones and that the tables cannot tell heteroskedasticity-robust (HC) from clustered
# errors ({ref}`audit-classical-t`). If they are HC, the factors above are the room left for
# clustering by city; if they are already clustered, they are the room left for dependence that
# clustering by city misses, such as common shocks across cities in a year.

# %% [markdown]
# (beyond-clustering)=
# ## What dependence within a city would use up that margin?
#
# Clustering by city lets the errors of a city be correlated over its ten years. How much that
# inflates the standard error depends on how correlated the regressor is within a city as well.
# Moulton {cite}`moulton1990` gives the factor for a regression without city effects when every pair
# of years of a city is equally correlated, $\rho_x$ for the regressor and $\rho_u$ for the errors,
# with $m$ years per city {cite}`cameron2015`:
#
# $$
# \frac{se_{\text{cluster}}}{se_{\text{independent}}} \approx \sqrt{1 + (m-1)\,\rho_x\rho_u}.
# $$ (eq-beyond-moulton)
#
# Setting it equal to $f^*$ gives the break-even product $\rho_x\rho_u = (f^{*2}-1)/(m-1)$. With
# city effects this formula does not apply: a correlation that is the same for every pair of years is
# a city-level component, and the city effects remove it. What clustering still picks up is
# correlation that fades with the distance between years. For a first-order autoregression (AR(1))
# with coefficient $\phi_x$ in the regressor and $\phi_u$ in the errors, let $R_x$, $R_u$ be their
# $T \times T$ correlation matrices, $Q = I_T - \iota\iota'/T$ the within transformation, and
# $A = QR_xQ$, $B = QR_uQ$. With many cities, the ratio of the clustered to the HC standard error is
#
# $$
# \sqrt{\frac{\operatorname{tr}(AB)}{\sum_t A_{tt}B_{tt}}},
# $$ (eq-beyond-ar1)
#
# which is Moulton's factor again with $Q = I_T$ and equal correlations
# (`yrd.econ.breakeven.serial_inflation`, checked against a simulation in `tests/test_breakeven.py`).
# Persistent errors are the usual case in panels of this kind {cite}`bertrand2004`.
# {numref}`tbl-beyond-clustering` gives the break-even values for the least-squares columns; the
# spatial models of Table 9 are left out because the algebra is that of least squares.

# %% tags=["hide-input"]
ols_rows = be_frame[be_frame["model"] == "OLS"]
Markdown(
    tables.to_myst_table(
        pd.DataFrame(
            {
                "fixed effects": ols_rows["effects"].to_numpy(),
                "f* at 5%": ols_rows["factor_05"].map(lambda v: f"{v:.2f}").to_numpy(),
                "Moulton rho_x rho_u": [
                    "" if f <= 1 else ("absorbed" if pd.isna(v) else f"{v:.3f}")
                    for f, v in zip(ols_rows["factor_05"], ols_rows["moulton_product"], strict=True)
                ],
                "AR(1) phi_x = phi_u": [
                    "" if f <= 1 else ("none reaches f*" if pd.isna(v) else f"{v:.2f}")
                    for f, v in zip(ols_rows["factor_05"], ols_rows["ar1_phi"], strict=True)
                ],
            },
            index=ols_rows["label"].to_numpy(),
        ),
        "Within-city dependence that would remove significance at 5% under clustering by city, "
        "computed from the published t-statistics (m = T = 10 years). Moulton: the product of the "
        "equal within-city correlations of inno and of the errors (columns without city effects). "
        "AR(1): the common autoregressive coefficient of inno and the errors. Table 6 (4) is left "
        "blank: not significant at 5% as printed.",
        "tbl-beyond-clustering",
        index_name="Printed coefficient",
    )
)

# %% tags=["remove-input"]
Markdown(pbreak.clustering_sentence(be_frame))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "How much clustering by city inflates the standard error when inno and the errors both follow an AR(1) with coefficient phi within a city (T = 10), with and without city effects, against the break-even factors of two printed columns (from the published tables).", "name": "fig-beyond-ar1"}}
phis = np.linspace(0, 0.99, 100)
fig, ax = plt.subplots(figsize=(7, 4.2), facecolor="white")
ax.plot(phis, [breakeven.serial_inflation(p, p, 10) for p in phis], label="with city effects")
ax.plot(
    phis,
    [breakeven.serial_inflation(p, p, 10, demean=False) for p in phis],
    label="without city effects",
)
for col, ls in (("5", "--"), ("4", ":")):
    r = be_frame[(be_frame["table"] == 4) & (be_frame["column"] == col)].iloc[0]
    ax.axhline(r["factor_05"], color="tab:red", ls=ls, lw=1, label=f"f* of {r['label']}")
ax.set_xlabel("AR(1) coefficient phi of inno and of the errors")
ax.set_ylabel("clustered SE / HC SE")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Two readings follow, both conditional on what the paper does not report. In the columns with both
# fixed effects, the headline included, significance at 5% survives unless `inno` and the errors
# are strongly persistent within a city over and above the city effect. The pooled columns have
# almost no margin (and Table 6 (4) is not significant at 5% even as printed). The three stars always
# go first: the factor at 1% is $1.96/2.58 = 0.76$ times the factor at 5%
# ({numref}`tbl-beyond-factors`).

# %% [markdown]
# (beyond-spatial)=
# ## What the printed spatial estimates imply
#
# Table 9 estimates the spatial-lag (SAR) model with city and year effects,
#
# $$
# y_t = \rho W y_t + X_t\beta + \mu + \lambda_t\iota_N + \varepsilon_t ,
# $$ (eq-beyond-sar)
#
# where $y_t$ stacks the 41 cities' `quality` in year $t$, $X_t$ holds `inno` and the nine controls,
# $W$ is a $41 \times 41$ weights matrix, $\rho$ the spatial parameter, $\mu$ the city effects,
# $\lambda_t$ the year effect and $\iota_N$ a vector of ones {cite}`elhorst2014`. A change in `inno`
# moves `quality` everywhere through $S = (I - \rho W)^{-1}$. LeSage and Pace {cite}`lesage2009`
# summarise it by the direct effect $\beta\,m_D(\rho)$, with $m_D = \operatorname{tr}(S)/N$, the
# total effect $\beta\,m_T(\rho)$, with $m_T = \iota'S\iota/N$ ($=1/(1-\rho)$ when the rows of $W$ sum
# to one), and the indirect effect (the spillover), their difference. Given $\hat\beta$ and
# $\hat\rho$, the effects are arithmetic, and the delta method gives their standard errors from those
# of $\hat\beta$ and $\hat\rho$, printed as coefficient over t:
#
# $$
# \mathrm{Var}(\beta m) \approx m^2\,se_\beta^2 + \beta^2 m'^2\,se_\rho^2
#   + 2r\,m\,\beta m'\,se_\beta\,se_\rho ,
# $$ (eq-beyond-delta)
#
# where $r$, the correlation of $\hat\beta$ and $\hat\rho$, is not printed; the page shows the case
# $r = 0$ and the range over every $r$ in $[-1, 1]$.
#
# Only $m_D$ needs the weights matrix itself. The book uses its versions of the paper's two: inverse
# distance between the city seats (from the cities' coordinates, {ref}`data-construction`) and
# economic distance, $1/|\bar g_i - \bar g_j|$ with $\bar g$ a city's mean log GDP, here from the
# public GDP figures of `data/public/` rather than from the twin. The paper does not define either
# matrix, so $m_D$ and its derivative are the one ingredient that is the book's reading; $m_T$ is
# not.

# %% tags=["hide-input"]
W_inv = geo.load_inverse_distance()
W_eco = weights.economic_distance(public_panel)
spatial = pbreak.spatial_breakeven(pub, {"inverse_distance": W_inv, "economic": W_eco})


def eff(v, t):
    return f"{fmt(v, 3)} [{fmt(t, 2)}]"


sp_grid = pd.DataFrame(
    {
        name: {
            "beta inno, rho (printed)": f"{fmt(r['beta'], 3)}, {fmt(r['rho'], 3)}",
            **{
                f"{e} effect, printed [t]": eff(r[f"printed_{e}"], r[f"printed_t_{e}"])
                for e in ("direct", "indirect", "total")
            },
            **{
                f"{e} effect, implied [t, r = 0]": eff(r[e], r[f"t_{e}"])
                for e in ("direct", "indirect", "total")
            },
            "t of the indirect effect, any r": f"{fmt(r['t_indirect_min'], 2)} to "
            f"{fmt(r['t_indirect_max'], 2)}",
            "r that gives the printed t": "none"
            if pd.isna(r["corr_printed"])
            else fmt(r["corr_printed"], 2),
            "rho with a significant spillover": f"{fmt(r['rho_lo'], 2)} to {fmt(r['rho_hi'], 2)}",
            "f* of the implied spillover": f"{r['factor_indirect']:.2f}",
        }
        for name, r in zip(spatial["name"], spatial.to_dict("records"), strict=True)
    }
)
Markdown(
    tables.to_myst_table(
        sp_grid,
        "The SAR columns of Table 9: the effects of inno as printed and as implied by the printed "
        "beta and rho (delta method, uncorrelated estimates), the range of rho over which the implied "
        "spillover is significant at 5% holding the printed standard errors, and the factor by which "
        "both standard errors would have to grow for it to lose significance. From the published "
        "tables, the cities' coordinates and public GDP.",
        "tbl-beyond-spatial",
        index_name="SAR, weights",
    )
)

# %% tags=["remove-input"]
Markdown("\n\n".join(pbreak.spillover_sentence(r) for _, r in spatial.iterrows()))

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The t-statistic of the indirect effect of inno implied by the printed beta and standard errors of Table 9, as a function of rho, under each weights matrix: line for uncorrelated estimates, band for every correlation in [-1, 1]. Crosses: the printed rho; dashed: 1.96. From the published tables, the cities' coordinates and public GDP.", "name": "fig-beyond-spatial"}}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True, facecolor="white")
rhos = np.linspace(0.01, 0.95, 95)
for ax, (panel, W) in zip(axes, (("inverse_distance", W_inv), ("economic", W_eco)), strict=True):
    r = spatial.loc[panel]
    t0 = [
        breakeven.sar_effects(r["beta"], r["se_beta"], x, r["se_rho"], W.to_numpy())["t_indirect"]
        for x in rhos
    ]
    band = [
        breakeven.sar_effect_t_range(r["beta"], r["se_beta"], x, r["se_rho"], W.to_numpy())
        for x in rhos
    ]
    ax.fill_between(rhos, [b[0] for b in band], np.minimum([b[1] for b in band], 8), alpha=0.2)
    ax.plot(rhos, t0, color="tab:blue")
    ax.axhline(1.959964, color="tab:red", ls="--", lw=1)
    t_at = breakeven.sar_effects(r["beta"], r["se_beta"], r["rho"], r["se_rho"], W.to_numpy())
    ax.plot([r["rho"]], [t_at["t_indirect"]], "x", color="black", ms=9)
    ax.set_title(r["name"])
    ax.set_xlabel("rho")
    ax.set_ylim(0, 8)
axes[0].set_ylabel("t of the implied indirect effect")
fig.tight_layout()
plt.show()

# %% [markdown]
# How much does the choice of $W$ matter, holding the printed $\hat\beta$ and $\hat\rho$? For any
# weights matrix whose rows sum to one the total effect is $\beta/(1-\rho)$, so $W$ can only move the
# split between direct and indirect effects, and for any non-negative $W$ with $0 < \rho < 1$ the
# spillover has the sign of $\beta$ ({ref}`audit-sar-indirect-sign`). {numref}`tbl-beyond-sweep`
# shows the split under the row-standardised matrices of the
# {ref}`weights demonstration <beyond-weights>`, built from geography and public GDP.
# (Re-estimating with another $W$ would also move $\hat\beta$ and $\hat\rho$; only the paper's data
# can say by how much.)

# %% tags=["hide-input"]
variants = sensitivity.weight_variants(cities, seat_centroids, polygons, df)
pub_variants = sensitivity.with_economic(variants, public_panel)  # public GDP, not the twin's
sweeps = {p: pbreak.weights_sweep(pub, p, pub_variants) for p in ("economic", "inverse_distance")}
sweep_grid = pd.DataFrame(
    {
        f"{pbreak.PANEL_NAMES[p]}: {c}": s.set_index("label")[col].map(f)
        for p, s in sweeps.items()
        for c, col, f in (
            ("indirect", "indirect", lambda v: fmt(v, 3)),
            ("t", "t_indirect", lambda v: fmt(v, 2)),
            ("share of total", "share_indirect", lambda v: f"{100 * v:.0f}%"),
        )
    }
)
Markdown(
    tables.to_myst_table(
        sweep_grid,
        "The indirect effect of inno implied by the printed beta and rho of each SAR column of "
        "Table 9 under other row-standardised weights matrices (t for uncorrelated estimates; share "
        "of the total effect). From the published tables, the cities' geography and public GDP.",
        "tbl-beyond-sweep",
        index_name="W",
    )
)

# %% tags=["remove-input"]
Markdown(" ".join(pbreak.weights_sentence(s, pbreak.PANEL_NAMES[p]) for p, s in sweeps.items()))

# %% [markdown]
# (beyond-montecarlo)=
# ## Would the estimator find these values?
#
# The break-even values take the printed $\hat\rho$ at face value. Maximum likelihood for spatial
# panels is justified by large-sample theory, and here $N = 41$, $T = 10$ and the fixed effects add
# 50 nuisance parameters. Lee and Yu {cite}`leeyu2010` show that the direct estimator, which demeans
# the data and maximises the usual likelihood (`xsmle`'s `fe type(both)`, which the paper most likely
# used, see {ref}`spatial-tables`), is biased with year effects, and propose a transformation that is
# not (`lee_yu=True` in `yrd.econ.spatial.fit_panel`).
#
# A Monte Carlo asks how the two estimators behave **if the paper's estimates were the truth**. The
# data-generating process is {eq}`eq-beyond-sar` with the parameters printed in each SAR column of
# Table 9: $\beta_{inno}$, $\rho$ and $\sigma^2$; Table 9 does not print the controls' coefficients,
# so they are those of Table 4 column (5). The weights are the book's matrices of the previous section. The
# regressors are held fixed across replications and, lacking the paper's, are the twin's, whose
# moments match Table 2. The fixed effects are set to zero because the within transformation removes
# them exactly (a test in `tests/test_montecarlo.py` checks it). Each replication draws new errors
# $\varepsilon_t \sim N(0, \sigma^2 I)$ from a seeded generator, builds $y$ and re-estimates the
# model both ways. Bias is the mean estimate minus the true value; coverage is the share of
# replications whose nominal 95% interval contains the true value; "significant" is the share whose
# interval excludes zero. (The spatial-error columns of Table 9 are an exercise.)

# %% tags=["remove-stderr"]
REPS = int(os.environ.get("YRD_MC_REPS", "80"))
MC_DESIGNS = {
    "SAR, inverse distance": ("inverse_distance", "SAR", W_inv),
    "SAR, economic distance": ("economic", "SAR", W_eco),
}
mc, mc_draws, mc_truth = {}, {}, {}
for i, (name, (panel, model, W)) in enumerate(MC_DESIGNS.items()):
    values = pbreak.published_mc_values(pub, panel, model)
    design = montecarlo.design_from_values(
        df,
        X_VARS,
        W,
        values["beta"],
        values["rho"],
        values["sigma2"],
        model=values["model"],
    )
    mc_truth[name] = montecarlo.true_effects(design, "inno")
    mc_draws[name] = montecarlo.run(design, "inno", REPS, SEED + i, progress=False)
    mc[name] = montecarlo.summarize(mc_draws[name], mc_truth[name])

# %% tags=["hide-input"]
LABELS = {
    "rho": "spatial parameter, direct ML",
    "ly_rho": "spatial parameter, Lee-Yu",
    "beta": "beta inno, direct ML",
    "ly_beta": "beta inno, Lee-Yu",
    "indirect": "indirect effect of inno, direct ML",
    "sigma2": "sigma2, direct ML",
    "ly_sigma2": "sigma2, Lee-Yu",
}
mc_rows = []
for name, s in mc.items():
    for q, label in LABELS.items():
        if q not in s.index:
            continue
        r = s.loc[q]
        mc_rows.append(
            {
                "design": name,
                "estimate": label,
                "true": pages.sci_text(r["true"]),
                "mean": pages.sci_text(r["mean"]),
                "bias (%)": fmt(100 * r["rel_bias"], 1),
                "coverage": "" if pd.isna(r["coverage"]) else f"{r['coverage']:.2f}",
                "significant": "" if pd.isna(r["reject"]) else f"{r['reject']:.2f}",
                "on bound": int(r["failed"]),
            }
        )
mc_grid = pd.DataFrame(mc_rows)
mc_grid.index = [
    f"{d}: {e}" for d, e in zip(mc_grid.pop("design"), mc_grid.pop("estimate"), strict=True)
]
Markdown(
    tables.to_myst_table(
        mc_grid,
        f"Monte Carlo calibrated to the paper's Table 9 (parameters as printed; regressors of the "
        f"twin), N = 41, T = 10, {REPS} replications per design, seeds {SEED} to "
        f"{SEED + len(MC_DESIGNS) - 1}. Coverage of the nominal 95% interval (Monte Carlo "
        f"standard error about {np.sqrt(0.95 * 0.05 / REPS):.3f} at 0.95); significant: share "
        "of replications that reject zero at 5%; on bound: fits whose spatial parameter ended on "
        "the bound of its interval.",
        "tbl-beyond-mc",
        index_name="Design: estimate",
    )
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Monte Carlo (twin): calibrated to the paper's Table 9, with the twin's regressors; sampling distributions of the spatial parameter by direct ML (as xsmle) and by the Lee-Yu transformation, for each design. Black line: the printed value used as the truth.", "name": "fig-beyond-mc"}}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), facecolor="white")
for ax, (name, d) in zip(axes, mc_draws.items(), strict=True):
    both = pd.concat([d["rho"], d["ly_rho"]]).dropna()
    bins = np.linspace(both.min(), both.max(), 30)
    ax.hist(d["rho"].dropna(), bins=bins, alpha=0.6, label="direct ML")
    ax.hist(d["ly_rho"].dropna(), bins=bins, alpha=0.6, label="Lee-Yu")
    ax.axvline(mc_truth[name]["rho"], color="black")
    ax.set_title(name, fontsize=10)
    ax.set_xlabel("estimate of the spatial parameter")
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% tags=["remove-input"]
break_even_rho = {
    "SAR, inverse distance": spatial.loc["inverse_distance", "rho_lo"],
    "SAR, economic distance": spatial.loc["economic", "rho_lo"],
}
Markdown("\n\n".join(pbreak.mc_sentence(s, n, break_even_rho.get(n)) for n, s in mc.items()))

# %% [markdown]
# Why can the direct estimator be so far off? Because of the year effects. A dense matrix such as
# inverse distance without a cut-off links every city to every other, so $Wy_t$ is close to the
# year mean that the year effects remove; what is left to identify the spatial parameter is small,
# and the term $T\ln(1-\rho)$ of the log-likelihood's Jacobian, which the direct likelihood keeps
# and the Lee-Yu transformation drops, then weighs heavily on the estimate and pulls it down. A
# matrix that concentrates the weights on a few neighbours leaves more to identify it. The direct
# estimator's $\sigma^2$ is biased downwards, roughly by the share of degrees of freedom the fixed
# effects use up ({numref}`tbl-beyond-mc` shows by how much); none of the paper's claims rests on it.
#
# The replications run whenever this chapter runs. Set `YRD_MC_REPS` to run more (or fewer); the
# seeds are fixed, so the same inputs give the same draws.

# %% [markdown]
# (beyond-inference)=
# ## Demonstration: six ways to compute the standard error (twin)
#
# The {ref}`break-even factors <beyond-se>` say how much a standard error may grow. With the panel
# in hand one computes the alternatives. The estimate $\hat\beta$ of column (5) of Table 4 does not
# depend on what is assumed about the errors; its standard error does. Every estimator below is a
# sandwich
#
# $$
# \hat V = c\,(\tilde X'\tilde X)^{-1}\,\hat S\,(\tilde X'\tilde X)^{-1},
# \qquad \hat s_{it} = \tilde x_{it}\hat\varepsilon_{it},
# $$ (eq-beyond-sandwich)
#
# with $\tilde X$ the regressors after removing the fixed effects, $\hat\varepsilon$ the residuals, $c$ a
# small-sample factor and a "meat" $\hat S$ that encodes which errors may be correlated:
#
# - **HC1** {cite}`white1980`: none, $\hat S = \sum_{it}\hat s_{it}\hat s_{it}'$.
# - **Cluster by city (CR1)**: all years of one city, $\hat S = \sum_i (\sum_t \hat s_{it})(\sum_t
#   \hat s_{it})'$. Its theory needs many clusters; 41 is few, which is why the
#   **wild cluster bootstrap** {cite}`cameron2008` is reported beside it. It imposes the null
#   $\beta = 0$, flips the sign of each city's residuals at random (Rademacher weights $\pm 1$, or
#   Webb's six-point weights {cite}`webb2023`), and compares the $t$-statistic with its bootstrap
#   distribution; the interval collects the values of $\beta$ the test does not reject (as Stata's
#   `boottest` {cite}`roodman2019`).
# - **Driscoll-Kraay** {cite}`driscoll1998`: all cities within a year, and nearby years with Bartlett
#   weights, $\hat S = \sum_{|l| \le L} (1 - \tfrac{|l|}{L+1}) \sum_t h_t h_{t-l}'$ with
#   $h_t = \sum_i \hat s_{it}$. It guards against common shocks, but its theory needs many *years*;
#   with $T = 10$ the reference distribution is $t(9)$.
# - **Conley** {cite}`conley1999`: cities whose seats are close, with weight
#   $K(d_{ij}) = \max(0, 1 - d_{ij}/\bar d)$ for a distance $d_{ij}$ and a cut-off $\bar d$ of 100,
#   200 or 400 km, $\hat S = \sum_t\sum_{i,j} K(d_{ij})\,\hat s_{it}\hat s_{jt}'$. A zero cut-off
#   gives HC1.
#
# ```{admonition} What holds by construction here
# :class: warning
# The twin's HC1 t-statistics were fitted to the paper's printed ones, so the HC1 row agrees with the
# paper by construction. The other rows depend on how the twin's errors are correlated within a city,
# within a year and across neighbours, which its construction did not target: they show how the
# methods work and how far apart they can be, not what they would give on the real data.
# ```

# %%
design_fe = inference.fe_design(df, "quality", X_VARS)
distance = weights.distance_matrix(cities)
DK_BANDWIDTH = 2  # floor(4 (T/100)^(2/9)) with T = 10, the usual rule of thumb
DRAWS = 9999
inf = inference.inference_table(
    design_fe, "inno", distance, dk_bandwidth=DK_BANDWIDTH, draws=DRAWS, seed=SEED
)

Markdown(
    tables.to_myst_table(
        pages.inference_grid(inf),
        f"Demonstration (twin): the inno coefficient of Table 4 column (5) re-estimated on the twin, "
        f"estimate {fmt(design_fe.params['inno'], 4)}, by method: standard error, t statistic, "
        "p-value and 95% interval. Wild bootstrap rows: SE and t are those of CR1, p and the interval "
        "come from the bootstrap.",
        "tbl-beyond-inference",
        index_name="Method",
    )
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Demonstration (twin): the inno coefficient of Table 4 column (5) on the twin with its 95% interval under each method (the dotted line is the estimate). The published coefficient is marked with a cross.", "name": "fig-beyond-inference"}}
fig, ax = plt.subplots(figsize=(8, 4.5), facecolor="white")
ypos = np.arange(len(inf))[::-1]
ax.hlines(ypos, inf["ci_low"], inf["ci_high"], color="tab:blue", lw=2)
ax.plot(inf["estimate"], ypos, "o", color="tab:blue")
ax.axvline(0, color="black", lw=0.8)
ax.axvline(design_fe.params["inno"], color="tab:blue", lw=0.8, ls=":")
ax.plot([pub.value(4, "inno", "5")], [ypos[0] + 0.6], "x", color="tab:red", ms=8)
ax.annotate(
    "published",
    (pub.value(4, "inno", "5"), ypos[0] + 0.6),
    xytext=(6, -3),
    textcoords="offset points",
    color="tab:red",
    fontsize=9,
)
ax.set_yticks(ypos, inf["method"])
ax.set_xlabel("coefficient of inno")
ax.set_ylim(-0.7, len(inf) + 0.2)
fig.tight_layout()
plt.show()

# %% tags=["remove-input"]
head_row = be_frame[(be_frame["table"] == 4) & (be_frame["column"] == "5")].iloc[0]
glue("beyond-draws", f"{DRAWS:,}", display=False)
glue("beyond-dk-bw", str(DK_BANDWIDTH), display=False)
Markdown(sensitivity.inference_sentence(inf, head_row["factor_05"], head_row["label"]))

# %% [markdown]
# Three remarks help reading the table. The bootstrap rows use {glue:text}`beyond-draws` draws with a
# fixed seed, so their p-values are exact to about $\pm 0.002$ at 5%. Driscoll-Kraay uses a Bartlett
# bandwidth of {glue:text}`beyond-dk-bw` years, and with ten years its standard error is itself very
# noisy. Conley's errors let only cities in the same year correlate; within-city correlation across
# years is what clustering handles, and an exercise combines the two.

# %% [markdown]
# (beyond-weights)=
# ## Demonstration: re-estimating with other weights (twin)
#
# {numref}`tbl-beyond-sweep` held the paper's $\hat\rho$ fixed. With the panel one re-estimates the
# model under each matrix instead. The variants below change one aspect each: where a city is located
# (its seat or its polygon's centroid), how far a neighbour may be (cut-offs), how fast influence
# fades (power 2), how $W$ is scaled (by its largest eigenvalue instead of row sums), shared borders
# instead of distance, and the economic-distance matrix (here built from the twin's GDP). Each is
# estimated as the paper did, by direct maximum likelihood in the convention of Stata's `xsmle`
# {cite}`belotti2017`.

# %% tags=["hide-input"]
sens = sensitivity.fit_variants(df, variants, "quality", X_VARS, "inno")

grid = pd.DataFrame(
    {
        "W": sens["description"].to_numpy(),
        "rho": [pages.estimate_se(a, b) for a, b in zip(sens["rho"], sens["se_rho"], strict=True)],
        "beta inno": [
            pages.estimate_se(a, b) for a, b in zip(sens["beta"], sens["se_beta"], strict=True)
        ],
        **{
            e: [pages.estimate_se(a, b) for a, b in zip(sens[e], sens[f"se_{e}"], strict=True)]
            for e in ("direct", "indirect", "total")
        },
    },
    index=sens["label"].to_numpy(),
)
published_row = {"W": "Table 9 as published, inverse distance; [t statistic]"}
for col, row in (
    ("rho", "rho"),
    ("beta inno", "inno"),
    ("direct", "direct"),
    ("indirect", "indirect"),
    ("total", "total"),
):
    est = pub.value(9, row, "SAR", "coef", "inverse_distance")
    t = pub.value(9, row, "SAR", "t", "inverse_distance")
    published_row[col] = f"{fmt(est, 3)} [{fmt(t, 2)}]"
grid = pd.concat([pd.DataFrame(published_row, index=["Published"]), grid])
Markdown(
    tables.to_myst_table(
        grid,
        "Demonstration (twin): SAR model with city and year effects (quality on inno and nine "
        "controls) re-estimated on the twin under eight weights matrices: rho, the inno coefficient "
        "and its direct, indirect and total effects, estimate (standard error; delta method for the "
        "effects). First row: the paper's Table 9.",
        "tbl-beyond-weights",
        index_name="Variant",
    )
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Demonstration (twin): rho and the effects of inno re-estimated on the twin under each weights matrix, with 95% intervals. The dashed line is the baseline (inverse distance between seats); red crosses are the published Table 9 values.", "name": "fig-beyond-weights"}}
panels = [("rho", "rho"), ("direct", "direct"), ("indirect", "indirect"), ("total", "total")]
fig, axes = plt.subplots(1, 4, figsize=(11, 4), sharey=True, facecolor="white")
ypos = np.arange(len(sens))[::-1]
z = 1.959964
for ax, (col, row) in zip(axes, panels, strict=True):
    ax.hlines(ypos, sens[col] - z * sens[f"se_{col}"], sens[col] + z * sens[f"se_{col}"], lw=2)
    ax.plot(sens[col], ypos, "o", color="tab:blue")
    ax.axvline(sens[col].iloc[0], ls="--", color="grey", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    ax.plot(
        [pub.value(9, row, "SAR", "coef", "inverse_distance")],
        [ypos[0] + 0.5],
        "x",
        color="tab:red",
        ms=8,
    )
    ax.set_title(col)
    ax.xaxis.set_major_locator(plt.MaxNLocator(3))
axes[0].set_yticks(ypos, sens["label"])
axes[0].set_ylim(-0.7, len(sens) + 0.2)
fig.tight_layout()
plt.show()

# %% [markdown]
# How robust is a result across such paths? The Institute for Replication's `repframe` package (after
# {cite:t}`dreber2025`) condenses a set of robustness paths into a few indicators, computed here
# against the baseline row (the paper's matrix, re-estimated on the twin), with significance at 5%:
#
# - $I_1$, **significance agreement**: the share of paths that are significant with the same sign as the
#   original (or, if the original is not significant, the share that are not significant either);
# - $I_2$, **relative effect size**: the mean estimate over the paths divided by the original;
# - the relative $t$ value, $\bar t/t_0$, and the **variation**, $\mathrm{sd}(\hat\beta_i)/se_0$: how far
#   the paths spread in units of the original standard error.

# %% tags=["hide-input"]
base, paths = sens.iloc[0], sens.iloc[1:]
ind = pd.DataFrame(
    {
        q: sensitivity.repframe_indicators(paths[q], paths[f"se_{q}"], base[q], base[f"se_{q}"])
        for q in ("rho", "beta", "direct", "indirect", "total")
    }
).T
Markdown(
    tables.to_myst_table(
        pd.DataFrame(
            {
                "Original significant": ind["original_significant"].map({True: "yes", False: "no"}),
                "I1 (agreement)": ind["I1"].map(lambda v: f"{v:.2f}"),
                "I2 (relative size)": ind["I2"].map(lambda v: fmt(v, 2)),
                "relative t": ind["rel_t"].map(lambda v: fmt(v, 2)),
                "variation (sd / se0)": ind["variation"].map(lambda v: f"{v:.2f}"),
                "paths": ind["paths"].astype(int),
            }
        ),
        "Demonstration (twin): repframe indicators of the seven alternative weights matrices "
        "against the baseline, on the twin, two-sided tests at 5%.",
        "tbl-beyond-repframe",
        index_name="Estimate",
    )
)

# %% tags=["remove-input"]
Markdown(sensitivity.weights_verdict(ind))

# %% [markdown]
# Why would the coefficient and the spillover differ? Conditional on the fixed effects, $\hat\beta$ is
# close to a least-squares coefficient and depends on $W$ only through the small term $\rho W y$. The
# indirect effect is $\beta$ times a function of $\rho$ that starts at zero, so it inherits every doubt
# about $\hat\rho$, and the {ref}`Monte Carlo <beyond-montecarlo>` showed there can be doubts about
# $\hat\rho$ even when $W$ is right.

# %% [markdown]
# (beyond-speccurve)=
# ## Demonstration: a specification curve (twin)
#
# A replication report rarely stops at one alternative per choice. A **specification curve**
# {cite}`simonsohn2020` estimates the coefficient under every combination of defensible choices and
# shows all estimates at once, sorted, above a panel that marks the choices behind each. Here the
# choices are all those the book's library can estimate for the `inno` coefficient:
#
# - **fixed effects**: none, city, year, city and year;
# - **controls**: none, all nine, or all nine but one (nine sets);
# - **winsorization** of every variable: none, at the 1st and 99th percentiles (the paper's Table 5
#   as the book reads it) or at the 5th and 95th;
# - **standard errors**: classical, HC1, clustered by city (CR1) and Driscoll-Kraay;
# - **estimator and weights**: least squares, or the SAR model of Table 9 with each of the eight
#   weights matrices of the {ref}`weights demonstration <beyond-weights>` (city and year effects,
#   all controls, ML standard
#   errors).
#
# That is 3 x 4 x 11 x 4 = 528 least-squares specifications and 3 x 8 = 24 spatial ones. The least
# squares fits use the within transformation of `yrd.econ.fe`, one fit per sample, effects and
# controls, with every standard error from the same residuals (`yrd.econ.speccurve`).
#
# The indicators follow the Institute for Replication's reports: the share of specifications with the
# paper's sign, the share significant at 5% with that sign (and with the opposite one), and the
# median estimate relative to the paper's printed 0.023 (Table 4 column (5)).
#
# ```{admonition} What holds by construction here
# :class: warning
# The twin was fitted to the paper's Tables 4-6 and 9, so the specifications the paper printed (the
# five columns of Table 4, Table 5, the SAR of Table 9) reproduce its estimates by construction. The
# rest of the curve is not constrained by anything the paper printed: the shares below describe the
# twin, and the curve shows what a reader with the real panel would compute, not its result.
# ```

# %% tags=["hide-input"]
curve = sensitivity.spec_universe(df, variants)
reference = pub.value(4, "inno", "5")
by = speccurve.indicators_by(curve, sensitivity.SPEC_DIMS, reference)
SE_LABELS = {**speccurve.SE_TYPES, "ML": "ML (SAR)"}
by_grid = pd.DataFrame(
    {
        "specifications": by["n"].astype(int).to_numpy(),
        "same sign": by["same_sign"].map(lambda v: f"{100 * v:.0f}%").to_numpy(),
        "significant, same sign": by["sig_same"].map(lambda v: f"{100 * v:.0f}%").to_numpy(),
        "significant, opposite sign": by["sig_opposite"]
        .map(lambda v: f"{100 * v:.1f}%")
        .to_numpy(),
        "median / published": by["median_ratio"].map(lambda v: f"{v:.2f}").to_numpy(),
    },
    index=[
        "all" if c == "all" else f"{c.replace('_', ' ')}: {SE_LABELS.get(v, v)}"
        for c, v in by.index
    ],
)
Markdown(
    tables.to_myst_table(
        by_grid,
        "Demonstration (twin): indicators of the specification curve of the inno coefficient on "
        "the twin, overall and by choice; significance at 5%; median relative to the paper's "
        "printed estimate (Table 4 column (5)).",
        "tbl-beyond-speccurve",
        index_name="Specifications",
    )
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Demonstration (twin): specification curve of the inno coefficient on the twin, 552 specifications sorted by estimate with 95% intervals (blue: significant at 5%). Below: the choices behind each. Red dashed line: the paper's printed estimate; red ring: the paper's specification (Table 4 column (5), HC1). Estimates above the axis (pooled regressions without controls) are drawn as triangles on its edge.", "name": "fig-beyond-speccurve"}}
leave_one_out = {f"all but {c}": "all but one" for c in regress.CONTROLS}
fig = plot_curve(
    curve,
    {
        "estimator": ["OLS", "SAR"],
        "effects": ["none", "city", "year", "city and year"],
        "controls": ["none", "all nine", "all but one"],
        "sample": ["none", "1/99", "5/95"],
        "se_type": [SE_LABELS[k] for k in ("classical", "hc1", "cluster", "driscoll_kraay", "ML")],
    },
    reference=reference,
    reference_label="published (Table 4 (5))",
    baseline=sensitivity.BASELINE,
    ylim=(-0.04, 0.1),
    group={"controls": leave_one_out, "se_type": SE_LABELS},
)
plt.show()

# %% tags=["remove-input"]
Markdown(sensitivity.speccurve_sentence(by, reference))

# %% [markdown]
# Read the curve by its lower panel: marks of one choice bunched at one end of the curve show a
# choice that drives the estimate. The standard-error rows cannot move the estimates, only their
# colour. On the real panel the same code gives the curve that matters.

# %% [markdown]
# (beyond-verdicts)=
# ## What this means for the paper's claims
#
# The verdicts below are computed from the paper's printed numbers, the cities' geography and public
# GDP (the first three sections) and the Monte Carlo calibrated to Table 9; the demonstrations on
# the twin do not enter.

# %% tags=["remove-input"]
Markdown(
    pbreak.verdicts(
        be_frame,
        spatial,
        {"inverse_distance": mc["SAR, inverse distance"], "economic": mc["SAR, economic distance"]},
    )
)

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: beyond-ex-ten
# Column (2) of Table 6 prints `inno` with two stars. Compute from the published tables the factor by
# which its standard error could grow before it loses significance at 10% (one star), and the
# within-city correlation of the errors that would do it under clustering by city if `inno` were
# perfectly correlated within a city (Moulton's formula, ten years per city).
# ```
#
# ```{solution-start} beyond-ex-ten
# :class: dropdown
# ```
#
# The break-even factor is {eq}`eq-beyond-factor` with the 10% critical value; the column has no
# city effects, so Moulton's formula {eq}`eq-beyond-moulton` applies, and with $\rho_x = 1$ the
# break-even product is the errors' correlation itself.

# %%
t_62 = pub.value(6, "inno", "2", "t")
f10 = breakeven.se_factor(t_62, alpha=0.10)
pages.readable(
    pd.Series(
        {
            "printed t": t_62,
            "f* at 10%": f10,
            "rho_u with rho_x = 1": breakeven.moulton_breakeven(f10, 10),
        }
    ),
    decimals=3,
)

# %% [markdown]
# A within-city error correlation of about a tenth removes even the one star: pooled columns have
# almost no margin.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: beyond-ex-phix
# {numref}`tbl-beyond-clustering` assumes the same AR(1) coefficient for `inno` and the errors. A
# city's innovation cooperation may be far more persistent than its errors. If `inno` had an AR(1)
# coefficient of 0.95 within a city, how persistent would the errors have to be to remove
# significance at 5% in Table 4 column (5)? Use `yrd.econ.breakeven.serial_breakeven` with `phi_x`.
# ```
#
# ```{solution-start} beyond-ex-phix
# :class: dropdown
# ```

# %%
f5 = head_row["factor_05"]
pages.readable(
    pd.Series(
        {
            f"phi_u with phi_x = {px}": breakeven.serial_breakeven(f5, 10, phi_x=px)
            for px in (0.5, 0.8, 0.95)
        }
    ),
    decimals=3,
)

# %% [markdown]
# The more persistent the regressor, the less persistent the errors need to be; a dash means that no
# error persistence reaches the factor with that `phi_x`. The product of the two
# persistences is roughly what matters, as in Moulton's formula.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: beyond-ex-curve
# Restrict the {ref}`specification curve <beyond-speccurve>` to the specifications with city and
# year effects (the paper's choice) and recompute the indicators by standard error. Which standard
# error is the least favourable to the paper's conclusion on the twin, and why is this a statement
# about the twin only?
# ```
#
# ```{solution-start} beyond-ex-curve
# :class: dropdown
# ```

# %%
two_way = curve[curve["effects"] == "city and year"]
speccurve.indicators_by(two_way, ["se_type"], reference)[["sig_same", "median_ratio", "n"]].round(2)

# %% [markdown]
# The shares differ only through the standard errors, since the estimates are the same across the
# four rows of each specification. How the twin's errors are correlated was not fitted to anything
# the paper printed, so the ranking of the standard errors is a property of the twin.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: beyond-ex-sem
# Table 9 also prints a spatial-error model (SEM), $y_t = X_t\beta + \mu + \lambda_t\iota_N + u_t$
# with $u_t = \lambda W u_t + \varepsilon_t$. Calibrate the Monte Carlo to its inverse-distance column
# (`pbreak.published_mc_values(pub, "inverse_distance", "SEM")`) and run 25 replications. Can the
# direct estimator recover the printed $\lambda$? Does it matter for the coefficient of `inno`?
# ```
#
# ```{solution-start} beyond-ex-sem
# :class: dropdown
# ```

# %%
sem_values = pbreak.published_mc_values(pub, "inverse_distance", "SEM")
sem_design = montecarlo.design_from_values(
    df, X_VARS, W_inv, sem_values["beta"], sem_values["rho"], sem_values["sigma2"], model="sem"
)
sem_draws = montecarlo.run(sem_design, "inno", 25, SEED + 10, progress=False)
sem = montecarlo.summarize(sem_draws, montecarlo.true_effects(sem_design, "inno"))
pages.readable(
    sem.rename(index={"rho": "lambda", "ly_rho": "ly_lambda"})[
        ["true", "mean", "rel_bias", "coverage", "failed"]
    ],
    decimals=3,
    missing="—",
)

# %% [markdown]
# In a SEM the spatial parameter sits in the errors, so the year effects and a dense $W$ affect
# $\hat\lambda$ the way they affect $\hat\rho$ in the SAR. The coefficient of `inno` is a
# generalised least-squares estimate given $\hat\lambda$, which stays consistent when
# $\hat\lambda$ is off; compare its bias and coverage with those of $\hat\lambda$.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: beyond-ex-queen
# Re-estimate the SAR model of Table 9 on the twin with queen contiguity weights
# (`yrd.econ.weights.queen_contiguity`), first as the paper would (direct ML) and then with the
# Lee-Yu correction (`lee_yu=True`). Does the correction move $\hat\rho$ as much as it does with the
# inverse-distance matrix? Why might it not?
# ```
#
# ```{solution-start} beyond-ex-queen
# :class: dropdown
# ```
#
# Contiguity is sparse: each city has about five neighbours, so $Wy_t$ is far from the year mean and the
# year effects take little of its variation away.

# %%
from yrd.econ.spatial import SpatialEstimationError, fit_panel

w_queen = weights.queen_contiguity(polygons, cities=cities)
rows = {}
for name, w in (("inverse distance", variants[0].w), ("queen contiguity", w_queen)):
    for ly in (False, True):
        try:
            r = fit_panel(df, "quality", X_VARS, w, "city_code", "year", model="sar", lee_yu=ly)
            rows[(name, "Lee-Yu" if ly else "direct ML")] = {
                "rho": r.params["rho"],
                "se rho": r.bse["rho"],
                "beta inno": r.params["inno"],
                "sigma2": r.sigma2,
            }
        except SpatialEstimationError as err:
            rows[(name, "Lee-Yu" if ly else "direct ML")] = {"rho": np.nan, "note": str(err)[:60]}
pages.readable(pd.DataFrame(rows).T, decimals=4, missing="")

# %% [markdown]
# Compare the gap between the two rows of each matrix: the sparser the matrix, the less the year
# effects take from $Wy_t$ and the smaller the gap should be.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: beyond-ex-conley
# Conley's errors in {numref}`tbl-beyond-inference` let cities correlate within a year only. Add serial
# correlation within a city (`lags=2` in `yrd.econ.inference.conley_cov`) at a 200 km cut-off, and
# compare the standard error with the Driscoll-Kraay and the cluster-robust ones on the twin.
# ```
#
# ```{solution-start} beyond-ex-conley
# :class: dropdown
# ```

# %%
n, k = design_fe.n, design_fe.k
j = design_fe.names.index("inno")
se = {}
for lags in (0, 2, 9):
    V = inference.conley_cov(
        design_fe.X,
        design_fe.resid,
        design_fe.unit,
        design_fe.time,
        distance,
        200,
        lags=lags,
        scale=n / (n - k),
    )
    se[f"Conley 200 km, {lags} lags"] = np.sqrt(V[j, j])
for m in ("HC1", "Cluster CR1", "Driscoll-Kraay"):
    se[m] = inf.loc[inf["method"] == m, "se"].iloc[0]
pages.readable(pd.Series(se, name="SE of inno (twin)"), decimals=5)

# %% [markdown]
# With nine lags every pair of years of a city enters, with Bartlett weights that fade with the gap. If
# adding lags moves the Conley standard error towards CR1, the dependence that matters in this panel
# is within cities over time; if the cut-off moves it more, it is across nearby cities within a year.
#
# ```{solution-end}
# ```
#
# ## Key ideas
#
# - Without the data, a printed t-statistic still says how much worse the standard error may get:
#   $f^* = |t|/c_\alpha$. Translating $f^*$ into the dependence it would take (Moulton's factor,
#   its AR(1) version under fixed effects) turns "the paper should have clustered" into a number one
#   can argue about.
# - City fixed effects absorb dependence that is constant within a city; what clustering then adds
#   comes from persistence that fades over the years, and with ten years it is bounded.
# - In a SAR model the total effect of a regressor is $\beta/(1-\rho)$ for every row-standardised
#   $W$; the matrix only splits it into direct and indirect effects, and a non-negative $W$ cannot
#   change the sign of the spillover. Printed effects that contradict the printed $\beta$ and $\rho$
#   cannot be repaired by the choice of $W$.
# - With year effects and a dense $W$, the direct likelihood (the `xsmle` default) can be far off for
#   $\rho$; a Monte Carlo calibrated to the published estimates, not to a convenient dataset, says how
#   much that matters for the claims.
# - Demonstrations on synthetic data show how a method works; they cannot confirm or refute a paper,
#   least of all on the dimensions the synthetic data were fitted to.
