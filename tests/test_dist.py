"""yrd.econ.dist gives exactly scipy.stats' numbers (same Cephes routines, without the import cost)."""

import numpy as np
import pytest
from scipy import stats

from yrd.econ import dist

X = np.array([-6.0, -2.33, -1.0, 0.0, 0.4, 1.645, 1.96, 2.576, 8.0])
P = np.array([1e-8, 0.005, 0.025, 0.05, 0.1, 0.5, 0.9, 0.975])


@pytest.mark.parametrize("df", [1, 5, 40, 339, 400])
def test_t(df):
    np.testing.assert_allclose(dist.t_sf(X, df), stats.t.sf(X, df), rtol=1e-14, atol=0)
    np.testing.assert_allclose(dist.t_isf(P, df), stats.t.isf(P, df), rtol=1e-12)
    np.testing.assert_allclose(dist.t_ppf(P, df), stats.t.ppf(P, df), rtol=1e-12)


def test_normal():
    np.testing.assert_allclose(dist.norm_sf(X), stats.norm.sf(X), rtol=1e-14, atol=0)
    np.testing.assert_allclose(dist.norm_isf(P), stats.norm.isf(P), rtol=1e-14)
    np.testing.assert_allclose(dist.norm_ppf(P), stats.norm.ppf(P), rtol=1e-14)
    assert dist.norm_isf(0.025) == pytest.approx(1.959963984540054, rel=1e-15)


@pytest.mark.parametrize("df", [1, 2, 9])
def test_chi2(df):
    x = np.array([0.0, 0.5, 3.84, 10.0, 50.0])
    np.testing.assert_allclose(dist.chi2_sf(x, df), stats.chi2.sf(x, df), rtol=1e-13, atol=0)
    np.testing.assert_allclose(dist.chi2_isf(P, df), stats.chi2.isf(P, df), rtol=1e-12)


def test_scalars_come_back_as_float():
    assert isinstance(dist.norm_sf(1.0), float)
    assert isinstance(dist.t_sf(np.float64(2.0), 30), float)
    assert dist.chi2_sf(np.array([1.0, 2.0]), 1).shape == (2,)
