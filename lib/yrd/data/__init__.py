"""The data: the panel loader and its checks, the paper's published tables transcribed as data, the
41 cities and their geography, and the builders that turn raw records into the paper's variables.

Nothing here estimates anything; it may use :mod:`yrd.econ` (e.g. to build weights matrices).
"""
