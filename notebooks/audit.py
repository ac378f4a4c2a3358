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
# (audit)=
# # What the published tables say about themselves
#
# Before re-running anything, a referee can ask whether the paper's tables {cite}`yrd_paper` agree with
# each other and with the paper's own text. Many printed numbers are tied together by algebra: stars by
# t-statistics, an adjusted R-squared by the R-squared and the number of parameters, four LM statistics by
# an identity, SAR impacts by the coefficient and rho. This chapter checks every such tie that the printed
# numbers allow, with no data beyond the tables.
#
# ## Overview
#
# - **What is checked:** significance stars (Tables 3-9), R-squared against adjusted R-squared (Tables 4-6),
#   what Tables 2 and 3 imply on their own (positive semidefiniteness, the pooled column (4) of Table 4,
#   the variance inflation factors), F statistics and the type of standard errors, the LM identity of
#   Table 8, the algebra of the SAR impacts and sigma2 of Table 9, and the captions, labels and text.
# - **How:** each check is a small tested function in `yrd.paper.audit` that reads `data/published/` and
#   returns a verdict: *consistent*, *inconsistent* or *cannot tell*, with the arithmetic.
# - **Rounding is never a finding:** every printed number is treated as the interval its rounding allows,
#   and *inconsistent* means that no unrounded values could print the published cells.
# - **Output:** the verdicts are also kept in `reports/audit.csv` (`make audit-report` rewrites it, and a
#   test checks that it is current); other chapters link to the sections below where a published number
#   cannot be reproduced.
#
# The structure follows a replication report (AEA Data Editor, Replication Games): a summary first, then
# one section per check, each with the question, the formula, the arithmetic and the verdict.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown
from myst_nb import glue
from scipy import stats

from yrd.data import published
from yrd.paper import audit
from yrd.report import pages, tables

pub = published.load()
verdicts = audit.run_all(pub)
frame = audit.to_frame(verdicts)

MARK = {
    "consistent": "consistent",
    "identifies": "identifies",
    "inconsistent": "**inconsistent**",
    "cannot tell": "*cannot tell*",
}


def show(check: str) -> Markdown:
    return Markdown(audit.render_check(verdicts, check))


def arithmetic(check, table, caption, label, decimals=4, cols=None) -> Markdown:
    return Markdown(audit.render_arithmetic(verdicts, check, table, caption, label, decimals, cols))


# %% [markdown]
# (audit-summary)=
# ## Summary
#
# The audit ran {glue:text}`audit-n-checks` verdicts over {glue:text}`audit-n-ids` distinct checks:
# {glue:text}`audit-n-consistent` consistent, {glue:text}`audit-n-inconsistent` inconsistent and
# {glue:text}`audit-n-cannot` that the tables alone cannot decide. {numref}`tbl-audit-summary` lists
# every verdict with a link to its section; the full sentences are in `reports/audit.csv` and below.

# %%
counts = frame["verdict"].value_counts().reindex(list(audit.VERDICTS), fill_value=0)
glue("audit-n-checks", len(frame), display=False)
glue("audit-n-ids", frame["check"].nunique(), display=False)
glue("audit-n-consistent", int(counts["consistent"]), display=False)
glue("audit-n-inconsistent", int(counts["inconsistent"]), display=False)
glue("audit-n-cannot", int(counts["cannot tell"]), display=False)

grid = pd.DataFrame(
    {
        "Check": [f"{{ref}}`{c} <audit-{c}>`" for c in frame["check"]],
        "Table": frame["table"],
        "Verdict": [MARK[v] for v in frame["verdict"]],
    }
)
grid.index = range(1, len(grid) + 1)
md = tables.to_myst_table(
    grid, "Every audit verdict, in the order of the sections below.", "tbl-audit-summary", "#"
)
# the table formatter escapes '*' (significance stars); here they mean emphasis
Markdown(
    md.replace("\\*\\*inconsistent\\*\\*", "**inconsistent**").replace(
        "\\*cannot tell\\*", "*cannot tell*"
    )
)

