"""Never serve stale outputs: the execution cache is tied to the code and data it was computed from.

jupyter-cache, which MyST-NB uses to skip notebooks that have not changed, keys each notebook on its
code cells only. A chapter's outputs also depend on the library it imports (``lib/``), the data it
reads (``data/``, the panel chosen with ``YRD_DATA``) and the installed packages
(``requirements.txt``). This module digests all of those into one SHA-256, the *inputs digest*, and

* :func:`ensure_fresh` empties an execution cache that was filled under another digest (the digest
  is kept in a stamp file inside the cache folder), so every notebook is executed again;
* :mod:`yrd_book.sphinxext` also marks every page of the book out of date when the digest changed
  since the last build (Sphinx would otherwise reuse the pages it parsed before, outputs included,
  because the chapter sources did not change).

An unchanged tree keeps its cache: nothing is executed again. The digest is over file bytes and
paths, never over computed numbers, so it is the same on every machine for the same files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from . import ROOT

#: What the book's outputs depend on besides the chapters' own code, relative to the book root.
INPUTS = ("lib", "data", "requirements.txt", "pyproject.toml")
#: Name of the stamp file inside the execution cache.
STAMP = "yrd-inputs.sha256"
#: Files and folders that never change an output (byte code, editors' and tools' leftovers).
IGNORED = {"__pycache__", ".ipynb_checkpoints", ".hypothesis", ".pytest_cache", ".DS_Store"}


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and not IGNORED.intersection(p.parts)
        and p.suffix not in (".pyc", ".pyo")
        and not any(part.endswith(".egg-info") for part in p.parts)
    )


def inputs_digest(root: Path = ROOT, inputs: Iterable[str] = INPUTS) -> str:
    """SHA-256 over the paths and bytes of every input file, and the panel chosen by ``YRD_DATA``.

    ``YRD_DATA`` is a name (``twin``, ``raw``, whose files lie under ``data/``) or the path of a
    panel CSV, which may lie outside the book: its bytes are included too.
    """
    root = Path(root)
    h = hashlib.sha256()
    for rel in inputs:
        for f in _files(root / rel):
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    data = os.environ.get("YRD_DATA", "").strip()
    h.update(b"YRD_DATA=" + data.encode() + b"\0")
    if data and Path(data).is_file():
        h.update(hashlib.sha256(Path(data).read_bytes()).digest())
    return h.hexdigest()


def ensure_fresh(cache_dir: Path, digest: str) -> bool:
    """Empty ``cache_dir`` unless it was filled under ``digest``; returns True if it was emptied.

    The cache folder holds nothing but jupyter-cache's database and executed notebooks, all of
    which can be recomputed; the stamp file records the digest they were computed under.
    """
    cache_dir = Path(cache_dir)
    stamp = cache_dir / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return False
    if cache_dir.exists():
        shutil.rmtree(cache_dir)
    cache_dir.mkdir(parents=True)
    stamp.write_text(digest + "\n", encoding="utf-8")
    return True


__all__ = ["INPUTS", "STAMP", "ensure_fresh", "inputs_digest"]
