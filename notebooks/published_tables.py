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
# (published-tables)=
# # The published tables
#
# This page prints the paper's Tables 2-9 exactly as published {cite}`yrd_paper`, from the transcription
# in `data/published/`, through the same formatter that prints every reproduced table later in the book.
# Table 1 (the variable definitions) has {ref}`a page of its own <variables>`.
#
# ## Overview
#
# - What is transcribed: every printed number of Tables 2-9, one row per cell, with the printed string
#   (so the printed precision is known), the value and the stars.
# - How it was checked: two independent transcriptions were compared cell by cell, and the tests in
#   `tests/test_published.py` check counts, keys, the stars legends and internal sums.
# - What it is for: the published side of every comparison in the book. No published number is typed
#   into a notebook; they are all read from here.
#
# Captions are reproduced as printed, including the paper's own slips (Table 4's English caption reads
# "Correlation analysis table"; Tables 5 and 6 label the city effect "Industry Effect"). The audit chapter
# discusses them.

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
counts = pub.cells.groupby("table").size()
Markdown(
    f"The transcription holds {counts.sum()} cells: "
    + ", ".join(f"{n} in Table {t}" for t, n in counts.items())
    + "."
)

# %% [markdown]
# ## Descriptive statistics (Table 2)

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 2))

# %% [markdown]
# ## Correlations (Table 3)
#
# The paper prints the lower triangle and marks coefficients significant at 5% with one star.

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 3))

# %% [markdown]
# ## Baseline regressions (Table 4)
#
# Columns: (1) two-way fixed effects with `inno` alone; (2) year effects with controls; (3) city effects
# with controls; (4) pooled OLS with controls; (5) two-way fixed effects with controls.
# t-statistics are in parentheses.

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 4))

# %% [markdown]
# ## Winsorized data (Table 5)

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 5))

# %% [markdown]
# ## The replaced dependent variable `tcf` (Table 6)

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 6))

# %% [markdown]
# ## Moran's I of `quality` (Table 7)

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 7))

# %% [markdown]
# ## Lagrange-multiplier tests (Table 8)

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 8))

# %% [markdown]
# ## Spatial panel models (Table 9)
#
# SEM and SAR models with city and year effects under each weights matrix; direct, indirect and total
# effects are printed for the SAR models only.

# %% tags=["hide-input"]
Markdown(tables.published_myst(pub, 9))

# %% [markdown]
# ## Key ideas
#
# - Every published number used in this book comes from `data/published/cells.csv`, loaded by
#   `yrd.data.published.load()`.
# - Tables are printed by one formatter, `yrd.report.tables.paper_layout`, for the published and the reproduced
#   sides alike, so a difference in a comparison is a difference in numbers, not in formatting.
