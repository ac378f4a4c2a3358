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
# (spatial-tables)=
# # Spatial dependence and spillovers (Tables 7-9)
#
# Section 4.5 of the paper {cite}`yrd_paper` asks whether export quality is spatially clustered
# (Moran's I, Table 7), which spatial model fits (LM tests, Table 8), and whether innovation
# cooperation spills over to neighbouring cities (SEM and SAR models with city and year effects,
# Table 9).
#
# ## Overview
#
# - The two weights matrices: inverse distance between city seats, and economic distance built from
#   the panel's city-mean `gdp` ({ref}`data-geography`).
# - Table 7 with normal-approximation and {term}`permutation inference <Permutation inference>`, a Moran scatter plot and a LISA
#   cluster map.
# - Table 8 on pooled and on fixed-effects residuals: which the paper used.
# - Table 9 with the estimator validated against R's splm ({ref}`spatial-validation`), in the xsmle
#   convention the paper used; and the spatial Durbin model the paper says it ran but does not report.

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
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown

from yrd.data import panel, published
from yrd.econ import moran
from yrd.paper import compare, explain, readings, spatial_results
from yrd.report import maps, pages

pub = published.load()
df = panel.load_panel()
Markdown(pages.data_banner(df))

# %% [markdown]
# ## The weights matrices
#
# Inverse distance is fixed by geography ({eq}`eq-w-inverse-distance`). Economic distance,
# $w_{ij} \propto 1/|\bar g_i - \bar g_j|$, links cities of similar economic size wherever they are;
# it is rebuilt from whichever panel is loaded, so on the twin it describes the twin.

# %% mystnb={"figure": {"caption": "The strongest economic-distance links (top 3 per city) on the map; economic distance is built from the panel's gdp (twin).", "name": "fig-economic-links"}} tags=["hide-input"]
ws = spatial_results.weights_for(df)
econ = ws["economic"]
top = econ.where(econ.rank(axis=1, ascending=False) <= 3, 0.0)
fig, ax = plt.subplots(figsize=(8, 8), facecolor="white")
maps.city_map(ax, label=False)
maps.link_map(top, ax)
plt.show()

# %% tags=["remove-input"]
from yrd.data.cities import city_frame

province = city_frame().set_index("city_code")["province"]
Markdown(
    readings.links_sentence(top, province)
    + " Economic distance ties cities of similar size across the whole delta, not to their"
    " neighbours: a spillover through these links is not a spillover over space."
)

# %% [markdown]
# ## Table 7: Moran's I
#
# For each year, Moran's I of `quality` ({cite}`moran1950,cliff1981`), with stars from the
# normal approximation (the default of Stata's spatial-statistics commands), and a permutation
# $p$-value (999 draws, seeded) beside it.

# %% tags=["hide-input"]
levels = pub.stars_levels(7)
t7_cells, t7_full = spatial_results.table7(df, ws, levels)
t7 = spatial_results.reproduce(pub, 7, t7_cells)
Markdown(compare.show(t7, 7, "Paper's Table 7, Moran's I of quality.", "tbl-repro-7"))

# %% tags=["remove-input"]
Markdown(explain.note(t7, df.attrs["synthetic"], "tbl-repro-7"))

# %% tags=["remove-input"]
Markdown(readings.moran_sentence(t7_full))

# %% [markdown]
# Each value with its expectation under no spatial autocorrelation, $E[I] = -1/(N-1)$, its $z$-score and
# $p$-value under the normality and the randomisation assumptions, and the permutation $p$-value
# (click to show):

# %% tags=["hide-output", "hide-input"]
readings.moran_grid(t7_full)

# %% mystnb={"figure": {"caption": "Moran scatter plot of quality in the first and last year (inverse-distance weights): each city's standardised quality against the weighted average of its neighbours' (twin).", "name": "fig-moran-scatter"}} tags=["hide-input"]
import numpy as np

