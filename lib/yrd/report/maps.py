"""Maps and matrix pictures of the 41 cities, sized and coloured for reading.

Every figure has a white background (readable in the book's dark mode), labels large enough to
read on a laptop screen, and provinces told apart by colour with a legend.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from yrd.data.geo import load_cities, load_polygons

#: One colour per province (colour-blind-safe Okabe-Ito hues).
PROVINCE_COLOURS = {
    "Shanghai": "#D55E00",
    "Jiangsu": "#0072B2",
    "Zhejiang": "#009E73",
    "Anhui": "#E69F00",
}


def _figure(width: float = 7.5, height: float = 7.5):
    fig, ax = plt.subplots(figsize=(width, height), facecolor="white")
    ax.set_facecolor("white")
    return fig, ax


def city_map(ax=None, label: bool = True, polygons=None, cities: pd.DataFrame | None = None):
    """The 41 cities: polygons coloured by province, seats as dots, English names.

    Returns the Axes. ``polygons`` defaults to :func:`yrd.data.geo.load_polygons` (a GeoDataFrame with
    ``city_code`` and ``province``), ``cities`` to :func:`yrd.data.geo.load_cities`.
    """
    polygons = load_polygons() if polygons is None else polygons
    cities = load_cities() if cities is None else cities
    if ax is None:
        _, ax = _figure()
    for province, colour in PROVINCE_COLOURS.items():
        part = polygons[polygons["province"] == province]
        part.plot(ax=ax, color=colour, alpha=0.35, edgecolor="white", linewidth=0.8)
    ax.scatter(cities["lon"], cities["lat"], s=12, color="black", zorder=3)
    if label:
        for r in cities.itertuples(index=False):
            ax.annotate(
                r.city.replace(" (Jiangsu)", " (JS)")
                .replace(" (Zhejiang)", " (ZJ)")
                .replace(" (Anhui)", " (AH)"),
                (r.lon, r.lat),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=7,
            )
    handles = [
        plt.Line2D([], [], marker="s", linestyle="", color=c, alpha=0.6, markersize=10, label=p)
        for p, c in PROVINCE_COLOURS.items()
    ]
    ax.legend(handles=handles, loc="lower left", frameon=True, fontsize=8)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_aspect(1 / np.cos(np.deg2rad(31)))  # equal distances at the YRD's latitude
    return ax


def link_map(w: pd.DataFrame, ax=None, threshold: float = 0.0, cities: pd.DataFrame | None = None):
    """Draw a link between every pair of cities with a positive weight (above ``threshold``).

    ``w`` is a city-code-indexed square DataFrame (e.g. queen contiguity). Line width grows with
    the weight.
    """
    cities = load_cities() if cities is None else cities
    if ax is None:
        _, ax = _figure()
    pos = cities.set_index("city_code")[["lon", "lat"]]
    wmax = float(w.to_numpy().max()) or 1.0
    for i in w.index:
        for j in w.columns:
            if i < j and max(w.loc[i, j], w.loc[j, i]) > threshold:
                (x0, y0), (x1, y1) = pos.loc[i], pos.loc[j]
                lw = 0.4 + 2.0 * max(w.loc[i, j], w.loc[j, i]) / wmax
                ax.plot([x0, x1], [y0, y1], color="#444444", linewidth=lw, alpha=0.7, zorder=2)
    return ax


def weights_heatmap(w: pd.DataFrame, ax=None, title: str = "", names: pd.Series | None = None):
    """A square weights matrix as a heat map, rows and columns in city-code order."""
    if ax is None:
        _, ax = _figure(7.0, 6.2)
    im = ax.imshow(w.to_numpy(), cmap="viridis", interpolation="nearest")
    labels = [str(c) for c in w.index] if names is None else list(names.reindex(w.index))
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label="weight")
    if title:
        ax.set_title(title)
    return ax


__all__ = ["PROVINCE_COLOURS", "city_map", "link_map", "weights_heatmap"]


#: LISA cluster colours (GeoDa's convention).
LISA_COLOURS = {
    "High-High": "#d7191c",
    "Low-Low": "#2c7bb6",
    "Low-High": "#abd9e9",
    "High-Low": "#fdae61",
    "Not significant": "#eeeeee",
}


def lisa_map(clusters: pd.Series, ax=None, polygons=None):
    """Colour each city by its LISA cluster label (``clusters`` indexed by city code)."""
    polygons = load_polygons() if polygons is None else polygons
    if ax is None:
        _, ax = _figure()
    labels = polygons["city_code"].map(clusters).fillna("Not significant")
    for label, colour in LISA_COLOURS.items():
        part = polygons[labels == label]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="white", linewidth=0.8)
    handles = [
        plt.Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            color=c,
            markersize=10,
            label=f"{lab} ({int((labels == lab).sum())})",
        )
        for lab, c in LISA_COLOURS.items()
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
    ax.set_aspect(1 / np.cos(np.deg2rad(31)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    return ax


__all__ += ["LISA_COLOURS", "lisa_map"]


def value_map(values: pd.Series, ax=None, polygons=None, cmap: str = "viridis", label: str = ""):
    """Colour each city by a number (``values`` indexed by city code), with a colour bar.

    Cities without a value are drawn light grey. Returns the Axes.
    """
    polygons = load_polygons() if polygons is None else polygons
    if ax is None:
        _, ax = _figure()
    v = polygons["city_code"].map(values).astype(float)
    norm = plt.Normalize(float(np.nanmin(v)), float(np.nanmax(v)))
    colours = plt.get_cmap(cmap)(norm(v.fillna(norm.vmin)))
    colours[v.isna().to_numpy()] = (0.93, 0.93, 0.93, 1.0)
    polygons.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.8)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    ax.figure.colorbar(sm, ax=ax, shrink=0.7, label=label)
    ax.set_aspect(1 / np.cos(np.deg2rad(31)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    return ax


__all__ += ["value_map"]
