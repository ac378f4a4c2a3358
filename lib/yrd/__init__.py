"""yrd: the tested library behind the replication book.

Innovation cooperation and export product quality in the 41 cities of the
Yangtze River Delta, 2011-2020. The notebooks narrate and call; this package
computes. Every public function has a test under ``tests/``.
"""

from pathlib import Path

__version__ = "0.1.0"

#: Repository root (the folder holding ``_config.yml``), found relative to this file
#: so that notebooks and tests work from any working directory.
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

__all__ = ["ROOT", "DATA", "__version__"]
