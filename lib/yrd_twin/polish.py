r"""Polish: every cell the rotations move, at its printed precision (Newton on both rotations).

After :func:`yrd_twin.tshape.shape_t5` every HC1 t-statistic of Tables 4-6 is within a few per
cent of the published one: enough for "within 5 %", not for the printed two decimals (a constant
printed as 185.45 must be met to 3e-5 relative). This last phase writes every cell the rotations
move as a residual **in units of its printed precision** (1 = the edge of the rounding box) and
solves them together by Newton steps on the within rotation :math:`R` and the city rotation
:math:`R_c`:

* t-statistics (HC1) of Tables 4, 5 and 6: :math:`(t - t_{pub}) / 0.005`;
* Table 5's coefficients, R-squared and adjusted R-squared (through the planned winsorization,
  :class:`yrd_twin.tshape.TailPlan`): distance to the printed value over half the rounding box;
* Table 7's Moran's I under both weights: distance over 5e-5;
* optionally (``f_stats``) the HC1 Wald F of Tables 4-6 (every coefficient but the constant,
  dummies included, as ``FEResult.f_wald_all``): distance over 0.05.

Each step is the minimum-norm tangent step that puts every linearised cell in a box (a cell
outside ``box`` is asked halfway in, a cell inside may stay where it is) while keeping the tail
plan: its equalities (min, max, median pair) and every bound of the plan or of the smoothness
hinges that is violated or that the step would cross (:class:`_BoxStep`, a primal active set
with multiplier checks). A step is kept if it lowers the squared excess over the aim plus the
plan's violations, otherwise halved; a last :func:`yrd_twin.tshape.restore_tails` removes the
plan's second-order drift with every cell held to first order.

**Reach mode** (``reach=``, for Table 9 in :func:`yrd_twin.generate.polish_table9`): the
``reach`` targets are the merit; every other target is *held*: linearised within ``hold``, and a
step is kept only if no held cell ends outside ``held_box`` (or further out than it started). A
far target then moves only along directions that keep everything already fitted, instead of
trading the earlier cells for itself (what the plain merit does: :mod:`yrd_twin.reach`).

What makes it converge (measured on seed 2's ``shape_t5`` output, 147 cells):

* **The city rotation.** On the within rotation alone the linearised problem needs a step of
  tangent norm 0.25-0.57, along which the constants' t (Shanghai's rows carry their standard
  errors) curve so strongly that steps of 0.006 were all that could be kept: the loop crawled to
  80 of 103 t and stalled. Freeing Table 5's coefficients shrinks the needed step to 0.02, freeing
  Moran's I to 0.03: the within rotation cannot serve Table 7, Table 5 and the t-statistics at
  once. The city rotation moves Table 7 (city means dominate each year's cross-section), Table 5
  (through the winsorization) and the columns without city effects, but no t of a column with
  city effects (their residuals and leverages are within-city); with it the steps are 0.15 and
  shrinking, and every cell is inside half its box in about 15 steps.
* **Cells inside their box are not squeezed.** Pinning all of them at a common aim puts Table 5's
  nearly dependent coefficient rows into the working set (its Gram matrix then has eigenvalues
  near 1e-6) and calls for long, curved steps.
* **Full gradients** (:func:`yrd_twin.tshape._reg_grads`: coefficients, inverse Gram and
  residuals all move; Table 5's and the F's coefficients do move along these directions).
"""

from __future__ import annotations

import time

import numpy as np

from yrd.data import published
from yrd_twin.realise import Realisation
from yrd_twin.targets import FE, IDX, N_YEAR, XFULL, N, regressors
from yrd_twin.tshape import (
    SMOOTH,
    MoranTargets,
    TailPlan,
    _constraint_rows,
    _cvalues,
    _dummies,
    _reg_grads,
    _retract,
    _standardized,
    _Tangent,
    _tangent_basis,
    _tangent_move,
    _zbounds,
    lag1_values,
    restore_tails,
)

