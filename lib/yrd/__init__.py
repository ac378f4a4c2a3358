"""yrd: the tested library behind the replication book.

Innovation cooperation and export product quality in the 41 cities of the
Yangtze River Delta, 2011-2020. The notebooks narrate and call; this package
computes. Every public function has a test under ``tests/``.

Four layers, each importing only the ones below it (checked by import-linter in ``make test``):

* :mod:`yrd.paper`: this paper's tables, the comparison with what it printed, the audit;
* :mod:`yrd.report`: tables in the paper's layout, page text, plots, maps;
* :mod:`yrd.data`: panel loader, published tables, cities, geography, variable builders;
* :mod:`yrd.econ`: the estimators and their inference, nothing about this paper.

The book's build machinery (:mod:`yrd_book`) and the synthetic twin's generator (:mod:`yrd_twin`)
are separate packages that use ``yrd``; ``yrd`` never imports them.
"""

from pathlib import Path

__version__ = "0.1.0"

#: Repository root (the folder holding ``_config.yml``), found relative to this file
#: so that notebooks and tests work from any working directory.
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

__all__ = ["ROOT", "DATA", "__version__"]
