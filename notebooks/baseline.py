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
# (baseline)=
# # Baseline regressions (Table 4)
#
# Section 4.3 of the paper {cite}`yrd_paper` asks the central question: holding the controls fixed,
# do cities with more innovation cooperation export higher-quality products? Table 4 answers it five
# ways, adding fixed effects in turn.
#
# ## Overview
#
# - The model ({eq}`eq-baseline`) and what each column of Table 4 includes: (1) city and year effects,
#   `inno` alone; (2) year effects and controls; (3) city effects and controls; (4) controls only, pooled;
#   (5) city and year effects with controls.
# - The two-way estimate by hand ({term}`demeaning <Within transformation>`), then by library, then as the paper's dummy-variable
#   regression: the same slope three ways.
# - Which R-squared, which standard errors and which F statistic the paper reports, argued from its own
#   numbers; then Table 4 printed that way, beside the published one.
# - A teaching moment: column (4) recovered from Tables 2 and 3 alone, and why the fixed-effects columns
#   cannot be.

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
import numpy as np
import pandas as pd
from IPython.display import Markdown
from linearmodels.panel import PanelOLS

from yrd.data import panel, published
from yrd.econ import regress
from yrd.paper import compare, explain, readings, results
from yrd.report import pages

pub = published.load()
df = panel.load_panel()
Markdown(pages.data_banner(df))

# %% [markdown]
# ## The two-way estimate, three ways
#
# With city effects $\mu_i$ and year effects $\gamma_t$, subtracting city means and year means and
# adding back the grand mean removes both (for a balanced panel):
#
# $$
# \ddot z_{it} = z_{it} - \bar z_{i\cdot} - \bar z_{\cdot t} + \bar z_{\cdot\cdot} ,
# \qquad \ddot{\text{quality}}_{it} = \ddot{\mathbf x}_{it}'\boldsymbol\beta + \ddot\varepsilon_{it} ,
# $$ (eq-two-way-within)
#
# and OLS on the demeaned data gives the two-way fixed-effects slopes. By hand:

# %%
x = list(regress.COLUMNS["5"]["x"])
cols = ["quality", *x]
demeaned = (
    df[cols]
    - df.groupby("city_code")[cols].transform("mean")
    - df.groupby("year")[cols].transform("mean")
    + df[cols].mean()
)
by_hand = np.linalg.lstsq(demeaned[x].to_numpy(), demeaned["quality"].to_numpy(), rcond=None)[0]

# %% [markdown]
# With `linearmodels` (entity and time effects absorbed) and with the paper's own method, least squares
# with 40 city dummies and 9 year dummies (`yrd.econ.regress.fit_column`, the {term}`LSDV` regression):

# %%
indexed = df.set_index(["city_code", "year"])
library = PanelOLS(indexed["quality"], indexed[x], entity_effects=True, time_effects=True).fit()
lsdv = regress.fit_column(df, "5")
pd.DataFrame(
    {"by hand": by_hand, "linearmodels": library.params[x], "LSDV (dummies)": lsdv.params[x]},
    index=x,
)

# %% [markdown]
# The three agree to machine precision: the fixed effects can be differenced away or estimated as
# dummies, and the slopes are the same (the {term}`Frisch-Waugh-Lovell theorem`).
#
# ## Which R-squared?
#
# They differ in what they call "explained". The LSDV regression counts the fixed effects as
# explained; the {term}`within R-squared <Within R-squared>` that panel libraries print counts only what the regressors explain
# of the demeaned outcome. The paper's R-squared and adjusted R-squared are the LSDV ones: the audit
# shows that the pair is only consistent with the dummies counted as parameters
# ({ref}`audit-r2-adjusted`).

# %%
fits = {c: regress.fit_column(df, c, cov=results.PAPER_COV) for c in regress.COLUMNS}
r2 = pd.DataFrame(
    {
        "LSDV R2": {c: f.r2 for c, f in fits.items()},
        "LSDV adj. R2": {c: f.r2_a for c, f in fits.items()},
        "within R2": {c: f.r2_within for c, f in fits.items()},
        "parameters k": {c: f.df_model + 1 for c, f in fits.items()},
        "published R2": {c: pub.value(4, "r2", c, "value") for c in fits},
    }
).rename_axis("column")
r2.round(3)

# %% tags=["remove-input"]
Markdown(readings.r2_sentence(r2))

