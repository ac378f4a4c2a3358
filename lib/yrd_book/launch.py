"""Launch buttons and each notebook's set-up cell, both from one setting: ``repository.url``.

``_config.yml``'s ``repository.url`` is the address of the book's public repository, empty while it
is unpublished. From it:

* **Launch buttons.** The Sphinx extension (:func:`yrd_book.sphinxext.drop_launch_buttons`) removes
  the Binder and Colab buttons while the address is empty, so no page links to a repository that
  does not exist; once it is set, every chapter's buttons open its paired ``.ipynb`` there.
* **The set-up cell.** Every chapter's first code cell (tagged ``remove-input``: the rendered book
  does not show it) makes ``import yrd`` work wherever the notebook runs. Inside the repository it
  does nothing (or puts ``lib/`` on the path when the package is not installed); outside it, on
  Colab or Binder, it clones the repository named by the setting and installs the requirements;
  with the setting empty it says so and stops. The cell's text is :func:`setup_source`, the same in
  every chapter with the address filled in; ``python -m yrd_book.launch`` (run by ``make sync``)
  writes it into every ``notebooks/*.py`` and a test checks that they agree with ``_config.yml``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import ROOT

#: The cell's marker line: the text after the ``# %%`` line that identifies the set-up cell.
MARKER = "# Set-up: makes `import yrd` work wherever this notebook runs (see yrd_book.launch)."
HEADER = '# %% tags=["remove-input"]'

_TEMPLATE = """{marker}
# Inside the book's repository it does nothing; outside it (Colab, Binder) it clones the repository
# and installs the requirements.
import importlib.util
import subprocess
import sys
from pathlib import Path

REPOSITORY = "{url}"  # _config.yml: repository.url
if importlib.util.find_spec("yrd") is None:
    here = [Path.cwd(), *Path.cwd().parents]
    lib = next((p / "lib" for p in here if (p / "lib" / "yrd" / "__init__.py").exists()), None)
    if lib is None and not REPOSITORY:
        raise ModuleNotFoundError(
            "This notebook needs the book's package `yrd`: open it from a clone of the book's "
            "repository (its address is not published yet)."
        )
    if lib is None:
        clone = Path("yrd-book").resolve()
        if not clone.exists():
            subprocess.run(["git", "clone", "--depth", "1", REPOSITORY, str(clone)], check=True)
        if importlib.util.find_spec("linearmodels") is None:
            pip = [sys.executable, "-m", "pip", "install", "-q", "-r"]
            subprocess.run([*pip, str(clone / "requirements.txt")], check=True)
        lib = clone / "lib"
    sys.path.insert(0, str(lib))"""


def repository_url(root: Path = ROOT) -> str:
    """``repository.url`` of ``_config.yml``; empty while the repository is not published."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return str((config.get("repository") or {}).get("url") or "").strip()


def setup_source(url: str) -> str:
    """The set-up cell's code (without its ``# %%`` line), for a repository address."""
    if '"' in url or "\\" in url:
        raise ValueError(f"not a repository address: {url!r}")
    return _TEMPLATE.format(marker=MARKER, url=url)


_CELL = re.compile(r"^# %%.*$", re.M)


def cell_span(text: str) -> tuple[int, int] | None:
    """Start and end offsets of the set-up cell (``# %%`` line included) in a chapter's source."""
    starts = [m.start() for m in _CELL.finditer(text)]
    for i, start in enumerate(starts):
        body = text[start:].split("\n", 2)
        if len(body) > 1 and body[1] == MARKER:
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            return start, end
    return None


def with_setup_cell(text: str, url: str) -> str:
    """A chapter's source with the set-up cell for ``url`` as its first code cell.

    The cell goes right after the opening Markdown cell (the label and title the book needs first);
    an existing set-up cell is replaced in place.
    """
    cell = f"{HEADER}\n{setup_source(url)}\n\n"
    span = cell_span(text)
    if span is not None:
        return text[: span[0]] + cell + text[span[1] :]
    starts = [m.start() for m in _CELL.finditer(text)]
    if len(starts) < 2:
        raise ValueError("a chapter needs an opening Markdown cell and at least one more cell")
    return text[: starts[1]] + cell + text[starts[1] :]


def chapters(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yrd_book.launch", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="only report chapters out of date")
    args = parser.parse_args(argv)
    url = repository_url()
    stale = []
    for path in chapters():
        text = path.read_text(encoding="utf-8")
        new = with_setup_cell(text, url)
        if new != text:
            stale.append(path.name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "out of date" if args.check else "rewritten"
    shown = url or "(unset)"
    print(f"yrd_book.launch: repository.url = {shown}; {verb}: {', '.join(stale) or 'none'}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
