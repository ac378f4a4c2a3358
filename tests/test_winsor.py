"""winsorize: Stata ``winsor2 ..., cuts(1 99)`` semantics, hand cases and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yrd.econ.winsor import stata_percentile, winsorize, winsorize_frame


def shuffled(n: int, seed: int = 0) -> np.ndarray:
    """1..n in random order: the k-th order statistic is k, so bounds are easy to state."""
    return np.random.default_rng(seed).permutation(np.arange(1, n + 1)).astype(float)


@pytest.mark.parametrize(
    ("n", "lower", "upper", "lo", "hi"),
    [
        # n = 10, cuts(1 99): P = 0.1 -> x(1); P = 9.9 -> x(10): nothing changes.
        (10, 1, 99, 1.0, 10.0),
        # n = 10, cuts(10 90): P = 1 and 9 are integers -> (x1+x2)/2, (x9+x10)/2.
        (10, 10, 90, 1.5, 9.5),
        # n = 100: P = 1 -> (x1+x2)/2; P = 99 -> (x99+x100)/2.
        (100, 1, 99, 1.5, 99.5),
        # n = 410 (the paper's panel): P = 4.1 -> x(5); P = 405.9 -> x(406).
        (410, 1, 99, 5.0, 406.0),
        # n = 200: P = 2 is an integer -> mean of the 2nd and 3rd; P = 198 -> (x198+x199)/2.
        (200, 1, 99, 2.5, 198.5),
    ],
)
def test_hand_cases(n, lower, upper, lo, hi):
    x = shuffled(n)
    assert stata_percentile(x, lower) == lo
    assert stata_percentile(x, upper) == hi
    w = winsorize(x, lower, upper)
    np.testing.assert_array_equal(w, np.clip(x, lo, hi))
    assert w.min() == lo and w.max() == hi
    if (n * lower) % 100 and (n * upper) % 100:
        np.testing.assert_array_equal(winsorize(w, lower, upper), w)  # order-statistic bounds


def test_series_keeps_index_name_and_nan():
    x = pd.Series(np.r_[shuffled(200), [np.nan] * 7], index=range(100, 307), name="gdp")
    w = winsorize(x)
    assert w.index.equals(x.index) and w.name == "gdp"
    assert w.isna().sum() == 7  # NaN kept...
    assert w.min() == 2.5 and w.max() == 198.5  # ...and not counted in n (n = 200, not 207)


def test_zero_hundred_is_identity_and_bad_cuts_raise():
    x = np.random.default_rng(1).normal(size=57)
    np.testing.assert_array_equal(winsorize(x, 0, 100), x)
    for cuts in [(-1, 99), (1, 101), (50, 50), (99, 1)]:
        with pytest.raises(ValueError):
            winsorize(x, *cuts)


def test_by_groups_and_frame():
    a, b = shuffled(100, 1), shuffled(200, 2) * 10
    df = pd.DataFrame({"g": ["a"] * 100 + ["b"] * 200, "v": np.r_[a, b], "u": np.r_[a, b]})
    before = df.copy()
    out = winsorize_frame(df, ["v"], by="g")
    pd.testing.assert_frame_equal(df, before)  # input untouched
    va, vb = out.loc[df.g == "a", "v"], out.loc[df.g == "b", "v"]
    assert (va.min(), va.max()) == (1.5, 99.5)
    assert (vb.min(), vb.max()) == (25.0, 1985.0)  # 10 * (2.5, 198.5)
    pd.testing.assert_series_equal(out["u"], df["u"])  # columns not named are not changed
    w = winsorize_frame(df, ["v", "u"], suffix="_w")
    assert {"v_w", "u_w"} <= set(w.columns) and w["v"].equals(df["v"])
    assert w["v_w"].min() == stata_percentile(df["v"], 1)
    with pytest.raises(KeyError):
        winsorize_frame(df, ["nope"])


def test_several_by_columns():
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "p": np.repeat(["x", "y"], 100),
            "q": np.tile(np.repeat([0, 1], 50), 2),
            "v": rng.normal(size=200),
        }
    )
    out = winsorize_frame(df, ["v"], by=["p", "q"], lower=10, upper=90)
    for _, g in df.groupby(["p", "q"]):
        np.testing.assert_allclose(out.loc[g.index, "v"], winsorize(g["v"], 10, 90))


@pytest.mark.parametrize("p", [1, 5, 10, 25, 50, 75, 90, 95, 99])
def test_matches_numpy_averaged_inverted_cdf(p):
    # Stata's default percentile is Hyndman & Fan's definition 2, numpy's "averaged_inverted_cdf".
    rng = np.random.default_rng(p)
    for n in (1, 2, 3, 10, 99, 100, 101, 200, 410):
        x = rng.normal(size=n)
        assert stata_percentile(x, p) == pytest.approx(
            np.percentile(x, p, method="averaged_inverted_cdf"), abs=1e-12
        )


def test_all_nan_and_empty():
    assert np.isnan(stata_percentile([np.nan, np.nan], 50))
    assert np.isnan(winsorize(np.array([np.nan, np.nan]))).all()


# Finite, moderate floats; NaN added separately.
values = st.lists(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        st.just(float("nan")),
    ),
    min_size=1,
    max_size=300,
)
cuts = st.tuples(st.integers(0, 49), st.integers(51, 100))


@settings(max_examples=150, deadline=None)
@given(values, cuts)
def test_properties(xs, c):
    x = np.array(xs, dtype=float)
    lo, hi = c
    w = winsorize(x, lo, hi)
    ok = ~np.isnan(x)
    np.testing.assert_array_equal(np.isnan(w), ~ok)  # NaN exactly where it was
    if not ok.any():
        return
    xv, wv = x[ok], w[ok]
    # Within [min, max] and within the bounds, which are ordered.
    assert xv.min() <= wv.min() and wv.max() <= xv.max()
    assert stata_percentile(xv, lo) <= stata_percentile(xv, hi)
    # Monotone: the winsorized values keep the weak order of the input.
    order = np.argsort(xv, kind="stable")
    assert (np.diff(wv[order]) >= 0).all()
    # Values strictly inside the bounds are unchanged.
    inside = (xv > stata_percentile(xv, lo)) & (xv < stata_percentile(xv, hi))
    np.testing.assert_array_equal(wv[inside], xv[inside])
    # Idempotent when both bounds are order statistics (n*cut/100 not an integer); otherwise a
    # second pass can only move the averaged bound inwards, never outside the first bounds.
    again = winsorize(w, lo, hi)
    n = xv.size
    if (n * lo) % 100 and (n * hi) % 100:
        np.testing.assert_array_equal(again, w)
    assert np.nanmin(w) <= np.nanmin(again) and np.nanmax(again) <= np.nanmax(w)


def test_idempotent_on_the_papers_sample_size_and_not_always_otherwise():
    x = np.random.default_rng(5).lognormal(size=410)  # P = 4.1 and 405.9: order statistics
    w = winsorize(x)
    np.testing.assert_array_equal(winsorize(w), w)
    # Stata's averaged percentile is not idempotent when P is an integer.
    y = np.array([0.0] * 9 + [1.0])
    assert winsorize(y, 0, 90).max() == 0.5
    assert winsorize(winsorize(y, 0, 90), 0, 90).max() == 0.25
