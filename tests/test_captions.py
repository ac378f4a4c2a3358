"""Every figure drawn from the panel (the synthetic twin, by default) says "(twin)" in its caption."""

from __future__ import annotations

import pytest

from yrd import ROOT
from yrd_book import captions

CHAPTERS = sorted((ROOT / "notebooks").glob("*.py"))
#: Chapters rewritten elsewhere: their figures get "(twin)" there (remove a name once it holds).


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_figures_from_the_twin_say_so(path):
    assert not captions.problems(path)


def test_the_check_sees_data_flow_through_names(tmp_path):
    src = tmp_path / "x.py"
    src.write_text(
        "# %% [markdown]\n# (x)=\n# # X\n\n"
        "# %%\nfrom yrd.data import panel\ndf = panel.load_panel()\nm = df.mean()\n\n"
        '# %% mystnb={"figure": {"caption": "Means.", "name": "fig-a"}}\n'
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot(m)\nplt.show()\n\n"
        '# %% mystnb={"figure": {"caption": "A line (twin).", "name": "fig-b"}}\n'
        "fig, ax = plt.subplots()\nax.plot([1, 2])\nplt.show()\n",
        encoding="utf-8",
    )
    found = {f.name: f for f in captions.figures(src)}
    assert found["fig-a"].from_panel and not found["fig-a"].labelled
    assert not found["fig-b"].from_panel and found["fig-b"].labelled
    assert len(captions.problems(src)) == 2


def test_a_module_never_carries_the_panel(tmp_path):
    """``plt.hist(df)`` feeds the panel to a module's function: later figures drawn with ``plt``
    from published numbers only are not "from the panel"."""
    src = tmp_path / "x.py"
    src.write_text(
        "# %%\nimport matplotlib.pyplot as plt\nfrom yrd.data import panel\n"
        "df = panel.load_panel()\n\n"
        '# %% mystnb={"figure": {"caption": "Histogram (twin).", "name": "fig-a"}}\n'
        "plt.hist(df['quality'])\nplt.show()\n\n"
        '# %% mystnb={"figure": {"caption": "Printed slopes.", "name": "fig-b"}}\n'
        "fig, ax = plt.subplots()\nax.plot([0.1, 0.2])\nplt.show()\n",
        encoding="utf-8",
    )
    found = {f.name: f for f in captions.figures(src)}
    assert found["fig-a"].from_panel and not found["fig-b"].from_panel
    assert not captions.problems(src)


def test_caption_for_real_data():
    assert captions.caption_for_data("Map (twin).", "twin") == "Map (twin)."
    assert captions.caption_for_data("Map (twin).", "raw") == "Map (real panel)."
    assert captions.caption_for_data("Map (twin).", "/x/my.csv") == "Map (panel: my.csv)."
