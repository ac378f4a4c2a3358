"""The twin: a 41-city x 10-year panel, real where public, fitted to the published tables elsewhere.

The micro-data are proprietary; the book runs on this panel instead. Its ``gdp``, ``wage`` and
``stru`` are the public yearbook figures, minimally changed (:mod:`yrd_twin.anchor`); its nine
other columns are **synthetic**: they reproduce the published statistics (Tables 2-7 at printed
precision; see :mod:`yrd_twin.fidelity` for what is and is not matched) and nothing else about
the real data.

Modules: :mod:`~yrd_twin.anchor` (the public figures, anchored), :mod:`~yrd_twin.targets`
(published targets), :mod:`~yrd_twin.moments` (the
semidefinite moment design), :mod:`~yrd_twin.realise` (the panel), :mod:`~yrd_twin.generate`
(pipeline and files) and :mod:`~yrd_twin.fidelity` (the report).
"""

from yrd import DATA

#: Folder of the committed twin (``panel.csv``, ``W_economic.csv``).
TWIN_DIR = DATA / "twin"
#: First seed tried by ``python -m yrd_twin`` (the committed twin's seed is printed by the generator
#: and recorded in ``data/twin/README.md``).
SEED = 2
#: Seeds tried at most (``SEED``, ``SEED + 1``, ...) before ``python -m yrd_twin`` gives up.
ATTEMPTS = 3
#: Whether the committed twin's ``gdp``, ``wage``, ``stru`` are the anchored public figures
#: (``python -m yrd_twin``, the default; ``--unanchored`` builds the earlier, fully synthetic one).
ANCHORED_TWIN = True
