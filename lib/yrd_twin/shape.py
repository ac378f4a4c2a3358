r"""Shaping the free rotations: Table 7, Table 5, t-statistics and plausibility.

The realised panel (:class:`yrd_twin.realise.Realisation`) has two free orthonormal matrices,
``Rc`` (city part) and ``R`` (within part); every choice keeps Tables 2-4 and 6 exact (their
second moments do not depend on them). What does depend on them - the order statistics of
Table 2, Moran's I by year (Table 7), the winsorized regression (Table 5), robust
t-statistics and the plausibility checks - is fitted here by a damped Gauss-Newton
(Levenberg-Marquardt) method on a random subspace of rotations.

Notes
-----
Each iteration draws ``p`` random directions :math:`D_k` and moves along
:math:`R(\theta) = \mathrm{polar}(R + \sum_k \theta_k D_k)`; the polar factor
(:math:`UV'` of the SVD) is again orthonormal, so the moments stay exact for every
:math:`\theta`. With residuals :math:`r(\theta)` (each scaled so that :math:`|r| \le 1` means
"inside the target box") and a finite-difference Jacobian :math:`J`, the step is the
minimum-norm damped solution :math:`\delta = -J'(JJ' + \lambda I)^{-1} r`, accepted if it lowers
:math:`\|r\|^2` (otherwise :math:`\lambda` grows).

Status: :func:`relabel` is part of the pipeline; :func:`shape` (random-subspace Gauss-Newton
with finite differences) is superseded by :func:`yrd_twin.tshape.shape_t` (analytic gradients,
order statistics pinned as linear equalities), which the pipeline uses for the t-statistics and
Table 7. :class:`Evaluator` remains the fast reference for the shaped statistics.
"""

from __future__ import annotations

import numpy as np

from yrd.data import published
from yrd.econ import fe
from yrd_twin.realise import N_CITY, N_YEAR, Realisation, fit_order, lag1_autocorr
from yrd_twin.targets import FE, IDX, XFULL, N, load_targets, regressors

T_SCALE = 0.03  # a t-statistic residual of 1 means 3 % off


def _polar(M: np.ndarray) -> np.ndarray:
    U, _, Vt = np.linalg.svd(M, full_matrices=False)
    return U @ Vt


def _dummies():
    codes = np.repeat(np.arange(N_CITY), N_YEAR)
    years = np.tile(np.arange(N_YEAR), N_CITY)
    Dc = (codes[:, None] == np.arange(1, N_CITY)[None, :]).astype(float)
    Dy = (years[:, None] == np.arange(1, N_YEAR)[None, :]).astype(float)
    return Dc, Dy, codes


