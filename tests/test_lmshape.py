"""Table 8's LM statistics as twin targets: values as the book computes them, exact gradients."""

from __future__ import annotations

import numpy as np
import pytest

from yrd.data.cities import city_frame
from yrd.data.geo import load_inverse_distance
from yrd.econ.spatial import lm_tests
from yrd_twin.lmshape import REGRESSORS, LMTargets
from yrd_twin.targets import IDX, N_CITY, N_YEAR, VARS, N, panel_frame


@pytest.fixture(scope="module")
def setup():
    rng = np.random.default_rng(11)
    W = load_inverse_distance().to_numpy()
    We = np.abs(rng.standard_normal((N_CITY, N_CITY)))
    np.fill_diagonal(We, 0)
    We /= We.sum(axis=1, keepdims=True)
    X = rng.standard_normal((N, len(VARS))) + np.repeat(rng.standard_normal((N_CITY, 12)), 10, 0)
    Xc = X.reshape(N_CITY, N_YEAR, -1)
    X[:, IDX["quality"]] += (W @ Xc[:, :, IDX["inno"]]).ravel() + X[:, IDX["inno"]]
    return LMTargets({"inverse_distance": W, "economic": We}), X


def test_values_are_the_books_lm_tests(setup):
    lt, X = setup
    df = panel_frame(X)
    got = lt.values(X)
    for k, (w, stat, _) in enumerate(lt.cells):
        ref = lm_tests(df, "quality", list(REGRESSORS), lt.weights[w], "city_code", "year")
        assert got[k] == pytest.approx(float(ref.loc[stat, "statistic"]), rel=1e-9), (w, stat)


def test_gradient_is_exact_along_gram_preserving_directions(setup):
    """X -> (I + eps K) X with K skew and K 1 = 0 keeps X'X and the means to first order: the
    directions the twin's rotations move along."""
    lt, X = setup
    rng = np.random.default_rng(3)
    P = np.eye(N) - 1.0 / N
    S = rng.standard_normal((N, N))
    K = P @ (S - S.T) @ P
    K /= np.linalg.norm(K @ X)  # a unit move of the panel
    dX = K @ X
    _, G = lt.residuals(X)
    eps = 1e-5

    def rotated(h):  # orthogonal, keeps the constant: the Cayley transform of h K
        return np.linalg.solve(np.eye(N) - h / 2 * K, np.eye(N) + h / 2 * K) @ X

    rp, _ = lt.residuals(rotated(eps))
    rm, _ = lt.residuals(rotated(-eps))
    lin = np.array([np.sum(g * dX) for g in G])
    np.testing.assert_allclose((rp - rm) / (2 * eps), lin, rtol=1e-6, atol=1e-6)
    # and it is not a constant-beta artefact: a move that changes X'X is not matched
    r0, _ = lt.residuals(X)
    D = rng.standard_normal(X.shape) * 1e-5
    rd, _ = lt.residuals(X + D)
    assert not np.allclose(rd - r0, [np.sum(g * D) for g in G], rtol=1e-3, atol=0)


def test_table8_pins_the_residual_and_regressor_parts():
    """Three statistics per W give x, y, j; the fourth then follows (it does, within rounding)."""
    from yrd_twin.lmshape import implied_by_published

    imp = implied_by_published()
    assert set(imp["weights"]) == {"inverse_distance", "economic"}
    np.testing.assert_allclose(imp["robust_lm_error_implied"], imp["robust_lm_error"], atol=0.01)
    inv = imp[imp["weights"] == "inverse_distance"]
    assert np.allclose(inv["x"], 12.0, atol=1e-3) and inv["j"].min() > 100  # J >> T T_W
    eco = imp[imp["weights"] == "economic"]
    assert eco["j"].min() < 2  # W yhat almost all explained by the regressors (one root)


def test_parts_of_a_panel_reproduce_its_lm_statistics(setup):
    lt, X = setup
    df = panel_frame(X)
    from yrd_twin.lmshape import parts_of

    parts = parts_of(df.sample(frac=1, random_state=0), lt.weights).set_index("weights")
    vals = dict(zip([(w, s) for w, s, _ in lt.cells], lt.values(X), strict=True))
    for w, r in parts.iterrows():
        assert r["x"] ** 2 == pytest.approx(vals[(w, "lm_error")], rel=1e-9)
        assert r["y"] ** 2 / r["j"] == pytest.approx(vals[(w, "lm_lag")], rel=1e-9)
        assert (r["y"] - r["x"]) ** 2 / (r["j"] - 1) == pytest.approx(
            vals[(w, "robust_lm_lag")], rel=1e-9
        )


