"""The table-to-chapter map of the reproducibility appendix is read from the chapters."""

from __future__ import annotations

from yrd_book import bookmap


def test_every_table_of_the_paper_is_mapped_to_existing_labels():
    m = bookmap.table_map().set_index("table")
    assert list(m.index) == list(range(1, 10))
    for n in range(2, 10):
        assert m.loc[n, "published_label"] == f"tbl-published-{n}"
        assert m.loc[n, "reproduced_label"] == f"tbl-repro-{n}", f"Table {n} is not reproduced"
        assert m.loc[n, "reproduced_in"] in bookmap.chapters()
    md = bookmap.table_map_markdown(bookmap.table_map())
    assert "planned" not in md and md.count("{numref}`tbl-repro-") == 8


def test_a_chapter_without_the_label_drops_out_of_the_map(tmp_path):
    """The map follows the chapters: a label that disappears is no longer claimed."""
    import shutil

    from yrd import ROOT

    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "book").mkdir()
    shutil.copytree(
        ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb")
    )
    text = (tmp_path / "notebooks" / "baseline.py").read_text(encoding="utf-8")
    (tmp_path / "notebooks" / "baseline.py").write_text(
        text.replace('"tbl-repro-4"', '"tbl-something-else"'), encoding="utf-8"
    )
    m = bookmap.table_map(tmp_path).set_index("table")
    assert m.loc[4, "reproduced_label"] == "" and m.loc[5, "reproduced_label"] == "tbl-repro-5"
    assert "| 4 | Correlation analysis table | {numref}`tbl-published-4` | not reproduced |" in (
        bookmap.table_map_markdown(m.reset_index())
    )