class Evaluator:
    """Computes every shaped statistic from a raw panel, and residuals against the targets.

    The regressions are LSDV with the paper's dummies (as :func:`yrd.econ.regress.fit_fe`), fitted
    by the core :mod:`yrd.econ.fe`, with HC1, CR1 or classical t-statistics; Moran's I uses the committed inverse-distance weights and the
    economic weights rebuilt from the panel's city-mean ``gdp``.
    """

    def __init__(self, W_inv: np.ndarray, se: str = "hc1", pub=None):
        pub = pub or published.load()
        self.Wd = W_inv
        self.se = se
        self.Dc, self.Dy, self.codes = _dummies()
        c = pub.cells
        t = load_targets(pub)
        rows = []  # (kind, key, target, scale, weight)
        p11 = len(t.mean)
        for s in ("min", "median", "max"):
            for j in range(p11):
                rows.append(("order", (s, j), t.quantiles[s][j], 0.5 * t.quantiles_h[s][j], 1.0))
        for _, r in c[c["table"] == 7].iterrows():
            rows.append(("moran", (r["column"], int(r["row"])), r["value"], 2.5e-5, 1.0))
        self.specs = []
        for table, col in [(4, k) for k in "12345"] + [(6, k) for k in "12345"] + [(5, "1")]:
            y = "tcf" if table == 6 else "quality"
            x = XFULL if table == 5 else regressors(col)
            city, year = (True, True) if table == 5 else FE[col]
            self.specs.append((table, col, y, x, city, year))
            sub = c[(c["table"] == table) & (c["column"] == col)]
            for _, r in sub.iterrows():
                if r["statistic"] == "t":
                    rows.append(
                        ("t", (table, col, r["row"]), r["value"], T_SCALE * abs(r["value"]), 0.5)
                    )
                elif table == 5 and (r["statistic"] == "coef" or r["row"] in ("r2", "r2_a")):
                    h = 0.5 * 10.0 ** (-int(r["decimals"]))
                    rows.append(("t5", (table, col, r["row"]), r["value"], 0.5 * h, 1.0))
        self.rows = rows
        self.target = np.array([r[2] for r in rows])
        self.scale = np.array([r[3] for r in rows])
        self.weight = np.array([r[4] for r in rows])
        self.kind = np.array([r[0] for r in rows])

    # --- statistics -------------------------------------------------------------------
    def regression(self, X, y, x, city, year):
        """(params incl. const last, t-statistics, r2, r2_a) of one LSDV column."""
        cols = [X[:, [IDX[v] for v in x]], np.ones((N, 1))]
        if city:
            cols.append(self.Dc)
        if year:
            cols.append(self.Dy)
        M = np.hstack(cols)
        kx = len(x) + 1
        yv = X[:, IDX[y]]
        fit = fe.ols(M, yv)
        n, k = M.shape
        if self.se == "hc1":
            V = fe.hc_cov(M, fit.resid, bread=fit.bread)
        elif self.se == "cluster":
            V = fe.cluster_cov(M, fit.resid, self.codes, bread=fit.bread)
        else:
            V = fe.classical_cov(M, fit.resid, bread=fit.bread)
        beta = fit.params[:kx]
        tv = beta / np.sqrt(np.diag(V)[:kx])
        tss = np.sum((yv - yv.mean()) ** 2)
        r2 = 1 - fit.ssr / tss
        return beta, tv, r2, 1 - (1 - r2) * (n - 1) / (n - k)

    def values(self, X: np.ndarray, kinds=("order", "moran", "t", "t5")) -> np.ndarray:
        """Every shaped statistic of the given kinds, in the order of :attr:`rows` (else NaN)."""
        out = np.full(len(self.rows), np.nan)
        p11 = len(published.VARIABLES)
        Xs = np.sort(X[:, :p11], axis=0)
        order = {"min": Xs[0], "median": (Xs[204] + Xs[205]) / 2, "max": Xs[-1]}
        cm = X[:, IDX["gdp"]].reshape(N_CITY, N_YEAR).mean(axis=1)
        D = np.abs(cm[:, None] - cm[None, :])
        np.fill_diagonal(D, np.inf)
        We = 1 / D
        We /= We.sum(axis=1, keepdims=True)
        q = X[:, 0].reshape(N_CITY, N_YEAR)
        Xw = X.copy()
        Xw[:, :p11] = np.clip(X[:, :p11], Xs[4], Xs[405])  # winsor2 cuts(1 99), n = 410
        regs = {}
        need_t5 = "t5" in kinds
        for table, col, y, x, city, year in self.specs if ("t" in kinds or need_t5) else ():
            if table != 5 and "t" not in kinds:
                continue
            regs[(table, col)] = (self.regression(Xw if table == 5 else X, y, x, city, year), x)
        for i, (kind, key, *_rest) in enumerate(self.rows):
            if kind not in kinds:
                continue
            if kind == "order":
                out[i] = order[key[0]][key[1]]
            elif kind == "moran":
                z = q[:, key[1] - 2011]
                z = z - z.mean()
                W = self.Wd if key[0] == "inverse_distance" else We
                out[i] = (z @ W @ z) / (z @ z)
            else:
                (b, tv, r2, r2a), x = regs[key[:2]]
                name = key[2]
                if name in ("r2", "r2_a"):
                    out[i] = r2 if name == "r2" else r2a
                else:
                    j = len(x) if name == "const" else list(x).index(name)
                    out[i] = tv[j] if kind == "t" else b[j]
        return out

    def plausibility(self, X: np.ndarray) -> np.ndarray:
        """Hinge residuals: smooth gdp/wage/human paths, spatial gdp, Shanghai richest."""
        r = []
        for v in ("gdp", "wage", "human"):
            r.append(max(0.0, 0.6 - lag1_autocorr(X[:, IDX[v]])) / 0.02)
        cm = X[:, IDX["gdp"]].reshape(N_CITY, N_YEAR).mean(axis=1)
        z = cm - cm.mean()
        r.append(max(0.0, 0.25 - (z @ self.Wd @ z) / (z @ z)) / 0.02)
        r.append(max(0.0, cm[1:].max() - cm[0] + 0.05) / 0.02)
        return np.array(r)

    def residuals(self, X: np.ndarray, kinds) -> np.ndarray:
        """Scaled residuals of the selected kinds, then the plausibility hinges."""
        v = self.values(X, kinds)
        sel = np.isin(self.kind, kinds)
        r = (v - self.target) / self.scale * self.weight
        return np.concatenate([r[sel], self.plausibility(X)])


def _huber(r, cap):
    a = np.abs(r)
    return float(np.sum(np.where(a <= cap, a**2, 2 * cap * a - cap**2)))