# %% [markdown]
# In the replication report's terms {numref}`tbl-audit-counts` groups the verdicts by check. The short version:
#
# - The **regression tables are arithmetically coherent**: stars follow the printed t-statistics, the
#   adjusted R-squared counts the fixed effects as dummies, and the pooled column (4) of Table 4 follows
#   from the descriptive statistics and correlations of Tables 2 and 3.
# - The **standard errors are not the classical ones** the paper's silence would suggest: the t-statistics
#   and F of column (4) are those of a robust covariance, and no F of a fixed-effects column is a
#   classical F.
# - The **claim of Section 4.2 that every VIF is small is false** on the paper's own correlations.
# - The **inverse-distance SAR impacts of Table 9 cannot come from the printed coefficient and rho**:
#   the total effect, the sign of the indirect effect and the size of the direct effect all break the
#   algebra, while their sum is coherent.
# - **Labels:** a copied caption, a shared caption, an "Industry" effect that is a city effect, misspelt
#   variables, a wage that Table 1 says is not logged but is, and SDM tests that the text announces and no
#   table reports.

# %%
Markdown(
    tables.to_myst_table(
        audit.summary(frame),
        "Number of verdicts of each kind, per check.",
        "tbl-audit-counts",
        "Check",
    )
)

# %% [markdown]
# ## Method: a printed number is an interval
#
# A number printed with d decimals stands for every value that rounds to it:
#
# $$
# x_{\text{printed}} \;\Longrightarrow\; x \in \left[x_{\text{printed}} - \tfrac12 10^{-d},\;
# x_{\text{printed}} + \tfrac12 10^{-d}\right].
# $$ (eq-audit-rounding)
#
# Each check asks whether some point of this box of intervals satisfies the relation being tested. Where
# the relation is monotone in each number (F from R-squared, k from R-squared and adjusted R-squared, the
# LM identity, the SAR total effect) the extremes are at corners of the box and the answer is exact. The
# regression from moments is not monotone; its range is the first-order bound
# $\sum_i |\partial f/\partial x_i|\,\tfrac12 10^{-d_i}$ widened to cover random corners of the box.
#
# A verdict is *inconsistent* only when no point of the box fits, *consistent* when one does, and
# *cannot tell* when the answer depends on something the tables do not print (the software, the weights
# matrix, how the standard errors were computed).

# %% [markdown]
# ## Significance stars
#
# (audit-stars-t)=
# ### Stars against t-statistics (Tables 4, 5, 6 and 9)
#
# Each coefficient's stars should follow from the t-statistic printed beneath it and the table's note
# (p < 0.1, 0.05, 0.01). With two-sided p-values, a coefficient carries s stars when
#
# $$
# c_s \le |t| < c_{s+1}, \qquad c_s = F^{-1}\!\left(1 - p_s/2\right),
# $$ (eq-audit-stars)
#
# where F is the reference distribution. Three are tried: the normal (1.645, 1.96, 2.576), Student t with
# the column's residual degrees of freedom n - k (dummies counted), and Student t(40), which Stata uses
# with standard errors clustered on the 41 cities. A cell agrees with a rule when some t within the
# rounding of the printed t carries the printed stars.

# %% tags=["remove-input"]
show("stars-t")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Printed |t| of every starred or unstarred coefficient in Tables 4, 5, 6 and 9, by the number of stars printed. Lines: normal cutoffs (solid) and t(40) cutoffs (dashed). Every point sits in the band its stars require under the normal cutoffs.", "name": "fig-audit-stars"}}
rows = pd.concat(
    [v.arithmetic.assign(table=v.table) for v in verdicts if v.check == "stars-t"],
    ignore_index=True,
)
rows["abs_t"] = rows["t"].astype(float).abs()
rows["n_stars"] = rows["coef"].str.count(r"\*")
fig, ax = plt.subplots(figsize=(7, 3.6))
rng = np.random.default_rng(0)
for tab, marker in zip(["4", "5", "6", "9"], ["o", "s", "^", "D"], strict=True):
    sub = rows[rows["table"] == tab]
    ax.scatter(
        sub["abs_t"],
        sub["n_stars"] + rng.uniform(-0.15, 0.15, len(sub)),
        marker=marker,
        s=18,
        alpha=0.7,
        label=f"Table {tab}",
    )
