"""The book build is a gate: a notebook cell that raises must fail it; no build uses the network.

Builds a two-page book in a temporary folder with the project's own ``_config.yml``, once with a
passing notebook (the control: the set-up itself builds) and once with a failing cell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from yrd import ROOT

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")

NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A chapter

# %%
x = 1 + 1
{line}
"""


def build(tmp_path: Path, line: str) -> subprocess.CompletedProcess:
    book = tmp_path / "book"
    (book / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "_static", book / "_static")
    shutil.copy(ROOT / "book" / "references.bib", book / "book" / "references.bib")
    (book / "index.md").write_text("# Gate test\n\nA page.\n", encoding="utf-8")
    (book / "chapter.py").write_text(NOTEBOOK.format(line=line), encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: chapter\n", encoding="utf-8"
    )
    # Proxies point at a closed port: a build that reached for the network would fail or hang.
    closed = "http://127.0.0.1:9"
    env = {
        **os.environ,
        **{k: closed for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")},
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", "-W", "-n", "--keep-going", str(book)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )


@pytest.mark.slow
def test_passing_notebook_builds(tmp_path):
    out = build(tmp_path, "print(x)")
    assert out.returncode == 0, f"control build failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"


@pytest.mark.slow
def test_failing_cell_fails_the_build(tmp_path):
    out = build(tmp_path, 'raise RuntimeError("deliberate failure in a notebook cell")')
    assert out.returncode != 0, "a notebook that raises must fail the book build"
    assert "deliberate failure" in out.stdout + out.stderr, "the build log should show the error"
