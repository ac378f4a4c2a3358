"""The econometrics: estimators and their inference, nothing about this paper.

This package holds the general machinery that the paper-specific modules (:mod:`yrd.regress`,
:mod:`yrd.inference`, :mod:`yrd.results`, the twin generator) call: the fixed-effects within
transformation (exact on unbalanced panels), least squares with explicit or absorbed dummies,
the classical, HC1 and CR1 covariance matrices and the Wald F test (:mod:`yrd.econ.fe`). It
knows no variable names, no cities and no published table; every function works on arrays.
"""
