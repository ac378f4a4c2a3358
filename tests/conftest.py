"""Shared fixtures."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

from yrd.data import geo
from yrd.data.cities import CITIES, CITY_CODES, YEARS
from yrd.data.published import VARIABLES

# Property tests draw the same examples on every run (a CI failure is reproducible, not luck);
# HYPOTHESIS_PROFILE=explore searches afresh.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def random_panel() -> pd.DataFrame:
    """A seeded random 41 x 10 panel with every analysis column and city/year effects.

    Not the twin and not data: a fixture for testing estimators.
    """
    rng = np.random.default_rng(20261126)
    names = {c: (en, prov) for c, en, _, prov in CITIES}
    idx = pd.MultiIndex.from_product([CITY_CODES, YEARS], names=["city_code", "year"])
    df = pd.DataFrame(index=idx).reset_index()
    df["city"] = df["city_code"].map(lambda c: names[c][0])
    df["province"] = df["city_code"].map(lambda c: names[c][1])
    n = len(df)
    city_fx = dict(zip(CITY_CODES, rng.normal(size=len(CITY_CODES)), strict=True))
    year_fx = dict(zip(YEARS, np.linspace(-0.5, 0.5, len(YEARS)), strict=True))
    for v in VARIABLES[1:]:
        df[v] = rng.normal(size=n) + 0.5 * df["city_code"].map(city_fx)
    df["quality"] = (
        12
        + 0.03 * df["inno"]
        + 0.1 * df["gdp"]
        + df["city_code"].map(city_fx)
        + df["year"].map(year_fx)
        + rng.normal(scale=0.3, size=n)
    )
    df["tcf"] = df["quality"] - 2.8 + rng.normal(scale=0.05, size=n)
    return df


@pytest.fixture(scope="session")
def cities() -> pd.DataFrame:
    """The committed city seats (data/geo/cities.csv)."""
    return geo.load_cities()


@pytest.fixture(scope="session")
def polygons():
    """The committed city polygons (data/geo/cities.geojson)."""
    return geo.load_polygons()