levels = pub.stars_levels(4)
for p in levels.values():
    ax.axvline(stats.norm.isf(p / 2), color="k", lw=0.8)
    ax.axvline(stats.t.isf(p / 2, 40), color="k", lw=0.8, ls="--")
ax.set_xscale("symlog", linthresh=3)
ax.set_xlim(0, rows["abs_t"].max() * 1.3)
ax.set_yticks([0, 1, 2, 3], ["none", "*", "**", "***"])
ax.set_xlabel("|t| as printed")
ax.set_ylabel("stars printed")
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# Under t(40) a few cells would lose a star ({numref}`tbl-audit-stars-t40`): the stars were set with normal
# (or large-df t) cutoffs, so if the standard errors were clustered by city, the stars ignore the small
# number of clusters.

# %%
t40 = rows[~rows["t(40)"]][["table", "column", "row", "coef", "t", "normal", "t(n-k)", "t(40)"]]
t40_grid = t40.map(pages.fmt_value).set_index("table")
Markdown(
    tables.to_myst_table(
        t40_grid, "Cells whose stars do not survive t(40) cutoffs.", "tbl-audit-stars-t40", "Table"
    )
)

# %% [markdown]
# (audit-stars-corr)=
# ### Stars of the correlations (Table 3)
#
# Under a zero correlation, $t = r\sqrt{n-2}/\sqrt{1-r^2}$ is t(n - 2), so a correlation is starred at the
# note's level exactly when $|r| > t_c/\sqrt{n-2+t_c^2}$.

# %% tags=["remove-input"]
show("stars-corr")

# %% [markdown]
# (audit-stars-chi2)=
# ### Stars of the LM tests (Table 8)
#
# Each LM statistic is chi-squared with one degree of freedom under the null {cite}`anselin1996`.

# %% tags=["remove-input"]
show("stars-chi2")

# %% [markdown]
# (audit-stars-moran)=
# ### Stars of Moran's I (Table 7)
#
# Table 7 prints Moran's I without a z-value, so its stars cannot be checked one by one. But under the
# normality assumption the variance of I depends only on W and n {cite}`cliff1981`, and W does not
# change from year to year. So within a column one standard deviation must explain every year's stars:
#
# $$
# \frac{|I_t - E[I]|}{c_{s_t+1}} < \mathrm{sd}(I) \le \frac{|I_t - E[I]|}{c_{s_t}}
# \quad\text{for every year } t, \qquad E[I] = -\frac{1}{n-1}.
# $$ (eq-audit-moran)

# %% tags=["remove-input"]
show("stars-moran")

# %% [markdown]
# The randomisation variance of I also depends on each year's kurtosis, and permutation p-values vary
# from draw to draw, so a failure of this check would be *cannot tell*, not *inconsistent*.

# %% [markdown]
# ## Fixed effects and R-squared
#
# (audit-r2-adjusted)=
# ### R-squared against adjusted R-squared (Tables 4, 5 and 6)
#
# The adjusted R-squared of a regression with k parameters (constant included) on n observations is
#
# $$
# \bar R^2 = 1 - (1 - R^2)\,\frac{n-1}{n-k}
# \quad\Longleftrightarrow\quad
# k = n - (1-R^2)\,\frac{n-1}{1-\bar R^2}.
# $$ (eq-audit-r2a)
#
# k rises with R-squared and falls with the adjusted R-squared, so the corners of the rounding box give
# the range of k each column implies. The two candidate counts: the fixed effects as dummies (40 city and
# 9 year dummies, so column (5) has 1 + 10 + 40 + 9 = 60) or absorbed and not counted (11).

