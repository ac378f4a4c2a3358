"""Map helpers draw what they say (41 seats, 4 provinces, one line per link)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from yrd.data import geo
from yrd.econ import weights
from yrd.report import maps


def test_city_map_has_all_seats_and_provinces():
    fig, ax = plt.subplots()
    maps.city_map(ax)
    seats = ax.collections[-1].get_offsets()
    assert len(seats) == 41, f"{len(seats)} seat points drawn"
    assert len(ax.texts) == 41, "one label per city"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"]
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0) or ax.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    plt.close(fig)


def test_link_map_draws_one_line_per_linked_pair():
    q = weights.queen_contiguity(geo.load_polygons(), cities=geo.load_cities(), normalize=None)
    fig, ax = plt.subplots()
    maps.link_map(q, ax)
    pairs = int((np.triu(q.to_numpy(), 1) > 0).sum())
    assert len(ax.lines) == pairs, f"{len(ax.lines)} lines for {pairs} linked pairs"
    plt.close(fig)


def test_weights_heatmap_shape_and_labels():
    w = pd.DataFrame(np.eye(3)[::-1], index=[1, 2, 3], columns=[1, 2, 3])
    fig, ax = plt.subplots()
    maps.weights_heatmap(w, ax, names=pd.Series({1: "a", 2: "b", 3: "c"}))
    assert ax.images[0].get_array().shape == (3, 3)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    plt.close(fig)


def test_lisa_map_colours_every_city():
    clusters = pd.Series({310000: "High-High", 340100: "Low-Low"})
    fig, ax = plt.subplots()
    maps.lisa_map(clusters, ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "High-High (1)" in legend and "Not significant (39)" in legend, legend
    plt.close(fig)


def test_value_map_colours_every_city_and_adds_a_colour_bar():
    polygons = geo.load_polygons()
    values = pd.Series(np.arange(len(polygons), dtype=float), index=polygons["city_code"])
    fig, ax = plt.subplots()
    maps.value_map(values.iloc[1:], ax, polygons=polygons, label="x")
    assert len(fig.axes) == 2, "map and colour bar"
    assert fig.axes[1].get_ylabel() == "x"
    plt.close(fig)
