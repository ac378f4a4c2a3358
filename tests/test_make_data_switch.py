"""`make book DATA=...` validates the panel first: a broken file stops the build, untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest

from yrd import ROOT


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_book_on_a_broken_panel_fails_cleanly(tmp_path):
    broken = tmp_path / "panel.csv"
    # a header with a missing column and one malformed row
    broken.write_text(
        "city_code,city,year,quality\n310000,Shanghai,2011,not-a-number\n", encoding="utf-8"
    )
    before = (_sha(broken), broken.stat().st_mtime_ns)
    custom = ROOT / "_build" / "custom"
    built_before = custom.exists()
    out = subprocess.run(
        ["make", "--no-print-directory", "book", f"DATA={broken}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    log = out.stdout + out.stderr
    assert out.returncode != 0, f"make book succeeded on a broken panel:\n{log[-2000:]}"
    assert "not valid; nothing was built" in log, log[-2000:]
    assert str(broken) in log, "the message names the file"
    assert "Traceback" not in log, f"a traceback leaked:\n{log[-2000:]}"
    assert (_sha(broken), broken.stat().st_mtime_ns) == before, "the input file was modified"
    if not built_before:
        assert not custom.exists(), "the book was built although the panel is broken"
    assert list(tmp_path.iterdir()) == [broken], "nothing may be written beside the user's file"