# %% tags=["remove-input"]
show("r2-adjusted")

# %% tags=["remove-input"]
arithmetic(
    "r2-adjusted",
    "4",
    "Table 4: the range of k implied by R-squared and adjusted R-squared, against the two counts.",
    "tbl-audit-r2a",
    decimals=1,
)

# %% [markdown]
# The high R-squared of the fixed-effects columns is therefore the R-squared of the
# dummy-variable regression, in which the fixed effects count as explained variation (Stata's `areg`
# and `reghdfe` print it); the within R-squared is not printed.

# %% [markdown]
# ## What Tables 2 and 3 imply on their own
#
# (audit-table2-bounds)=
# ### Are the descriptive statistics possible?
#
# For a sample of n values the SD is at most $\frac{\max-\min}{2}\sqrt{n/(n-1)}$, and at least the SD of
# the sample that puts one value at each extreme and the other n - 2 at the value that keeps the mean.

# %% tags=["remove-input"]
show("table2-bounds")

# %% [markdown]
# (audit-corr-psd)=
# ### Is Table 3 a correlation matrix?
#
# Every correlation matrix is positive semidefinite. If the printed one is not, a matrix within its
# rounding might be: by Weyl's inequality the smallest eigenvalue moves by at most the spectral norm of the
# rounding error, itself at most the largest row sum of the half-widths.

# %% tags=["remove-input"]
show("corr-psd")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Eigenvalues of the correlation matrix of Table 3, smallest first. All are positive.", "name": "fig-audit-eigen"}}
ev = next(v for v in verdicts if v.check == "corr-psd").arithmetic["eigenvalue"]
fig, ax = plt.subplots(figsize=(6, 2.6))
ax.bar(range(1, len(ev) + 1), ev, color="0.4")
ax.axhline(0, color="k", lw=0.8)
ax.set_xlabel("eigenvalue number (ascending)")
ax.set_ylabel("eigenvalue")
fig.tight_layout()
plt.show()

# %% [markdown]
# (audit-pooled-moments)=
# ### The pooled column (4) of Table 4 from Tables 2 and 3
#
# Pooled OLS needs only first and second moments, which Tables 2 and 3 print. With $D = \mathrm{diag}(s_x)$
# and $R_{xx}$, $r_{xy}$ the correlations, `yrd.econ.regress.ols_from_moments` computes
#
# $$
# \hat\beta = s_y\,D^{-1}R_{xx}^{-1}r_{xy}, \qquad
# \hat\alpha = \bar y - \bar x'\hat\beta, \qquad
# R^2 = r_{xy}'R_{xx}^{-1}r_{xy},
# $$ (eq-audit-moments)
#
# and the classical standard errors from $s^2 = (n-1)s_y^2(1-R^2)/(n-k)$ and $(X'X)^{-1}$ rebuilt from the
# same moments.

# %% tags=["remove-input"]
show("pooled-moments")

# %% tags=["remove-input"]
arithmetic(
    "pooled-moments",
    None,
    "Table 4 column (4): published coefficients against those implied by Tables 2-3, with the range "
    "rounding allows.",
    "tbl-audit-pooled",
)

# %% [markdown]
# (audit-classical-t)=
# ### Classical or robust standard errors in column (4)?
#
# The coefficients agree, so the same sample and specification produced Tables 2-4. The classical
# t-statistics then follow from the moments too, and can be compared with the printed ones.

# %% tags=["remove-input"]
show("classical-t")

# %% tags=["remove-input"]
arithmetic(
    "classical-t",
    None,
    "Table 4 column (4): printed t-statistics against the classical OLS t implied by Tables 2-3; "
    "se_ratio is the classical t over the printed t, i.e. the printed SE over the classical SE.",
    "tbl-audit-classical-t",
    decimals=2,
)

