"""Launch buttons and the chapters' set-up cell follow one setting, _config.yml's repository.url."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from types import SimpleNamespace

import pytest

from yrd import ROOT
from yrd_book import launch
from yrd_book.sphinxext import drop_launch_buttons

#: Chapters another developer is rewriting; their set-up cell is written by `make sync` after the
#: merge (move a name out of this list once its chapter has the cell).
NOT_YET: set[str] = set()


@pytest.mark.parametrize("path", launch.chapters(), ids=lambda p: p.name)
def test_every_chapter_has_the_set_up_cell_for_the_configured_address(path):
    if path.name in NOT_YET:
        pytest.xfail(f"{path.name} is being rewritten elsewhere; `make sync` adds its set-up cell")
    text = path.read_text(encoding="utf-8")
    span = launch.cell_span(text)
    assert span is not None, f"{path.name}: no set-up cell (run `make sync`)"
    cells = [c for c in text.split("\n# %%") if c.strip()]
    first_code = next(i for i, c in enumerate(cells[1:], 1) if not c.startswith(" [markdown]"))
    assert launch.MARKER in cells[first_code], (
        f"{path.name}: the set-up cell is not the first code cell"
    )
    url = launch.repository_url()
    assert launch.with_setup_cell(text, url) == text, (
        f"{path.name}: set-up cell differs from _config.yml's repository.url ({url!r}); run `make sync`"
    )


def test_with_setup_cell_inserts_after_the_title_and_replaces_in_place():
    src = "# %% [markdown]\n# (x)=\n# # X\n\n# %%\nimport yrd\n"
    once = launch.with_setup_cell(src, "")
    assert once.index(launch.MARKER) < once.index("import yrd")
    assert once.startswith("# %% [markdown]\n# (x)=")
    twice = launch.with_setup_cell(once, "https://github.com/o/r")
    assert twice.count(launch.MARKER) == 1 and 'REPOSITORY = "https://github.com/o/r"' in twice
    assert launch.with_setup_cell(twice, "https://github.com/o/r") == twice


def _theme(url):
    return SimpleNamespace(
        html_theme_options={
            "repository_url": url,
            "launch_buttons": {
                "notebook_interface": "classic",
                "binderhub_url": "https://mybinder.org",
                "colab_url": "https://colab.research.google.com",
            },
        }
    )


def test_no_launch_buttons_while_the_address_is_unset():
    config = _theme("")
    drop_launch_buttons(None, config)
    assert config.html_theme_options["launch_buttons"] == {"notebook_interface": "classic"}
    config = _theme("https://github.com/o/r")
    drop_launch_buttons(None, config)
    assert config.html_theme_options["launch_buttons"]["colab_url"]


def _run_cell(url: str, cwd, extra: str = "") -> subprocess.CompletedProcess:
    """The set-up cell in a Python that has the requirements but not the `yrd` package, as on Colab.

    `-S` skips site-packages' .pth files (so the editable install of yrd is invisible); the
    site-packages folder itself is put on PYTHONPATH, so the requirements are importable.
    """
    code = launch.setup_source(url) + "\n" + extra
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    return subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_set_up_cell_outside_the_repository_with_no_address_says_what_to_do(tmp_path):
    done = _run_cell("", tmp_path)
    assert done.returncode != 0 and "open it from a clone" in done.stderr


def test_set_up_cell_inside_the_repository_finds_lib(tmp_path):
    done = _run_cell("", ROOT / "notebooks", "import yrd\nprint(yrd.ROOT)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(ROOT)


@pytest.mark.slow
def test_set_up_cell_outside_the_repository_clones_it(tmp_path):
    """As on Colab: the address set, no repository around; the cell clones it and imports yrd."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode:
        pytest.skip("not a git checkout")
    done = _run_cell(f"file://{ROOT}", tmp_path, "import yrd\nprint(yrd.ROOT)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "yrd-book")
    assert (tmp_path / "yrd-book" / "data" / "published").is_dir()
