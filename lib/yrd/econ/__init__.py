"""The econometrics: estimators and their inference, nothing about this paper.

The fixed-effects core (:mod:`yrd.econ.fe`: within transformation exact on unbalanced panels, least
squares with explicit or absorbed dummies, classical / HC1 / CR1 covariances, Wald F), fixed-effects
regressions (:mod:`yrd.econ.regress`) and their alternative inferences (:mod:`yrd.econ.inference`),
spatial panel models (:mod:`yrd.econ.spatial`), Moran's I (:mod:`yrd.econ.moran`), spatial weights
(:mod:`yrd.econ.weights`), winsorizing (:mod:`yrd.econ.winsor`) and the Monte Carlo of the SAR
estimator (:mod:`yrd.econ.montecarlo`). No variable names, no cities, no published table.

Where a well-kept library computes the same number, the code calls it: ``scipy.stats`` for
distributions, ``esda`` for Moran's I, ``libpysal`` for contiguity, ``linearmodels`` for
Driscoll-Kraay. Each module's docstring names the library that computes what its own code
computes, and says why that code is kept.
"""
