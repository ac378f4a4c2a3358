"""Notebook hygiene: every .py chapter has its paired .ipynb, in sync and without outputs."""

from __future__ import annotations

import jupytext
import pytest

from yrd import ROOT

SOURCES = sorted((ROOT / "notebooks").glob("*.py"))


def test_every_notebook_is_a_chapter_of_the_book():
    """notebooks/*.py are exactly the .py chapters of _toc.yml: none orphaned, none missing."""
    from yrd_book.execute import toc_notebooks

    assert sorted(toc_notebooks()) == SOURCES


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_paired_ipynb_is_in_sync(source):
    pair = source.with_suffix(".ipynb")
    assert pair.exists(), f"{pair.name} missing: run `make sync`"
    py = jupytext.read(source)
    nb = jupytext.read(pair)
    got = [(c.cell_type, c.source) for c in nb.cells]
    want = [(c.cell_type, c.source) for c in py.cells]
    assert got == want, f"{pair.name} has drifted from {source.name}: run `make sync`"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_paired_ipynb_has_no_outputs(source):
    nb = jupytext.read(source.with_suffix(".ipynb"))
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("outputs")]
    assert not with_outputs, f"{source.stem}.ipynb stores outputs in cells {with_outputs}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebook_opens_with_a_label_and_title(source):
    first = jupytext.read(source).cells[0]
    lines = first.source.splitlines()
    assert first.cell_type == "markdown" and lines[0].startswith("("), (
        f"{source.name}: the first cell should open with a MyST label, e.g. (my-chapter)="
    )
    assert any(ln.startswith("# ") for ln in lines[:3]), (
        f"{source.name}: no title in the first cell"
    )
