"""The synthetic twin: a 41-city x 10-year panel fitted to the paper's published tables.

The micro-data are proprietary; the book runs on this panel instead. It is **synthetic**: it
reproduces the published statistics (Tables 2-6 at printed precision; see
:mod:`yrd.twin.fidelity` for what is and is not matched) and nothing else about the real data.

Modules: :mod:`~yrd.twin.targets` (published targets), :mod:`~yrd.twin.moments` (the
semidefinite moment design), :mod:`~yrd.twin.realise` (the panel), :mod:`~yrd.twin.generate`
(pipeline and files) and :mod:`~yrd.twin.fidelity` (the report).
"""

from .. import DATA

#: Folder of the committed twin (``panel.csv``, ``W_economic.csv``).
TWIN_DIR = DATA / "twin"
#: Default seed of the committed twin.
SEED = 20240601