# %% [markdown]
# (audit-f-pooled)=
# ### The F statistic of the pooled column
#
# With classical standard errors the F test of all k - 1 slopes is a function of R-squared alone,
#
# $$
# F = \frac{R^2/(k-1)}{(1-R^2)/(n-k)},
# $$ (eq-audit-f)
#
# increasing in R-squared, so the rounding of R-squared gives an exact range.

# %% tags=["remove-input"]
show("f-pooled")

# %% [markdown]
# Together with the t-statistics the verdict is clear: column (4) reports a robust covariance
# (heteroskedasticity-robust {cite}`white1980` or clustered by city {cite}`cameron2008`), not the classical
# one. Ratios of the printed to the classical SE on both sides of one rule out a simple rescaling. The
# tables cannot tell HC from clustered: stars that fit normal cutoffs but not t(40) in Tables 5 and 6
# ({numref}`tbl-audit-stars-t40`) lean towards HC, or towards clustered SEs with normal cutoffs.

# %% [markdown]
# (audit-vif)=
# ### The variance inflation factors
#
# Section 4.2 says every VIF is below {glue:text}`audit-vif-claim`. The VIF of regressor j is the j-th diagonal element of the
# inverse of the regressors' correlation matrix, $1/(1-R_j^2)$, and since $R_j^2$ is at least the squared
# correlation of $x_j$ with any single other regressor,
#
# $$
# \mathrm{VIF}_j \;\ge\; \frac{1}{1 - r_{jl}^2} \quad\text{for every } l \ne j,
# $$ (eq-audit-vif)
#
# a bound that survives any rounding and any added regressor (fixed effects only raise $R_j^2$).

# %% tags=["remove-input"]
glue("audit-vif-claim", f"{audit.VIF_CLAIM:g}", display=False)
show("vif")

# %% tags=["remove-input"]
arithmetic(
    "vif",
    None,
    "VIFs implied by Table 3 and the certain lower bound from each regressor's strongest pairwise "
    "correlation (lower end of its rounding).",
    "tbl-audit-vif",
    decimals=2,
)

# %% [markdown]
# (audit-f-fe)=
# ### F statistics of the fixed-effects columns
#
# Stata's `areg`, `xtreg, fe` and `reghdfe` {cite}`correia2016` report the F test of the slopes only. Its
# classical value needs the R-squared of the fixed effects alone, which is not printed, so in general it
# cannot be checked. One exception: column (1) has a single slope, and the Wald F of one restriction is
# $t^2$ whatever the covariance estimator. The classical F of all regressors *including* the dummies
# follows from {eq}`eq-audit-f` and is shown for comparison.

# %% tags=["remove-input"]
show("f-fe")

# %% [markdown]
# No F of Tables 4-6 is a classical F of the regression the column reports. In column (1) the F is not
# even a test of `inno`; it must test the dummies as well, with a non-classical covariance.

# %% [markdown]
# ## Spatial tests and models
#
# (audit-lm-identity)=
# ### The LM identity of Table 8
#
# The robust LM statistics of {cite:t}`anselin1996` are built so that each pair adds up to the joint test
# of a spatial lag and a spatial error:
#
# $$
# LM_\rho + RLM_\lambda \;=\; LM_{\rho\lambda} \;=\; LM_\lambda + RLM_\rho .
# $$ (eq-audit-lm)

# %% tags=["remove-input"]
show("lm-identity")

