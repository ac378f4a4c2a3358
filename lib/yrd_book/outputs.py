"""What every chapter printed: dump the executed outputs of a build, and compare two dumps.

A refactoring must not change what a reader sees. ``python -m yrd_book.outputs dump`` writes, for
every notebook in a build's execution cache, the text of each code cell's outputs (plain text,
Markdown, HTML, errors, streams) and a SHA-256 of each image; ``compare`` lists every cell whose
outputs differ between two dumps. Wall-clock seconds and run-specific ids are masked first, since
they differ between any two runs.

Usage::

    python -m yrd_book.outputs dump _build/.jupyter_cache before.json
    ... change the code, rebuild ...
    python -m yrd_book.outputs dump _build/.jupyter_cache after.json
    python -m yrd_book.outputs compare before.json after.json
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
from pathlib import Path

#: Run-specific text masked before comparing: timings and matplotlib's random figure ids.
VOLATILE = (
    (re.compile(r"\d+(\.\d+)? ?(s|seconds|ms)\b"), "<seconds>"),
    (re.compile(r"id=\"[0-9a-f-]{8,}\""), 'id="<id>"'),
)


def _mask(text: str) -> str:
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text


def cell_outputs(cell) -> list[str]:
    """One code cell's outputs as comparable strings."""
    out = []
    for o in cell.get("outputs", []):
        kind = o.get("output_type")
        if kind == "stream":
            out.append(f"{o.get('name')}: {_mask(''.join(o.get('text', '')))}")
        elif kind == "error":
            out.append(f"error: {o.get('ename')}: {o.get('evalue')}")
        else:
            for mime, value in sorted(o.get("data", {}).items()):
                if mime.startswith("image/"):
                    blob = value if isinstance(value, str) else "".join(value)
                    out.append(f"{mime}: sha256 {hashlib.sha256(blob.encode()).hexdigest()}")
                else:
                    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
                    if isinstance(value, list):
                        text = "".join(value)
                    out.append(f"{mime}: {_mask(text)}")
    return out


def dump(cache_dir: Path) -> dict[str, list[list[str]]]:
    """Notebook name -> the outputs of each of its code cells, from a jupyter-cache folder."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    result = {}
    for record in cache.list_cache_records():
        nb = cache.get_cache_bundle(record.pk).nb
        name = Path(record.uri).stem
        result[name] = [cell_outputs(c) for c in nb.cells if c.cell_type == "code"]
    return dict(sorted(result.items()))


def compare(before: dict, after: dict) -> list[str]:
    """Human-readable differences: notebooks missing on either side, and every differing cell."""
    diffs = []
    for name in sorted(set(before) | set(after)):
        if name not in after or name not in before:
            diffs.append(f"{name}: only in {'before' if name in before else 'after'}")
            continue
        a, b = before[name], after[name]
        if len(a) != len(b):
            diffs.append(f"{name}: {len(a)} code cells before, {len(b)} after")
            continue
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                lines = difflib.unified_diff(
                    "\n".join(x).splitlines(), "\n".join(y).splitlines(), lineterm="", n=0
                )
                changed = [ln for ln in lines if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
                diffs.append(f"{name}, code cell {i}:\n  " + "\n  ".join(changed[:12]))
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m yrd_book.outputs", description=__doc__.split("\n")[0]
    )
    sub = ap.add_subparsers(dest="verb", required=True)
    d = sub.add_parser("dump", help="write the outputs of a build's execution cache as JSON")
    d.add_argument("cache", type=Path)
    d.add_argument("json", type=Path)
    c = sub.add_parser("compare", help="list the cells whose outputs differ")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    a = ap.parse_args(argv)
    if a.verb == "dump":
        a.json.write_text(json.dumps(dump(a.cache), indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {a.json}")
        return 0
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (a.before, a.after))
    diffs = compare(before, after)
    n_cells = sum(len(v) for v in before.values())
    print(f"{len(before)} notebooks, {n_cells} code cells; {len(diffs)} differ")
    print("\n".join(diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
