"""What the chapters' smaller tables say, in sentences computed from them (never typed numbers).

Each function takes the table a chapter shows and returns one or two sentences of Markdown that read
it: which number is largest, which choice comes closest to the paper, which test rejects. They are
written for any panel: on the twin they describe the twin, and a sentence says so where the twin
holds a result by construction.
"""

from __future__ import annotations

import pandas as pd

from yrd.data import twinfit
from yrd.report.pages import pvalue_text
from yrd.report.tables import MINUS


def _names(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _num(x: float, places: int = 3) -> str:
    return f"{x:.{places}f}".replace("-", MINUS)


def r2_sentence(r2: pd.DataFrame) -> str:
    """Read the baseline chapter's R-squared table (columns ``LSDV R2``, ``within R2``,
    ``published R2``; index the paper's columns).

    >>> t = pd.DataFrame({"LSDV R2": [0.969, 0.909], "within R2": [0.018, 0.909],
    ...                   "published R2": [0.969, 0.909]}, index=["1", "4"])
    >>> print(r2_sentence(t))
    The LSDV R-squared reads as printed in 2 of 2 columns. The within R-squared is far smaller where there are city effects: 0.018 in column (1), where the 49 dummies explain most of `quality` and `inno` little of what is left.
    """
    same = sum(
        f"{a:.3f}" == f"{b:.3f}" for a, b in zip(r2["LSDV R2"], r2["published R2"], strict=True)
    )
    gap = (r2["LSDV R2"] - r2["within R2"]).idxmax()
    text = f"The LSDV R-squared reads as printed in {same} of {len(r2)} columns."
    text += (
        " The within R-squared is far smaller where there are city effects: "
        f"{_num(r2.loc[gap, 'within R2'])} in column ({gap})"
    )
    if str(gap) == "1":
        text += ", where the 49 dummies explain most of `quality` and `inno` little of what is left"
    return text + "."


def t_choice_sentence(t: pd.DataFrame, synthetic: bool, published: str = "published") -> str:
    """Which covariance type's t-statistics come closest to the printed ones, column by column
    (``t``: one column per type and ``published``, one row per column of the paper).

    >>> t = pd.DataFrame({"classical": [2.6, 1.8], "hc1": [3.24, 2.22], "cluster": [2.99, 2.06],
    ...                   "published": [3.30, 2.24]}, index=["1", "2"])
    >>> print(t_choice_sentence(t, synthetic=False))
    On this panel the HC1 t-statistic of `inno` is the closest to the printed one in 2 of 2 columns (at most 0.06 away), the classical one in none and the clustered one in none.
    """
    types = [c for c in t.columns if c != published]
    gaps = t[types].sub(t[published], axis=0).abs()
    best = gaps.idxmin(axis=1)
    names = {"classical": "classical", "hc1": "HC1", "cluster": "clustered"}
    first = best.value_counts().idxmax()
    others = [c for c in types if c != first]
    text = (
        f"On this panel the {names.get(first, first)} t-statistic of `inno` is the closest to the "
        f"printed one in {int((best == first).sum())} of {len(t)} columns (at most "
        f"{gaps[first].max():.2f} away)"
    )
    if others:
        text += ", " + _names(
            f"the {names.get(c, c)} one in {int((best == c).sum()) or 'none'}" for c in others
        )
    text += "."
    if synthetic:
        text += (
            " On the twin this holds by construction: it is fitted to the HC1 t-statistics. The "
            "argument for HC1 rests on the published numbers alone (below)."
        )
    return text


def sdm_sentence(tests: pd.DataFrame, synthetic: bool = False, level: float = 0.05) -> str:
    """Read the spatial Durbin model's tests (index (weights, test); columns ``statistic``, ``df``,
    ``pvalue``): whether SAR and SEM are rejected in favour of the SDM, under each matrix.

    >>> idx = pd.MultiIndex.from_product([["inverse_distance"], ["lr_sdm_vs_sar", "lr_sdm_vs_sem",
    ...     "wald_theta", "wald_common_factor"]])
    >>> t = pd.DataFrame({"statistic": [55.1, 63.5, 61.5, 69.6], "df": 10.0,
    ...                   "pvalue": [1e-8, 1e-9, 1e-9, 1e-10]}, index=idx)
    >>> print(sdm_sentence(t))
    Under inverse distance every test rejects at 5% (largest p-value < 0.001): the spatially lagged controls matter, and the SDM reduces neither to SAR nor to SEM.
    """
    out = []
    for w in dict.fromkeys(tests.index.get_level_values(0)):
        sub = tests.loc[w]
        reject = sub["pvalue"] < level
        name = W_NAMES.get(w, w.replace("_", " "))
        if reject.all():
            out.append(
                f"Under {name} every test rejects at {level:.0%} (largest p-value "
                f"{pvalue_text(sub['pvalue'].max())}): the spatially lagged controls matter, and "
                "the SDM reduces neither to SAR nor to SEM."
            )
        elif not reject.any():
            out.append(
                f"Under {name} no test rejects at {level:.0%} (smallest p-value "
                f"{pvalue_text(sub['pvalue'].min())}): the SDM can be reduced to SAR or SEM."
            )
        else:
            names = _names(f"`{k}`" for k in sub.index[reject])
            out.append(f"Under {name} only {names} reject at {level:.0%}.")
    if synthetic:
        out.append(
            "The twin is fitted to no spatial model, so on the twin this describes the twin, "
            "not the paper's data."
        )
    return " ".join(out)


def intervals_sentence(frame: pd.DataFrame, synthetic: bool, what: str = "`inno`") -> str:
    """Read a coefficient plot's rows (``estimate``, ``lo``, ``hi``; index the specifications).

    >>> f = pd.DataFrame({"estimate": [0.023, 0.025], "lo": [0.009, 0.010], "hi": [0.037, 0.040]},
    ...                  index=["Table 4 (5)", "Table 5"])
    >>> print(intervals_sentence(f, synthetic=False))
    The coefficient of `inno` lies between 0.023 and 0.025; every 95% interval excludes zero, and all of them overlap.
    """
    excl = (frame["lo"] > 0) | (frame["hi"] < 0)
    text = (
        f"The coefficient of {what} lies between {_num(frame['estimate'].min())} and "
        f"{_num(frame['estimate'].max())}; "
    )
    if excl.all():
        text += "every 95% interval excludes zero"
    elif not excl.any():
        text += "every 95% interval includes zero"
    else:
        text += (
            "the 95% intervals of " + _names(str(i) for i in frame.index[~excl]) + " include zero"
        )
    overlap = frame["lo"].max() <= frame["hi"].min()
    text += ", and all of them overlap." if overlap else ", and not all of them overlap."
    if synthetic and all(t in twinfit.PRINTED_TABLES for t in (4, 5, 6)):
        text += (
            " On the twin this agreement holds by construction: the coefficients of Tables 4, 5 "
            "and 6 are all among its targets."
        )
    return text


#: Readable names of the LM tests (``panel``, ``row`` of Table 8).
LM_NAMES = {
    ("spatial_error", "lm"): "LM error",
    ("spatial_error", "robust_lm"): "robust LM error",
    ("spatial_lag", "lm"): "LM lag",
    ("spatial_lag", "robust_lm"): "robust LM lag",
}
#: Readable names of the weights matrices.
W_NAMES = {"inverse_distance": "inverse distance", "economic": "economic distance"}
#: Readable names of the spatial Durbin model's tests (:func:`yrd.econ.spatial.sdm_tests`).
SDM_NAMES = {
    "lr_sdm_vs_sar": "LR, SDM against SAR (H0: θ = 0)",
    "lr_sdm_vs_sem": "LR, SDM against SEM (H0: θ = −ρβ)",
    "wald_theta": "Wald, θ = 0",
    "wald_common_factor": "Wald, common factor θ = −ρβ",
}
#: 5% critical value of a chi-squared with one degree of freedom (the LM tests).
CHI2_1_5 = 3.841458820694124


def lm_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """LM statistics indexed (panel, row[, column]) with readable row labels and 3 decimals."""
    out = frame.copy()
    labels = []
    for key in out.index:
        key = key if isinstance(key, tuple) else (key,)
        name = LM_NAMES.get(tuple(key[:2]), " ".join(map(str, key[:2])))
        rest = [W_NAMES.get(str(k), str(k)) for k in key[2:]]
        labels.append(", ".join([name, *rest]))
    out.index = labels
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [": ".join(W_NAMES.get(str(c), str(c)) for c in col) for col in out.columns]
    return out.map(lambda v: _num(v) if isinstance(v, float) else str(v))


def lm_sentence(frame: pd.DataFrame) -> str:
    """How many of the LM statistics in each column reject at 5% (chi-squared, 1 df).

    >>> f = pd.DataFrame({"pooled": [86.5, 0.99], "published": [144.0, 0.96]})
    >>> print(lm_sentence(f))
    At 5% (a χ²(1) statistic above 3.84), the tests reject in 1 of 2 cases for pooled and 1 of 2 for published.
    """

    def name(c) -> str:
        parts = c if isinstance(c, tuple) else (c,)
        return ", ".join(W_NAMES.get(str(p), str(p)) for p in parts)

    counts = [
        f"{int((frame[c] > CHI2_1_5).sum())} of {frame[c].notna().sum()}"
        + (" cases" if i == 0 else "")
        + f" for {name(c)}"
        for i, c in enumerate(frame.columns)
    ]
    return f"At 5% (a χ²(1) statistic above {CHI2_1_5:.2f}), the tests reject in {_names(counts)}."


def sdm_grid(tests: pd.DataFrame) -> pd.DataFrame:
    """The spatial Durbin model's tests laid out: one row per test, statistic and p-value per matrix."""
    cols = {}
    for w in dict.fromkeys(tests.index.get_level_values(0)):
        sub = tests.loc[w]
        dof = int(sub["df"].iloc[0])
        cols[f"{W_NAMES.get(w, w)}: χ²({dof})"] = sub["statistic"].map(lambda v: f"{v:.2f}")
        cols[f"{W_NAMES.get(w, w)}: p"] = sub["pvalue"].map(lambda p: pvalue_text(p, 4))
    out = pd.DataFrame(cols)
    out.index = [SDM_NAMES.get(k, k) for k in out.index]
    return out


def moran_grid(full: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Table 7's Moran statistics per matrix with readable headers and p-values (no "0.0000")."""
    heads = {
        "I": "I",
        "EI": "E[I]",
        "z_norm": "z (normal)",
        "p_norm": "p (normal)",
        "z_rand": "z (randomisation)",
        "p_rand": "p (randomisation)",
        "p_sim": "p (permutations)",
        "stars": "stars",
    }
    parts = {}
    for w, frame in full.items():
        f = frame[[c for c in heads if c in frame.columns]].copy()
        for c in f.columns:
            if c.startswith("p_"):
                f[c] = f[c].map(lambda p: pvalue_text(p, 4) if pd.notna(p) else "")
            elif c != "stars":
                f[c] = f[c].map(lambda v: _num(v, 4))
        f.columns = [heads[c] for c in f.columns]
        parts[W_NAMES.get(w, w)] = f
    return pd.concat(parts, axis=1)


def moran_sentence(full: dict[str, pd.DataFrame]) -> str:
    """How Moran's I moves over the years under each matrix, and from when it stops being
    significant at 5% (normal approximation).

    >>> y = pd.Index([2011, 2012], name="year")
    >>> f = {"inverse_distance": pd.DataFrame({"I": [0.108, 0.007], "p_norm": [1e-7, 0.21]}, index=y)}
    >>> print(moran_sentence(f))
    Under inverse distance Moran's I of `quality` goes from 0.108 in 2011 to 0.007 in 2012, significant at 5% in 1 of 2 years (not in 2012).
    """
    out = []
    for w, f in full.items():
        first, last = f.index.min(), f.index.max()
        sig = f["p_norm"] < 0.05
        text = (
            f"Under {W_NAMES.get(w, w)} Moran's I of `quality` goes from {_num(f.loc[first, 'I'])} "
            f"in {first} to {_num(f.loc[last, 'I'])} in {last}, significant at 5% in "
            f"{int(sig.sum())} of {len(f)} years"
        )
        if not sig.all():
            text += " (not in " + _names(str(y) for y in f.index[~sig]) + ")"
        out.append(text + ".")
    return " ".join(out)


def lisa_sentence(clusters: pd.Series) -> str:
    """Count the local Moran clusters of a map.

    >>> print(lisa_sentence(pd.Series(["Not significant"] * 3 + ["High-High", "Low-Low", "Low-Low"])))
    At 5%, 3 of 6 cities belong to a cluster or are outliers: 1 high-high, 2 low-low.
    """
    counts = clusters.value_counts()
    sig = counts.drop("Not significant", errors="ignore")
    if sig.empty:
        return f"At 5%, none of the {len(clusters)} cities belongs to a local cluster."
    order = ["High-High", "Low-Low", "High-Low", "Low-High"]
    words = [f"{int(sig[k])} {k.lower()}" for k in order if k in sig.index]
    return (
        f"At 5%, {int(sig.sum())} of {len(clusters)} cities belong to a cluster or are outliers: "
        + ", ".join(words)
        + "."
    )


def links_sentence(top: pd.DataFrame, province: pd.Series) -> str:
    """How many of the strongest links of a weights matrix (non-zero entries of ``top``) join
    cities of different provinces (``province`` indexed like ``top``).

    >>> t = pd.DataFrame([[0, 1, 0], [1, 0, 0], [0, 1, 0]], index=[1, 2, 3], columns=[1, 2, 3])
    >>> print(links_sentence(t, pd.Series({1: "A", 2: "A", 3: "B"})))
    Of the 3 links drawn, 1 joins cities in different provinces.
    """
    links = [(i, j) for i in top.index for j in top.columns if i != j and top.loc[i, j] > 0]
    cross = sum(province[i] != province[j] for i, j in links)
    verb = "joins" if cross == 1 else "join"
    return f"Of the {len(links)} links drawn, {cross} {verb} cities in different provinces."


__all__ = [
    "CHI2_1_5",
    "LM_NAMES",
    "SDM_NAMES",
    "W_NAMES",
    "intervals_sentence",
    "links_sentence",
    "lisa_sentence",
    "lm_grid",
    "lm_sentence",
    "moran_grid",
    "moran_sentence",
    "r2_sentence",
    "sdm_grid",
    "sdm_sentence",
    "t_choice_sentence",
]
