"""Parallel pre-execution fills the cache the book build reads; failures are left to the build."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

from yrd_book import execute

NB = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %%
{line}
"""


@pytest.mark.slow
def test_precompute_caches_good_notebooks_and_reports_bad_ones(tmp_path):
    from jupyter_cache import get_cache

    good = tmp_path / "good.py"
    good.write_text(NB.format(line="print(6 * 7)"), encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text(NB.format(line='raise ValueError("boom")'), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    status = execute.precompute(cache_dir, [good, bad], workers=2)
    assert status[str(good)] == "executed", status
    assert "boom" in status[str(bad)], status
    cache = get_cache(str(cache_dir))
    record = cache.match_cache_notebook(jupytext.read(good))  # what MyST-NB will look up
    bundle = cache.get_cache_bundle(record.pk)
    assert "42" in bundle.nb.cells[0].outputs[0]["text"], "the cached notebook holds its output"
    with pytest.raises(KeyError):
        cache.match_cache_notebook(jupytext.read(bad))
    again = execute.precompute(cache_dir, [good], workers=1)
    assert again[str(good)] == "cached", "a cached notebook is not executed again"


def test_toc_notebooks_are_the_py_chapters():
    paths = execute.toc_notebooks()
    assert paths and all(p.suffix == ".py" and p.exists() for p in paths)


def test_longest_first_uses_the_last_benchmark_then_source_size(tmp_path):
    report = tmp_path / "bench.csv"
    report.write_text(
        "measure,seconds,note\nexecute short,1.0,\nexecute long,9.0,\nexecute small_but_slow,5.0,\n",
        encoding="utf-8",
    )
    paths = []
    for name, size in (("short", 90_000), ("long", 10), ("small_but_slow", 10), ("new", 40_000)):
        p = tmp_path / f"{name}.py"
        p.write_text("x" * size, encoding="utf-8")
        paths.append(str(p))
    order = [Path(p).stem for p in execute.longest_first(paths, report)]
    # new: not benchmarked, 40 kB -> about 6 s
    assert order == ["long", "new", "small_but_slow", "short"]
    no_report = [Path(p).stem for p in execute.longest_first(paths, tmp_path / "none.csv")]
    assert no_report == ["short", "new", "long", "small_but_slow"], "by size alone"