w = ws["inverse_distance"]
fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), facecolor="white")
for ax, year in zip(axes, (df["year"].min(), df["year"].max()), strict=True):
    x = df[df["year"] == year].set_index("city_code")["quality"].reindex(w.index)
    z = (x - x.mean()) / x.std(ddof=0)
    lag = w.to_numpy() @ z.to_numpy()
    ax.scatter(z, lag, s=18, color="#0072B2")
    slope = np.polyfit(z, lag, 1)[0]
    grid = np.linspace(z.min(), z.max(), 2)
    ax.plot(grid, slope * grid, color="#D55E00", label=f"slope = Moran's I = {slope:.3f}")
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.axvline(0, color="grey", linewidth=0.6)
    ax.set(title=str(year), xlabel="quality (standardised)", ylabel="spatial lag")
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# A point in the upper right is a city of high quality among neighbours of high quality, one in the
# lower left the reverse; the slope of the fitted line is Moran's I. The flatter the cloud, the weaker
# the clustering: compare the two years with the first column of {numref}`tbl-repro-7`.

# %% [markdown]
# Where are the clusters? {term}`Local Moran statistics <LISA (local Moran statistics)>` {cite}`anselin1995` flag cities whose quality is
# similar to (or unlike) their neighbours', with a conditional-permutation test.

# %% mystnb={"figure": {"caption": "Local Moran clusters of quality in the last year (inverse-distance weights, 999 conditional permutations, 5%) (twin).", "name": "fig-lisa"}} tags=["hide-input"]
last = df[df["year"] == df["year"].max()].set_index("city_code")["quality"].reindex(w.index)
local = moran.lisa(last.to_numpy(), w, permutations=999, seed=12345)
fig, ax = plt.subplots(figsize=(8, 8), facecolor="white")
maps.lisa_map(local["cluster"], ax)
plt.show()

# %% tags=["remove-input"]
Markdown(
    readings.lisa_sentence(local["cluster"])
    + " High-high cities sit among high-quality neighbours, low-low among low ones; high-low and"
    " low-high cities stand out from their neighbourhood."
)

# %% [markdown]
# ## Table 8: LM tests
#
# Four {term}`Lagrange-multiplier tests <Lagrange multiplier test (LM检验)>` of OLS residuals {cite}`anselin1988,anselin1996`: for a spatial
# error and for a spatial lag, each with its robust form. The paper does not say whether the
# residuals come from pooled OLS or from the two-way fixed-effects model; both are computed, and the
# table shows the pooled version (Stata's common `spatdiag` after `regress` works that way). The
# audit shows the printed statistics satisfy the identity that ties the four together
# ({ref}`audit-lm-identity`).

# %% tags=["hide-input"]
t8_cells = spatial_results.table8(df, ws, pub.stars_levels(8), effects="none")
t8 = spatial_results.reproduce(pub, 8, t8_cells)
Markdown(compare.show(t8, 8, "Paper's Table 8, LM tests on pooled OLS residuals.", "tbl-repro-8"))

# %% tags=["remove-input"]
Markdown(explain.note(t8, df.attrs["synthetic"], "tbl-repro-8"))

# %% [markdown]
# The same tests on the residuals after removing city and year effects:

# %% tags=["hide-input"]
fe = spatial_results.table8(df, ws, pub.stars_levels(8), effects="twoways")
lm_versions = pd.concat(
    {
        "pooled": t8_cells.set_index(["panel", "row", "column"])["value"],
        "two-way FE": fe.set_index(["panel", "row", "column"])["value"],
        "published": pub.table(8).set_index(["panel", "row", "column"])["value"],
    },
    axis=1,
)
readings.lm_grid(lm_versions)

# %% tags=["remove-input"]
Markdown(readings.lm_sentence(lm_versions))

# %% [markdown]
# (lm-scaling)=
# ### Row-standardised or not?
#
# The book tests both matrices row-standardised, as the models of Table 9 use them. The LM statistics
# do not change when $W$ is multiplied by a constant (the constant cancels in every ratio), but
# row-standardisation divides each row by its own sum, which is not one constant, so it does change
# them. The paper does not say which form it tested. Below, both forms next to the published
# statistics (the unstandardised matrices are divided by their largest eigenvalue, a
# {term}`spectral normalisation <Spectral normalisation of W>`, which changes no statistic). The published inverse-distance column has a distinctive pattern: both lag tests are
# near zero while the two error tests are large and almost equal. Whichever form reproduces that
# pattern on the real panel is a hint about the paper's choice. The twin is fitted only to the LM
# error tests, under the row-standardised matrices, so on the twin this comparison shows only how
# much the choice matters. Neither form of the book's inverse-distance matrix can give the published
# inverse-distance column whole ({ref}`audit-lm-ceiling`).

