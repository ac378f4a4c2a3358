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
# (robustness)=
# # Robustness: winsorized data and a second outcome (Tables 5 and 6)
#
# Section 4.4 of the paper {cite}`yrd_paper` checks the baseline two ways: with extreme values pulled in
# (Table 5), and with the outcome replaced by another measure of export sophistication, `tcf` (Table 6).
#
# ## Overview
#
# - Table 5: column (5) of Table 4 after {term}`winsorizing <Winsorizing (缩尾处理)>` at the 1st and 99th percentiles, Stata's
#   `winsor2 ..., cuts(1 99)`; the paper does not say which variables it winsorized, and this book reads
#   "all eleven".
# - Table 6: the five columns of Table 4 with `tcf` as the outcome.
# - Both printed as the paper prints them (HC1 $t$-statistics, as argued in {ref}`baseline-se`), beside
#   the published tables.

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
import pandas as pd
from IPython.display import Markdown

from yrd.data import panel, published
from yrd.data.published import VARIABLES
from yrd.econ import regress
from yrd.paper import compare, explain, results
from yrd.report import pages

pub = published.load()
df = panel.load_panel()
Markdown(pages.data_banner(df))

# %% [markdown]
# ## Winsorizing (Table 5)
#
# With $n = 410$ and Stata's percentile rule, the bounds are the 5th smallest and 5th largest values of
# each variable (see {ref}`data-winsor`), so four values at each end are pulled in. How much that moves
# each variable:

# %% tags=["hide-input"]
w = results.winsorized(df)
pd.DataFrame(
    {
        "values changed": (w[list(VARIABLES)] != df[list(VARIABLES)]).sum(),
        "lower bound": w[list(VARIABLES)].min(),
        "upper bound": w[list(VARIABLES)].max(),
        "SD before": df[list(VARIABLES)].std(),
        "SD after": w[list(VARIABLES)].std(),
    }
).map(lambda v: f"{v:.4g}")

# %% tags=["remove-input"]
Markdown(pages.winsor_sentence(df, w, VARIABLES))

# %% [markdown]
# Table 5 is column (5) of Table 4, fitted on the winsorized panel `w`:

# %% tags=["hide-input"]
fit5 = regress.fit_column(w, "5", cov=results.PAPER_COV)
t5 = compare.compare(pub.table(5), results.regression_cells({"1": fit5}, pub.stars_levels(5)))
Markdown(
    compare.show(
        t5,
        5,
        "Paper's Table 5, two-way fixed effects on winsorized data (HC1 t-statistics).",
        "tbl-repro-5",
    )
)

# %% tags=["remove-input"]
Markdown(explain.note(t5, df.attrs["synthetic"], "tbl-repro-5"))

# %% [markdown]
# Table 5 is the hardest table for a reproduction with real data: winsorizing depends on the order
# statistics of every variable, which neither Table 2 nor Table 3 pins down beyond the minimum, median
# and maximum, and on the reading of which variables were winsorized. A panel that matches Table 4
# can still miss Table 5; the twin matches it only because it was fitted to it as well
# ({ref}`twin-fidelity`).

# %% [markdown]
# ## The replaced outcome (Table 6)
#
# `tcf` is built like `quality` but on a different income base (see {ref}`data-quality`); the five
# columns are those of Table 4.

# %% tags=["hide-input"]
fits6 = {c: regress.fit_column(df, c, y="tcf", cov=results.PAPER_COV) for c in regress.COLUMNS}
t6 = compare.compare(pub.table(6), results.regression_cells(fits6, pub.stars_levels(6)))
Markdown(compare.show(t6, 6, "Paper's Table 6, outcome tcf (HC1 t-statistics).", "tbl-repro-6"))

# %% tags=["remove-input"]
Markdown(explain.note(t6, df.attrs["synthetic"], "tbl-repro-6"))

# %% [markdown]
# ## Does the headline survive?
#
# The coefficient of `inno` in the two-way column, across the baseline and both checks, with 95%
# confidence intervals (HC1):

