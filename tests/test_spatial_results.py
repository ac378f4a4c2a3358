"""Tables 7-9 recomputed: keys line up with the published cells; effects algebra holds."""

from __future__ import annotations

import pytest

from yrd.data import published
from yrd.paper import spatial_results


@pytest.fixture(scope="module")
def pub():
    return published.load()


@pytest.fixture(scope="module")
def spatial(random_panel, pub):
    ws = spatial_results.weights_for(random_panel)
    fits = spatial_results.fit_table9(random_panel, ws)
    return ws, fits


def test_weights_are_row_standardised_41x41(spatial):
    ws, _ = spatial
    for name, w in ws.items():
        assert w.shape == (41, 41), name
        assert abs(w.sum(axis=1) - 1).max() < 1e-9, f"{name} rows do not sum to one"


def test_table7_keys(pub, random_panel, spatial):
    ws, _ = spatial
    cells, full = spatial_results.table7(random_panel, ws, pub.stars_levels(7), permutations=0)
    cmp = spatial_results.reproduce(pub, 7, cells)
    assert (cmp["status"] != "Not reproduced").all()
    assert set(full) == {"inverse_distance", "economic"}


def test_table8_keys_and_identity(pub, random_panel, spatial):
    ws, _ = spatial
    cells = spatial_results.table8(random_panel, ws, pub.stars_levels(8))
    cmp = spatial_results.reproduce(pub, 8, cells)
    assert (cmp["status"] != "Not reproduced").all()
    v = cells.set_index(["panel", "column", "row"])["value"]
    for w in ("inverse_distance", "economic"):
        lhs = v[("spatial_lag", w, "lm")] + v[("spatial_error", w, "robust_lm")]
        rhs = v[("spatial_error", w, "lm")] + v[("spatial_lag", w, "robust_lm")]
        assert lhs == pytest.approx(rhs, rel=1e-9), f"{w}: LM identity (Anselin et al. 1996)"


def test_table9_keys_and_total_effect(pub, random_panel, spatial):
    _, fits = spatial
    cells = spatial_results.table9(random_panel, fits, pub.stars_levels(9))
    cmp = spatial_results.reproduce(pub, 9, cells)
    assert (cmp["status"] != "Not reproduced").all(), cmp[cmp["status"] == "Not reproduced"]
    c = cells.set_index(["panel", "column", "row", "statistic"])["value"]
    for w in ("inverse_distance", "economic"):
        beta, rho = c[(w, "SAR", "inno", "coef")], c[(w, "SAR", "rho", "coef")]
        assert c[(w, "SAR", "total", "coef")] == pytest.approx(beta / (1 - rho), rel=1e-8)


def test_reproduce_rejects_other_tables(pub, random_panel):
    with pytest.raises(ValueError, match="spatial tables are 7-9"):
        spatial_results.reproduce(pub, 4, random_panel.head())


def test_table8_by_scaling(pub, random_panel, spatial):
    import numpy as np

    from yrd.econ.spatial import lm_tests

    ws, _ = spatial
    table = spatial_results.table8_by_scaling(random_panel, pub)
    assert table.shape == (4, 6)
    cells = spatial_results.table8(random_panel, ws, pub.stars_levels(8))
    book = cells.set_index(["panel", "column", "row"])["value"]
    published_cells = pub.table(8).set_index(["panel", "column", "row"])["value"]
    for (pnl, row), values in table.iterrows():
        for name in spatial_results.WEIGHTS:
            assert values[(name, "row-standardised")] == pytest.approx(book[(pnl, name, row)])
            assert values[(name, "published")] == published_cells[(pnl, name, row)]
    raw = spatial_results.unstandardised_weights(random_panel)
    for name, w in raw.items():
        rows = w.to_numpy().sum(axis=1)
        assert rows.max() - rows.min() > 1e-3, f"{name}: not row-standardised"
        assert abs(np.linalg.eigvals(w.to_numpy())).max() == pytest.approx(1.0)
        # the LM statistics ignore a common scale factor, so 'unstandardised' is well defined
        args = (random_panel, "quality", list(spatial_results.X))
        once = lm_tests(*args, w.to_numpy(), "city_code", "year")["statistic"]
        thrice = lm_tests(*args, 3.0 * w.to_numpy(), "city_code", "year")["statistic"]
        np.testing.assert_allclose(thrice.to_numpy(), once.to_numpy(), rtol=1e-9)
        col = table[(name, "unstandardised")]
        np.testing.assert_allclose(
            col.to_numpy(), once.loc[list(spatial_results.LM_ROWS.values())].to_numpy()
        )