def shape(
    real: Realisation,
    ev: Evaluator,
    kinds,
    rng: np.random.Generator,
    iters: int = 30,
    p_city: int = 60,
    p_within: int = 140,
    low_freqs: int = 3,
    h: float = 1e-6,
    verbose: bool = False,
    cap: float = 10.0,
    restore=None,
    restore_iters: int = 100,
) -> Realisation:
    """Damped Gauss-Newton on random rotation subspaces (see the module notes)."""
    lam = 1.0
    nfull = real.Bs.shape[1] // (N_CITY - 1)
    low = (np.arange(real.Bs.shape[1]) % nfull) < low_freqs
    Rc, R = real.Rc, real.R

    def build(theta, Dc, Dw):
        Rc2 = _polar(Rc + np.tensordot(theta[: len(Dc)], Dc, axes=1)) if len(Dc) else Rc
        R2 = _polar(R + np.tensordot(theta[len(Dc) :], Dw, axes=1))
        return Rc2, R2

    r0 = ev.residuals(real.panel(Rc, R), kinds)
    for it in range(iters):
        Dc = rng.standard_normal((p_city, *Rc.shape))
        Dw = rng.standard_normal((p_within, *R.shape)) * low[None, :, None]
        p = p_city + p_within
        J = np.empty((len(r0), p))
        for k in range(p):
            th = np.zeros(p)
            th[k] = h
            J[:, k] = (ev.residuals(real.panel(*build(th, Dc, Dw)), kinds) - r0) / h
        for _ in range(8):
            # far-off residuals are capped (continuation): the step aims at most `cap` closer
            rc = np.clip(r0, -cap, cap)
            step = -J.T @ np.linalg.solve(J @ J.T + lam * np.eye(len(r0)), rc)
            Rc2, R2 = build(step, Dc, Dw)
            if restore is not None:  # return to Table 2's order statistics
                real.Rc, real.R = Rc2, R2
                fit_order(real, restore, iters=restore_iters, tol=1e-7)
                Rc2, R2 = real.Rc, real.R
                real.Rc, real.R = Rc, R
            r1 = ev.residuals(real.panel(Rc2, R2), kinds)
            if _huber(r1, cap) < _huber(r0, cap):
                Rc, R, r0 = Rc2, R2, r1
                lam = max(lam / 3, 1e-6)
                break
            lam *= 10
        if verbose:
            print(
                it,
                f"huber {_huber(r0, cap):.4g} max {np.abs(r0).max():.3g} "
                f"inside {int(np.sum(np.abs(r0) <= 2))}/{len(r0)} lam {lam:.2g}",
            )
    real.Rc, real.R = Rc, R
    return real


def relabel(
    X: np.ndarray,
    W: np.ndarray,
    moran_target: np.ndarray,
    rng: np.random.Generator,
    sweeps: int = 400,
    gdp_moran_min: float = 0.3,
) -> np.ndarray:
    r"""Permutation of cities 2..41 fitting Table 7 (inverse distance) and spatial ``gdp``.

    Relabelling whole cities other than the base city (Shanghai stays first) changes no
    statistic of Tables 2-6: means, SDs, correlations, order statistics and every LSDV
    coefficient are invariant, and the constants only depend on the base city. It does change
    Moran's I under the geographic weights. (Under the economic weights it changes nothing,
    because those weights move with the cities' ``gdp``.)

    Notes
    -----
    Simulated annealing over pairwise swaps, minimising
    :math:`\sum_t (I_t - I_t^{pub})^2 + 10\max(0, c - I_{gdp})^2`, where :math:`I_t` is Moran's I
    of ``quality`` in year t and :math:`I_{gdp}` that of city-mean ``gdp`` (kept spatially
    autocorrelated, :math:`c` = ``gdp_moran_min``).

    Returns
    -------
    numpy.ndarray
        ``perm`` with ``perm[0] == 0``: new city i takes the data of old city ``perm[i]``.
    """
    Q = X[:, IDX["quality"]].reshape(N_CITY, N_YEAR)
    Q = Q - Q.mean(axis=0)
    g = X[:, IDX["gdp"]].reshape(N_CITY, N_YEAR).mean(axis=1)
    g = g - g.mean()
    qq = np.sum(Q * Q, axis=0)

    def f(perm):
        Qp, gp = Q[perm], g[perm]
        mi = np.einsum("it,ij,jt->t", Qp, W, Qp) / qq
        mg = gp @ W @ gp / (gp @ gp)
        return float(np.sum((mi - moran_target) ** 2) + 10 * max(0.0, gdp_moran_min - mg) ** 2)

    perm = np.arange(N_CITY)
    cur = f(perm)
    best, best_perm = cur, perm.copy()
    n_steps = sweeps * N_CITY
    temp0 = 1e-3
    for s in range(n_steps):
        i, j = rng.integers(1, N_CITY, size=2)
        if i == j:
            continue
        perm[i], perm[j] = perm[j], perm[i]
        new = f(perm)
        temp = temp0 * (1 - s / n_steps) + 1e-12
        if new < cur or rng.random() < np.exp((cur - new) / temp):
            cur = new
            if cur < best:
                best, best_perm = cur, perm.copy()
        else:
            perm[i], perm[j] = perm[j], perm[i]
    return best_perm
