"""The executed-notebook download: copied next to the sources, with stable cell ids."""

import json
from types import SimpleNamespace

from yrd_book.sphinxext import offer_executed_notebook


def test_download_copy_has_numbered_cell_ids(tmp_path):
    html = tmp_path / "_build" / "html"
    executed = tmp_path / "_build" / "jupyter_execute" / "notebooks" / "x.ipynb"
    executed.parent.mkdir(parents=True)
    nb = {"cells": [{"id": "a1b2c3", "cell_type": "code", "source": "1 + 1"}], "nbformat": 4}
    executed.write_text(json.dumps(nb), encoding="utf-8")
    app = SimpleNamespace(outdir=str(html))
    context = {"page_source_suffix": ".py"}
    offer_executed_notebook(app, "notebooks/x", "page.html", context, None)
    copied = json.loads((html / "_sources" / "notebooks" / "x.ipynb").read_text(encoding="utf-8"))
    assert copied["cells"][0]["id"] == "cell-0"
    assert context["ipynb_source"] == "notebooks/x.ipynb"
    first = (html / "_sources" / "notebooks" / "x.ipynb").read_bytes()
    # another execution of the same notebook: jupytext gave its cells new random ids
    nb["cells"][0]["id"] = "f9e8d7"
    executed.write_text(json.dumps(nb), encoding="utf-8")
    offer_executed_notebook(app, "notebooks/x", "page.html", {"page_source_suffix": ".py"}, None)
    assert (html / "_sources" / "notebooks" / "x.ipynb").read_bytes() == first


def test_markdown_pages_are_left_alone(tmp_path):
    context = {"page_source_suffix": ".md"}
    offer_executed_notebook(SimpleNamespace(outdir=str(tmp_path)), "book/intro", "p", context, None)
    assert "ipynb_source" not in context
