"""Table 9 as polish targets (yrd_twin.spcells): values and gradients against the book's own Table 9."""

import numpy as np
import pytest

from yrd.data import published
from yrd.data.panel import load_panel
from yrd.econ.spatial import fit_panel
from yrd.paper import spatial_results as sr
from yrd_twin.spcells import (
    COLS,
    SpatialTargets,
    _wmul,
    all_cells,
    coefficient_cells,
    default_cells,
    sem_t_of_lambda,
)
from yrd_twin.targets import VARS


@pytest.fixture(scope="module")
def setup():
    pub = published.load()
    df = load_panel("twin").sort_values(["city_code", "year"]).reset_index(drop=True)
    ws = sr.weights_for(df)
    X = df[list(VARS)].to_numpy(float)
    st = SpatialTargets({k: v.to_numpy() for k, v in ws.items()}, pub, cells=all_cells())
    return pub, df, ws, X, st


def book(pub, df, ws, X):
    """The book's Table 9 of panel ``X`` (weights held at ``ws``), keyed like the targets."""
    d = df.copy()
    for j, v in enumerate(VARS):
        d[v] = X[:, j]
    fits = {
        (n, m.upper()): fit_panel(
            d,
            "quality",
            list(sr.X),
            w.to_numpy(),
            "city_code",
            "year",
            model=m,
            effects="twoways",
            lag="elhorst",
            xtol=1e-14,
        )  # fmt: skip
        for n, w in ws.items()
        for m in ("sem", "sar")
    }
    t = sr.table9(d, fits, pub.stars_levels(9))
    return {(r.panel, r.column, r.row, r.statistic): r.value for r in t.itertuples()}


def perturbed(X, seed):
    rng = np.random.default_rng(seed)
    Y = X.copy()
    Y[:, COLS] += 0.05 * rng.standard_normal((len(X), len(COLS))) * X[:, COLS].std(axis=0)
    return Y


@pytest.mark.parametrize("which", ["twin", "perturbed"])
def test_values_are_the_books_table9(setup, which):
    pub, df, ws, X, st = setup
    X = X if which == "twin" else perturbed(X, 1)
    mine, theirs = st.values(X), book(pub, df, ws, X)
    for cell in all_cells():
        # the book's bounded Brent locates rho to about 1e-8 (function values near the optimum)
        assert mine[cell] == pytest.approx(theirs[cell], rel=1e-6, abs=1e-8), cell


def test_residuals_in_printed_units(setup):
    pub, df, ws, X, st = setup
    r, G = st.residuals(X)
    vals = st.values(X)
    assert len(r) == len(G) == len(st.labels) == len(all_cells())
    for k, cell in enumerate(st.cells):
        assert r[k] == pytest.approx((vals[cell] - st.target[k]) / st.unit[k], rel=1e-9, abs=1e-9)
        assert G[k].shape == X.shape
    assert st.labels[0][0] == 9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_the_books_table9(setup, seed):
    """Directional derivatives against five-point differences of the book's Table 9.

    Directions mix the data with their spatial lags (they move rho and lambda: the book's Brent
    leaves about 1e-8 of noise in them, which a direction moving them by 1e-3 keeps at 1e-5
    relative) plus noise. Per model the largest error is within 1e-3 of the largest derivative
    (measured: 2e-4 at most; the cells' own derivatives agree to 1e-7).
    """
    pub, df, ws, X, st = setup
    X = perturbed(X, 10 + seed) if seed == 2 else X
    r, G = st.residuals(X)
    rng = np.random.default_rng(seed)
    R = X[:, COLS]
    sd = R.std(axis=0)
    mix = 0.3 * rng.standard_normal(R.shape)
    for w in ws.values():
        mix = mix + _wmul(w.to_numpy(), R / sd) @ rng.standard_normal((11, 11))
    D = np.zeros_like(X)
    D[:, COLS] = mix * sd / 3
    g = np.array([np.sum(gi * D) for gi in G])
    eps = 1e-3
    f = {s: book(pub, df, ws, X + s * eps * D) for s in (-2, -1, 1, 2)}
    fd = (
        np.array([(8 * (f[1][c] - f[-1][c]) - (f[2][c] - f[-2][c])) / (12 * eps) for c in st.cells])
        / st.unit
    )
    for w in ("inverse_distance", "economic"):
        for m in ("SEM", "SAR"):
            k = [i for i, c in enumerate(st.cells) if c[:2] == (w, m)]
            scale = np.abs(fd[k]).max()
            assert np.abs(g[k] - fd[k]).max() <= 1e-3 * scale, (w, m, g[k], fd[k])


def test_sem_t_depend_on_lambda_alone(setup):
    pub, df, ws, X, st = setup
    vals = st.values(X)
    for w in ("inverse_distance", "economic"):
        lam = vals[(w, "SEM", "rho", "coef")]
        t_lam, t_s2 = sem_t_of_lambda(ws[w].to_numpy(), lam)
        assert t_lam == pytest.approx(vals[(w, "SEM", "rho", "t")], rel=1e-9)
        assert t_s2 == pytest.approx(vals[(w, "SEM", "sigma2", "t")], rel=1e-9)


def test_default_cells_leave_out_the_impossible():
    cells = default_cells()
    assert ("inverse_distance", "SAR", "direct", "coef") not in cells
    assert ("economic", "SAR", "direct", "coef") in cells
    assert ("economic", "SAR", "total", "t") in cells
    assert ("economic", "SEM", "rho", "t") not in cells
    assert ("economic", "SAR", "inno", "t") not in cells
    assert len(cells) == 23
    assert len(coefficient_cells()) == 12 and set(coefficient_cells()) <= set(cells)


def test_sar_inno_t_bound(setup):
    """The SAR inno t is at most beta / sqrt(sigma2 [(X'X)^-1]_inno) (the bound that rules it out)."""
    pub, df, ws, X, st = setup
    from yrd_twin.spcells import _within

    A = _within(X[:, COLS])
    m = np.linalg.inv(A[:, 1:].T @ A[:, 1:])[0, 0]
    vals = st.values(X)
    for w in ("inverse_distance", "economic"):
        b, s2 = vals[(w, "SAR", "inno", "coef")], vals[(w, "SAR", "sigma2", "coef")]
        assert abs(vals[(w, "SAR", "inno", "t")]) <= abs(b) / np.sqrt(s2 * m) + 1e-12
