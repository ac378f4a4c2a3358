"""The twin's final polish (yrd_twin.polish): gradients, tangent chart and step, checked numerically.

The polish solves every cell the rotations move (HC1 t and F of Tables 4-6, Table 5, Table 7) by
Newton steps, so every derivative it uses is compared here with finite differences: the Wald F
of :func:`yrd_twin.tshape._reg_grads` in the raw panel, and the chart's panel moves, plan rows and
gradient mapping along retractions of both rotations of a realisation built from random data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrd.data.geo import load_inverse_distance
from yrd.econ.regress import fit_column
from yrd_twin.moments import CITY_SCALE, YEAR_SCALE, Design, decompose
from yrd_twin.polish import PolishTargets, _BoxStep, _Chart
from yrd_twin.realise import Realisation, city_setup, within_basis, within_setup, year_part
from yrd_twin.targets import IDX, N_CITY, N_YEAR, VARS, N
from yrd_twin.tshape import TailPlan, _cvalues, _dummies, _reg_grads, lag1_values

FIX = np.array([IDX["gdp"], IDX["wage"], IDX["stru"]])


def _design_from(Z: np.ndarray) -> Design:
    """The exact design of a standardized 410 x 12 panel, its gdp, wage, stru anchored."""
    zeta, c, g, e = decompose(Z)
    A, Bf, E = c.T @ c / CITY_SCALE, g.T @ g, e.T @ e / (N - 1)
    gix = np.array([IDX[v] for v in ("inno", "gdp", "wage", "human", "stru")])
    tau = np.zeros(Z.shape[1])
    mean = np.abs(Z).max(axis=0) + 1.0  # positive raw values, as the twin's
    d = Design(
        mean, 0.5 + np.arange(12) / 12, zeta, A, Bf / YEAR_SCALE, E, c[0], g[0], tau, tau, g[:, gix]
    )
    d.gix, d.fixed, d.Fz = gix, FIX, Z[:, FIX]
    return d


@pytest.fixture(scope="module")
def real() -> Realisation:
    rng = np.random.default_rng(11)
    Z = rng.standard_normal((N, 12)) + np.repeat(rng.standard_normal((N_CITY, 12)), N_YEAR, 0)
    Z[:, IDX["quality"]] += Z[:, 1:11] @ rng.uniform(-0.3, 0.3, 10)
    Z[:, IDX["tcf"]] += Z[:, IDX["quality"]]
    d = _design_from(Z)
    Bc, Lc, Oc = city_setup(d)
    Le, Oe, (Bs,) = within_setup(d, [within_basis(N_YEAR - 1)])
    Rc = np.linalg.qr(rng.standard_normal((Bc.shape[1], Lc.shape[1])))[0]
    R = np.linalg.qr(rng.standard_normal((Bs.shape[1], Le.shape[1])))[0]
    return Realisation(d, Lc, Bc, Rc, year_part(d), Le, Bs, R, Oc, Oe)


def _random_panel(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, 12)) + np.repeat(rng.standard_normal((N_CITY, 12)), N_YEAR, 0)
    X[:, 0] += X[:, 1:5].sum(axis=1)
    return X


@pytest.mark.parametrize("effects", ["none", "year", "both"])
def test_wald_f_gradient_matches_finite_differences(effects):
    X = _random_panel()
    Dc, Dy = _dummies()
    one = np.ones((N, 1))
    D = {"none": one, "year": np.hstack([one, Dy]), "both": np.hstack([one, Dc, Dy])}[effects]
    want = [("F", 0), ("t", 0), ("t", 5), ("coef", 2)]
    xi = [1, 2, 3, 4, 5]
    _, G = _reg_grads(X, 0, xi, D, want)
    dX = np.random.default_rng(1).standard_normal(X.shape)
    h = 1e-6
    fd = (_reg_grads(X + h * dX, 0, xi, D, want)[0] - _reg_grads(X - h * dX, 0, xi, D, want)[0]) / (
        2 * h
    )
    an = np.array([np.sum(g * dX) for g in G])
    np.testing.assert_allclose(an, fd, rtol=1e-6)


@pytest.mark.parametrize("column", ["1", "2", "4", "5"])
def test_wald_f_is_the_books_f_wald_all(column):
    """The F the polish fits is the one the book prints: FEResult.f_wald_all under HC1."""
    from yrd_twin.targets import FE, regressors

    X = _random_panel(3)
    df = pd.DataFrame(X, columns=list(VARS))
    df.insert(0, "city_code", np.repeat(np.arange(N_CITY) + 100, N_YEAR))
    df.insert(1, "year", np.tile(np.arange(2011, 2011 + N_YEAR), N_CITY))
    Dc, Dy = _dummies()
    city, year = FE[column]
    D = np.hstack([np.ones((N, 1))] + ([Dc] if city else []) + ([Dy] if year else []))
    xi = [IDX[v] for v in regressors(column)]
    (f,), _ = _reg_grads(X, IDX["quality"], xi, D, [("F", 0)])
    assert f == pytest.approx(fit_column(df, column, cov="hc1").f_wald_all, rel=1e-8)


@pytest.mark.parametrize("city", [False, True])
def test_chart_moves_rows_and_gradients_match_finite_differences(real, city):
    """Along a retraction of the within (and city) rotation: the first-order panel move, the
    plan's constraint rows and the tangent image of a raw gradient are the derivatives."""
    R0, Rc0 = real.R, real.Rc
    ch = _Chart(real, city)
    rng = np.random.default_rng(5)
    n = ch.nw + (len(ch.iuc[0]) + ch.Rcp.shape[1] * real.Rc.shape[1] if city else 0)
    delta = rng.standard_normal(n)
    delta /= np.linalg.norm(delta)
    sd, mean = real.d.scale_sd, real.d.scale_mean
    Z0 = (real.panel() - mean) / sd
    plan = TailPlan.from_panel(real.panel(), skip=FIX)
    zb = (Z0[:, :11].min(axis=0), Z0[:, :11].max(axis=0), np.median(Z0[:, :11], axis=0))
    C = plan.constraints(Z0, zb)
    sel = np.zeros(len(C[0]), bool)
    sel[rng.choice(len(sel), 200, replace=False)] = True
    Wg = rng.standard_normal(Z0.shape)
    h = 1e-6
    Zs = []
    for s in (h, -h):
        ch.retract(s * delta)
        Zs.append((real.panel() - mean) / sd)
    ch.reset()
    assert real.R is R0 and real.Rc is Rc0
    dZ = (Zs[0] - Zs[1]) / (2 * h)
    np.testing.assert_allclose(ch.move(delta), dZ, atol=1e-6 * np.abs(dZ).max())
    Csel = tuple(a[sel] for a in C)
    dv = (_cvalues(Zs[0], Csel) - _cvalues(Zs[1], Csel)) / (2 * h)
    np.testing.assert_allclose(ch.rows(C, sel) @ delta, dv, atol=1e-6 * np.abs(dv).max())
    # f(X) = sum(Wg * X): raw gradient Wg, derivative along delta = sum(Wg * sd * dZ)
    assert ch.grads([Wg])[0] @ delta == pytest.approx(np.sum(Wg * sd * dZ), rel=1e-6)
    if not city:  # the city rotation is not moved by a within-only chart
        np.testing.assert_allclose(dZ.reshape(N_CITY, N_YEAR, -1).sum(axis=1), 0, atol=1e-6)


