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
# (descriptives)=
# # Descriptive statistics and correlations (Tables 2 and 3)
#
# Sections 4.1 and 4.2 of the paper {cite}`yrd_paper` describe the panel: the mean, standard deviation,
# minimum, median and maximum of each variable (Table 2), and their pairwise correlations (Table 3),
# from which the paper concludes that `inno` and `quality` move together and that {term}`collinearity <Multicollinearity (多重共线性)>` is
# not a problem.
#
# ## Overview
#
# - Table 2 and Table 3 recomputed from the analysis panel, each beside the published one, cell by cell.
# - The collinearity diagnostics the paper mentions: variance inflation factors, pooled and within the
#   fixed effects.
# - Two pictures a reader would rather look at than a table: the 41 cities' paths, and the correlation
#   matrix as a heat map.

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
from IPython.display import Markdown

from yrd.data import panel, published
from yrd.paper import compare, explain, results
from yrd.report import pages

pub = published.load()
df = panel.load_panel()
Markdown(pages.data_banner(df))

# %% [markdown]
# ## Table 2
#
# Stata's `summarize, detail` conventions: the standard deviation divides by $n - 1$, and the median of
# $n = 410$ values is the mean of the 205th and 206th. `yrd.paper.results.table2` computes each cell; the
# comparison is judged at the {term}`printed precision <Rounding interval>` (a reproduced 0.3874 matches a printed 0.387).

# %% tags=["hide-input"]
t2 = compare.compare(pub.table(2), results.table2(df))
Markdown(compare.show(t2, 2, "Paper's Table 2, descriptive statistics.", "tbl-repro-2"))

# %% tags=["remove-input"]
Markdown(explain.note(t2, df.attrs["synthetic"], "tbl-repro-2"))

# %% [markdown]
# The published table is {numref}`tbl-published-2` in {ref}`published-tables`.

# %% [markdown]
# ## Table 3
#
# Pearson correlations, starred when significant at 5% (a two-sided $t$-test with $n - 2$ degrees of
# freedom, as Stata's `pwcorr, star(0.05)`):
#
# $$
# t = r\sqrt{\frac{n-2}{1-r^2}} .
# $$ (eq-corr-t)

# %% tags=["hide-input"]
t3 = compare.compare(pub.table(3), results.table3(df, level=pub.stars_levels(3)["*"]))
Markdown(compare.show(t3, 3, "Paper's Table 3, correlations (* p < 0.05).", "tbl-repro-3"))

# %% tags=["remove-input"]
Markdown(explain.note(t3, df.attrs["synthetic"], "tbl-repro-3"))

# %% mystnb={"figure": {"caption": "Correlations of the analysis panel, lower triangle (twin).", "name": "fig-corr-heatmap"}} tags=["hide-input"]
import matplotlib.pyplot as plt

from yrd.data.published import VARIABLES
from yrd.report import plots

fig, ax = plt.subplots(figsize=(8, 7), facecolor="white")
plots.corr_heatmap(df[list(VARIABLES)].corr(), ax)
plt.show()

# %% tags=["remove-input"]
Markdown(
    "The heat map shows Table 3 at a glance. "
    + pages.corr_sentence(df[list(VARIABLES)].corr(), "quality")
    + " Pooled correlations among the regressors are what the collinearity diagnostics below are about."
)

# %% [markdown]
# ## How the cities move
#
# Tables 2 and 3 pool 410 city-years. The regressions of the next chapter separate what differs
# between cities (the city means) from what changes within a city over time, so it helps to see both.

# %% mystnb={"figure": {"caption": "Export product quality and innovation cooperation, city by city, 2011-2020 (grey: all 41 cities; dashed: their mean) (twin).", "name": "fig-trajectories"}} tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), facecolor="white")
plots.trajectories(df, "quality", axes[0])
plots.trajectories(df, "inno", axes[1])
plt.tight_layout()
plt.show()

# %% [markdown]
# Each grey line is one city: the lines lie far apart and run roughly in parallel, so cities differ
# from one another more than each changes over the decade. How much of each variable's variance is
# between cities (their ten-year means) and how much within (deviations from the city mean)? The
# fixed-effects columns of Table 4 use only the within part.

# %% tags=["hide-input"]
import pandas as pd

shares = pages.variance_shares(df, VARIABLES)
shares.map(lambda v: f"{v:.3g}")

# %% tags=["remove-input"]
Markdown(pages.variance_share_sentence(shares))

