r"""Tail probabilities and quantiles of the normal, t and chi-squared distributions.

Why not ``scipy.stats``: importing it takes about a second (it builds the docstrings of about a
hundred distributions), and every chapter's kernel paid that second for a handful of p-values.
``scipy.stats`` computes these through the Cephes routines of ``scipy.special``; this module calls
the same routines directly, so the numbers are identical (``tests/test_dist.py`` checks them
against ``scipy.stats``):

- ``norm_sf(x) = ndtr(-x)``, ``norm_isf(p) = -ndtri(p)``, ``norm_ppf(q) = ndtri(q)``;
- ``t_sf(x, df) = stdtr(df, -x)``, ``t_isf(p, df) = -stdtrit(df, p)``,
  ``t_ppf(q, df) = stdtrit(df, q)``;
- ``chi2_sf(x, df) = chdtrc(df, x)``, ``chi2_isf(p, df) = chdtri(df, p)``.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def _out(v):
    v = np.asarray(v, dtype=float)
    return float(v) if v.ndim == 0 else v


def norm_sf(x):
    """Standard normal survival function :math:`1 - \\Phi(x)`."""
    return _out(special.ndtr(-np.asarray(x, dtype=float)))


def norm_isf(p):
    """Standard normal inverse survival function: the x with :math:`1 - \\Phi(x) = p`."""
    return _out(-special.ndtri(np.asarray(p, dtype=float)))


def norm_ppf(q):
    """Standard normal quantile :math:`\\Phi^{-1}(q)`."""
    return _out(special.ndtri(np.asarray(q, dtype=float)))


def t_sf(x, df):
    """Survival function of Student's t with ``df`` degrees of freedom."""
    return _out(special.stdtr(df, -np.asarray(x, dtype=float)))


def t_isf(p, df):
    """Inverse survival function of Student's t: the x with :math:`P(T > x) = p`."""
    return _out(-special.stdtrit(df, np.asarray(p, dtype=float)))


def t_ppf(q, df):
    """Quantile of Student's t with ``df`` degrees of freedom."""
    return _out(special.stdtrit(df, np.asarray(q, dtype=float)))


def chi2_sf(x, df):
    """Survival function of the chi-squared distribution with ``df`` degrees of freedom."""
    return _out(special.chdtrc(df, np.asarray(x, dtype=float)))


def chi2_isf(p, df):
    """Inverse survival function of the chi-squared distribution: the x with :math:`P(X > x) = p`."""
    return _out(special.chdtri(df, np.asarray(p, dtype=float)))


__all__ = ["chi2_isf", "chi2_sf", "norm_isf", "norm_ppf", "norm_sf", "t_isf", "t_ppf", "t_sf"]
