"""The course page's chapter list, generated from the table of contents, never typed.

``_toc.yml`` gives the chapters, their parts and their order; ``book/course.yml`` gives, for each
chapter, what it teaches and how long it takes in class. The course page (``book/course.md``) shows
:func:`chapter_table` through the ``{course-chapters}`` directive of :mod:`yrd_book.sphinxext`, so a
chapter added to or removed from the TOC appears or disappears there at the next build. The appendix
(the TOC's uncaptioned or "Appendix" part) is not part of the course.
"""

from __future__ import annotations

from pathlib import Path

from . import ROOT

#: TOC parts that are not taught chapters.
NOT_TAUGHT = {"Appendix"}


def toc_parts(root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """(caption, [chapter file, ...]) for every part of ``_toc.yml``, in order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [
        (part.get("caption", ""), [c["file"] for c in part.get("chapters", [])])
        for part in toc.get("parts", [])
    ]


def taught_chapters(root: Path = ROOT) -> list[tuple[str, str]]:
    """(part caption, chapter file) for the chapters of the course, in TOC order."""
    return [(cap, f) for cap, files in toc_parts(root) if cap not in NOT_TAUGHT for f in files]


def course_notes(root: Path = ROOT) -> dict[str, dict]:
    import yaml

    return yaml.safe_load((root / "book" / "course.yml").read_text(encoding="utf-8")) or {}


def chapter_table(root: Path = ROOT) -> str:
    """The course's chapters as a MyST Markdown table: part, chapter (a link), methods, time."""
    notes = course_notes(root)
    lines = [
        "| Part | Chapter | What it teaches | Time in class |",
        "| :--- | :--- | :--- | :--- |",
    ]
    for caption, chapter in taught_chapters(root):
        note = notes.get(chapter, {})
        methods = note.get("methods", "(not described in book/course.yml)")
        lines.append(f"| {caption} | {{doc}}`/{chapter}` | {methods} | {note.get('time', '')} |")
    return "\n".join(lines)


__all__ = ["chapter_table", "course_notes", "taught_chapters", "toc_parts"]