def test_polish_targets_jacobian_matches_finite_differences(real):
    """Every residual of the polish (t, F, Table 5 through the tail plan, Moran's I), mapped
    to both rotations' tangent: J delta against central differences."""
    pt = PolishTargets(load_inverse_distance().to_numpy(), f_stats=True)
    plan = TailPlan.from_panel(real.panel(), skip=FIX)
    r, G = pt.residuals(real.panel(), plan)
    assert len(r) == len(pt.labels) == 103 + 13 + 20 + 11
    ch = _Chart(real, True)
    J = ch.grads(G)
    delta = np.random.default_rng(2).standard_normal(J.shape[1])
    delta /= np.linalg.norm(delta)
    h = 1e-5
    rs = []
    for s in (h, -h):
        ch.retract(s * delta)
        rs.append(pt.residuals(real.panel(), plan)[0])
    ch.reset()
    fd = (rs[0] - rs[1]) / (2 * h)
    np.testing.assert_allclose(J @ delta, fd, rtol=1e-4, atol=1e-5 * np.abs(fd).max())
    # the lag-1 hinges too
    _, Gs = lag1_values(real.panel())
    ls = []
    for s in (h, -h):
        ch.retract(s * delta)
        ls.append(lag1_values(real.panel())[0])
    ch.reset()
    np.testing.assert_allclose(ch.grads(Gs) @ delta, (ls[0] - ls[1]) / (2 * h), rtol=1e-5)


