"""``make pdf``: the whole book as one PDF, offline.

Takes the built HTML book (``make book`` first), serves it on a loopback port, lets headless
Chromium typeset the math and print every page of the table of contents, and joins the pages into
``_build/pdf/book.pdf`` with ``pypdf``, one bookmark per chapter. No LaTeX installation is needed.
(Jupyter Book's single-page builder cannot render MyST-NB's hidden-output cells, hence page by page.)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import ROOT
from .browser import run_chromium, serve


def toc_pages(root: Path = ROOT) -> list[tuple[str, str]]:
    """(title-less) list of (source, html path) in table-of-contents order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files += [s["file"] for s in chapter.get("sections", [])]
    return [(f, f"{Path(f).with_suffix('')}.html") for f in files]


def print_to_pdf(html_dir: Path, out: Path, pages: list[str]) -> Path:
    """Serve ``html_dir`` on 127.0.0.1, print each of ``pages`` with Chromium, join them into ``out``."""
    from pypdf import PdfWriter

    out.parent.mkdir(parents=True, exist_ok=True)
    writer = PdfWriter()
    with serve(html_dir) as base, tempfile.TemporaryDirectory() as tmp:
        for i, page in enumerate(pages):
            part = Path(tmp) / f"{i:03d}.pdf"
            run_chromium(
                "--virtual-time-budget=30000",
                "--no-pdf-header-footer",
                f"--print-to-pdf={part}",
                f"{base}/{page}",
                timeout=300,
            )
            if not part.exists() or part.stat().st_size == 0:
                raise RuntimeError(f"Chromium did not print {page}")
            start = len(writer.pages)
            writer.append(str(part))
            title = Path(page).stem.replace("_", " ").capitalize()
            writer.add_outline_item(title=title, page_number=start)
        with out.open("wb") as fh:
            writer.write(fh)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yrd_book.pdf", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf")
    args = parser.parse_args(argv)
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        raise SystemExit("no built book at _build/html: run `make book` first")
    pdf = print_to_pdf(html, args.out, [h for _, h in toc_pages()])
    print(f"The PDF is built: {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