#: Printed precision of a t-statistic (two decimals): a residual of 1 is 0.005 off.
T_UNIT = 0.005
#: Printed precision of an F statistic (one decimal).
F_UNIT = 0.05
#: Printed precision of Table 7's Moran's I (four decimals).
MORAN_UNIT = 5e-5
#: Lag-1 autocorrelation the polish keeps above the hinge of :data:`yrd_twin.tshape.SMOOTH`.
SMOOTH_MARGIN = 0.002
#: A plan violation (SD units) of this size weighs as much as a target one unit off.
VIOL_UNIT = 1e-3
#: Groups of old targets :class:`PolishTargets` can leave out (``drop=``): the HC1 t of Tables 4-6
#: (Table 5's included), Table 5's coefficients and R-squared, the F statistics, Table 7's Moran's I.
GROUPS = ("t", "t5", "F", "moran")
#: Held cells outside ``hold`` (:func:`polish` with ``reach``) are asked in by at least this
#: fraction of the way per step.
HOLD_PULL = 0.3
#: Ridge of the second-order correction (relative to the mean eigenvalue of the row-scaled Gram):
#: Table 5's coefficient rows are nearly dependent, and an unregularised correction explodes.
SOC_RIDGE = 1e-4


class PolishTargets:
    """Every cell the rotations move, as residuals in units of the printed tolerance.

    Attributes
    ----------
    labels
        One ``(table, column, row, statistic)`` per residual, in order (dropped groups left out).

    ``drop`` names groups of :data:`GROUPS` left out of :meth:`residuals` (for relaxation
    experiments, :mod:`yrd_twin.reach`); the default keeps every cell.
    """

    def __init__(self, W_inv: np.ndarray, pub=None, f_stats: bool = False, extra=(), drop=()):
        bad = set(drop) - set(GROUPS)
        if bad:
            raise ValueError(f"unknown target groups {sorted(bad)}; known: {GROUPS}")
        pub = pub or published.load()
        c = pub.cells
        Dc, Dy = _dummies()
        one = np.ones((N, 1))
        self.specs, self.labels, self.target, self.unit = [], [], [], []

        def cell(table, col, row, stat):
            hit = c[
                (c["table"] == table)
                & (c["column"] == col)
                & (c["row"] == row)
                & (c["statistic"] == stat)
            ]
            return float(hit["value"].iloc[0]), int(hit["decimals"].iloc[0])

        for table in (4, 5, 6):
            y = "tcf" if table == 6 else "quality"
            for col in "12345" if table != 5 else "1":
                x = regressors(col) if table != 5 else XFULL
                city, year = FE[col] if table != 5 else (True, True)
                D = np.hstack([one] + ([Dc] if city else []) + ([Dy] if year else []))
                names = [*x, "const"]
                want = []
                rows = [(v, "t") for v in names]
                if table == 5:
                    rows = [(v, s) for v in names for s in ("coef", "t")]
                    rows += [("r2", "value"), ("r2_a", "value")]
                if f_stats:
                    rows.append(("F", "value"))
                for row, stat in rows:
                    val, dec = cell(table, col, row, stat)
                    if stat == "t":
                        want.append(("t", names.index(row)))
                        unit = T_UNIT
                    elif row == "F":
                        want.append(("F", 0))
                        unit = F_UNIT
                    elif stat == "coef":
                        want.append(("coef", names.index(row)))
                        unit = 0.5 * 10.0 ** (-dec)
                    else:
                        want.append((row, 0))
                        unit = 0.5 * 10.0 ** (-dec)
                    self.labels.append((table, col, row, stat))
                    self.target.append(val)
                    self.unit.append(unit)
                self.specs.append((table, IDX[y], [IDX[v] for v in x], D, want))
        self.n_reg = len(self.target)
        self.moran = MoranTargets(W_inv, pub, scale=MORAN_UNIT)
        for w, y, v in self.moran.cells:
            self.labels.append((7, w, str(2011 + y), "moran_i"))
            self.target.append(v)
            self.unit.append(MORAN_UNIT)
        self.target, self.unit = np.array(self.target), np.array(self.unit)
        self.drop = tuple(drop)
        self.keep = np.array([_group(lab) not in self.drop for lab in self.labels])
        self.labels = [lab for lab, k in zip(self.labels, self.keep, strict=True) if k]
        # further targets (e.g. Tables 8-9): objects with ``labels`` and ``residuals(X) -> (r, G)``,
        # residuals already in printed units, raw-panel gradients
        self.extra = tuple(extra)
        for ex in self.extra:
            self.labels += list(ex.labels)
        self.is_t = np.array([lab[3] == "t" and lab[0] in (4, 5, 6) for lab in self.labels])
        self.is_f = np.array([lab[2] == "F" for lab in self.labels])

    def values(self, X: np.ndarray, plan: TailPlan):
        """(values, raw gradients) of every cell; Table 5 on the planned winsorization."""
        vals, G = [], []
        Xw = plan.winsorize(X)
        for table, yi, xi, D, want in self.specs:
            v, g = _reg_grads(Xw if table == 5 else X, yi, xi, D, want)
            if table == 5:
                g = [plan.route(gi) for gi in g]
            vals.append(v)
            G += g
        rm, Gm = self.moran.residuals(X)
        vals.append(self.target[self.n_reg :] + rm * MORAN_UNIT)
        G += [g * MORAN_UNIT for g in Gm]
        return np.concatenate(vals), G

    def residuals(self, X: np.ndarray, plan: TailPlan):
        """Residuals in printed units and their raw gradients (divided by the unit)."""
        v, G = self.values(X, plan)
        r = ((v - self.target) / self.unit)[self.keep]
        G = [g / u for g, u, k in zip(G, self.unit, self.keep, strict=True) if k]
        for ex in self.extra:
            re, Ge = ex.residuals(X)
            r = np.concatenate([r, re])
            G += list(Ge)
        return r, G


