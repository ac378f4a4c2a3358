"""The book's Sphinx extension: outputs never stale, and the executed notebook offered for download.

* **Fresh outputs.** Before any page is read, the execution cache is emptied if it was filled
  from other code or data (:func:`yrd_book.freshness.ensure_fresh`), and every page is marked out of
  date when the inputs digest differs from the one of the last build, so a plain
  ``jupyter-book build`` after an edit in ``lib/`` or ``data/`` re-executes and re-renders every
  chapter. The inputs are the config value ``yrd_inputs`` (paths relative to the book root).
* **Downloads.** sphinx-book-theme offers an ``.ipynb`` download only for ``.ipynb`` and
  MyST-Markdown sources (and only when launch buttons are configured). Our chapters are jupytext
  ``py:percent`` files, so this copies the notebook MyST-NB wrote after execution
  (``_build/jupyter_execute/<page>.ipynb``, outputs included, cell ids numbered so that builds are
  byte-identical) into ``_sources/`` and tells the theme about it.
* **Pages about the book from the book.** The ``{course-chapters}`` directive prints the course
  page's chapter list from ``_toc.yml`` (:mod:`yrd_book.course`); ``{road-map}`` prints the
  introduction's road map from ``_toc.yml`` and the reports (:mod:`yrd_book.roadmap`).
* **Captions say which data.** Figures drawn from the panel say "(twin)" in their captions
  (checked by :mod:`yrd_book.captions`); on a build with another panel (``YRD_DATA``), the words are
  replaced by "(real panel)" (:func:`relabel_captions`).
* **Launch buttons only where they lead somewhere.** While ``_config.yml``'s ``repository.url`` is
  empty (the repository is not published), the Binder and Colab buttons are removed
  (:func:`drop_launch_buttons`); see :mod:`yrd_book.launch`.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .freshness import INPUTS, ensure_fresh, inputs_digest

LOGGER = logging.getLogger(__name__)


def _cache_dir(app) -> Path:
    # where MyST-NB (builder-inited, priority 500) put its execution cache
    path = app.env.mystnb_config.execution_cache_path
    return Path(path) if path else Path(app.outdir).parent / ".jupyter_cache"


def empty_stale_cache(app) -> None:
    app.env.yrd_inputs_now = inputs_digest(Path(app.srcdir), app.config.yrd_inputs)
    if ensure_fresh(_cache_dir(app), app.env.yrd_inputs_now):
        LOGGER.info("yrd: execution cache emptied (lib/, data/ or requirements changed)")


def outdated_by_inputs(app, env, added, changed, removed) -> list[str]:
    """Every page, when the inputs changed since the pages were last read."""
    now = env.yrd_inputs_now
    if getattr(env, "yrd_inputs_read", None) == now:
        return []
    env.yrd_inputs_read = now
    return sorted(env.found_docs - set(added))


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


#: The launch services the theme would link to; all are dropped while there is no repository.
LAUNCH_SERVICES = (
    "binderhub_url",
    "jupyterhub_url",
    "colab_url",
    "deepnote_url",
    "jupyterlite_url",
)


def drop_launch_buttons(app, config) -> None:
    """No launch buttons while the repository address is unset: they would lead nowhere."""
    options = config.html_theme_options
    if str(options.get("repository_url") or "").strip():
        return
    buttons = dict(options.get("launch_buttons") or {})
    dropped = [key for key in LAUNCH_SERVICES if buttons.pop(key, None)]
    options["launch_buttons"] = buttons
    if dropped:
        LOGGER.info("yrd: repository.url is unset, so no launch buttons (%s)", ", ".join(dropped))


def relabel_captions(app, doctree) -> None:
    """On a build with the real panel, figure captions say "(real panel)" where the sources say "(twin)"."""
    import os

    from docutils import nodes

    from .captions import TWIN, caption_for_data

    data = os.environ.get("YRD_DATA", "twin")
    if data == "twin":
        return
    for caption in doctree.findall(nodes.caption):
        for text in list(caption.findall(nodes.Text)):
            if TWIN in text:
                text.parent.replace(text, nodes.Text(caption_for_data(str(text), data)))


class CourseChapters(SphinxDirective):
    """``{course-chapters}``: the course's chapters from the TOC (:func:`yrd_book.course.chapter_table`)."""

    has_content = False

    def run(self):
        from docutils import nodes
        from docutils.statemachine import StringList

        from .course import chapter_table

        root = Path(self.env.srcdir)
        for name in ("_toc.yml", "book/course.yml"):
            self.env.note_dependency(str(root / name))
        container = nodes.container()
        self.state.nested_parse(StringList(chapter_table(root).splitlines()), 0, container)
        return container.children


class RoadMap(SphinxDirective):
    """``{road-map}``: the introduction's road map from the TOC and the reports
    (:func:`yrd_book.roadmap.road_map`)."""

    has_content = False

    def run(self):
        from docutils import nodes
        from docutils.statemachine import StringList

        from .roadmap import road_map

        root = Path(self.env.srcdir)
        for name in ("_toc.yml", "reports/fidelity.csv", "reports/audit.csv"):
            self.env.note_dependency(str(root / name))
        for src in sorted((root / "notebooks").glob("*.py")):
            self.env.note_dependency(str(src))
        container = nodes.container()
        self.state.nested_parse(StringList(road_map(root).splitlines()), 0, container)
        return container.children


def setup(app):
    app.add_directive("course-chapters", CourseChapters)
    app.add_directive("road-map", RoadMap)
    app.connect("doctree-read", relabel_captions)
    app.connect("config-inited", drop_launch_buttons)
    app.add_config_value("yrd_inputs", list(INPUTS), "env")
    # after MyST-NB has set up its configuration (priority 500), before any page is read
    app.connect("builder-inited", empty_stale_cache, priority=900)
    app.connect("env-get-outdated", outdated_by_inputs)
    # the theme adds its header buttons at priority 501; run first
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
