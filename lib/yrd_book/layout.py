"""Does every page of the built book fit the screen? Clipped math and overflowing tables, measured.

Each page is opened in headless Chromium at a given window width, after MathJax has typeset it, and
a small script (injected by the loopback server, never written into the book) measures:

* every MathJax formula: its rendered width against the box that shows it, i.e. the nearest
  ancestor that cuts or scrolls overflowing content, else the article column. Wider and the box
  cannot scroll: **clipped** (part of the formula is invisible); wider and the box scrolls:
  **scrolls** (readable by swiping);
* every table, the same way;
* the page itself: wider than the window means the whole page scrolls sideways (on a phone, the
  text column then no longer fits the screen).

``python -m yrd_book.layout --width 400`` prints what it finds for every page of the table of
contents; the browser tests (``tests/test_browser.py``) fail on any clipped formula, any table or
page overflow, and any display formula that needs scrolling at laptop width.
"""

from __future__ import annotations

import argparse
import http.server
import json
import re
import sys
from pathlib import Path

from . import ROOT
from .browser import run_chromium, serve

#: Measures the page once MathJax has typeset it, and appends the result as JSON in a <pre>.
SCRIPT = r"""
<script>
(function () {
  function box(el, stop) {
    for (let a = el; a && a !== stop; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o !== "visible") return [a, o];
    }
    return [stop, "visible"];
  }
  function label(el) {
    const eq = el.closest(".math") || el.closest("table") || el;
    const id = (eq.id || (eq.previousElementSibling && eq.previousElementSibling.id) || "");
    const num = eq.querySelector ? eq.querySelector(".eqno") : null;
    const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
    return { id: id, eqno: num ? num.textContent.trim() : "", text: text };
  }
  function measure() {
    const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
    const out = { width: window.innerWidth, page: document.documentElement.scrollWidth,
                  article: article.clientWidth, math: [], tables: [] };
    document.querySelectorAll("mjx-container").forEach(function (c) {
      const inner = c.querySelector("mjx-math") || c;
      const w = inner.getBoundingClientRect().width;
      const [b, o] = box(c, article);
      const visible = b.clientWidth;
      if (w > visible + 1) {
        const r = label(c);
        r.display = c.getAttribute("display") === "true";
        r.width = Math.round(w); r.visible = visible;
        r.state = (o === "auto" || o === "scroll") ? "scrolls" : "clipped";
        const holder = c.closest("div.math");
        r.cue = !!(holder && holder.classList.contains("yrd-scrolls"));
        r.scroll = [c.scrollWidth, c.clientWidth, Math.round(inner.getBoundingClientRect().left - c.getBoundingClientRect().left)];
        out.math.push(r);
      }
    });
    document.querySelectorAll("article table").forEach(function (t) {
      const w = t.getBoundingClientRect().width;
      const [b, o] = box(t, article);
      const visible = b.clientWidth;
      if (w > visible + 1) {
        const r = label(t);
        r.width = Math.round(w); r.visible = visible;
        r.state = (o === "auto" || o === "scroll") ? "scrolls" : "clipped";
        r.cue = b.classList.contains("yrd-scrolls");
        out.tables.push(r);
      }
    });
    const pre = document.createElement("pre");
    pre.id = "yrd-layout";
    pre.style.display = "none";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
    if (window.parent !== window) window.parent.postMessage(pre.textContent, "*");
  }
  window.addEventListener("load", function () {
    const mj = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    const fonts = document.fonts ? document.fonts.ready : Promise.resolve();
    (mj ? mj : Promise.resolve()).then(function () { return fonts; }).then(function () {
      setTimeout(function () {
        // what the reader sees once everything has settled: yrd.js's marks brought up to date
        if (window.yrdMarkScrolls) window.yrdMarkScrolls();
        measure();
      }, 500);
    });
  });
})();
</script>
"""