def _group(label) -> str:
    """The group of :data:`GROUPS` an old target ``(table, column, row, statistic)`` belongs to."""
    table, _, row, stat = label
    if table == 7:
        return "moran"
    if row == "F":
        return "F"
    if stat == "t":
        return "t"
    return "t5"


class _BoxStep:
    r"""Minimum-norm step :math:`\delta` for the linearised targets and constraints (active set).

    Solves :math:`\min \|\delta\|` subject to

    * targets in their boxes, :math:`lo \le r + J\delta \le hi`;
    * the plan's equalities, :math:`v_E + M_E\delta = 0`;
    * the plan's bounds, :math:`s_i(v_i + m_i'\delta) \ge 0` (rows made on demand by ``rows``;
      their first-order values along a step by ``move``);
    * hinges, :math:`h + H\delta \ge h_{lo}`.

    Primal active set: the working set holds the constraints met with equality; each round
    solves the equality-constrained minimum-norm problem on the Gram matrix of the (row-scaled)
    working rows, drops rows whose multiplier has the wrong sign and adds the rows the step
    violates, until neither happens.
    """

    def __init__(self, J, r, lo, hi, Meq, veq, v, sgn, rows, move, H, h, hlo):
        self.J, self.r, self.lo, self.hi = J, r, lo, hi
        self.Meq, self.veq = Meq, veq
        self.v, self.sgn, self.rows, self.move = v, sgn, rows, move
        self.H, self.h, self.hlo = H, h, hlo
        self.cache: dict[int, np.ndarray] = {}

    def _plan_rows(self, idx: np.ndarray) -> np.ndarray:
        todo = np.array([k for k in idx if k not in self.cache], dtype=np.int64)
        if len(todo):
            for k, row in zip(todo, self.rows(todo), strict=True):
                self.cache[int(k)] = row
        if not len(idx):
            return np.zeros((0, self.J.shape[1]))
        return np.array([self.cache[int(k)] for k in idx])

    def solve(self, rounds: int = 40):
        """(delta, number of working rows, whether the active set settled)."""
        side = np.zeros(len(self.r))  # +1 pinned at hi, -1 at lo
        side[self.r > self.hi] = 1
        side[self.r < self.lo] = -1
        wp = np.flatnonzero(self.sgn * self.v < 0)
        ws = np.flatnonzero(self.h < self.hlo)
        seen = set()
        delta = np.zeros(self.J.shape[1])
        for _ in range(rounds):
            wt = np.flatnonzero(side)
            A = np.vstack([self.Meq, self.J[wt], self._plan_rows(wp), self.H[ws]])
            b = np.concatenate(
                [
                    -self.veq,
                    np.where(side[wt] > 0, self.hi[wt], self.lo[wt]) - self.r[wt],
                    -self.v[wp],
                    self.hlo[ws] - self.h[ws],
                ]
            )
            sc = np.linalg.norm(A, axis=1)
            sc[sc == 0] = 1.0
            A, b = A / sc[:, None], b / sc
            w, U = np.linalg.eigh(A @ A.T)
            keep = w > 1e-12 * w.max()
            y = (U[:, keep] / w[keep]) @ (U[:, keep].T @ b)
            delta = A.T @ y
            ne, nt, npl = len(self.veq), len(wt), len(wp)
            yt, yp, ys = y[ne : ne + nt], y[ne + nt : ne + nt + npl], y[ne + nt + npl :]
            # wrong-sign multipliers: the constraint pulls the step the wrong way: release it
            tol = 1e-10 * max(1.0, float(np.abs(y).max()))
            drop_t = wt[side[wt] * yt > tol]
            drop_p = wp[self.sgn[wp] * yp < -tol]
            drop_s = ws[ys < -tol]
            # violations of the rest
            rt = self.r + self.J @ delta
            out_hi = (rt > self.hi + 1e-9) & (side == 0)
            out_lo = (rt < self.lo - 1e-9) & (side == 0)
            vnew = self.v + self.move(delta)
            add_p = np.flatnonzero(self.sgn * vnew < -1e-12)
            add_p = np.setdiff1d(add_p, wp)
            add_s = np.setdiff1d(np.flatnonzero(self.h + self.H @ delta < self.hlo - 1e-12), ws)
            self.wp = wp
            if not (len(drop_t) or len(drop_p) or len(drop_s)) and not (
                out_hi.any() or out_lo.any() or len(add_p) or len(add_s)
            ):
                return delta, len(y), True
            key = (tuple(np.flatnonzero(side)), tuple(side[side != 0]), tuple(wp), tuple(ws))
            if key in seen:  # cycling: release only the worst multiplier
                cand = []
                if len(drop_t):
                    cand.append(("t", drop_t[np.argmax(np.abs(yt[np.isin(wt, drop_t)]))]))
                if len(drop_p):
                    cand.append(("p", drop_p[0]))
                drop_t = np.array([c[1] for c in cand if c[0] == "t"][:1], dtype=np.int64)
                drop_p = np.array(
                    [c[1] for c in cand if c[0] == "p"][:1] if not len(drop_t) else []
                )
                drop_p = drop_p.astype(np.int64)
            seen.add(key)
            side[drop_t] = 0
            side[out_hi] = 1
            side[out_lo] = -1
            wp = np.union1d(np.setdiff1d(wp, drop_p), add_p)
            ws = np.union1d(np.setdiff1d(ws, drop_s), add_s)
        return delta, len(y), False


