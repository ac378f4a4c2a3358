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
# (variables)=
# # The variables (Table 1)
#
# ## Overview
#
# - Table 1 of the paper {cite}`yrd_paper` defines the nine control variables; sections 3.1.1 and 3.1.2
#   define the outcome `quality` and the treatment `inno`. All eleven are printed below, in our English
#   translation with the paper's Chinese beneath it, read from `data/published/table1_variables.csv`.
# - Each variable then gets its formula. Where the paper is silent or ambiguous (units, logs, which ratio),
#   the formula states the reading this book adopts and why; the data-construction chapter implements each
#   one as a tested function.

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

from yrd.data import published
from yrd.report import tables

pub = published.load()
Markdown(
    tables.to_myst_table(
        tables.variables_table(pub.table1),
        "The paper's Table 1 (the nine controls) and its text's definitions of quality and inno: "
        "our English translation, with the paper's Chinese beneath it.",
        "tbl-table1",
        index_name="Variable",
        classes="yrd-variables",
    )
)

# %% [markdown]
# ## Formulas
#
# Throughout, $i$ is a city, $t$ a year, $k$ an HS2 product and $c$ a country.
#
# **Export product quality** (`quality`, 出口产品质量). The paper measures it as the logarithm of export
# sophistication {cite}`hausmann2007`, computed on HS2 products. The income level of product $k$ is the
# GDP per capita $Y_c$ of its exporters, weighted by revealed comparative advantage ({term}`PRODY`):
#
# $$
# \mathrm{PRODY}_k = \sum_c \frac{x_{ck}/X_c}{\sum_{c'} x_{c'k}/X_{c'}}\, Y_c ,
# $$ (eq-prody)
#
# and a city's export sophistication is the export-share-weighted mean of its products' PRODY:
#
# $$
# \mathrm{EXPY}_{it} = \sum_k \frac{x_{ikt}}{X_{it}}\, \mathrm{PRODY}_k ,
# \qquad \text{quality}_{it} = \ln \mathrm{EXPY}_{it} .
# $$ (eq-expy)
#
# Here $x_{ck}$ are country $c$'s exports of $k$ and $X_c = \sum_k x_{ck}$; $x_{ikt}$ are city $i$'s
# exports of $k$ in year $t$ (customs records aggregated by the exporter's city). The alternative outcome
# `tcf` of Table 6 (出口产品技术复杂度) cites a definition the paper does not write out; the
# data-construction chapter documents the reading used.
#
# **Innovation cooperation** (`inno`, 创新合作). With $C_{it}$ the number of invention-patent applications
# filed in year $t$ that name at least two non-natural-person applicants, one of them with an address in
# city $i$,
#
# $$
# \text{inno}_{it} = \ln(1 + C_{it}) .
# $$ (eq-inno)
#
# The paper says "the logarithm of applications"; its Table 2 prints a minimum of exactly 0, which a
# plain logarithm could only give for one application and which $\ln(1+C)$ gives for none.
#
# **Controls.** With nominal values deflated to 2011 prices where the paper says "real":
#
# $$
# \begin{aligned}
# \text{gdp}_{it} &= \ln \text{real GDP}_{it}, \\
# \text{open}_{it} &= \frac{\text{FDI actually used}_{it} \times e_t}{\text{GDP}_{it}}, \\
# \text{fin}_{it} &= \frac{\text{loans}_{it}}{\text{deposits}_{it}}, \\
# \text{wage}_{it} &= \ln \overline{\text{wage}}_{it}, \\
# \text{human}_{it} &= \ln \frac{\text{college students}_{it}}{\text{population}_{it}/10^4}, \\
# \text{stru}_{it} &= \frac{\text{tertiary output}_{it}}{\text{secondary output}_{it}}, \\
# \text{infor}_{it} &= \frac{\text{broadband subscribers}_{it}}{\text{registered population}_{it}}, \\
# \text{infra}_{it} &= \text{road area per capita}_{it}, \\
# \text{tech}_{it} &= \frac{\text{education + science spending}_{it}}{\text{GDP}_{it}} ,
# \end{aligned}
# $$ (eq-controls)
#
# where $e_t$ converts US dollars to yuan. Several readings go beyond the text of Table 1:
#
# - `wage`: Table 1 says "average wage" with no logarithm, but the text says non-ratio variables are
#   logged and Table 2's mean of about 11 can only be a log of yuan per year.
# - `fin`: "the ratio of deposit and loan balances" (存贷款余额之比) does not say which way round; the
#   data-construction chapter compares both readings with Table 2.
# - `infor`: Table 2's range (up to about 9) is not a share of people; the book reads it as subscribers
#   per 10 registered residents.
# - `human`: the text says students "per million people", but Table 2's range (2.9 to 7.1 in logs) only
#   fits students per 10,000 residents; per million, the least-educated city would have 18 students.
#   The two differ by the constant $\ln 100$, which moves only the regression constant.
# - `gdp`: Table 1 says real GDP, but Table 2's maximum equals the log of Shanghai's *nominal* 2020 GDP
#   in units of 10,000 yuan, which suggests the series was not deflated; `yrd.data.builders.gdp` deflates
#   only when given a deflator.
#
# ## Key ideas
#
# - Table 1 is data (`data/published/table1_variables.csv`); the formulas above are this book's reading of
#   it, and every reading that goes beyond the paper's words is flagged as such.
