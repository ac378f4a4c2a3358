"""Small pieces of page text the chapters share, computed from what the page actually loaded."""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrd.report.tables import cell_text


def data_banner(df: pd.DataFrame, twin_note: str = "") -> str:
    """A MyST admonition saying which panel this page runs on (twin or real data).

    Every page that shows results calls it right after loading the panel, so the statement can
    never be out of date: it reads ``df.attrs`` set by :func:`yrd.data.panel.load_panel`. ``twin_note``
    is a sentence a page adds, on the twin only, about what its numbers mean there.
    """
    source = df.attrs.get("source", "unknown")
    path = df.attrs.get("path", "")
    if df.attrs.get("synthetic", False):
        return (
            "```{admonition} Synthetic data\n"
            ":class: warning\n"
            "This page runs on the **twin** (`data/twin/panel.csv`): its `gdp`, `wage` and `stru` "
            "are the cities' public yearbook figures (a few values changed, listed in the twin "
            "chapter), its other nine columns, `quality` and `inno` among them, are **synthetic**, "
            "constructed to reproduce the paper's published tables, not data about the 41 cities. "
            "Agreement with the paper shows that the code computes what the paper reports, not that "
            "the paper's data say what it claims."
            + (f" {twin_note.strip()}" if twin_note.strip() else "")
            + " With the real panel, run `make book DATA=raw`.\n"
            "```"
        )
    return (
        "```{admonition} Data\n"
        ":class: note\n"
        f"This page runs on the panel `{path or source}` (source: {source}), validated by "
        "`yrd.data.panel.load_panel`.\n"
        "```"
    )


__all__ = ["data_banner"]


def fmt_value(value, decimals: int = 4) -> str:
    """A cell of an arithmetic table: booleans as yes/no, NaN blank, infinity as ∞, floats rounded."""
    import numpy as np

    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if np.isinf(value):
            return "∞"
        return f"{value:.{decimals}f}"
    return str(value)


def escape_stars(text) -> str:
    """Escape '*' so significance stars are not read as Markdown emphasis."""
    return str(text).replace("*", "\\*")


__all__ += ["escape_stars", "fmt_value"]


def pvalue_text(p: float, decimals: int = 3) -> str:
    """A p-value for running text or a table: ``decimals`` places, or "< 0.001" (``< 0.0001`` with
    four places) below that, never "0.000"; empty for a missing value.

    >>> pvalue_text(0.0004), pvalue_text(0.00004, 4), pvalue_text(0.0123), pvalue_text(1.0)
    ('< 0.001', '< 0.0001', '0.012', '1.000')
    """
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return ""
    floor = 10.0**-decimals
    return f"< {floor:.{decimals}f}" if p < floor else f"{p:.{decimals}f}"


def readable(obj, decimals: int | dict = 4, pvalues=(), missing: str = "—", name: str = "value"):
    """A Series or DataFrame as a table of text for the page: no ``dtype`` line, no ``NaN``, no
    "0.0000" p-values.

    A Series becomes a one-column frame (named ``name`` unless it has a name); numbers are rounded to
    ``decimals`` places (an int, or a dict by column), whole numbers print without decimals, a
    non-zero number too small for those places in scientific notation (never "0.0000"), booleans
    as yes/no, missing values as ``missing``; the columns in ``pvalues`` (for a Series: the rows)
    go through :func:`pvalue_text`.

    >>> import pandas as pd
    >>> readable(pd.Series({"r": 0.60924, "n": 410.0, "ok": True, "p": 1e-7}), pvalues=["p"]).to_dict()
    {'value': {'r': '0.6092', 'n': '410', 'ok': 'yes', 'p': '< 0.0001'}}
    >>> readable(pd.DataFrame({"p": [0.0, 0.2], "x": [float("nan"), 3e-9]}), pvalues=["p"]).to_dict("list")
    {'p': ['< 0.0001', '0.2000'], 'x': ['—', '3e−09']}
    """
    if isinstance(obj, pd.Series):
        label = obj.name if obj.name is not None else name
        places = decimals if isinstance(decimals, int) else 4
        texts = [_cell(v, places, k in pvalues, missing) for k, v in obj.items()]
        return pd.DataFrame({label: texts}, index=obj.index)
    out = obj.copy().astype(object)
    for col in obj.columns:
        places = decimals.get(col, 4) if isinstance(decimals, dict) else decimals
        out[col] = [_cell(v, places, col in pvalues, missing) for v in obj[col]]
    return out


def _cell(value, places: int, pvalue: bool, missing: str) -> str:
    """One value of :func:`readable`."""
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
        return missing
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return str(value)
    if isinstance(value, float | np.floating):
        if pvalue:
            return pvalue_text(float(value), places)
        if np.isinf(value):
            return "∞" if value > 0 else "−∞"
        if float(value).is_integer() and abs(value) < 1e15:
            return f"{value:.0f}"
        if 0 < abs(value) < 0.5 * 10.0**-places:
            return f"{value:.2g}".replace("-", "−")
        return f"{value:.{places}f}"
    return str(value)