# %% mystnb={"figure": {"caption": "The two-way fixed-effects coefficient of inno in the baseline and the two robustness checks, 95% intervals, HC1 (twin).", "name": "fig-robustness-inno"}} tags=["hide-input"]
import matplotlib.pyplot as plt

from yrd.report import plots

spec = regress.COLUMNS["5"]
rows = {}
for label, data, y in [
    ("Table 4 (5): quality", df, "quality"),
    ("Table 5: winsorized", w, "quality"),
    ("Table 6 (5): tcf", df, "tcf"),
]:
    fit = regress.fit_fe(data, y, spec["x"], city=True, year=True, cov=results.PAPER_COV)
    b, se = fit.params["inno"], fit.bse["inno"]
    rows[label] = {"estimate": b, "lo": b - 1.96 * se, "hi": b + 1.96 * se}
frame = pd.DataFrame(rows).T
fig, ax = plt.subplots(figsize=(7, 2.8), facecolor="white")
plots.coefficient_plot(frame, ax=ax)
ax.set_xlabel("coefficient of inno")
plt.tight_layout()
plt.show()

# %% tags=["remove-input"]
from yrd.paper import readings

Markdown(readings.intervals_sentence(frame, df.attrs["synthetic"]))

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: robustness-ex-winsor
# Winsorize only the outcome and `inno` (not the controls) and re-estimate Table 5. Which reading of the
# paper's "winsorizing" brings the estimate closer to the published one on this panel?
# ```
#
# ```{solution-start} robustness-ex-winsor
# :class: dropdown
# ```

# %%
from yrd.econ.winsor import winsorize_frame

partial = winsorize_frame(df, ["quality", "inno"])
alt = regress.fit_fe(partial, "quality", spec["x"], city=True, year=True, cov=results.PAPER_COV)
pages.readable(
    pd.Series(
        {
            "all eleven winsorized": regress.fit_fe(
                w, "quality", spec["x"], cov=results.PAPER_COV
            ).params["inno"],
            "quality and inno only": alt.params["inno"],
            "published": pub.value(5, "inno", "1"),
        }
    )
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: robustness-ex-which
# Which city-years did winsorizing change for `inno`, and how far did each value move?
# ```
#
# ```{solution-start} robustness-ex-which
# :class: dropdown
# ```

# %%
from yrd.data.cities import city_frame

names = city_frame().set_index("city_code")["city"]
moved = df.loc[w["inno"] != df["inno"], ["city_code", "year", "inno"]].assign(
    winsorized=w["inno"], city=lambda d: d["city_code"].map(names)
)
pages.readable(
    moved.assign(change=moved["winsorized"] - moved["inno"]).set_index(["city", "year"])[
        ["inno", "winsorized", "change"]
    ]
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: robustness-ex-both
# Combine the two checks: winsorize the panel and use `tcf` as the outcome in column (5). Does the
# coefficient of `inno` stay within the 95% interval of the Table 6 estimate?
# ```
#
# ```{solution-start} robustness-ex-both
# :class: dropdown
# ```

# %%
both = regress.fit_column(w, "5", y="tcf", cov=results.PAPER_COV)
t6_fit = fits6["5"]
lo, hi = (t6_fit.params["inno"] + s * 1.96 * t6_fit.bse["inno"] for s in (-1, 1))
pages.readable(
    pd.Series(
        {
            "Table 6 (5): tcf": t6_fit.params["inno"],
            "winsorized, tcf": both.params["inno"],
            "Table 6 interval": f"[{lo:.4f}, {hi:.4f}]",
            "inside": lo <= both.params["inno"] <= hi,
        }
    )
)

# %% [markdown]
# ```{solution-end}
# ```
#
# ## Key ideas
#
# - A robustness check is only as informative as its description: "winsorized" without saying which
#   variables leaves the reader guessing, and the guess matters.
# - Table 6 changes the outcome's income base, not the design, so it tests the measurement, not the
#   identification.
