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


def pvalue_text(p: float) -> str:
    """A p-value for running text: three decimals, or "< 0.001" below that."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


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


__all__ += ["estimate_se", "inference_grid", "pvalue_text", "sci_text"]


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
