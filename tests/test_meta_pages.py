"""Pages about the book are generated from the book and agree with it: the course page's chapter
list, the glossary's links, the citation of the paper."""

from __future__ import annotations

import re

import pandas as pd
import yaml

from yrd import ROOT
from yrd_book import course

TERM = re.compile(r"\{term\}`([^`]+)`")


def _sources() -> dict[str, str]:
    """Every page source the book is built from, with the generated course notes."""
    files = sorted((ROOT / "notebooks").glob("*.py")) + sorted((ROOT / "book").glob("*.md"))
    files.append(ROOT / "book" / "course.yml")
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


def glossary_terms() -> list[str]:
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith(" ")]


def term_targets() -> dict[str, set[str]]:
    """{lower-cased glossary target: pages that link to it} over all sources but the glossary."""
    found: dict[str, set[str]] = {}
    for name, text in _sources().items():
        if name == "book/glossary.md":
            continue
        for ref in TERM.findall(text):
            target = ref.rsplit("<", 1)[1].rstrip(">") if ref.endswith(">") else ref
            found.setdefault(target.strip().lower(), set()).add(name)
    return found


def test_every_term_link_has_a_glossary_entry():
    entries = {t.lower() for t in glossary_terms()}
    missing = {t: sorted(p) for t, p in term_targets().items() if t not in entries}
    assert not missing, f"{{term}} links to terms the glossary does not define: {missing}"


def test_every_glossary_entry_is_linked_from_a_page():
    used = term_targets()
    unused = [t for t in glossary_terms() if t.lower() not in used]
    assert not unused, f"glossary entries no page links to: {unused}"


def test_glossary_covers_the_terms_of_art_of_issue_18():
    entries = " | ".join(glossary_terms())
    for term in [
        "HC1",
        "CR1",
        "xsmle",
        "Lee-Yu",
        "Delta method",
        "Rounding interval",
        "AEA status",
        "AEA Data Editor tags",
        "Absorbed fixed effects",
        "Wald F test",
        "LeSage-Pace simulated impacts",
        "Mean diagonal m(rho)",
        "Spectral normalisation of W",
        "EXPY",
    ]:
        assert term in entries, f"the glossary has no entry for {term}"


def test_course_chapter_list_is_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    taught = [
        c["file"] for p in toc["parts"] if p.get("caption") != "Appendix" for c in p["chapters"]
    ]
    assert [f for _, f in course.taught_chapters()] == taught
    table = course.chapter_table()
    for chapter in taught:
        assert f"{{doc}}`/{chapter}`" in table, f"{chapter} missing from the course page"
    assert "not described" not in table, "a TOC chapter has no entry in book/course.yml"
    notes = course.course_notes()
    assert set(notes) == set(taught), (
        f"book/course.yml describes non-chapters: {set(notes) - set(taught)}"
    )


def test_course_page_uses_the_generated_list_and_claims_nothing_typed():
    text = (ROOT / "book" / "course.md").read_text(encoding="utf-8")
    assert "```{course-chapters}" in text
    assert "as they are written" not in text and "{ref}`baseline`" not in text


def test_a_new_chapter_in_the_toc_appears_on_the_course_page(tmp_path):
    import shutil

    shutil.copytree(ROOT / "book", tmp_path / "book")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"][2]["chapters"].append({"file": "notebooks/new_chapter"})
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    table = course.chapter_table(tmp_path)
    assert "{doc}`/notebooks/new_chapter` | (not described in book/course.yml)" in table


def test_the_paper_is_cited_with_its_journal_page():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entry = bib.split("@misc{yrd_paper,", 1)[1].split("\n}", 1)[0]
    assert "hanspub.org/journal/paperinformation?paperid=121740" in entry
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    refs = cff.get("references", [])
    assert any("paperid=121740" in r.get("url", "") for r in refs), "CITATION.cff names the paper"
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert "paperid=121740" in intro and "Licences" in intro


def test_intro_road_map_is_generated_not_typed():
    text = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert "```{road-map}" in text
    assert "| written |" not in text and "| Status |" not in text, "the road map is typed again"


def test_road_map_lists_every_toc_chapter_with_its_status():
    from yrd_book import roadmap

    rows = roadmap.chapter_rows()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c["file"] for p in toc["parts"] for c in p["chapters"]]
    assert list(rows["chapter"]) == chapters
    assert rows["status"].str.startswith("written").all()
    table = roadmap.road_map()
    for chapter in chapters:
        assert f"{{doc}}`/{chapter}`" in table


def test_road_map_status_agrees_with_the_fidelity_report():
    """Each reproducing chapter's status carries the fidelity counts, recomputed here from the CSV."""
    from yrd_book import bookmap, roadmap
    from yrd_twin.fidelity import SE_CHOICE, targets

    rep = pd.read_csv(ROOT / "reports" / "fidelity.csv", dtype={"table": str})
    fitted = targets(rep, SE_CHOICE)
    rows = roadmap.chapter_rows().set_index("chapter")
    for r in bookmap.table_map().itertuples():
        if not r.reproduced_label:
            continue
        status = rows.loc[r.reproduced_in, "status"]
        mine = fitted[fitted["table"] == str(r.table)]
        cells = mine[~mine["statistic"].str.startswith("t:")]
        if len(mine):
            ok = cells["match"].astype(str).str.lower().eq("true").sum()
            assert f"Table {r.table}: {ok}/{len(cells)} cells" in status, status
        else:
            assert f"Table {r.table}: not fitted" in status, status
    twin = rows.loc["notebooks/twin", "status"]
    done = sorted({int(t) for t in fitted["table"] if str(t).isdigit()})
    assert f"fitted to Tables 2-{done[-1]}" in twin, twin
    rest = [t for t in range(2, 10) if t not in done]
    if rest:
        said = f"Table {rest[0]}" if len(rest) == 1 else f"Tables {rest[0]}-{rest[-1]}"
        assert f"{said} not fitted" in twin, twin


def test_a_chapter_named_in_the_toc_but_not_written_is_planned(tmp_path):
    import shutil

    from yrd_book import roadmap

    for name in ("book", "notebooks", "reports", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"][2]["chapters"].append({"file": "notebooks/not_yet"})
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    rows = roadmap.chapter_rows(tmp_path).set_index("chapter")
    assert rows.loc["notebooks/not_yet", "status"] == "planned"
