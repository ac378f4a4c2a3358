"""A small Sphinx extension: offer the executed notebook (.ipynb) for download on .py chapters.

sphinx-book-theme offers an ``.ipynb`` download only for ``.ipynb`` and MyST-Markdown sources (and
only when launch buttons are configured). Our chapters are jupytext ``py:percent`` files, so this
copies the notebook MyST-NB wrote after execution (``_build/jupyter_execute/<page>.ipynb``, outputs
included, cell ids numbered so that builds are byte-identical) into ``_sources/`` and tells the
theme about it, before the theme builds its buttons.
"""

from __future__ import annotations

import json
from pathlib import Path


def offer_executed_notebook(app, pagename, templatename, context, doctree):
    if context.get("page_source_suffix") != ".py":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    # jupytext gives cells random ids on every read; number them so that the same book gives
    # the same download, byte for byte
    nb = json.loads(executed.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb.get("cells", [])):
        if "id" in cell:
            cell["id"] = f"cell-{i}"
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # the theme adds its header buttons at priority 501; run first
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
