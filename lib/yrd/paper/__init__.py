"""This paper: its Tables 2-9 recomputed from a panel, the comparison with what it printed, the
scoreboard of cells matched, the audit of its printed numbers, and the robustness variants.

Everything specific to the paper lives here (its column specifications, star legends, the standard
errors it evidently used); the estimators it calls are :mod:`yrd.econ`'s.
"""