def estimate_se(est: float, se: float, decimals: int = 3) -> str:
    """ "estimate (se)" as regression tables print it; "bound" when the estimator hit a bound."""
    if pd.isna(est):
        return "bound"
    return f"{cell_text(est, decimals)} ({se:.{decimals}f})"


def sci_text(v: float) -> str:
    """Three significant digits with a true minus sign; empty for a missing value."""
    return "" if pd.isna(v) else f"{v:.3g}".replace("-", "\u2212")


def inference_grid(t: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`yrd.econ.inference.inference_table` laid out for reading."""
    return pd.DataFrame(
        {
            "Errors allowed to correlate": t["detail"].to_numpy(),
            "SE": t["se"].map(lambda v: f"{v:.4f}").to_numpy(),
            "t": t["t"].map(lambda v: cell_text(v, 2)).to_numpy(),
            "Reference": t["reference"].to_numpy(),
            "p": t["p"].map(pvalue_text).to_numpy(),
            "95% interval": [
                f"[{cell_text(a, 4)}, {cell_text(b, 4)}]"
                for a, b in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
        },
        index=t["method"].to_numpy(),
    )


__all__ += ["estimate_se", "inference_grid", "pvalue_text", "readable", "sci_text"]


def mc_verdict(row: pd.Series) -> str:
    """A Monte Carlo row in words: reliable or not (:func:`yrd.econ.montecarlo.reliable`), and why.

    >>> import pandas as pd
    >>> mc_verdict(pd.Series({"rel_bias": -0.2, "bias": -0.1, "sd": 0.1, "coverage": 0.6}))
    'not reliable (bias −20.0% of the true value, −1.00 sampling SD, coverage 0.60)'
    """
    from yrd.econ.montecarlo import reliable

    text = (
        f"bias {cell_text(100 * row['rel_bias'], 1)}% of the true value, "
        f"{cell_text(row['bias'] / row['sd'], 2)} sampling SD"
    )
    if not np.isnan(row["coverage"]):
        text += f", coverage {row['coverage']:.2f}"
    return f"{'reliable' if reliable(row) else 'not reliable'} ({text})"


__all__ += ["mc_verdict"]


__all__ += ["readable"]


def _names(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def variance_shares(df: pd.DataFrame, columns, by: str = "city_code") -> pd.DataFrame:
    """Standard deviation of each column, pooled and within ``by`` (deviations from the group
    mean), and the within share of the variance (the between share is one minus it)."""
    x = df[list(columns)].astype(float)
    within = x - x.groupby(df[by]).transform("mean")
    return pd.DataFrame(
        {
            "SD": x.std(),
            "within-city SD": within.std(),
            "within-city share of variance": within.var() / x.var(),
        }
    )


def variance_share_sentence(
    shares: pd.DataFrame, column: str = "within-city share of variance"
) -> str:
    """What a table of :func:`variance_shares` says, in two sentences.

    >>> s = pd.DataFrame({"within-city share of variance": [0.07, 0.18, 0.88, 0.73]},
    ...                  index=["gdp", "inno", "open", "quality"])
    >>> print(variance_share_sentence(s))
    Mostly between cities: `gdp` (7% of its variance within a city) and `inno` (18%). Mostly within a city over time: `open` (88%) and `quality` (73%).
    """
    share = shares[column].sort_values()
    between = [
        f"`{v}` ({p:.0%}{' of its variance within a city' if i == 0 else ''})"
        for i, (v, p) in enumerate(share[share < 0.5].items())
    ]
    within = [
        f"`{v}` ({p:.0%})" for v, p in share[share >= 0.5].sort_values(ascending=False).items()
    ]
    parts = []
    if between:
        parts.append(f"Mostly between cities: {_names(between)}.")
    if within:
        parts.append(f"Mostly within a city over time: {_names(within)}.")
    return " ".join(parts)


def vif_sentence(vifs: pd.DataFrame, threshold: float = 4.0) -> str:
    """Which variance inflation factors exceed ``threshold``, column by column of a VIF table.

    >>> v = pd.DataFrame({"pooled": [6.49, 1.2], "two-way within": [1.42, 7.47]}, index=["inno", "tech"])
    >>> print(vif_sentence(v))
    VIFs above 4: pooled, `inno` (6.49); two-way within, `tech` (7.47).
    """
    parts = []
    for col in vifs.columns:
        high = vifs[col][vifs[col] > threshold].sort_values(ascending=False)
        if len(high):
            parts.append(f"{col}, " + _names(f"`{v}` ({x:.2f})" for v, x in high.items()))
        else:
            parts.append(f"{col}, none")
    return f"VIFs above {threshold:g}: " + "; ".join(parts) + "."


__all__ += ["variance_share_sentence", "variance_shares", "vif_sentence"]


def corr_sentence(corr: pd.DataFrame, target: str, strong: float = 0.5, weak: float = 0.2) -> str:
    """What a correlation matrix says about one variable: its strong and its negligible correlates.

    >>> c = pd.DataFrame([[1, .89, .1], [.89, 1, .3], [.1, .3, 1]], index=list("qwo"), columns=list("qwo"))
    >>> print(corr_sentence(c, "q"))
    `q` correlates strongly (|r| > 0.5) with `w` (0.89), and hardly at all (|r| < 0.2) with `o` (0.10).
    """
    r = corr[target].drop(target)
    order = r.abs().sort_values(ascending=False).index
    hi = [f"`{v}` ({r[v]:.2f})".replace("-", "\u2212") for v in order if abs(r[v]) > strong]
    lo = [f"`{v}` ({r[v]:.2f})".replace("-", "\u2212") for v in order[::-1] if abs(r[v]) < weak]
    parts = []
    if hi:
        parts.append(f"correlates strongly (|r| > {strong:g}) with {_names(hi)}")
    if lo:
        parts.append(f"hardly at all (|r| < {weak:g}) with {_names(lo)}")
    if not parts:
        return (
            f"`{target}` has no correlation above {strong:g} or below {weak:g} in absolute value."
        )
    return f"`{target}` " + ", and ".join(parts) + "."


__all__ += ["corr_sentence"]


def winsor_sentence(before: pd.DataFrame, after: pd.DataFrame, columns) -> str:
    """What winsorizing did: how many values each variable lost at its ends, and whose standard
    deviation shrank most.

    >>> b = pd.DataFrame({"x": [0.0, 1, 2, 3, 100], "y": [1.0, 2, 3, 4, 5]})
    >>> a = pd.DataFrame({"x": [1.0, 1, 2, 3, 3], "y": [1.0, 2, 3, 4, 5]})
    >>> print(winsor_sentence(b, a, ["x", "y"]))
    Winsorizing changed 2 values of `x` and 0 of `y`. The standard deviation shrank most for `x` (by 98%), least for `y` (by under 1%).
    """
    cols = list(columns)
    changed = (after[cols] != before[cols]).sum()
    counts = changed.value_counts()
    if len(counts) == 1:
        text = f"Winsorizing changed {int(counts.index[0])} values of every variable."
    else:
        text = (
            "Winsorizing changed "
            + _names(
                f"{int(n)} values of `{v}`" if i == 0 else f"{int(n)} of `{v}`"
                for i, (v, n) in enumerate(changed.items())
            )
            + "."
        )
    drop = 1 - after[cols].std() / before[cols].std()
    hi, lo = drop.idxmax(), drop.idxmin()

    def by(x: float) -> str:
        return "under 1%" if 0 <= x < 0.005 else f"{x:.0%}"

    return text + (
        f" The standard deviation shrank most for `{hi}` (by {by(drop[hi])}), least for `{lo}` "
        f"(by {by(drop[lo])})."
    )


__all__ += ["winsor_sentence"]


def agreement_sentence(diffs, what: str, tolerance: float = 1e-6) -> str:
    """How far two implementations are apart at most, said against a tolerance.

    >>> print(agreement_sentence([3e-9, 1.2e-8], "entry"))
    The largest entry is 1.2e-08, below 1e-06.
    """
    worst = float(np.nanmax(np.asarray(diffs, dtype=float)))
    side = "below" if worst < tolerance else "above"
    return f"The largest {what} is {worst:.1e}, {side} {tolerance:.0e}."


__all__ += ["agreement_sentence"]


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun in the right number: never "2 method(s)".

    >>> plural(1, "cell"), plural(2, "cell"), plural(3, "city", "cities")
    ('1 cell', '2 cells', '3 cities')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"


def noun_list(items, one: str, many: str | None = None) -> str:
    """A noun and its list, in the right number: "column 1", "columns 1, 3 and 5".

    >>> noun_list(["1"], "column"), noun_list(["1", "3", "5"], "column")
    ('column 1', 'columns 1, 3 and 5')
    """
    items = [str(i) for i in items]
    return f"{one if len(items) == 1 else (many or one + 's')} {_names(items)}"


def times(ratio: float, what: str, places: int = 2) -> str:
    """A ratio in words that never misfires: "1.54 times the HC1 one", "the same as the printed
    0.023" (never "1.00 times"), "half the printed value".

    >>> times(1.5432, "the HC1 one"), times(1.001, "the printed 0.023"), times(0.5, "it")
    ('1.54 times the HC1 one', 'about the same as the printed 0.023', '0.50 times it')
    """
    if f"{ratio:.{places}f}" == f"{1:.{places}f}":
        return f"about the same as {what}"
    return f"{ratio:.{places}f} times {what}"


__all__ += ["noun_list", "plural", "times"]
