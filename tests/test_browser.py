"""The rendered book, opened in headless Chromium: pages exist, math is typeset offline.

Run after the book is built (``make test`` builds first). Marked ``browser``; the unit run skips it.
Screenshots of the landing page and one table page are saved under ``_build/screenshots/``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from yrd import ROOT
from yrd_book.browser import find_chromium, run_chromium, serve
from yrd_book.layout import measure, problems, serve_measured

pytestmark = pytest.mark.browser

HTML = Path(os.environ.get("YRD_HTML", ROOT / "_build" / "html"))
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def toc_files() -> list[str]:
    from yrd_book.pdf import toc_pages

    return [source for source, _ in toc_pages()]


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built book at {HTML}: run `make build` first")
    with serve(HTML) as base:
        yield base


def chromium(*args: str, timeout: int = 90) -> str:
    if find_chromium() is None:
        pytest.fail("chromium is not installed (apt-get install chromium; .ci/run does this)")
    return run_chromium(*args, timeout=timeout).stdout


def rendered_dom(url: str) -> str:
    # virtual time lets MathJax finish typesetting before the DOM is dumped
    return chromium("--virtual-time-budget=30000", "--dump-dom", url)


@pytest.mark.parametrize("source", toc_files())
def test_page_exists(source):
    page = HTML / (str(Path(source).with_suffix("")) + ".html")
    assert page.exists(), f"{source} is in _toc.yml but {page} was not built"


def test_mathjax_is_served_locally():
    pages = sorted(HTML.rglob("*.html"))
    assert pages, f"no HTML under {HTML}"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for src in re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', html, flags=re.I):
            assert not re.match(r"^(https?:)?//", src), f"{page.name} loads MathJax from {src}"
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists(), "local MathJax not copied"


@pytest.mark.parametrize("source", ["book/intro", "notebooks/variables"])
def test_math_is_typeset(server, source):
    dom = rendered_dom(f"{server}/{source}.html")
    assert "<h1" in dom, f"{source}: the page did not render (no <h1>)"
    n = dom.count("<mjx-container")
    assert n > 0, f"{source}: no typeset math (MathJax did not run; is it loaded from a CDN?)"
    raw = re.findall(r'<(?:span|div) class="math[^"]*">\s*\\[(\[]', dom)
    assert not raw, f"{source}: {len(raw)} formulas left as raw TeX (\\( or \\[)"


def test_screenshots(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in [("landing", "index.html"), ("table", "notebooks/published_tables.html")]:
        out = SHOTS / f"{name}.png"
        out.unlink(missing_ok=True)
        chromium(
            "--virtual-time-budget=30000",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            f"--screenshot={out}",
            f"{server}/{page}",
        )
        assert out.exists() and out.stat().st_size > 10_000, f"screenshot of {page} not written"


@pytest.mark.parametrize("source", [f for f in toc_files() if f.startswith("notebooks/")])
def test_notebook_pages_offer_ipynb_and_source_downloads(source):
    page = HTML / f"{source}.html"
    html = page.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*_sources/[^"]+)"', html)
    kinds = {Path(link).suffix for link in links}
    assert {".ipynb", ".py"} <= kinds, f"{source}: download links {links}"
    for link in links:
        target = (page.parent / link).resolve()
        assert target.exists(), f"{source}: download link {link} points at nothing"


@pytest.mark.parametrize("source", [f for f in toc_files() if f.startswith("notebooks/")])
def test_launch_buttons_open_the_paired_notebook_or_are_absent(source):
    """Buttons only when _config.yml's repository.url is set (yrd_book.launch); then to the .ipynb."""
    from yrd_book.launch import repository_url

    html = (HTML / f"{source}.html").read_text(encoding="utf-8")
    for service in ("https://mybinder.org/", "https://colab.research.google.com/"):
        links = re.findall(rf'"({re.escape(service)}[^"]+)"', html)
        if not repository_url():
            assert not links, f"{source}: launch link {links[0]} while repository.url is unset"
            continue
        assert links, f"{source}: no launch link to {service}"
        target = links[0].rsplit("/./", 1)[-1]
        assert target.endswith(".ipynb"), f"{source}: {service} link {links[0]} is not a notebook"
        assert (ROOT / target).exists(), f"{source}: launch link points at missing {target}"


@pytest.fixture(scope="module")
def measuring_server():
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built book at {HTML}: run `make build` first")
    with serve_measured(HTML) as base:
        yield base


