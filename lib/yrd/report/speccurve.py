"""The specification-curve figure: sorted estimates above, the choices that produced them below."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["plot_curve"]


def _crit(df: pd.Series, alpha: float) -> np.ndarray:
    d = df.to_numpy(float)
    out = np.where(np.isfinite(d), stats.t.isf(alpha / 2, np.where(np.isfinite(d), d, 1)), 0.0)
    return np.where(np.isfinite(d), out, stats.norm.isf(alpha / 2))


def plot_curve(
    curve: pd.DataFrame,
    dims: Mapping[str, Sequence[str]],
    reference: float | None = None,
    reference_label: str = "published",
    baseline: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    ylim: tuple[float, float] | None = None,
    group: Mapping[str, Mapping[str, str]] | None = None,
    figsize=(10, 8),
):
    """Draw a specification curve; returns the figure.

    Parameters
    ----------
    curve
        One row per specification with ``estimate``, ``se``, ``df`` (``inf`` for a normal
        reference), ``p`` and one column per choice.
    dims
        Choice column -> the values to show, in order (rows of the lower panel).
    reference
        A horizontal line (e.g. the published estimate), labelled ``reference_label``.
    baseline
        Choice column -> value of one specification to mark with a ring.
    ylim
        Range of the upper panel; estimates beyond it are drawn as triangles on its edge.
    group
        Choice column -> {value: row label}, to pool several values into one row (e.g. all
        leave-one-out control sets into "all but one").
    """
    group = group or {}
    c = curve.sort_values("estimate", kind="mergesort").reset_index(drop=True)
    x = np.arange(len(c))
    crit = _crit(c["df"], alpha)
    lo, hi = c["estimate"] - crit * c["se"], c["estimate"] + crit * c["se"]
    sig = (c["p"] < alpha).to_numpy()
    colours = np.where(sig, "tab:blue", "tab:grey")
    rows = []
    for d, values in dims.items():
        for v in values:
            rows.append((d, v))
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=figsize,
        sharex=True,
        facecolor="white",
        gridspec_kw={"height_ratios": [1.1, 1.4], "hspace": 0.05},
    )
    top.vlines(x, lo, hi, colors=colours, linewidth=0.6, alpha=0.5)
    top.scatter(x, c["estimate"], c=colours, s=6, zorder=3)
    top.axhline(0, color="black", linewidth=0.8)
    if reference is not None:
        top.axhline(reference, color="tab:red", linestyle="--", linewidth=1, label=reference_label)
    if baseline is not None:
        mask = np.ones(len(c), dtype=bool)
        for k, v in baseline.items():
            mask &= (c[k] == v).to_numpy()
        top.scatter(
            x[mask],
            c.loc[mask, "estimate"],
            s=60,
            facecolors="none",
            edgecolors="tab:red",
            zorder=4,
            label="baseline",
        )
    if ylim is not None:
        top.set_ylim(*ylim)
        above = c["estimate"].to_numpy() > ylim[1]
        below = c["estimate"].to_numpy() < ylim[0]
        pad = 0.03 * (ylim[1] - ylim[0])
        top.scatter(x[above], np.full(above.sum(), ylim[1] - pad), marker="^", s=14, c="tab:blue")
        top.scatter(x[below], np.full(below.sum(), ylim[0] + pad), marker="v", s=14, c="tab:blue")
    top.scatter([], [], s=6, c="tab:blue", label=f"significant at {alpha:.0%}")
    top.scatter([], [], s=6, c="tab:grey", label="not significant")
    top.set_ylabel("estimate (95% interval)")
    top.legend(fontsize=8, loc="upper left")
    ypos = np.arange(len(rows))[::-1]
    for yv, (d, v) in zip(ypos, rows, strict=True):
        vals = c[d].map(lambda s, d=d: group.get(d, {}).get(s, s))
        on = (vals == v).to_numpy()
        bottom.scatter(x[on], np.full(on.sum(), yv), c=colours[on], s=4, marker="|")
    labels = [f"{d.replace('_', ' ')}: {v}" for d, v in rows]
    bottom.set_yticks(ypos, labels, fontsize=8)
    bottom.set_ylim(-0.7, len(rows) - 0.3)
    bottom.set_xlabel("specifications, sorted by estimate")
    # light bands separate the choices
    start = 0
    for i, values in enumerate(dims.values()):
        if i % 2 == 0:
            bottom.axhspan(
                len(rows) - start - len(values) - 0.5,
                len(rows) - start - 0.5,
                color="#f2f2f2",
                zorder=0,
            )
        start += len(values)
    fig.align_ylabels()
    return fig