# %% [markdown]
# (baseline-se)=
# ## Which standard errors?
#
# The paper does not say. Its numbers do, in part. The $t$-statistics of `inno` under the three usual
# choices: classical OLS, heteroskedasticity-robust ({term}`HC1`, Stata's `vce(robust)`) {cite}`white1980`,
# and clustered by city ({term}`CR1`, Stata's `vce(cluster id)`) {cite}`cameron2008`:

# %%
t = results.t_statistics(df)
inno_t = t.xs("inno", level="term").assign(
    published={c: pub.value(4, "inno", c, "t") for c in regress.COLUMNS}
)
inno_t.round(2)

# %% tags=["remove-input"]
Markdown(readings.t_choice_sentence(inno_t, df.attrs["synthetic"]))

# %% [markdown]
# What the published tables alone establish (the audit works each out with the rounding of every
# printed number):
#
# - **Not classical.** Column (4) is pooled OLS, so its coefficients and *classical* standard errors
#   follow from the means, standard deviations and correlations of Tables 2 and 3. The classical
#   $t$ of `inno` implied there is far from the printed one ({ref}`audit-classical-t`).
# - **Robust, and more likely HC1 than clustered.** Every star in Tables 4-6 agrees with normal or
#   $t(n-k)$ cut-offs, while four would be wrong under the $t(40)$ cut-offs Stata applies with 41 city
#   clusters ({ref}`audit-stars-t`).
# - **The F statistic** of column (1), with a single slope, is far from that slope's $t^2$, so it is a
#   robust {term}`Wald F test` that also tests the dummies ({ref}`audit-f-fe`); Stata can compute that with HC1 but not with 41 clusters and
#   50 regressors.
#
# The book therefore prints Tables 4-6 with HC1 standard errors (`yrd.paper.results.PAPER_COV`), and the
# chapter {ref}`beyond` asks what changes with clustered, wild-bootstrap, Driscoll-Kraay and Conley
# standard errors. On the twin the $t$-statistics cannot settle the choice either way: a synthetic
# panel can be shaped to match the published $t$-statistics under any one robust type (the twin
# chapter reports how close this one comes).
#
# (baseline-table4)=
# ## Table 4, reproduced
#
# Coefficients with stars from normal $p$-values, HC1 $t$-statistics in parentheses, LSDV R-squared
# and adjusted R-squared, constants as Stata reports them (base categories: the first city code and
# 2011), and the F statistic Stata prints after `regress ..., vce(robust)`.

# %% tags=["hide-input"]
cells = results.regression_cells(fits, pub.stars_levels(4))  # the fits above, as table cells
t4 = compare.compare(pub.table(4), cells)
Markdown(
    compare.show(t4, 4, "Paper's Table 4, baseline regressions (HC1 t-statistics).", "tbl-repro-4")
)

# %% tags=["remove-input"]
Markdown(explain.note(t4, df.attrs["synthetic"], "tbl-repro-4"))

# %% [markdown]
# Every differing cell of Tables 2-9, one per line with its
# {term}`AEA-style status <AEA status labels>` and its reason, is listed on the
# {ref}`scoreboard <scoreboard-cells>`.

# %% [markdown]
# (baseline-moments)=
# ## Column (4) from Tables 2 and 3 alone
#
# Pooled OLS is a function of first and second moments. With the standard deviations $s$ and the
# correlations $R$ of Tables 2 and 3,
#
# $$
# \hat\beta = s_y\, D_x^{-1} R_{xx}^{-1} r_{xy}, \qquad
# \hat\alpha = \bar y - \bar{\mathbf x}'\hat\beta, \qquad D_x = \operatorname{diag}(s_x),
# $$ (eq-ols-moments)
#
# so a reader can recompute column (4) from the published descriptive tables, without any data:

# %%
t2 = pub.table(2).pivot(index="row", columns="statistic", values="value")
t3 = pub.table(3).pivot(index="row", columns="column", values="value")
corr = t3.combine_first(t3.T).loc[list(t2.index), list(t2.index)]
from_moments = regress.ols_from_moments(
    t2["mean"], t2["sd"], corr, "quality", list(regress.COLUMNS["4"]["x"]), n=410
)
pd.DataFrame(
    {
        "from Tables 2-3": from_moments["params"],
        "published": {v: pub.value(4, v, "4") for v in from_moments["params"].index},
        "classical t from Tables 2-3": from_moments["tvalues"],
        "published t": {v: pub.value(4, v, "4", "t") for v in from_moments["params"].index},
    }
).round(3)

