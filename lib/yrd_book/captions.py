"""Which figures of a chapter are drawn from the analysis panel, and does their caption say "(twin)"?

A chapter's figures are the code cells that draw (``plt.subplots``, ``plt.figure``, ``.plot(``,
``plt.show``). A figure is *drawn from the panel* when its cell uses a name that was computed,
however indirectly, from ``panel.load_panel(...)``: the cells are read in order and every assigned
name whose right-hand side mentions ``load_panel`` or an already tainted name is tainted too
(an over-approximation: a figure that merely uses a variable computed next to the panel counts).
On the default build the panel is the synthetic twin, so such a figure's caption must say
``(twin)``; a figure that does not draw from the panel must not say it.

On a build with the real panel (``make book DATA=raw``) the book's Sphinx extension replaces
``(twin)`` in figure captions by ``(real panel)`` (:func:`caption_for_data`), so the same sources
label both builds truthfully.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

TWIN = "(twin)"
DRAWS = re.compile(r"plt\.(subplots|figure|show)\(|\.plot\(")


@dataclass(frozen=True)
class Figure:
    chapter: str
    cell: int
    name: str
    caption: str
    from_panel: bool

    @property
    def labelled(self) -> bool:
        return TWIN in self.caption


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _targets(node: ast.AST) -> set[str]:
    """Names a statement stores to, including the object of ``d[k] = ...`` and ``o.a = ...``."""
    out: set[str] = set()
    for t in ast.walk(node):
        if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store):
            out.add(t.id)
        elif isinstance(t, ast.Subscript | ast.Attribute) and isinstance(t.ctx, ast.Store):
            base = t.value
            while isinstance(base, ast.Subscript | ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name):
                out.add(base.id)
    return out


def _calls_loader(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute | ast.Name)
        and getattr(n, "attr", getattr(n, "id", "")) == "load_panel"
        for n in ast.walk(node)
    )


def _taint(stmt: ast.stmt, tainted: set[str]) -> bool:
    """Update ``tainted`` with what ``stmt`` assigns; True when ``stmt`` reads the panel.

    A name assigned from the panel (or from tainted names) becomes tainted; assigned from anything
    else, it is clean again. A method call that feeds tainted data to an object (``ax.plot(df)``,
    ``d.update(df)``) taints that object.
    """
    if isinstance(stmt, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
        return False
    if isinstance(stmt, ast.For | ast.While | ast.If | ast.With | ast.Try):
        head = [getattr(stmt, a) for a in ("iter", "test") if getattr(stmt, a, None) is not None]
        head += [i.context_expr for i in getattr(stmt, "items", [])]
        reads = any(_calls_loader(h) or (_names(h) & tainted) for h in head)
        if reads and isinstance(stmt, ast.For):
            tainted |= _targets(stmt.target)
        for child in stmt.body + getattr(stmt, "orelse", []):
            reads = _taint(child, tainted) or reads
        return reads
    # what the statement reads: an assignment's right-hand side (its targets are overwritten)
    read = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value else stmt
    reads = _calls_loader(read) or bool(_names(read) & tainted)
    if reads:
        tainted |= _targets(stmt)
        for n in ast.walk(stmt):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
                base = n.func.value
                if isinstance(base, ast.Name) and (_names(n) - {base.id}) & tainted:
                    tainted.add(base.id)
    elif isinstance(stmt, ast.Assign | ast.AnnAssign):
        stores = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        tainted -= {
            n.id
            for t in stores
            for n in ast.walk(t)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
    return reads


def figures(path: Path) -> list[Figure]:
    """The figures of one chapter (a jupytext ``py:percent`` file), in order."""
    import jupytext

    nb = jupytext.read(path)
    tainted: set[str] = set()
    modules: set[str] = set()
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        from_panel = False
        for stmt in tree.body:
            if isinstance(stmt, ast.Import | ast.ImportFrom):  # modules (plt, np) hold no data
                modules |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
            from_panel = _taint(stmt, tainted) or from_panel
            tainted -= modules
        if DRAWS.search(source):
            fig = (cell.metadata.get("mystnb") or {}).get("figure") or {}
            out.append(
                Figure(path.stem, i, fig.get("name", ""), fig.get("caption", ""), from_panel)
            )
    return out


def problems(path: Path) -> list[str]:
    """Figures drawn from the panel without "(twin)" in the caption, and the converse."""
    out = []
    for f in figures(path):
        what = f"{f.chapter}: figure {f.name or f'in cell {f.cell}'}"
        if f.from_panel and not f.labelled:
            out.append(
                f"{what} is drawn from the panel but its caption lacks {TWIN}: {f.caption!r}"
            )
        if f.labelled and not f.from_panel:
            out.append(f"{what} says {TWIN} but is not drawn from the panel")
    return out


def caption_for_data(text: str, data: str) -> str:
    """A caption's text for the panel the book was built on (``YRD_DATA``: twin, raw or a path)."""
    if data in ("", "twin"):
        return text
    return text.replace(TWIN, "(real panel)" if data == "raw" else f"(panel: {Path(data).name})")


__all__ = ["TWIN", "Figure", "caption_for_data", "figures", "problems"]
