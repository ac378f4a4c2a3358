"""Figures of the result chapters: sized for reading, white backgrounds, labelled axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

#: Cities drawn in colour in trajectory plots (the rest in grey).
HIGHLIGHT = {310000: "Shanghai", 320500: "Suzhou (Jiangsu)", 340100: "Hefei", 341600: "Bozhou"}


def trajectories(
    panel: pd.DataFrame, var: str, ax=None, highlight=None, unit="city_code", time="year"
):
    """Every city's path of ``var`` over the years (grey), a few named cities in colour, and the mean."""
    highlight = HIGHLIGHT if highlight is None else highlight
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5), facecolor="white")
    wide = panel.pivot(index=time, columns=unit, values=var)
    ax.plot(wide.index, wide.to_numpy(), color="#bbbbbb", linewidth=0.8)
    for code, name in highlight.items():
        if code in wide.columns:
            ax.plot(wide.index, wide[code], linewidth=2, label=name)
    ax.plot(
        wide.index,
        wide.mean(axis=1),
        color="black",
        linewidth=2.5,
        linestyle="--",
        label="mean of 41",
    )
    ax.set_xlabel(time)
    ax.set_ylabel(var)
    ax.legend(fontsize=8, ncols=2)
    ax.set_facecolor("white")
    return ax


def corr_heatmap(corr: pd.DataFrame, ax=None, title: str = ""):
    """A lower-triangular, annotated heat map of a correlation matrix."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 6.5), facecolor="white")
    values = corr.to_numpy(dtype=float)
    mask = np.triu(np.ones_like(values, dtype=bool), k=1)
    shown = np.where(mask, np.nan, values)
    im = ax.imshow(shown, cmap="RdBu_r", vmin=-1, vmax=1)
    n = len(corr)
    for i in range(n):
        for j in range(i + 1):
            ax.text(
                j,
                i,
                f"{values[i, j]:.2f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if abs(values[i, j]) > 0.6 else "black",
            )
    ax.set_xticks(range(n), corr.columns, rotation=45, ha="right")
    ax.set_yticks(range(n), corr.index)
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label="correlation")
    if title:
        ax.set_title(title)
    return ax


def coefficient_plot(
    frame: pd.DataFrame, estimate="estimate", lo="lo", hi="hi", ax=None, reference=None
):
    """Point estimates with intervals, one row per index entry; ``reference`` draws a vertical line."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(frame) + 1.2), facecolor="white")
    y = np.arange(len(frame))[::-1]
    ax.errorbar(
        frame[estimate],
        y,
        xerr=[frame[estimate] - frame[lo], frame[hi] - frame[estimate]],
        fmt="o",
        color="#0072B2",
        capsize=3,
    )
    ax.axvline(0, color="black", linewidth=0.8)
    if reference is not None:
        ax.axvline(reference, color="#D55E00", linestyle="--", linewidth=1.2, label="published")
        ax.legend(fontsize=8)
    ax.set_yticks(y, frame.index)
    ax.set_facecolor("white")
    return ax


__all__ = ["HIGHLIGHT", "coefficient_plot", "corr_heatmap", "trajectories"]