# %% [markdown]
# The coefficients agree with the printed ones up to the rounding of Tables 2 and 3. The $t$-statistics
# do not: these are *classical* ones, and the paper's are not (the previous section).
#
# Why can the fixed-effects columns not be recovered this way? Every variable splits into a city
# mean, a year mean and a within part, and for a balanced panel the three are orthogonal, so the total
# covariance matrix is the sum of a between-city, a between-year and a within part. Tables 2 and 3
# report only the sum. Column (5) uses only the within part, column (2) the city and within parts,
# column (3) the year and within parts: the published moments mix what each needs with what it
# discards. The synthetic twin is built on exactly this decomposition.
#
# ## Exercises
#
# ```{exercise}
# :label: baseline-ex-control
# Re-estimate column (5) without `wage`. How does the coefficient of `inno` move, and why would it move
# in that direction given the within-city correlation of `inno` and `wage`?
# ```
#
# ```{solution-start} baseline-ex-control
# :class: dropdown
# ```
#
# Drop `wage` from the regressors and compare; the omitted-variable formula says the change equals the
# coefficient of `wage` times the slope of `wage` on `inno` (within the fixed effects, given the other
# controls).

# %%
without_wage = regress.fit_fe(df, "quality", [v for v in x if v != "wage"], city=True, year=True)
aux = regress.fit_fe(df, "wage", [v for v in x if v != "wage"], city=True, year=True)
pages.readable(
    pd.Series(
        {
            "inno, column (5)": lsdv.params["inno"],
            "inno, without wage": without_wage.params["inno"],
            "omitted-variable formula": lsdv.params["inno"]
            + lsdv.params["wage"] * aux.params["inno"],
        }
    ),
    decimals=5,
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: baseline-ex-r2
# Column (1) has one regressor and a very high R-squared. What explains most of the variance of
# `quality` there, and what does the within R-squared say instead?
# ```
#
# ```{solution-start} baseline-ex-r2
# :class: dropdown
# ```
#
# The 49 dummies: city and year effects explain most of `quality`'s variance, so the LSDV R-squared is
# high whatever the slope. The within R-squared of column (1) measures what `inno` explains of the
# demeaned outcome. On this panel:

# %%
only_effects = regress.fit_fe(df, "quality", [], city=True, year=True)
pages.readable(
    pd.Series(
        {
            "LSDV R2, column (1)": fits["1"].r2,
            "R2 of the 49 dummies alone": only_effects.r2,
            "within R2, column (1)": fits["1"].r2_within,
        }
    )
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: baseline-ex-hc1
# Compute the HC1 standard error of `inno` in column (5) by hand from the demeaned data of
# {eq}`eq-two-way-within`: the sandwich $(\ddot X'\ddot X)^{-1} \ddot X' \operatorname{diag}(e^2)\,
# \ddot X (\ddot X'\ddot X)^{-1}$ times $n/(n-k)$, with $k$ counting the dummies and the constant too.
# Compare it with the library's.
# ```
#
# ```{solution-start} baseline-ex-hc1
# :class: dropdown
# ```
#
# By the Frisch-Waugh-Lovell theorem the demeaned regression has the LSDV residuals, and the slope block
# of the LSDV sandwich equals the sandwich of the demeaned regressors; only the degrees of freedom must
# count the 49 dummies and the constant.

# %%
X = demeaned[x].to_numpy()
e = demeaned["quality"].to_numpy() - X @ by_hand
bread = np.linalg.inv(X.T @ X)
meat = X.T @ (X * e[:, None] ** 2)
n_obs, k = len(e), fits["5"].df_model + 1
hc1 = np.sqrt(np.diag(bread @ meat @ bread) * n_obs / (n_obs - k))
pages.readable(
    pd.Series(
        {
            "k (slopes, dummies, constant)": k,
            "HC1 by hand": hc1[x.index("inno")],
            "library (fit_column, hc1)": fits["5"].bse["inno"],
        }
    ),
    decimals=6,
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Key ideas
#
# - Fixed effects can be removed by demeaning or estimated as dummies; the slopes are identical, but the
#   R-squared is not, and the paper reports the dummy regression's.
# - A table's stars, R-squared, F statistics and descriptive moments constrain each other; read together
#   they reveal which standard errors the paper used.
