"""yrd_book.outputs: a cell whose output changed is found; run-specific text is not a change."""

from yrd_book.outputs import cell_outputs, compare


def _cell(text, png="iVBOR"):
    return {
        "cell_type": "code",
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": text},
            {"output_type": "display_data", "data": {"image/png": png, "text/plain": "<Figure>"}},
        ],
    }


def test_changed_numbers_and_images_are_found_timings_are_not():
    a = {"ch": [cell_outputs(_cell("beta 0.023 in 1.2 s"))]}
    same = {"ch": [cell_outputs(_cell("beta 0.023 in 3.4 s"))]}
    assert compare(a, same) == [], "wall-clock seconds differ between any two runs"
    number = {"ch": [cell_outputs(_cell("beta 0.024 in 1.2 s"))]}
    image = {"ch": [cell_outputs(_cell("beta 0.023 in 1.2 s", png="other"))]}
    assert len(compare(a, number)) == 1 and "0.024" in compare(a, number)[0]
    assert len(compare(a, image)) == 1
    assert compare(a, {}) == ["ch: only in before"]
    assert "1 code cells before, 2 after" in compare(a, {"ch": a["ch"] * 2})[0]