# %% [markdown]
# ### SAR impacts (Table 9)
#
# In a SAR model $y = \rho Wy + X\beta + \varepsilon$ the effects of a regressor are summarised from
# $S = (I - \rho W)^{-1}\beta$ {cite}`lesage2009`: the direct effect is the mean of its diagonal, the total
# effect the mean row sum, the indirect effect their difference. For a non-negative W and
# $0 < \rho < 1/\lambda_{\max}$, $S = \beta\sum_{k\ge 0}\rho^k W^k$ with non-negative terms, so
#
# $$
# \text{total} = \frac{\beta}{1-\rho}\ \ (\text{row-standardised } W), \qquad
# \operatorname{sign}(\text{indirect}) = \operatorname{sign}(\beta), \qquad
# \frac{\text{direct}}{\beta} = 1 + \sum_{k\ge 2}\rho^k\,\frac{\operatorname{tr}(W^k)}{n} \ge 1 + \frac{\rho^2}{n},
# $$ (eq-audit-sar)
#
# the last bound when W is the row-standardised version of a symmetric matrix (an inverse-distance
# matrix is): its eigenvalues are then real and include 1, so $\operatorname{tr}(W^2) \ge 1$. How the
# economic matrix was built is not said, so only $\text{direct} \ge \beta$ is used for it.
#
# (audit-sar-total)=
# #### Total effect

# %% tags=["remove-input"]
show("sar-total")

# %% [markdown]
# (audit-sar-indirect-sign)=
# #### Sign of the indirect effect

# %% tags=["remove-input"]
show("sar-indirect-sign")

# %% [markdown]
# (audit-sar-direct)=
# #### Direct effect against the coefficient

# %% tags=["remove-input"]
show("sar-direct")

# %% [markdown]
# (audit-sar-additivity)=
# #### Direct plus indirect equals total

# %% tags=["remove-input"]
show("sar-additivity")

# %% [markdown]
# (audit-sar-direct-t)=
# #### Precision of the direct effect
#
# Direct $= m(\rho)\beta$ with m the mean diagonal of $(I-\rho W)^{-1}$. By the delta method,
# whatever the correlation of the estimates of beta and rho,
#
# $$
# \mathrm{se}(\text{direct}) \le m\,\mathrm{se}(\beta) + |\beta|\,m'(\rho)\,\mathrm{se}(\rho),
# \qquad 1 \le m \le \frac{1}{1-\rho},\quad 0 \le m' \le \frac{1}{(1-\rho)^2} - 1 .
# $$ (eq-audit-direct-se)

# %% tags=["remove-input"]
show("sar-direct-t")

# %% [markdown]
# Under the economic matrix the four impacts obey the algebra. Under inverse distance three of the four
# relations fail while the printed effects still add up: the printed effects did not come from the
# printed coefficient and rho. One possible mechanism, which the tables cannot confirm, is effects
# averaged over simulated draws of the parameters, a few of which put rho near or above one, where
# $1/(1-\rho)$ explodes; that would also explain standard errors large enough to give t-statistics of
# almost zero.

# %% [markdown]
# (audit-sigma2)=
# ### sigma2 against the residual variance of Table 4
#
# Table 4 column (5) has the same fixed effects as the spatial models. Its sum of squared residuals follows
# from the R-squared and the SD of quality in Table 2, $SSR = (1 - R^2)(n-1)s_y^2$. A SAR or SEM fitted by
# maximum likelihood with the same regressors has
#
# $$
# \hat\sigma^2 \le \frac{SSR}{n},
# $$ (eq-audit-sigma2)
#
# because its log-likelihood is at least that at $\rho = 0$ and $\log|I - \rho W| \le 0$ when W has a
# zero diagonal.

# %% tags=["remove-input"]
show("sigma2")

# %% [markdown]
# (audit-sigma2-t)=
# ### The t-statistic of sigma2
#
# With standard errors from the information matrix, $\mathrm{Var}(\hat\sigma^2) \ge 2\sigma^4/n$, so the
# t-statistic of sigma2 cannot exceed $\sqrt{n/2}$, whatever sigma2 is.

# %% tags=["remove-input"]
show("sigma2-t")

# %% [markdown]
# (audit-table9-identical)=
# ### Identical cells for two models

# %% tags=["remove-input"]
show("table9-identical")

# %% [markdown]
# (audit-table9-r2)=
# ### The R-squared of the spatial models

# %% tags=["remove-input"]
show("table9-r2")