# %% [markdown]
# A variable that moves little within a city leaves the fixed-effects columns little to work with: its
# coefficient there rests on a small part of its variance, and its standard error grows accordingly
# (the third exercise below works this out).

# %% [markdown]
# (descriptives-vif)=
# ## Collinearity
#
# The paper reports that "all VIF values are below 4". The variance inflation factor of regressor
# $j$ is $1/(1 - R_j^2)$, with $R_j^2$ from regressing it on the other regressors; it is the diagonal of
# the inverse of the regressors' correlation matrix. Pooled, it describes column (4) of Table 4; after
# removing city and year means, it describes the two-way column (5), which is what matters for the
# paper's headline estimate.

# %% tags=["hide-input"]
vifs = pd.DataFrame(
    {
        "pooled": results.vif(df),
        "within city": results.vif(df, within="city"),
        "within year": results.vif(df, within="year"),
        "two-way within": results.vif(df, within="twoways"),
    }
)
vifs.round(2)

# %% tags=["remove-input"]
Markdown(
    pages.vif_sentence(vifs)
    + " A VIF of $v$ means that the variance of that coefficient is $v$ times what it would be if"
    " the regressor were uncorrelated with the others."
)

# %% [markdown]
# The pooled VIFs follow from the correlations alone, so on any panel that reproduces Table 3 (the twin
# does) they are the paper's own: the audit computes them from the published Table 3 with no data at
# all and finds that the claim "below 4" cannot hold for the correlations the paper prints
# ({ref}`audit-vif`). The within VIFs depend on how the variance splits between and within
# cities, which the paper does not report; on the twin they describe the twin.

# %% [markdown]
# ```{exercise}
# :label: descriptives-ex-vif
# Compute the pooled VIF of `inno` by its definition: regress `inno` on the nine controls and take
# $1/(1-R^2)$. Check it against the table above.
# ```
#
# ```{solution-start} descriptives-ex-vif
# :class: dropdown
# ```

# %%
from yrd.econ.regress import CONTROLS, fit_fe

# the auxiliary regression: inno on the nine controls, pooled (no fixed effects)
aux = fit_fe(df, "inno", CONTROLS, city=False, year=False)
pages.readable(
    pd.Series({"1 / (1 - R2)": 1 / (1 - aux.r2), "table above": vifs.loc["inno", "pooled"]})
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: descriptives-ex-star
# Table 3 stars a correlation when it is significant at 5%. Compute the correlation of `quality` and
# `inno`, its $t$-statistic by {eq}`eq-corr-t`, and the two-sided 5% critical value of $t(n-2)$. Is the
# correlation starred?
# ```
#
# ```{solution-start} descriptives-ex-star
# :class: dropdown
# ```

# %%
from scipy import stats

n = len(df)
r = df["quality"].corr(df["inno"])
t_r = r * ((n - 2) / (1 - r**2)) ** 0.5
critical = stats.t.isf(0.025, n - 2)
pages.readable(
    pd.Series({"r": r, "t": t_r, "critical value": critical, "starred": abs(t_r) > critical})
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: descriptives-ex-within
# Which regressor has the smallest within-city share of variance? Compare its standard error in the
# two-way fixed-effects column (5) of Table 4 with the pooled column (4), and explain the ratio with
# the share.
# ```
#
# ```{solution-start} descriptives-ex-within
# :class: dropdown
# ```
#
# Fixed effects use only the within-city variation, so a regressor that barely moves within a city is
# estimated from little information: its standard error grows roughly like one over the square root
# of its within share (other things equal).

# %%
from yrd.econ.regress import COLUMNS, fit_column

share = shares["within-city share of variance"].drop(["quality", "tcf"], errors="ignore")
v = share.idxmin()
se = {c: fit_column(df, c, cov="hc1").bse[v] for c in ("4", "5")}
pages.readable(
    pd.Series(
        {
            "regressor": v,
            "within-city share": share[v],
            "SE, two-way column (5)": se["5"],
            "SE, pooled column (4)": se["4"],
            "ratio (5)/(4)": se["5"] / se["4"],
            "1/sqrt(share)": share[v] ** -0.5,
            "in column (5)": v in COLUMNS["5"]["x"],
        }
    ),
    decimals=3,
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Key ideas
#
# - Tables 2 and 3 are simple statistics, so any difference from the paper here is a difference in the
#   data, not in the method.
# - Pooled statistics mix two kinds of variation: between cities and within a city over time. The
#   fixed-effects estimates of the next chapter use only the second.
