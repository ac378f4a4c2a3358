"""Property-based tests of the export-sophistication builders (hypothesis).

The other numeric properties live beside their modules: winsorize bounds and idempotence
(tests/test_winsor.py), row-standardisation (tests/test_weights.py), the range of Moran's I
(tests/test_moran.py), the spatial log-likelihood's invariance to relabelling units
(tests/test_spatial.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from yrd.data import builders

PRODUCTS = ["01", "27", "61", "84", "85"]

exports = arrays(np.float64, (3, len(PRODUCTS)), elements=st.floats(0.01, 1e4))
incomes = arrays(np.float64, (3,), elements=st.floats(500, 1e5))
region = arrays(np.float64, (len(PRODUCTS),), elements=st.floats(0.0, 1e4)).filter(
    lambda v: v.sum() > 1
)
scales = st.floats(1e-3, 1e3)


def _prody(x, y):
    world = pd.DataFrame(x, index=["a", "b", "c"], columns=PRODUCTS)
    return builders.prody(world, pd.Series(y, index=["a", "b", "c"]))


def _expy(v, prody):
    return builders.expy(pd.DataFrame([v], index=["r"], columns=PRODUCTS), prody).iloc[0]


@settings(max_examples=60, deadline=None)
@given(exports, incomes, region, scales)
def test_expy_is_scale_invariant_and_a_weighted_average(x, y, v, k):
    prody = _prody(x, y)
    e = _expy(v, prody)
    assert np.isclose(_expy(k * v, prody), e, rtol=1e-10), "EXPY moved when all exports scaled"
    assert prody.min() - 1e-8 <= e <= prody.max() + 1e-8, "EXPY outside the range of PRODY"


@settings(max_examples=60, deadline=None)
@given(exports, incomes, scales)
def test_prody_is_linear_in_income_and_bounded_by_it(x, y, k):
    prody = _prody(x, y)
    np.testing.assert_allclose(_prody(x, k * y), k * prody, rtol=1e-10)
    assert (prody >= y.min() - 1e-8).all() and (prody <= y.max() + 1e-8).all(), (
        "PRODY is a weighted average of incomes, so it lies between the smallest and largest"
    )