# %% tags=["hide-input"]
scaling = spatial_results.table8_by_scaling(df, pub)
readings.lm_grid(scaling)

# %% tags=["remove-input"]
Markdown(readings.lm_sentence(scaling))

# %% [markdown]
# ## Table 9: SEM and SAR with city and year effects
#
# Maximum likelihood after the two-way within transformation, with $W y$ computed on the raw outcome
# and then demeaned, as Elhorst's code and Stata's `xsmle` do (see {ref}`implementation-choices`).
# Effects of `inno` by the {term}`delta method <Delta method>` {cite}`lesage2009`. The R-squared is the squared correlation
# between `quality` and $x'\hat\beta$ over all observations, fixed effects left out. The paper does
# not say which R-squared it reports, but its numbers do for the SEM: Tables 2-4 put this squared
# correlation at the size of the printed SEM values, far from the R-squared of Table 4 (5)'s dummy regression
# ({ref}`audit-table9-r2`). The SAR's larger values the tables cannot pin down.

# %% tags=["hide-input"]
fits = spatial_results.fit_table9(df, ws)
t9_cells = spatial_results.table9(df, fits, pub.stars_levels(9))
t9 = spatial_results.reproduce(pub, 9, t9_cells)
Markdown(compare.show(t9, 9, "Paper's Table 9, spatial panel models.", "tbl-repro-9"))

# %% tags=["remove-input"]
Markdown(explain.note(t9, df.attrs["synthetic"], "tbl-repro-9"))

# %% [markdown]
# Some published cells cannot come from any data. With a non-negative, row-standardised $W$ and
# $0 < \rho < 1$, the total effect is $\beta/(1-\rho)$, the indirect effect has the sign of
# $\beta$, and, when every off-diagonal weight is positive (as in any inverse-distance matrix), the
# direct effect exceeds $\beta$. The paper's inverse-distance SAR column prints a total effect
# smaller than $\beta$, a negative indirect effect beside a positive $\beta$, a direct effect below
# it, an indirect effect's $t$ of the wrong sign, and a total effect's $t$ far below the least the
# printed $\beta$, $\rho$ and their $t$ allow. The audit proves these five cells
# impossible together with the printed $\beta$ and $\rho$ ({ref}`audit-sar-total`,
# {ref}`audit-sar-indirect-sign`, {ref}`audit-sar-direct`, {ref}`audit-sar-effect-t`): a panel can
# print one of them only by missing $\beta$ or $\rho$, so their differences above are expected.
#
# Other cells are out of reach of the book's own choices rather than of all data. In a SEM the
# information matrix makes the $t$-statistics of $\lambda$ and $\sigma^2$ functions of $\lambda$
# and $W$ alone, and they bound a SAR's from below; with the book's matrices most printed ones fall
# outside ({ref}`audit-spatial-t`), as does the inverse-distance direct effect's $t$
# ({ref}`audit-sar-direct-t`). The paper's $W$ may differ, or its standard errors may come from
# the observed information, `xsmle`'s default. The note beside each table names these cells.
#
# A note on Stata's `xsmle`: `fe type(both)` estimates city and year effects; `type(both, leeyu)`
# silently falls back to city effects only in version 1.4.5. The paper's "Year Effect YES" and the
# audit's observation that the likelihood counts 410 observations ({ref}`audit-sigma2-t`) fit
# `type(both)` without the Lee-Yu correction, which is what this chapter estimates.
#
# ## The spatial Durbin model
#
# The paper says it used {term}`LR <Likelihood-ratio test>` and Wald tests to check whether the {term}`spatial Durbin model (SDM) <Spatial Durbin model, SDM (空间杜宾模型)>`, which adds
# the spatially lagged controls $W X$, reduces to SAR or SEM, but reports neither the SDM nor the
# tests. Here they are, under both matrices:

