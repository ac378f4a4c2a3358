"""The execution cache never serves outputs computed from other code or data (yrd_book.freshness).

The end-to-end test builds a two-page book with the project's Sphinx extension: a page whose output
reads a data file and a library module, and records when it was executed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from yrd_book.freshness import STAMP, ensure_fresh, inputs_digest


def _tree(root: Path) -> Path:
    (root / "lib").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "lib" / "tiny.py").write_text("SCALE = 2\n", encoding="utf-8")
    (root / "data" / "value.txt").write_text("21\n", encoding="utf-8")
    (root / "requirements.txt").write_text("numpy==2.4.6\n", encoding="utf-8")
    return root


def test_digest_changes_with_code_data_and_requirements_only(tmp_path, monkeypatch):
    monkeypatch.delenv("YRD_DATA", raising=False)
    root = _tree(tmp_path / "book")
    base = inputs_digest(root)
    assert inputs_digest(root) == base, "same files, same digest"
    (root / "lib" / "__pycache__").mkdir()
    (root / "lib" / "__pycache__" / "tiny.cpython-311.pyc").write_bytes(b"\0\1")
    (root / "notes.md").write_text("prose", encoding="utf-8")
    assert inputs_digest(root) == base, "byte code and files outside the inputs do not count"
    for path, text in (
        ("data/value.txt", "22\n"),
        ("lib/tiny.py", "SCALE = 3\n"),
        ("requirements.txt", "numpy==2.4.5\n"),
    ):
        old = (root / path).read_text(encoding="utf-8")
        (root / path).write_text(text, encoding="utf-8")
        assert inputs_digest(root) != base, path
        (root / path).write_text(old, encoding="utf-8")
    assert inputs_digest(root) == base
    (root / "data" / "value.txt").rename(root / "data" / "renamed.txt")
    assert inputs_digest(root) != base, "a renamed file changes the digest"


def test_digest_covers_a_panel_chosen_outside_the_book(tmp_path, monkeypatch):
    root = _tree(tmp_path / "book")
    panel = tmp_path / "mine.csv"
    panel.write_text("city_code,year\n", encoding="utf-8")
    monkeypatch.setenv("YRD_DATA", str(panel))
    before = inputs_digest(root)
    panel.write_text("city_code,year\n310000,2011\n", encoding="utf-8")
    assert inputs_digest(root) != before
    monkeypatch.setenv("YRD_DATA", "twin")
    assert inputs_digest(root) != before


def test_ensure_fresh_empties_only_a_stale_cache(tmp_path):
    cache = tmp_path / "cache"
    assert ensure_fresh(cache, "a"), "a new cache is stamped"
    (cache / "global.db").write_text("executed notebooks", encoding="utf-8")
    assert not ensure_fresh(cache, "a") and (cache / "global.db").exists(), "same digest: kept"
    assert ensure_fresh(cache, "b"), "another digest: emptied"
    assert not (cache / "global.db").exists()
    assert (cache / STAMP).read_text(encoding="utf-8").strip() == "b"


PAGE = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Page

# %%
import sys, time
sys.path.insert(0, "lib")
import tiny
value = int(open("data/value.txt").read()) * tiny.SCALE
print(f"VALUE={value} EXECUTED_AT={time.time_ns()}")
"""

CONFIG = """title: tiny
only_build_toc_files: true
exclude_patterns: [_build, lib, data]
execute:
  execute_notebooks: cache
sphinx:
  extra_extensions: [yrd_book.sphinxext]
  config:
    nb_custom_formats:
      .py:
        - jupytext.reads
        - fmt: py:percent
"""


def _build(root: Path) -> tuple[int, int]:
    jb = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run(
        [str(jb), "build", "--path-output", str(root), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    html = (root / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    m = re.search(r"VALUE=(\d+) EXECUTED_AT=(\d+)", html)
    assert m, html[-2000:]
    return int(m.group(1)), int(m.group(2))


@pytest.mark.slow
def test_a_rebuild_follows_data_and_lib_and_executes_nothing_when_unchanged(tmp_path):
    root = _tree(tmp_path / "book")
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (root / "page.py").write_text(PAGE, encoding="utf-8")

    value, first = _build(root)
    assert value == 42
    assert _build(root) == (42, first), "an unchanged tree executes nothing again"

    (root / "data" / "value.txt").write_text("50\n", encoding="utf-8")  # a data value changes
    value, second = _build(root)
    assert value == 100 and second != first, "the page shows the new data, freshly executed"

    (root / "lib" / "tiny.py").write_text("SCALE = 3\n", encoding="utf-8")  # the library changes
    value, third = _build(root)
    assert value == 150 and third != second
    assert _build(root) == (150, third), "and then nothing again"
