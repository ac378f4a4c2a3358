"""The synthetic twin: a 41-city x 10-year panel fitted to the paper's published tables.

The micro-data are proprietary; the book runs on this panel instead. It is **synthetic**: it
reproduces the published statistics (Tables 2-6 at printed precision; see
:mod:`yrd_twin.fidelity` for what is and is not matched) and nothing else about the real data.

Modules: :mod:`~yrd_twin.targets` (published targets), :mod:`~yrd_twin.moments` (the
semidefinite moment design), :mod:`~yrd_twin.realise` (the panel), :mod:`~yrd_twin.generate`
(pipeline and files) and :mod:`~yrd_twin.fidelity` (the report).
"""

from yrd import DATA

#: Folder of the committed twin (``panel.csv``, ``W_economic.csv``).
TWIN_DIR = DATA / "twin"
#: Default seed of the committed twin.
SEED = 20240601
#: Whether the committed twin's ``gdp``, ``wage``, ``stru`` are the anchored public figures
#: (``python -m yrd_twin --anchored``). False: the anchored design does not reach every target
#: yet, so ``make twin`` still builds the fully synthetic twin.
ANCHORED_TWIN = False