# %% tags=["hide-input"]
from yrd.econ.spatial import sdm_tests

rows = {}
for name, wmat in ws.items():
    tests = sdm_tests(df, "quality", list(spatial_results.X), wmat.to_numpy(), "city_code", "year")
    rows[name] = tests
sdm = pd.concat(rows, axis=0)
readings.sdm_grid(sdm)

# %% tags=["remove-input"]
Markdown(readings.sdm_sentence(sdm, df.attrs["synthetic"]))

# %% [markdown]
# The LR tests compare the log-likelihoods of the nested models, the Wald tests use the SDM's estimates
# alone ({term}`Likelihood-ratio test`); each has as many degrees of freedom as there are lagged
# controls. Had the paper reported them, a rejection would have asked for the SDM, with its
# spatially lagged controls, rather than the SAR and SEM models of Table 9.

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: spatial-ex-moran
# Compute Moran's I of `quality` in 2015 under the inverse-distance weights from its definition,
# $I = \frac{N}{S_0}\frac{z'Wz}{z'z}$, and compare it with the table.
# ```
#
# ```{solution-start} spatial-ex-moran
# :class: dropdown
# ```

# %%
x = df[df["year"] == 2015].set_index("city_code")["quality"].reindex(w.index).to_numpy()
z = x - x.mean()
W = w.to_numpy()
pages.readable(
    pd.Series(
        {
            "by hand": len(z) / W.sum() * (z @ W @ z) / (z @ z),
            "table": t7_full["inverse_distance"].loc[2015, "I"],
        }
    ),
    decimals=6,
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: spatial-ex-contiguity
# Re-estimate the SAR model with queen-contiguity weights instead of inverse distance. How do $\rho$
# and the indirect effect of `inno` change, and why might contiguity give a different answer?
# ```
#
# ```{solution-start} spatial-ex-contiguity
# :class: dropdown
# ```

# %%
from yrd.data import geo
from yrd.econ import weights
from yrd.econ.spatial import fit_panel

queen = weights.queen_contiguity(geo.load_polygons(), cities=geo.load_cities())
sar_q = fit_panel(
    df, "quality", list(spatial_results.X), queen.to_numpy(), "city_code", "year", model="sar"
)
sar_d = fits[("inverse_distance", "SAR")]
pd.DataFrame(
    {
        "inverse distance": [
            sar_d.params["rho"],
            sar_d.impacts(method="delta").loc["inno", "indirect"],
        ],
        "queen contiguity": [
            sar_q.params["rho"],
            sar_q.impacts(method="delta").loc["inno", "indirect"],
        ],
    },
    index=["rho", "indirect effect of inno"],
).round(4)

# %% [markdown]
# Contiguity gives each city a handful of equally weighted neighbours, while inverse distance spreads
# weight over all 40 others; the spatial lag, and therefore $\rho$ and the spillovers, measure
# different things.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: spatial-ex-effects
# Compute the direct, indirect and total effects of `inno` in the economic-distance SAR model from its
# $\hat\beta$, $\hat\rho$ and $W$ by {eq}`eq-impacts`, and compare them with the model's own.
# ```
#
# ```{solution-start} spatial-ex-effects
# :class: dropdown
# ```

# %%
sar_e = fits[("economic", "SAR")]
W_e = ws["economic"].to_numpy()
S = np.linalg.inv(np.eye(len(W_e)) - sar_e.params["rho"] * W_e) * sar_e.params["inno"]
by_hand = pd.Series({"direct": np.trace(S) / len(S), "total": S.sum() / len(S)})
by_hand["indirect"] = by_hand["total"] - by_hand["direct"]
model = sar_e.impacts(method="delta").loc["inno", ["direct", "indirect", "total"]]
pd.DataFrame({"by hand": by_hand, "model": model}).round(6)

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Key ideas
#
# - Moran's I and the LM tests are functions of the data and the weights only; the choice of weights
#   is a modelling decision the paper does not document, and the book's is stated.
# - In a SAR model the coefficient of `inno` is not its effect: the direct, indirect and total effects
#   follow from $\beta$, $\rho$ and $W$ by algebra, and that algebra rules out some of the paper's
#   printed effects.
