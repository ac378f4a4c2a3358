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
# (scoreboard)=
# # Fidelity scoreboard
#
# Every published cell of Tables 2-9, and whether the book reproduces it at the paper's printed
# precision. The numbers are computed here by the same functions the chapters call
# (`yrd.paper.scoreboard.reproduce_all` calls `yrd.paper.results` and `yrd.paper.spatial_results`), on the same panel, so this page
# cannot drift from the chapters.
#
# ## Overview
#
# - A summary per table: cells, cells matched, share matched, stars matched.
# - Why the other cells differ, counted by reason and table, each reason in a sentence; where the
#   paper's own numbers are at fault, the sentence links to the audit.
# - Every differing cell, one per line, with its distance from the printed number and its reason.

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
from IPython.display import Markdown

from yrd.data import panel, published
from yrd.paper import explain, scoreboard
from yrd.report import pages, tables

pub = published.load()
df = panel.load_panel()
Markdown(pages.data_banner(df))

# %% tags=["hide-input"]
comparisons = scoreboard.reproduce_all(pub, df)
headline = scoreboard.headline(comparisons, pub, df.attrs["synthetic"])
summary = scoreboard.summary(comparisons)
Markdown(f"**{headline.sentence()}**")

# %% tags=["remove-input"]
Markdown(
    tables.to_myst_table(
        scoreboard.summary_grid(summary),
        "Published cells of Tables 2-9 reproduced at printed precision, per table.",
        "tbl-scoreboard",
        index_name="Table",
    )
)

# %% tags=["remove-input"]
Markdown(scoreboard.summary_sentence(summary))

# %% mystnb={"figure": {"caption": "Share of published cells reproduced at printed precision, per table (twin).", "name": "fig-scoreboard"}} tags=["hide-input"]
fig, ax = plt.subplots(figsize=(7, 3), facecolor="white")
shown = summary.drop(index="all")
ax.barh([f"Table {t}" for t in shown.index][::-1], shown["share"][::-1], color="#0072B2")
ax.set_xlim(0, 1)
ax.set_xlabel("share of cells matched")
plt.tight_layout()
plt.show()

# %% [markdown]
# (scoreboard-reasons)=
# ## Why cells differ
#
# Each differing cell has one reason, the first that applies of those below
# (`yrd.paper.explain.reason`); the chapters say the same beside each table.

# %% tags=["hide-input"]
Markdown(
    tables.to_myst_table(
        scoreboard.reasons_grid(comparisons, df.attrs["synthetic"]),
        "Differing cells by reason and table.",
        "tbl-scoreboard-reasons",
        index_name="Reason",
    )
)

# %% tags=["remove-input"]
Markdown(explain.reason_list(comparisons, df.attrs["synthetic"]))

# %% [markdown]
# (scoreboard-cells)=
# ## Every differing cell
#
# One line per cell that differs from the paper in its number or its stars (the box scrolls). "Off
# by" is the distance in units of the last printed digit, the measure the chapters' tables shade by;
# "stars" marks a number that matches with other stars.

# %% tags=["hide-input"]
cells = explain.cell_list(comparisons, df.attrs["synthetic"])
Markdown(
    tables.scroll_box(
        tables.to_myst_table(
            cells, "Every differing cell and its reason.", "tbl-unmatched", index_name="Table"
        )
    )
)

# %% [markdown]
# ## Key ideas
#
# - "Reproduced" here means: the number the code computes, rounded as the paper rounds, reads exactly
#   as printed. Stars are counted separately.
# - A difference is graded by how far it is in the paper's last printed digit, and explained by what
#   the twin was fitted to and what the audit found in the paper's own numbers.
# - On the synthetic twin, matching shows that the code computes what the paper reports; only the real
#   panel can show whether the paper's data say what it claims.