class _Chart:
    """Tangent coordinates of the within rotation (and optionally the city rotation) at the
    current point: gradients, first-order moves of the panel, plan rows, retraction."""

    def __init__(self, real: Realisation, city: bool):
        self.real, self.city = real, city
        self.R0, self.Rc0 = real.R, real.Rc
        self.Rp, self.iu = _tangent_basis(real.R)
        self.nw = len(self.iu[0]) + self.Rp.shape[1] * real.R.shape[1]
        self.Rcp, self.iuc = _tangent_basis(real.Rc) if city else (None, None)
        self.tan = _Tangent(real, real.d.scale_sd, self.Rp, self.iu, self.Rcp, self.iuc)

    def grads(self, G) -> np.ndarray:
        """Raw-panel gradients -> rows in tangent coordinates."""
        return np.array([self.tan(g) for g in G])

    def move(self, delta: np.ndarray) -> np.ndarray:
        """First-order change of the standardized panel (410 x 12) along ``delta``."""
        real = self.real
        dZ = _tangent_move(real, self.Rp, self.iu, delta[: self.nw])
        if self.city:
            k = real.Rc.shape[1]
            S = np.zeros((k, k))
            S[self.iuc] = delta[self.nw : self.nw + len(self.iuc[0])]
            S = S - S.T
            D = real.Rc @ S + self.Rcp @ delta[self.nw + len(self.iuc[0]) :].reshape(-1, k)
            dA = np.vstack([np.zeros(real.Lc.shape[0]), real.Bc @ D @ real.Lc.T])
            dZ = dZ + np.repeat(dA, N_YEAR, axis=0)
        return dZ

    def rows(self, C, sel: np.ndarray) -> np.ndarray:
        """Tangent rows of the selected plan constraints (z units)."""
        out = _constraint_rows(self.real, self.Rp, self.iu, C, sel)
        if not self.city:
            return out
        real = self.real
        i, j, i2 = C[0][sel], C[1][sel], C[2][sel]
        Bc = np.vstack([np.zeros(real.Bc.shape[1]), real.Bc])  # Shanghai's part is fixed
        Bsel = Bc[i // N_YEAR] - np.where((i2 >= 0)[:, None], Bc[np.maximum(i2, 0) // N_YEAR], 0)
        Lj = real.Lc[j]
        A = (Bsel @ real.Rc)[:, :, None] * Lj[:, None, :]
        skew = (A - A.transpose(0, 2, 1))[:, self.iuc[0], self.iuc[1]]
        perp = ((Bsel @ self.Rcp)[:, :, None] * Lj[:, None, :]).reshape(len(i), -1)
        return np.hstack([out, skew, perp])

    def retract(self, delta: np.ndarray) -> None:
        """Set the rotations to the point ``delta`` away from where the chart was made."""
        self.real.R = _retract(self.R0, self.Rp, self.iu, delta[: self.nw])
        if self.city:
            self.real.Rc = _retract(self.Rc0, self.Rcp, self.iuc, delta[self.nw :])

    def reset(self) -> None:
        self.real.R, self.real.Rc = self.R0, self.Rc0


def polish(
    real: Realisation,
    t,
    W_inv: np.ndarray,
    plan: TailPlan,
    f_stats: bool = False,
    city: bool = True,
    iters: int = 60,
    box: float = 0.8,
    aim: float = 0.5,
    ask_max: float = 0.5,
    step_max: float = 0.3,
    tries: int = 6,
    soc: int = 1,
    verbose: int = 0,
    extra=(),
    drop=(),
    reach=(),
    hold: float | None = None,
    held_box: float | None = None,
    release=(),
):
    """Newton on the rotations until every cell is within ``box`` printed units.

    Parameters
    ----------
    real, t, W_inv
        Realisation (rotations updated in place), targets, inverse-distance weights.
    plan
        The tail plan of :func:`yrd_twin.tshape.shape_t5` (it holds on entry and on return).
    f_stats
        Also fit the HC1 Wald F of Tables 4-6.
    city
        Move the city rotation too (it moves Table 7, the columns without city effects, Table
        5's winsorization and the F, but no t-statistic of a column with city effects).
    iters, box, aim, ask_max, step_max, tries
        At most ``iters`` steps of tangent norm at most ``step_max``; the loop stops once every
        residual is within ``box`` (units of the printed tolerance: 1 is the rounding box) and
        the plan holds. A cell outside ``box`` is asked to come a fraction ``ask`` (at most
        ``ask_max``) of the way to ``aim`` (continuation: long steps are strongly curved); a
        cell inside may stay where it is. A step that does not lower the merit is re-solved
        with a third of the ask, at most ``tries`` times.
    soc
        Second-order corrections per trial step (Tikhonov-regularised, :data:`SOC_RIDGE`).
    verbose
        Print progress.
    extra
        Further targets, each with ``labels`` and ``residuals(X) -> (r, G)`` (residuals in printed
        units, gradients in the raw panel), fitted with the rest.
    drop
        Groups of old targets (:data:`GROUPS`) left out of the fit (the tail plan is kept).
    reach, hold, held_box
        Targets (like ``extra``) brought in while every other target is **held**: each step
        keeps the others' linearisation within ``hold`` (0.8 ``box`` if not given; one outside
        is asked in by at least :data:`HOLD_PULL` of the way), and a step is kept only if it
        lowers the merit of the ``reach`` cells without taking any held cell outside
        ``held_box`` (``box`` if not given), or further out than it started. The held cells
        then constrain the step instead of being traded against it in the merit (what
        :mod:`yrd_twin.reach` measured). The loop also stops once every ``reach`` cell is within
        ``box``.
    release
        Labels (``pt.labels``) of targets let go in ``reach`` mode: neither held nor weighed, free
        to move anywhere (:func:`yrd_twin.reach.binding` frees the held cells that blocked a
        reach, to see whether they are what keeps it out). An unknown label raises
        ``ValueError``.

    Returns
    -------
    (ndarray, PolishTargets)
        The last residuals and the targets (for their labels; in ``reach`` mode its ``blocked``
        lists the held cells the last rejected step would have taken out of their box, and its
        ``rejections`` counts, per held cell, the tries rejected with it furthest out).
    """
    pt = PolishTargets(W_inv, f_stats=f_stats, extra=(*extra, *reach), drop=drop)
    n_reach = sum(len(ex.labels) for ex in reach)
    free = np.zeros(len(pt.labels), bool)  # the reach cells (last): the others are held
    free[len(pt.labels) - n_reach :] = True
    held = ~free if n_reach else np.zeros(len(pt.labels), bool)
    unknown = [lab for lab in release if lab not in pt.labels]
    if unknown:
        raise ValueError(f"polish: release names no target: {unknown}")
    let_go = np.isin(np.arange(len(pt.labels)), [pt.labels.index(lab) for lab in release])
    if let_go.any() and not n_reach:
        raise ValueError("polish: release= needs reach= (it frees held cells)")
    held &= ~let_go
    hold = 0.8 * box if hold is None else hold
    held_box = box if held_box is None else held_box
    sd = real.d.scale_sd
    zb = _zbounds(real, t)
    lo_smooth = np.array(list(SMOOTH.values())) + SMOOTH_MARGIN
    X = real.panel()
    r, G = pt.residuals(X, plan)
    # a held cell that starts outside ``held_box`` may not go further out
    held_at = np.maximum(held_box, np.abs(r[held]))
    out_at = np.full(len(r), np.inf)  # where each cell counts as out (held cells only)
    out_at[held] = held_at
    pt.blocked = []  # the held cells the last rejected try took out (``reach`` mode)
    pt.rejections = {}  # held cell -> tries rejected with it furthest out of its box

    def violation(X, C=None):
        """Plan violations (SD units; split ``C``'s, else the current sort's) and hinge
        shortfalls."""
        Z = (X - real.d.scale_mean) / sd
        C = plan.constraints(Z, zb) if C is None else C
        v, sgn = _cvalues(Z, C), C[4]
        bad = np.where(sgn == 0, np.abs(v), np.maximum(0.0, -sgn * v))
        hs = np.maximum(0.0, lo_smooth - lag1_values(X)[0])
        return np.concatenate([bad, hs])

    def merit(r, viol):
        ex = np.maximum(np.abs(r) - aim, 0.0)
        ex[held | let_go] = 0.0  # held cells are constraints (``admissible``), not merit
        return float(np.sum(ex**2) + np.sum((viol / VIOL_UNIT) ** 2))

    def admissible(r2):
        """No held cell further out than ``held_box`` or than it started."""
        if not held.any():
            return True
        return bool(np.all(np.abs(r2[held]) <= held_at + 1e-12))

    ask = ask_max
    for it in range(iters):
        if np.abs(r).max() <= box and violation(X).max() < 1e-6:
            break
        if n_reach and np.abs(r[free]).max() <= box and violation(X).max() < 1e-6:
            break
        t0 = time.time()
        ch = _Chart(real, city)
        J = ch.grads(G)
        sv, Gs = lag1_values(X)
        Js = ch.grads(Gs)
        Z = _standardized(real)
        # the split at the median: ties ordered by where the unconstrained step moves them
        d0 = -np.linalg.lstsq(J, r, rcond=None)[0]
        C = plan.constraints(Z, zb, plan.bulk_order(Z, ch.move(d0)))
        v, sgn = _cvalues(Z, C), C[4]
        i, j, i2 = C[0], C[1], C[2]
        eq = sgn == 0
        m0 = merit(r, violation(X, C))  # this step's split: the merit the step must lower
        ineq = np.flatnonzero(~eq)

        def rows(k, C=C, ch=ch, ineq=ineq):
            sel = np.zeros(len(C[0]), bool)
            sel[ineq[k]] = True
            return ch.rows(C, sel)

        def move(delta, ch=ch, ineq=ineq, i=i, j=j, i2=i2):
            dZ = ch.move(delta)
            ii, jj, kk = i[ineq], j[ineq], i2[ineq]
            return dZ[ii, jj] - np.where(kk >= 0, dZ[np.maximum(kk, 0), jj], 0.0)

        # cells inside ``box`` may stay where they are: squeezing them all to ``aim`` would pin
        # near-dependent rows (Table 5's coefficients) and call for long, strongly curved steps;
        # a cell outside is asked to come the fraction ``ask`` of the way to ``aim``: halved
        # until a step lowers the merit, raised again after a full step was kept
        a = np.abs(r)
        qp = _BoxStep(
            J, r, -a, a, ch.rows(C, eq), v[eq],
            v[ineq], sgn[ineq], rows, move, Js, sv, lo_smooth,
        )  # fmt: skip
        ok = False
        for _ in range(tries):
            lim = np.where(a <= box, np.clip(a, aim, box), np.maximum(aim, a - ask * (a - aim)))
            # held cells may move anywhere inside ``hold``; one outside is asked in by at least
            # HOLD_PULL of the way (the curvature of the steps pushes it out again)
            pull = max(ask, HOLD_PULL)
            lim[held] = np.where(a[held] <= hold, hold, a[held] - pull * (a[held] - hold))
            lim[let_go] = np.inf
            qp.lo, qp.hi = -lim, lim
            delta, n_work, settled = qp.solve()
            nrm = np.linalg.norm(delta)
            alpha = min(1.0, step_max / nrm) if nrm > 0 else 1.0
            step = alpha * delta
            ch.retract(step)
            X2 = real.panel()
            r2, G2 = pt.residuals(X2, plan)
            if soc:
                # second-order correction: every cell back onto its linear prediction and the
                # working plan rows onto the plan (the constants' t, whose standard errors rest
                # on a few high-leverage rows, curve strongly along the steps)
                A = np.vstack([J, ch.rows(C, eq), qp._plan_rows(qp.wp)])
                sc = np.linalg.norm(A, axis=1)
                A = A / sc[:, None]
                K = A @ A.T
                K[np.diag_indices_from(K)] += SOC_RIDGE * np.trace(K) / len(K)
                for _ in range(soc):
                    v2 = _cvalues((X2 - real.d.scale_mean) / sd, C)
                    b = np.concatenate([r + J @ step - r2, -v2[eq], -v2[ineq][qp.wp]]) / sc
                    step = step + A.T @ np.linalg.solve(K, b)
                    ch.retract(step)
                    X2 = real.panel()
                    r2, G2 = pt.residuals(X2, plan)
            m2 = merit(r2, violation(X2, C))
            if m2 < m0 and admissible(r2):
                X, r, G = X2, r2, G2
                ok = True
                break
            # what stopped the try: the held cells it took out of their box (reach mode), or
            # none (the reach cells' merit itself did not fall)
            tried = [pt.labels[i] for i in np.flatnonzero(np.abs(r2) > out_at + 1e-12)]
            if tried:  # the held cell furthest out
                worst = int(np.argmax(np.where(held, np.abs(r2) - out_at, -np.inf)))
                pt.rejections[pt.labels[worst]] = pt.rejections.get(pt.labels[worst], 0) + 1
            if verbose > 1:
                print(
                    f"  rejected: merit {m2:.4g} vs {m0:.4g}, held max "
                    f"{np.abs(r2[held]).max() if held.any() else 0:.3g} "
                    f"{pt.labels[int(np.argmax(np.where(held, np.abs(r2), 0)))]}, ask {ask:.2g}",
                    flush=True,
                )
            ask /= 3
        if not ok:
            pt.blocked = tried  # the last try's
            ch.reset()
            if verbose:
                print(f"polish {it}: no step lowers the residuals; stop", flush=True)
            break
        used = ask
        ask = min(ask_max, ask * 1.5)
        if verbose:
            worst = int(np.argmax(np.abs(r)))
            print(
                f"polish {it} merit {m2:.4g} viol {violation(X).max():.2g} "
                f"max {np.abs(r).max():.3g} "
                f"{pt.labels[worst]} t-ok {int(np.sum(np.abs(r[pt.is_t]) <= 1))}/"
                f"{int(pt.is_t.sum())} all-ok {int(np.sum(np.abs(r) <= 1))}/{len(r)} "
                f"working {n_work} {'' if settled else 'unsettled '}ask {used:.2g} "
                f"|d| {alpha * nrm:.3g} {time.time() - t0:.1f}s",
                flush=True,
            )
    # the plan exactly (the Newton steps leave second-order violations), targets held
    ch = _Chart(real, False)
    restore_tails(real, t, plan, keep=ch.grads(G), basis=(ch.Rp, ch.iu))
    r, _ = pt.residuals(real.panel(), plan)
    return r, pt