def test_box_step_is_the_minimum_norm_point_of_the_linearised_constraints():
    """The active-set step against a general solver (SLSQP) on a small random problem."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(4)
    p = 12
    J, r = rng.standard_normal((4, p)), rng.standard_normal(4) * 3
    lo, hi = np.full(4, -0.5), np.full(4, 0.5)
    Meq, veq = rng.standard_normal((1, p)), np.array([0.2])
    M, v = rng.standard_normal((6, p)), rng.uniform(-0.1, 0.3, 6)
    sgn = np.where(rng.random(6) < 0.5, 1, -1)
    v = sgn * np.abs(v)  # feasible now except where v was drawn negative
    H, hv, hlo = rng.standard_normal((1, p)), np.array([0.6]), np.array([0.55])
    qp = _BoxStep(
        J, r, lo, hi, Meq, veq, v, sgn, lambda k: M[k], lambda d: M @ d, H, hv, hlo
    )  # fmt: skip
    delta, _, settled = qp.solve()
    assert settled
    cons = [
        {"type": "ineq", "fun": lambda d: hi - (r + J @ d)},
        {"type": "ineq", "fun": lambda d: (r + J @ d) - lo},
        {"type": "eq", "fun": lambda d: veq + Meq @ d},
        {"type": "ineq", "fun": lambda d: sgn * (v + M @ d)},
        {"type": "ineq", "fun": lambda d: hv + H @ d - hlo},
    ]
    ref = minimize(lambda d: d @ d, np.zeros(p), constraints=cons, method="SLSQP", tol=1e-12)
    assert ref.success
    for c in cons:
        val = c["fun"](delta)
        assert np.all(np.abs(val) < 1e-9) if c["type"] == "eq" else np.all(val > -1e-9)
    assert np.linalg.norm(delta) == pytest.approx(np.linalg.norm(ref.x), rel=1e-6)


def test_polish_targets_drop_leaves_out_whole_groups(real):
    """``drop=`` removes exactly its groups (rows and gradients), the rest unchanged; the default
    keeps every cell; an unknown group is an error."""
    W = load_inverse_distance().to_numpy()
    plan = TailPlan.from_panel(real.panel(), skip=FIX)
    full = PolishTargets(W, f_stats=True)
    r, G = full.residuals(real.panel(), plan)
    sizes = {"t": 103, "t5": 13, "F": 11, "moran": 20}
    for group, n in sizes.items():
        pt = PolishTargets(W, f_stats=True, drop=(group,))
        rd, Gd = pt.residuals(real.panel(), plan)
        assert len(rd) == len(Gd) == len(pt.labels) == len(r) - n
        keep = [lab in pt.labels for lab in full.labels]
        np.testing.assert_array_equal(rd, r[keep])
        np.testing.assert_array_equal(Gd[0], [g for g, k in zip(G, keep, strict=True) if k][0])
    none = PolishTargets(W, f_stats=True, drop=tuple(sizes))
    assert len(none.residuals(real.panel(), plan)[0]) == 0
    assert full.labels == PolishTargets(W, f_stats=True, drop=()).labels
    with pytest.raises(ValueError, match="unknown target groups"):
        PolishTargets(W, drop=("moranI",))


def _Targets(rl: Realisation):
    """The quantiles :func:`yrd_twin.polish.polish` keeps (the realisation's own)."""
    from types import SimpleNamespace

    X = rl.panel()[:, :11]
    return SimpleNamespace(quantiles={"min": X.min(0), "max": X.max(0), "median": np.median(X, 0)})


class _Weighted:
    """A cheap extra target: a weighted sum of ``quality`` (the rotations move it), in units of
    1e-4, ``shift`` units from where the panel ``X`` has it."""

    def __init__(self, X: np.ndarray, shift: float, seed: int):
        self.w = np.random.default_rng(seed).standard_normal(N) / N
        self.target = float(self.w @ X[:, IDX["quality"]]) - shift * 1e-4
        self.labels = [(0, "test", f"weighted {seed}", "value")]

    def residuals(self, X: np.ndarray):
        g = np.zeros_like(X)
        g[:, IDX["quality"]] = self.w / 1e-4
        return np.array([(self.w @ X[:, IDX["quality"]] - self.target) / 1e-4]), [g]


def test_reach_moves_its_target_and_holds_the_others(real, monkeypatch):
    """``polish(reach=...)``: the reach target comes in while the held ones stay inside
    ``held_box`` (held cells are constraints, not merit); without the hold, the same run lets them
    go. The old targets are dropped (random data are far from the paper) and the smoothness hinges
    switched off (the random paths are not smooth; the twin's meet them)."""
    import copy

    import yrd_twin.polish as pol

    monkeypatch.setattr(pol, "SMOOTH", {k: -2.0 for k in pol.SMOOTH})
    W = load_inverse_distance().to_numpy()
    X0 = real.panel()
    kw = dict(iters=10, box=0.5, aim=0.3, drop=pol.GROUPS)

    rl = copy.deepcopy(real)
    plan = TailPlan.from_panel(rl.panel(), skip=FIX)
    held = [_Weighted(X0, shift=0.0, seed=s) for s in (1, 2, 3)]
    reach = _Weighted(X0, shift=30.0, seed=4)
    r, pt = pol.polish(rl, _Targets(rl), W, plan, extra=held, reach=[reach], held_box=0.8, **kw)
    assert pt.labels[-1] == reach.labels[0]  # reach cells come last
    assert abs(r[-1]) <= 1, f"the reach target stayed {r[-1]:.3g} units out"
    assert np.abs(r[:-1]).max() <= 0.8, f"a held target went out: {r[:-1]}"
    # the hold did bind: the reach target's move pushes a held one to the linearised bound
    # (``hold``, 0.8 box = 0.4 by default)
    assert np.abs(r[:-1]).max() == pytest.approx(0.4, abs=0.02), r[:-1]


def test_release_lets_a_blocking_held_target_go(real, monkeypatch):
    """``polish(release=...)``: a held target that moves with the reach target one for one (the
    same weights) keeps it out, and the run says so (``pt.rejections``); let go, it no longer
    does, and it ends about as far out as the reach target started."""
    import copy

    import yrd_twin.polish as pol

    monkeypatch.setattr(pol, "SMOOTH", {k: -2.0 for k in pol.SMOOTH})
    W = load_inverse_distance().to_numpy()
    X0 = real.panel()
    kw = dict(iters=10, box=0.5, aim=0.3, drop=pol.GROUPS, held_box=0.8)
    reach = _Weighted(X0, shift=30.0, seed=4)
    twin = copy.deepcopy(reach)
    twin.target += 30.0 * 1e-4  # where the panel has it: held at 0, blocks the reach one
    twin.labels = [(0, "test", "weighted 4, held", "value")]

    rl = copy.deepcopy(real)
    plan = TailPlan.from_panel(rl.panel(), skip=FIX)
    r, pt = pol.polish(rl, _Targets(rl), W, plan, extra=[twin], reach=[reach], **kw)
    assert abs(r[-1]) > 25, f"the blocked reach target moved to {r[-1]:.3g}"
    assert abs(r[0]) <= 0.8
    assert set(pt.rejections) == {twin.labels[0]}, pt.rejections

    rl = copy.deepcopy(real)
    plan = TailPlan.from_panel(rl.panel(), skip=FIX)
    r, pt = pol.polish(
        rl, _Targets(rl), W, plan, extra=[twin], reach=[reach], release=twin.labels, **kw
    )
    assert abs(r[-1]) <= 1, f"let go, the reach target still stayed {r[-1]:.3g} units out"
    assert abs(r[0]) == pytest.approx(30, abs=1.5), r[0]
    assert not pt.rejections

    bad = [(9, "x", "y", "z")]
    with pytest.raises(ValueError, match="release names no target"):
        pol.polish(rl, _Targets(rl), W, plan, extra=[twin], reach=[reach], release=bad, **kw)
    with pytest.raises(ValueError, match="needs reach"):
        pol.polish(rl, _Targets(rl), W, plan, extra=[twin], release=twin.labels, **kw)