@pytest.mark.parametrize("width", [400, 1400], ids=lambda w: f"{w}px")
@pytest.mark.parametrize("source", toc_files())
def test_page_fits_the_screen(measuring_server, source, width):
    """No clipped formula, no table overflowing the page, no page wider than a phone's screen; what
    scrolls shows a visible cue; at laptop width every display formula fits without scrolling."""
    if find_chromium() is None:
        pytest.fail("chromium is not installed (apt-get install chromium; .ci/run does this)")
    result = measure(measuring_server, f"{source}.html", width)
    found = problems(result, strict_display=width >= 1000)
    assert not found, f"{source} at {width} px: " + "; ".join(found)


def test_custom_css_is_served():
    html = (HTML / "book" / "intro.html").read_text(encoding="utf-8")
    assert "_static/yrd.css" in html, "yrd.css (diff highlighting, dark-mode figures) not linked"
    assert (HTML / "_static" / "yrd.css").exists()
    assert "_static/yrd.js" in html, "yrd.js (marks the boxes that scroll) not linked"
    css = (HTML / "_static" / "yrd.css").read_text(encoding="utf-8")
    assert "@media print" in css and "pre-wrap" in css, "print styles (wrapping code) missing"


def test_pdf_of_two_pages(tmp_path):
    """make pdf's machinery: pages printed by Chromium, joined with one bookmark each."""
    from pypdf import PdfReader

    from yrd_book import pdf

    pages = ["book/intro.html", "notebooks/published_tables.html"]
    out = pdf.print_to_pdf(HTML, tmp_path / "two.pdf", pages)
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 3, f"only {len(reader.pages)} PDF pages for two book pages"
    assert [o.title for o in reader.outline] == ["Intro", "Published tables"]
    text = reader.pages[0].extract_text()
    assert "Yangtze River Delta" in text, "the intro's text is in the PDF"
    assert "\\(" not in text, "raw TeX in the PDF: math was not typeset before printing"


def test_toc_pages_follow_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = toc_files()
    assert files[0] == toc["root"], "the root page comes first"
    assert len(files) == 1 + sum(len(p["chapters"]) for p in toc["parts"]), "every chapter listed"
    for f in files:
        assert any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".py")), f"{f} has no source"


#: What no page of the book may show: raw pandas output, missing values, misfiring templates.
RAW = re.compile(r"dtype: |\bNaN\b|\b1\.00 times\b|[a-z]\(s\)[ ,.]|Name: [a-z_]+, dtype")


@pytest.mark.parametrize("source", toc_files())
def test_pages_show_no_raw_output(source):
    """No dtype lines, NaN cells or "(s)" templates in what a reader sees (outputs and prose)."""
    from bs4 import BeautifulSoup

    page = HTML / (str(Path(source).with_suffix("")) + ".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for hidden in main.select("div.cell_input, script, style, .tag_remove-input"):
        hidden.decompose()
    found = sorted({m.group(0) for m in RAW.finditer(main.get_text(" "))})
    assert not found, f"{source} shows {found}"


@pytest.mark.parametrize("source", toc_files())
def test_table_cells_are_shown_whole(source):
    """No table cell cut short with "..." (pandas' display.max_colwidth cuts text cells at 50
    characters; a chapter whose tables carry sentences sets it to None)."""
    from bs4 import BeautifulSoup

    page = HTML / (str(Path(source).with_suffix("")) + ".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    cut = [
        td.get_text() for td in soup.select("table td") if td.get_text().rstrip().endswith("...")
    ]
    assert not cut, f"{source}: cells cut short: {cut[:3]}"


@pytest.mark.parametrize("number", range(2, 10))
def test_each_reproduced_table_explains_itself(number):
    """Beside every reproduced table: the graded legend (if anything differs) and the note saying
    what matches, what differs and why."""
    from bs4 import BeautifulSoup

    from yrd_book.bookmap import table_map

    chapter = table_map().set_index("table").loc[number, "reproduced_in"]
    soup = BeautifulSoup((HTML / f"{chapter}.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find(id=f"tbl-repro-{number}")
    assert table is not None, f"tbl-repro-{number} not in {chapter}"
    after = []
    for el in table.find_all_next(["p", "li", "table"]):
        if el.name == "table":
            break
        after.append(el.get_text(" ", strip=True))
    text = " ".join(after)
    assert "the paper at printed precision" in text or "What matches" in text, text[:300]
    if "What differs" in text:
        assert "Shading: how far a reproduced number is" in text