# %% [markdown]
# ## Captions, labels and the text
#
# These checks compare the tables with their captions, their row labels and the paper's prose. The
# paper's text is transcribed only where a check needs it: its numbers in
# `data/published/text_numbers.csv`, its spellings and the tests it announces in `yrd.paper.audit`
# (`TEXT_SPELLINGS`, `TEXT_TABLE8_TESTS`).
#
# (audit-caption-copied)=
# ### A copied caption

# %% tags=["remove-input"]
show("caption-copied")

# %% [markdown]
# (audit-caption-shared)=
# ### A shared caption

# %% tags=["remove-input"]
show("caption-shared")

# %% [markdown]
# (audit-fe-label)=
# ### The label of the city fixed effect

# %% tags=["remove-input"]
show("fe-label")

# %% [markdown]
# (audit-table1-logs)=
# ### Is wage logged?

# %% tags=["remove-input"]
show("table1-logs")

# %% [markdown]
# (audit-gdp-nominal)=
# ### Is gdp real GDP?
#
# Table 1 measures gdp as the logarithm of the city's *real* GDP. The tables alone cannot test that,
# but public figures can: the public panel of the data-construction chapter ({ref}`data-public`,
# `data/public/panel.csv`) has nominal GDP and the real growth rate. Minimum, median and maximum are
# order statistics, reproduced exactly or not at all; deflating moves the median and the maximum.

# %% tags=["remove-input"]
show("gdp-nominal")

# %% tags=["remove-input"]
arithmetic(
    "gdp-nominal",
    None,
    "Table 2's gdp row against ln nominal and ln real (2011 prices) GDP from public figures.",
    "tbl-audit-gdp-nominal",
)

# %% [markdown]
# (audit-text-table2)=
# ### Section 4.1 against Table 2

# %% tags=["remove-input"]
show("text-table2")

# %% [markdown]
# (audit-text-numbers)=
# ### Numbers quoted in Sections 4.2-4.4

# %% tags=["remove-input"]
show("text-numbers")

# %% tags=["remove-input"]
arithmetic(
    "text-numbers",
    None,
    "Numbers and significance levels quoted in the text, against the tables.",
    "tbl-audit-text-numbers",
)

# %% [markdown]
# (audit-text-spellings)=
# ### Spelling of the variables

# %% tags=["remove-input"]
show("text-spellings")

# %% [markdown]
# (audit-text-moran)=
# ### "Every Moran's I is significant"

# %% tags=["remove-input"]
show("text-moran")

# %% [markdown]
# (audit-text-sdm)=
# ### The spatial Durbin model the text announces

# %% tags=["remove-input"]
show("text-sdm")

# %% [markdown]
# (audit-text-spatial)=
# ### The text's reading of Table 9

# %% tags=["remove-input"]
show("text-spatial")

# %% [markdown]
# ## Conclusion
#
# On their own terms the regression tables hold together: the stars, the adjusted R-squared and the pooled
# regression all follow from the printed numbers. What they do not say, and what the audit reveals, is
# that the standard errors are robust rather than classical, that the fixed effects are counted as dummies
# in R-squared, and that the F statistics are not classical tests of the printed slopes. The collinearity
# claim of Section 4.2 is contradicted by Table 3. The inverse-distance SAR impacts of Table 9 are not the
# impacts of the printed SAR coefficients, and with them goes the paper's reading of a negative
# (siphoning) spillover under inverse distance. The verdicts are in `reports/audit.csv`.
#
# ## Key ideas
#
# - A printed number is an interval; an inconsistency is only a finding when no point of the rounding box
#   removes it.
# - Much of a paper can be checked without its data: stars against t, R-squared against adjusted
#   R-squared, moments against the pooled regression, identities between test statistics, and the algebra
#   that ties SAR impacts to beta and rho.
# - Tables 2 and 3 are enough to recompute a pooled OLS column, its classical t-statistics, its F and its
#   VIFs, and so to find out which standard errors the paper used.
# - When the tables cannot decide (which software, which weights, simulated or analytical standard
#   errors), the honest verdict is *cannot tell*.