def test_cells_are_the_books_table8_on_the_committed_twin():
    """The polish's Table 8 cells (printed units) read the book's own Table 8 of the twin."""
    from yrd.data import published
    from yrd.data.panel import load_panel
    from yrd.paper import spatial_results
    from yrd_twin.lmshape import LM_UNIT, LMCells

    pub = published.load()
    twin = load_panel("twin").sort_values(["city_code", "year"])
    ws = spatial_results.weights_for(twin)
    book = spatial_results.table8(twin, ws, pub.stars_levels(8)).set_index(
        ["column", "panel", "row"]
    )
    lc = LMCells({k: w.sort_index().sort_index(axis=1).to_numpy() for k, w in ws.items()})
    X = twin[list(VARS)].to_numpy(float)
    r, _ = lc.residuals(X)
    for k, (_, col, pr, _) in enumerate(lc.labels):
        want = float(book.loc[(col, *pr.split("|")), "value"])
        # the book solves by least squares, lmshape by the inverse Gram of the twin's nearly
        # collinear regressors: up to 1e-6 relative apart (4e-5 at 277; printed precision: 5e-4)
        assert lc.values(X)[k] == pytest.approx(want, rel=1e-6)
        # the residual is that value's distance to the published one, in printed units
        assert r[k] * LM_UNIT == pytest.approx(lc.values(X)[k] - lc.published[k], abs=1e-9)
    assert len(lc.labels) == 8 and len(set(lc.labels)) == 8


def _rotation_check(obj, X, rel=1e-6):
    """obj.residuals' gradients against central differences along an exact rotation."""
    rng = np.random.default_rng(5)
    P = np.eye(N) - 1.0 / N
    S = rng.standard_normal((N, N))
    K = P @ (S - S.T) @ P
    K /= np.linalg.norm(K @ X)
    _, G = obj.residuals(X)
    eps = 1e-5

    def rotated(h):
        return np.linalg.solve(np.eye(N) - h / 2 * K, np.eye(N) + h / 2 * K) @ X

    fd = (obj.residuals(rotated(eps))[0] - obj.residuals(rotated(-eps))[0]) / (2 * eps)
    lin = np.array([np.sum(g * (K @ X)) for g in G])
    np.testing.assert_allclose(fd, lin, rtol=rel, atol=rel * np.abs(lin).max())


def test_cells_subsets_and_units(setup):
    from yrd_twin.lmshape import LM_UNIT, LMCells

    lt, X = setup
    all8 = lt.values(X)
    lc = LMCells(lt.weights, columns=["economic"], stats=["lm_error", "lm_lag"])
    assert [lab[1:3] for lab in lc.labels] == [
        ("economic", "spatial_error|lm"),
        ("economic", "spatial_lag|lm"),
    ]
    keep = [
        k for k, (w, s, _) in enumerate(lt.cells) if w == "economic" and s in ("lm_error", "lm_lag")
    ]
    np.testing.assert_allclose(lc.values(X), all8[keep], rtol=1e-12)
    r, _ = lc.residuals(X)
    np.testing.assert_allclose(r, (all8[keep] - lc.published) / LM_UNIT, rtol=1e-9)
    _rotation_check(lc, X)
    _rotation_check(LMCells(lt.weights, log=True), X)


def test_parts_targets_values_and_gradients(setup):
    from yrd_twin.lmshape import LMParts, parts_of

    lt, X = setup
    goal = {"inverse_distance": {"x": 1.0, "y": 2.0, "j": 3.0}, "economic": {"j": 1.5}}
    lp = LMParts(lt.weights, goal)
    df = panel_frame(X)
    ref = parts_of(df, lt.weights).set_index("weights")
    want = [ref.loc[w, k] for w, d in goal.items() for k in d]
    np.testing.assert_allclose(lp.values(X), want, rtol=1e-10)
    _rotation_check(lp, X)


