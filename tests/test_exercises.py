"""Every results, spatial and audit chapter has at least three exercises, each with a hidden solution
that runs code (sphinx-exercise's gated form: ``{solution-start}`` ... code cells ... ``{solution-end}``)."""

from __future__ import annotations

import re

import jupytext
import pytest

from yrd import ROOT

MINIMUM = 3
#: The results and spatial chapters.
CHAPTERS = ["descriptives", "baseline", "robustness", "spatial_validation", "spatial_tables"]
#: Chapters being rewritten elsewhere: move a name to CHAPTERS once it has its exercises.
LATER: list[str] = []

EVENT = re.compile(
    r"```\{exercise\}\s*\n:label:\s*(?P<ex>\S+)"
    r"|```\{solution-start\}\s*(?P<start>\S+)\s*\n(?P<hidden>:class:\s*dropdown)?"
    r"|(?P<end>```\{solution-end\})"
)


def exercises(name: str) -> list[tuple[str, bool, int]]:
    """(label, hidden, code cells in the solution) for each exercise of a chapter, in order."""
    nb = jupytext.read(ROOT / "notebooks" / f"{name}.py")
    found: dict[str, list] = {}
    open_label = None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            if open_label is not None:
                found[open_label][2] += 1
            continue
        for m in EVENT.finditer(cell.source):
            if m.group("ex"):
                found[m.group("ex")] = [m.group("ex"), False, 0]
            elif m.group("start"):
                open_label = m.group("start")
                found.setdefault(open_label, [open_label, False, 0])[1] = bool(m.group("hidden"))
            elif m.group("end"):
                open_label = None
    return [tuple(v) for v in found.values()]


@pytest.mark.parametrize(
    "name",
    CHAPTERS
    + [pytest.param(n, marks=pytest.mark.xfail(reason="rewritten elsewhere")) for n in LATER],
)
def test_chapter_has_three_exercises_with_hidden_executed_solutions(name):
    found = exercises(name)
    assert len(found) >= MINIMUM, f"{name}: {len(found)} exercises, want {MINIMUM}"
    for label, hidden, code in found:
        assert hidden, f"{name}: the solution of {label} is not a hidden dropdown"
        assert code >= 1, f"{name}: the solution of {label} runs no code (typed answers drift)"


def test_the_counter_reads_the_gated_form():
    found = dict((label, (hidden, code)) for label, hidden, code in exercises("baseline"))
    assert found["baseline-ex-control"] == (True, 1)