#: Headless Chromium will not make a window narrower than 500 px, so a page is measured inside an
#: iframe of the wanted width (media queries and layout follow the iframe's width, as on a phone).
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="/{page}" style="border:0;width:{width}px;height:{height}px"></iframe>
<script>
window.addEventListener("message", function (e) {{
  const pre = document.createElement("pre");
  pre.id = "yrd-layout";
  pre.textContent = e.data;
  document.body.appendChild(pre);
}});
</script></body></html>"""


class _Injecting(http.server.SimpleHTTPRequestHandler):
    """Serves the book, with the measuring script appended to every HTML page, and the frame."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        from urllib.parse import parse_qs, urlsplit

        url = urlsplit(self.path)
        if url.path == "/__frame__.html":
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            html = FRAME.format(page=q["page"], width=int(q["width"]), height=int(q["height"]))
            return self._send(html)
        path = Path(self.translate_path(url.path))
        if path.suffix != ".html" or not path.is_file():
            return super().do_GET()
        return self._send(
            path.read_text(encoding="utf-8").replace("</body>", SCRIPT + "</body>", 1)
        )

    def _send(self, html: str) -> None:
        body = html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_measured(directory: Path):
    """Serve ``directory`` on 127.0.0.1 with the measuring script injected (a context manager
    yielding the base URL)."""
    return serve(directory, _Injecting)


_RESULT = re.compile(r'<pre id="yrd-layout"[^>]*>(.*?)</pre>', re.S)


def measure(base: str, page: str, width: int, height: int = 900) -> dict:
    """The measurements of one page (``page`` relative to the book root) at a window width."""
    import html as html_lib

    done = run_chromium(
        "--virtual-time-budget=30000",
        "--hide-scrollbars",
        f"--window-size={max(width, 500) + 40},{height + 40}",
        "--dump-dom",
        f"{base}/__frame__.html?page={page}&width={width}&height={height}",
        timeout=180,
    )
    found = _RESULT.search(done.stdout)
    if not found:
        raise RuntimeError(
            f"{page} at {width} px: the page was not measured ({done.stderr[-300:]})"
        )
    return json.loads(html_lib.unescape(found.group(1)))


def problems(result: dict, strict_display: bool) -> list[str]:
    """What is wrong on a measured page: clipped math, tables that overflow without scrolling, boxes
    that scroll without the visible cue (yrd.js, yrd.css), a page wider than the window, and
    (``strict_display``) display formulas that need scrolling at all."""
    out = []
    if result["page"] > result["width"] + 1:
        out.append(f"the page is {result['page']} px wide in a {result['width']} px window")
    for m in result["math"]:
        what = (
            f"formula {m['eqno'] or m['id'] or m['text']!r} ({m['width']} px in {m['visible']} px)"
        )
        if m["state"] == "clipped":
            out.append(f"clipped {what}")
        elif strict_display and m["display"]:
            out.append(f"display {what} needs scrolling")
    for m in result["math"]:
        if m["state"] == "scrolls" and not m.get("cue"):
            out.append(f"formula {m['eqno'] or m['id']!r} scrolls without a visible cue")
    for t in result["tables"]:
        if t["state"] == "scrolls" and not t.get("cue"):
            out.append(f"table {t['id'] or t['text']!r} scrolls without a visible cue")
        if t["state"] == "clipped":
            out.append(
                f"table {t['id'] or t['text']!r} overflows ({t['width']} px in {t['visible']} px)"
            )
    return out


def main(argv: list[str] | None = None) -> int:
    from .browser import serve  # noqa: F401 (the plain server, for symmetry with make pdf)
    from .pdf import toc_pages

    parser = argparse.ArgumentParser(
        prog="python -m yrd_book.layout", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--width", type=int, action="append", help="window width(s), px")
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    widths = args.width or [400, 1400]
    bad = 0
    with serve_measured(args.html) as base:
        for width in widths:
            for _, page in toc_pages():
                result = measure(base, page, width)
                found = problems(result, strict_display=width >= 1000)
                scrolls = sum(m["state"] == "scrolls" for m in result["math"] + result["tables"])
                print(f"{width:5d} px  {page:40s} {len(found)} problems, {scrolls} scroll")
                for p in found:
                    print(f"        {p}")
                bad += len(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
