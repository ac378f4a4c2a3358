"""What the book was built with: read at build time, never typed in."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

import pandas as pd

#: The packages whose versions the reproducibility appendix reports.
KEY_PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "jupytext",
    "numpy",
    "scipy",
    "pandas",
    "statsmodels",
    "linearmodels",
    "libpysal",
    "esda",
    "spreg",
    "geopandas",
    "cvxpy",
    "matplotlib",
    "pandera",
)


def versions(packages=KEY_PACKAGES) -> pd.DataFrame:
    """Installed versions of ``packages`` (``"not installed"`` if absent), plus Python and the OS."""
    rows = [("python", platform.python_version()), ("platform", platform.platform())]
    for name in packages:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return pd.DataFrame(rows, columns=["package", "version"]).set_index("package")


def freeze() -> str:
    """``pip freeze``-like list of every installed distribution, sorted by name."""
    dists = {(d.metadata["Name"] or "").lower(): d.version for d in metadata.distributions()}
    return "\n".join(f"{n}=={v}" for n, v in sorted(dists.items()) if n)


def interpreter() -> str:
    """The Python executable running the notebooks (should be the project's ``.venv``)."""
    return sys.executable


__all__ = ["KEY_PACKAGES", "freeze", "interpreter", "versions"]