def test_j_ceiling_bounds_every_panel_and_excludes_published_inverse_distance(setup):
    """No panel with Table 4's R-squared (column 4, 0.909 printed) reaches the j that Table 8
    implies under inverse distance (131 or 1979): the ceiling is about 48."""
    from yrd.data import published
    from yrd_twin.lmshape import implied_by_published, j_ceiling

    lt, X = setup
    rng = np.random.default_rng(2)
    for k in range(3):
        Xk = X.copy()
        Xk[:, IDX["quality"]] += rng.standard_normal(N) * (k + 1)  # several R-squared
        for w, W in lt.weights.items():
            p = lt._parts(Xk, W)
            yhat = p["Z"] @ p["b"]
            r2 = 1 - p["e"] @ p["e"] / np.sum((p["y"] - p["y"].mean()) ** 2)
            assert np.allclose(yhat + p["e"], p["y"])
            assert p["J"] / p["tw"] <= j_ceiling(W, r2) + 1e-9, (w, k)
    pub = published.load()
    r2 = pub.value(4, "r2", "4", "value") + 0.0005  # the top of its rounding box
    W = load_inverse_distance().to_numpy()
    inv = implied_by_published().query("weights == 'inverse_distance'")
    assert j_ceiling(W, r2) < 50 < inv["j"].min()


def test_generate_economic_weights_are_the_books():
    """The build's economic weights (from the real gdp) are the book's for the twin."""
    from yrd.data.panel import load_panel
    from yrd.paper import spatial_results
    from yrd_twin.generate import economic_weights

    twin = load_panel("twin").sort_values(["city_code", "year"])
    codes = city_frame()["city_code"].to_numpy()
    book = spatial_results.weights_for(twin)["economic"].loc[codes, codes].to_numpy()
    np.testing.assert_allclose(economic_weights(twin["gdp"].to_numpy(float)), book, rtol=1e-12)


def _small_realisation():
    """A realisation of random data with gdp, wage, stru anchored (as tests/test_twin_polish.py)."""
    from yrd_twin.moments import CITY_SCALE, YEAR_SCALE, Design, decompose
    from yrd_twin.realise import Realisation, city_setup, within_basis, within_setup, year_part

    rng = np.random.default_rng(11)
    Z = rng.standard_normal((N, 12)) + np.repeat(rng.standard_normal((N_CITY, 12)), N_YEAR, 0)
    Z[:, IDX["quality"]] += Z[:, 1:11] @ rng.uniform(-0.3, 0.3, 10)
    zeta, c, g, e = decompose(Z)
    A, Bf, E = c.T @ c / CITY_SCALE, g.T @ g, e.T @ e / (N - 1)
    gix = np.array([IDX[v] for v in ("inno", "gdp", "wage", "human", "stru")])
    tau = np.zeros(12)
    mean = np.abs(Z).max(axis=0) + 1.0
    d = Design(
        mean, 0.5 + np.arange(12) / 12, zeta, A, Bf / YEAR_SCALE, E, c[0], g[0], tau, tau, g[:, gix]
    )
    d.gix, d.fixed = gix, np.array([IDX["gdp"], IDX["wage"], IDX["stru"]])
    d.Fz = Z[:, d.fixed]
    Bc, Lc, Oc = city_setup(d)
    Le, Oe, (Bs,) = within_setup(d, [within_basis(N_YEAR - 1)])
    Rc = np.linalg.qr(rng.standard_normal((Bc.shape[1], Lc.shape[1])))[0]
    R = np.linalg.qr(rng.standard_normal((Bs.shape[1], Le.shape[1])))[0]
    return Realisation(d, Lc, Bc, Rc, year_part(d), Le, Bs, R, Oc, Oe)


def test_rotation_bounds_hold_for_every_rotation(setup):
    from yrd_twin.lmshape import rotation_bounds

    lt, _ = setup
    real = _small_realisation()
    b0 = rotation_bounds(real, lt.weights).set_index("weights")
    rng = np.random.default_rng(4)
    for _ in range(5):
        real.Rc = np.linalg.qr(rng.standard_normal(real.Rc.shape))[0]
        real.R = np.linalg.qr(rng.standard_normal(real.R.shape))[0]
        b = rotation_bounds(real, lt.weights).set_index("weights")
        # the bounds are the same at every rotation, and hold there
        np.testing.assert_allclose(
            b.drop(columns=["x", "y_minus_x"]),
            b0.drop(columns=["x", "y_minus_x"]),
            rtol=1e-8,
            atol=1e-8,
        )
        assert (b["x_lo"] <= b["x"]).all() and (b["x"] <= b["x_hi"]).all()
        assert (b["ymx_lo"] <= b["y_minus_x"]).all() and (b["y_minus_x"] <= b["ymx_hi"]).all()
