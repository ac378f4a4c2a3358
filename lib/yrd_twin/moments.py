r"""The moment design: city, year and within covariance matrices that reproduce Tables 2-4 and 6.

A reader who knows OLS needs three facts to follow the construction.

1. **Decomposition.** In a balanced panel (41 cities x 10 years) every variable splits into a
   city-mean part, a year-mean part and a two-way within part, and the three parts are
   orthogonal. Stacking the 12 variables (11 of Tables 2-3 and ``tcf``) in standardized units,
   the total covariance is :math:`C = A + B + E` (city, year, within), each positive
   semidefinite (PSD).
2. **Every published regression is a function of these matrices.** The LSDV slopes of a column
   solve the normal equations :math:`M_{xx} b = M_{xy}`, with :math:`M = E` for the two-way
   columns (1) and (5), :math:`A + E` for (2) (year dummies remove :math:`B`), :math:`B + E` for
   (3) and :math:`A + B + E` for the pooled column (4). The LSDV R-squared is
   :math:`1 - (M_{yy} - b'M_{xy}) / C_{yy}`. The constant Stata prints (base city: the first
   code, base year: 2011) is :math:`\bar y^{*} - b'\bar x^{*}`, where :math:`\bar v^{*}` is the
   grand mean :math:`\mu` plus the base city's deviation :math:`a_1` (when city dummies are in)
   plus the 2011 deviation :math:`g_1` (when year dummies are in).
3. **With the slopes held fixed, all of this is linear in** :math:`(A, B, E, \mu, a_1, g_1)`, and
   PSD constraints are convex: finding the matrices is a semidefinite program (SDP). The slopes
   themselves may move inside their rounding boxes, so the bilinear terms :math:`M b` are
   linearised around the previous solution and the SDP is solved a few times (sequential
   convex programming). Every published number is an interval (its rounding box), shrunk by a
   safety margin; violations are allowed but penalised (slack variables), because hard
   constraints make interior-point solvers fail on nearly infeasible problems.

**The year part and rising year means.** The year mean of variable :math:`j` in year :math:`t`
is :math:`\mu_j + g_{t,j}`, where the year vectors :math:`g_t` (rows of the 10 x 12 matrix
:math:`G`) have Gram :math:`G'G = \tfrac{n-1}{41}B` and 2011 row :math:`g_1`. :math:`B` alone
says nothing about the order of the years, and realising it with a "trend + remainder" of free
rotation gave hump-shaped year means. So the year paths of ``inno``, ``gdp``, ``wage`` and
``human`` are unknowns of the SDP themselves (:math:`G_g`, 10 x 4): their yearly rises are
linear in :math:`G_g` and bounded below (:data:`GROWTH`), with steady growth for ``inno``,
``gdp``, ``wage`` (:data:`STEADY_BAND`), and the LMI
:math:`\begin{pmatrix}B_{f,gg} & G_g'\\ G_g & I\end{pmatrix} \succeq 0` of rank 10 ties
them to :math:`B` (:math:`B_{f,gg} = G_g'G_g`). The realisation
(:func:`yrd_twin.realise.year_part`) then uses exactly these paths. Tables 3-4 want ``human``'s
year part nearly orthogonal to the common trend (unconstrained designs make it U-shaped), so its
monotone path is almost flat with the rise at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cvxpy as cp
import numpy as np

from yrd_twin.targets import IDX, N_CITY, N_YEAR, VARS, N, Targets, load_targets

P = len(VARS)
#: Variables whose year means must rise every year, with the smallest yearly rise of their year
#: mean (standardized units). ``human`` gets a smaller floor: Tables 3-4 want its year part
#: nearly orthogonal to the common trend (see :func:`solve_design`), so it stays almost flat and
#: rises late.
GROWTH = {"inno": 0.01, "gdp": 0.01, "wage": 0.01, "human": 0.002}
#: Variables with steady growth: every yearly rise within :data:`STEADY_BAND` times their
#: average yearly rise (no decade of growth packed into one or two years).
STEADY = ("inno", "gdp", "wage")
#: Smallest rise of the year mean from 2011 to 2020 of every :data:`GROWTH` variable (standardized
#: units). With real ``gdp``, ``wage``, ``stru`` the tables want ``human``'s year part to covary
#: slightly negatively with theirs, which a path rising every year cannot do (Chebyshev's sum
#: inequality), so one yearly rise gives way; this keeps the decade's rise.
DECADE_RISE = 0.05
STEADY_BAND = (0.25, 2.5)
#: Penalty weights of the path constraints, of the rank-10 condition on the explicit paths and
#: (relative to the fit weight) of the R-squared boxes.
RISE_WEIGHT = 100.0
PATH_RANK_WEIGHT = 300.0
R2_WEIGHT = 10.0
#: Unit-norm centred linear trend over the 10 years.
TREND = (np.arange(N_YEAR) - (N_YEAR - 1) / 2) / np.sqrt(np.sum((np.arange(N_YEAR) - 4.5) ** 2))
#: Squared norm of the part of the 2011 indicator orthogonal to the constant and the trend.
H1_NORM2 = 1 - 1 / N_YEAR - TREND[0] ** 2
#: Gram scalings: sum_i a_i a_i' = CITY_SCALE * A, sum_t g_t g_t' = YEAR_SCALE * B.
CITY_SCALE = (N - 1) / N_YEAR
YEAR_SCALE = (N - 1) / N_CITY
#: Band for the classical t-statistics, relative to the published |t| (soft).
T_BAND = (0.65, 1.5)
T_WEIGHT = 10.0
#: Room (standardized units) kept between Shanghai's 2011/2020 values and Table 2's min / max.
RANGE_ROOM = 0.3


@dataclass
class Design:
    r"""A solved moment design, in standardized units.

    Attributes
    ----------
    scale_mean, scale_sd
        The published mean and SD of each variable (for ``tcf``: implied by Table 6 column
        (4)); variable :math:`j` in raw units is ``scale_mean[j] + scale_sd[j] * z_j``.
    zeta
        Grand means of :math:`z` (inside the rounding box of the printed means).
    A, B, E
        City, year and within covariance matrices (divisor :math:`n - 1`).
    a1, g1
        Deviation of the first city (Shanghai) and of 2011 from the grand mean.
    tau, H
        Year part as trend plus remainder:
        :math:`\sum_t g_t g_t' = \tau\tau' + H = \tfrac{n-1}{41} B`.
    Gg
        Year paths (10 x 4, 2011 first, centred) of the :data:`GROWTH` variables, in that order:
        their year means minus the grand mean, rising every year;
        :math:`G_g'G_g = \tfrac{n-1}{41} B_{gg}` (up to the rank gap, ~1e-9).
    """

    scale_mean: np.ndarray
    scale_sd: np.ndarray
    zeta: np.ndarray
    A: np.ndarray
    B: np.ndarray
    E: np.ndarray
    a1: np.ndarray
    g1: np.ndarray
    tau: np.ndarray
    H: np.ndarray
    Gg: np.ndarray
    #: Indices (in :data:`VARS`) of the columns of ``Gg``: the :data:`GROWTH` variables, then
    #: any anchored variable whose year path is data (:func:`anchored_moments`).
    gix: np.ndarray = field(default_factory=lambda: np.array([IDX[v] for v in GROWTH]))
    #: Indices of the anchored variables (data, not designed) and their standardized values
    #: (410 x len(fixed), city-major); empty for a fully synthetic twin.
    fixed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    Fz: np.ndarray = field(default_factory=lambda: np.zeros((N, 0)))

    @property
    def C(self) -> np.ndarray:
        """Total covariance in standardized units."""
        return self.A + self.B + self.E

    def save(self, path) -> None:
        """Write the design to a ``.npz`` file."""
        np.savez(path, **self.__dict__)

    @classmethod
    def load(cls, path) -> Design:
        """Read a design written by :meth:`save`."""
        with np.load(path) as f:
            return cls(**{k: f[k] for k in f.files})


def decompose(Z: np.ndarray):
    """Balanced-panel decomposition of a 410 x k panel (city-major): grand mean, city
    deviations (41 x k), year deviations (10 x k), two-way within part (410 x k)."""
    Z3 = Z.reshape(N_CITY, N_YEAR, -1)
    zeta = Z3.mean(axis=(0, 1))
    c = Z3.mean(axis=1) - zeta
    g = Z3.mean(axis=0) - zeta
    e = Z3 - zeta - c[:, None, :] - g[None, :, :]
    return zeta, c, g, e.reshape(N, -1)


@dataclass
class Fixed:
    """What the anchored variables fix in the design (standardized units).

    ``idx``: their indices in :data:`VARS`; ``zeta``, ``A``, ``Bf`` (:math:`\tfrac{n-1}{41}B`),
    ``E`` the blocks; ``a1``, ``tau``, ``h1`` Shanghai's deviation, the trend loadings and the
    2011 remainder; ``G`` their year paths (10 x k, 2011 first).
    """

    idx: np.ndarray
    Fz: np.ndarray
    zeta: np.ndarray
    A: np.ndarray
    Bf: np.ndarray
    E: np.ndarray
    a1: np.ndarray
    tau: np.ndarray
    h1: np.ndarray
    G: np.ndarray


def anchored_moments(Fz: np.ndarray, idx) -> Fixed:
    """The design blocks fixed by anchored columns ``Fz`` (410 x k, standardized, city-major)."""
    zeta, c, g, e = decompose(Fz)
    tau = TREND @ g
    return Fixed(
        np.asarray(idx, dtype=int),
        Fz,
        zeta,
        (c.T @ c) / CITY_SCALE,
        g.T @ g,
        (e.T @ e) / (N - 1),
        c[0],
        tau,
        g[0] - TREND[0] * tau,
        g,
    )


def design_of(Z: np.ndarray, scale_mean, scale_sd, gix=None) -> Design:
    """The exact design of a standardized panel ``Z`` (410 x 12, city-major)."""
    zeta, c, g, e = decompose(Z)
    gix = np.array([IDX[v] for v in GROWTH]) if gix is None else np.asarray(gix)
    Bf = g.T @ g
    tau = TREND @ g
    return Design(
        np.asarray(scale_mean),
        np.asarray(scale_sd),
        zeta,
        c.T @ c / CITY_SCALE,
        Bf / YEAR_SCALE,
        e.T @ e / (N - 1),
        c[0],
        g[0],
        tau,
        Bf - np.outer(tau, tau),
        g[:, gix],
        gix,
    )


def gram_for(design_mats, city: bool, year: bool):
    """The covariance matrix a column sees: city dummies remove A, year dummies remove B."""
    A, B, E = design_mats
    M = E
    if not city:
        M = M + A
    if not year:
        M = M + B
    return M


def tcf_scale(t: Targets) -> tuple[float, float]:
    """Mean and SD of ``tcf`` implied by Table 6 column (4) and Tables 2-3.

    Notes
    -----
    In the pooled regression :math:`R^2 = b'\\Sigma_{xx} b / s_y^2` and
    :math:`\\hat\\alpha = \\bar y - b'\\bar x`, so :math:`s_y^2 = b'\\Sigma_{xx}b / R^2` and
    :math:`\\bar y = \\hat\\alpha + b'\\bar x`.
    """
    r = [r for r in t.regressions if r.table == 6 and r.column == "4"][0]
    ix = [IDX[v] for v in r.x]
    S = t.corr[np.ix_(ix, ix)] * np.outer(t.sd[ix], t.sd[ix])
    return float(r.const + r.coef @ t.mean[ix]), float(np.sqrt(r.coef @ S @ r.coef / r.r2))


def exact_stats(d: Design, t: Targets):
    """Slopes (standardized), 1 - R^2 and constants (raw) implied exactly by a design."""
    out = []
    m, s = d.scale_mean, d.scale_sd
    for r in t.regressions:
        y, ix = IDX[r.y], [IDX[v] for v in r.x]
        M = gram_for((d.A, d.B, d.E), r.city, r.year)
        bz = np.linalg.solve(M[np.ix_(ix, ix)], M[ix, y])
        one_r2 = (M[y, y] - bz @ M[ix, y]) / d.C[y, y]
        u = d.zeta + d.a1 * r.city + d.g1 * r.year
        const = m[y] + s[y] * (u[y] - bz @ (m[ix] / s[ix] + u[ix]))
        out.append((bz, one_r2, const))
    return out


def col(v):
    """A cvxpy vector as a column."""
    return cp.reshape(v, (v.shape[0], 1), order="C")


def row(v):
    """A cvxpy vector as a row."""
    return cp.reshape(v, (1, v.shape[0]), order="C")


def _box(expr, lo, hi, w, slacks, weights, name=""):
    """Soft box lo <= expr <= hi: a nonnegative slack per side, penalised with weight w."""
    s = cp.Variable(expr.shape, nonneg=True, name=name or None)
    slacks.append(s)
    weights.append(w)
    return [expr >= lo - s, expr <= hi + s]


def solve_design(
    t: Targets | None = None,
    passes: int = 6,
    margin: float = 0.3,
    eps_a: float = 2e-2,
    eps_e: float = 2e-3,
    verbose: bool = False,
    plausible: bool = True,
    trust: float = 0.02,
    t_band: tuple[float, float] | None = T_BAND,
    fixed: Fixed | None = None,
    start: Design | None = None,
    rise_weight: float = RISE_WEIGHT,
) -> Design:
    r"""Solve the moment design by sequential semidefinite programming.

    Parameters
    ----------
    t
        Targets (default: read from ``data/published``).
    passes
        Number of linearise-and-solve passes.
    margin
        Fraction of each rounding box's half-width kept free on each side.
    eps_a, eps_e
        Lower bounds on the smallest eigenvalues of :math:`A` and :math:`E` (keeps the design
        away from the PSD boundary, so that classical t-statistics stay sensible).

    Notes
    -----
    Unknowns (standardized units, 12 variables): :math:`A, E \succeq` (eps) :math:`I`; the year
    part :math:`B_f = \tfrac{n-1}{41}B = \tau\tau' + H`, written through the LMI
    :math:`Z = \begin{pmatrix}B_f & \tau & h_1\\ \tau' & 1 & 0\\ h_1' & 0 & \|Pe_{2011}\|^2
    \end{pmatrix} \succeq 0` whose rank is pushed to 9 by trace reweighting (so the remainder
    after the trend and the 2011 row has rank 7 and fits in the 7 remaining year directions);
    the explicit year paths :math:`G_g` of the growing variables, tied to :math:`B_f` by
    :math:`Z_g = \begin{pmatrix}B_{f,gg} & G_g'\\ G_g & I_{10}\end{pmatrix} \succeq 0`
    (rank pushed to 10 by trace reweighting, i.e. :math:`B_{f,gg} = G_g'G_g`), with
    :math:`\ell'G_g = \tau_g`, first row :math:`g_{1,g}` and centred columns; grand means
    :math:`\zeta`; base-city and base-year deviations :math:`a_1`, :math:`g_1 = \ell_1\tau + h_1`
    (:math:`\ell` the unit linear trend); the standardized slopes :math:`b_c` of all ten columns.

    Constraints (each a soft box around the printed value, shrunk by ``margin``):

    * SDs: :math:`C_{jj} \in [(s_j \mp h)^2/s_j^2]`; correlations:
      :math:`C_{ij} - r_{ij}\sqrt{C_{ii}C_{jj}} \in \pm h\sqrt{C_{ii}C_{jj}}`, the square root
      linearised;
    * slopes in their boxes; normal equations :math:`M_{xx}b = M_{xy}` linearised as
      :math:`M^0_{xx} b + M_{xx} b^0 - M^0_{xx} b^0 = M_{xy}`;
    * :math:`(1 - R^2) C_{yy} \le M_{yy} - b'M_{xy}` and the other side, linearised;
    * constants, linear in :math:`(\zeta, a_1, g_1)` for fixed slopes, linearised;
    * realisability of the base rows (Schur complements):
      :math:`\begin{pmatrix}\tfrac{n-1}{10}A & a_1\\ a_1' & 40/41\end{pmatrix} \succeq 0`
      (the other 40 city means can sum to :math:`-a_1`), and
      :math:`\begin{pmatrix}H & h_1\\ h_1' & \|P e_{2011}\|^2\end{pmatrix} \succeq 0`;
    * plausibility: every yearly rise :math:`G_{g,t+1,j} - G_{g,t,j} \ge` :data:`GROWTH`
      :math:`_j` (weight :data:`RISE_WEIGHT`), and for :data:`STEADY` variables within
      :data:`STEADY_BAND` times the average rise :math:`(G_{g,10,j} - G_{g,1,j})/9` (without it
      the solver packs the decade's growth into one or two years, and Table 2's medians can no
      longer be met); Shanghai's city-mean ``gdp`` at least 2 SD above the mean; Shanghai's
      2011 and 2020 (trend part) values inside Table 2's range.

    The R-squared boxes carry :data:`R2_WEIGHT` times the fit weight: column (5)'s R-squared and
    adjusted R-squared leave a very narrow common interval, which the t-statistic band would
    otherwise trade away.

    **Anchored variables** (``fixed``, :func:`anchored_moments`): variables whose values are data
    (public figures). Their blocks of :math:`A, B, E`, their grand means, Shanghai's and 2011's
    deviations, trend loadings and year paths are then constants (equalities), and only the
    blocks involving the synthetic variables are unknown; the PSD constraints on the full
    matrices keep the completion realisable around the data (:mod:`yrd_twin.realise`). Their
    own mean, SD and correlation boxes, growth and range constraints are dropped (the data meet
    them or not; nothing can move them).
    """
    t = t or load_targets()
    m_tcf, s_tcf = tcf_scale(t)
    m = np.append(t.mean, m_tcf)
    s = np.append(t.sd, s_tcf)
    p11 = len(t.mean)
    # starting point: published correlations, tcf covariances from Table 6 column (4)
    C0 = np.eye(P)
    C0[:p11, :p11] = t.corr
    r4 = [r for r in t.regressions if r.table == 6 and r.column == "4"][0]
    ix4 = [IDX[v] for v in r4.x]
    bz4 = r4.coef * s[ix4] / s_tcf
    C0[ix4, -1] = C0[-1, ix4] = t.corr[np.ix_(ix4, ix4)] @ bz4
    A0, B0, E0 = 0.55 * C0, 0.1 * C0, 0.35 * C0
    bz0 = [r.coef * s[[IDX[v] for v in r.x]] / s[IDX[r.y]] for r in t.regressions]
    zeta0, a10, g10 = np.zeros(P), np.zeros(P), np.zeros(P)
    if start is not None:  # linearise around a previous design
        A0, B0, E0 = start.A.copy(), start.B.copy(), start.E.copy()
        zeta0, a10, g10 = start.zeta.copy(), start.a1.copy(), start.g1.copy()
        C0 = A0 + B0 + E0
    Wlow = Wg = None
    fx = np.zeros(0, dtype=int) if fixed is None else np.asarray(fixed.idx, dtype=int)
    isfix = np.isin(np.arange(P), fx)
    free = np.flatnonzero(~isfix[:p11])  # synthetic variables of Tables 2-3
    gix = [IDX[v] for v in GROWTH] + [int(j) for j in fx if VARS[j] not in GROWTH]
    gfree = [j for j in gix if not isfix[j]]
    if fixed is not None:  # linearise around the data where it is known
        F = np.ix_(fx, fx)
        A0, E0, B0 = A0.copy(), E0.copy(), B0.copy()
        A0[F], E0[F], B0[F] = fixed.A, fixed.E, fixed.Bf / YEAR_SCALE
        C0 = A0 + B0 + E0
        zeta0[fx], a10[fx] = fixed.zeta, fixed.a1
        g10[fx] = fixed.G[0]
    if start is not None:
        d0 = Design(m, s, zeta0, A0, B0, E0, a10, g10, start.tau, start.H, start.Gg)
        bz0 = [e[0] for e in exact_stats(d0, t)]
    d = None
    blin = None
    for it in range(passes + 2):
        final = it >= passes
        A = cp.Variable((P, P), symmetric=True)
        E = cp.Variable((P, P), symmetric=True)
        tau = cp.Variable(P)
        h1 = cp.Variable(P)
        zeta, a1 = cp.Variable(P), cp.Variable(P)
        Bf = cp.Variable((P, P), symmetric=True)  # YEAR_SCALE * B = sum_t g_t g_t'
        # Z = [[Bf, tau, h1], [tau', 1, 0], [h1', 0, |P e_2011|^2]] >= 0 says that
        # Bf - tau tau' - h1 h1' / H1_NORM2 >= 0: the trend, the 2011 row and the remaining 7
        # year directions fit together; rank Z <= 9 (trace reweighting) makes it realisable.
        Z = cp.bmat(
            [
                [Bf, col(tau), col(h1)],
                [row(tau), np.ones((1, 1)), np.zeros((1, 1))],
                [row(h1), np.zeros((1, 1)), np.full((1, 1), H1_NORM2)],
            ]
        )
        cons = [Z >> 0]
        # explicit year paths Gg (10 x 4) of the growing variables, 2011 first:
        # Zg = [[Bf_gg, Gg'], [Gg, I]] >= 0 says Bf_gg >= Gg'Gg; rank Zg <= 10 (trace
        # reweighting) makes it an equality, so these paths are their year means exactly.
        # (The identity block is a variable fixed to I: a constant block there makes CLARABEL's
        # chordal decomposition panic.)
        # Anchored paths are data: they stay out of Zg (a constant rank-deficient block would
        # leave the LMI without interior), their Gram with the free paths is linear.
        Gv = cp.Variable((N_YEAR, len(gfree)))
        Gg = Gv
        if fixed is not None:
            Gg = cp.hstack(
                [
                    Gv[:, [gfree.index(j)]] if not isfix[j] else fixed.G[:, [list(fx).index(j)]]
                    for j in gix
                ]
            )
        Sg = np.eye(P)[gfree]
        Bgg = cp.Variable((len(gfree), len(gfree)), symmetric=True)
        Iv = cp.Variable((N_YEAR, N_YEAR), symmetric=True)
        cons += [Iv == np.eye(N_YEAR)]
        Zg = cp.bmat([[Bgg, Gv.T], [Gv, Iv]])
        cons += [Bgg == Sg @ Bf @ Sg.T]
        cons += [Zg >> 0, cp.sum(Gv, axis=0) == 0]
        if fixed is not None:
            cons += [Bf[np.ix_(gfree, fx)] == Gv.T @ fixed.G]
        # consistent with the trend loadings and the 2011 row of the year part
        cons += [TREND @ Gg == tau[gix]]
        cons += [Gg[0] == TREND[0] * tau[gix] + h1[gix]]
        Bm = Bf / YEAR_SCALE
        g1 = TREND[0] * tau + h1
        C = A + Bm + E
        cons += [A >> eps_a * np.eye(P), E >> eps_e * np.eye(P)]
        if fixed is not None:  # the anchored blocks are data
            F = np.ix_(fx, fx)
            cons += [A[F] == fixed.A, E[F] == fixed.E, Bf[F] == fixed.Bf]
            cons += [zeta[fx] == fixed.zeta, a1[fx] == fixed.a1]
            cons += [tau[fx] == fixed.tau, h1[fx] == fixed.h1]
        cons += [
            cp.bmat([[CITY_SCALE * A, col(a1)], [row(a1), np.full((1, 1), (N_CITY - 1) / N_CITY)]])
            >> 0,
        ]
        slacks, weights = [], []
        W = 1e3
        # means
        hz = t.mean_h / t.sd * (1 - margin)
        cons += [cp.abs(zeta[free]) <= hz[free]]
        # SDs
        lo = ((t.sd - t.sd_h * (1 - margin)) / t.sd) ** 2
        hi = ((t.sd + t.sd_h * (1 - margin)) / t.sd) ** 2
        cons += _box(cp.diag(C)[free], lo[free], hi[free], W, slacks, weights, "sd")
        # correlations, sqrt(C_ii C_jj) linearised at C0
        dC0 = np.diag(C0)
        for i in range(p11):
            for j in range(i):
                if isfix[i] and isfix[j]:
                    continue
                sq0 = np.sqrt(dC0[i] * dC0[j])
                sq = sq0 + 0.5 * sq0 * ((C[i, i] - dC0[i]) / dC0[i] + (C[j, j] - dC0[j]) / dC0[j])
                h = t.corr_h[i, j] * (1 - margin)
                cons += _box(
                    C[i, j] - t.corr[i, j] * sq, -h * sq0, h * sq0, W, slacks, weights, "corr"
                )
        # regressions
        mats0 = (A0, B0, E0)
        u0_all = (zeta0, a10, g10)
        bvars = []
        if final:  # slopes fixed at the last linearised solution: everything is exactly linear
            bz0 = blin
            dC0 = np.diag(C0)
        for r, b0 in zip(t.regressions, bz0, strict=True):
            y, ix = IDX[r.y], [IDX[v] for v in r.x]
            M0 = gram_for(mats0, r.city, r.year)
            M = gram_for((A, Bm, E), r.city, r.year)
            b = cp.Variable(len(ix)) if not final else b0
            bvars.append(b)
            sb = s[ix] / s[y]
            hb = r.coef_h * (1 - margin) * sb
            if not final:
                cons += _box(b, r.coef * sb - hb, r.coef * sb + hb, W, slacks, weights, "b")
            Mxx, Mxy = M[ix, :][:, ix], M[ix, y]
            M0xx, M0xy = M0[np.ix_(ix, ix)], M0[ix, y]
            ne = M0xx @ b + Mxx @ b0 - M0xx @ b0 - Mxy
            cons += _box(ne, 0, 0, 10 * W, slacks, weights, f"ne{r.table}{r.column}")
            ssr = M[y, y] - b0 @ Mxy - (b - b0) @ M0xy
            lo_, hi_ = r.one_minus_r2_interval(margin)
            cons += _box(
                ssr - lo_ * C[y, y],
                0,
                np.inf,
                R2_WEIGHT * W,
                slacks,
                weights,
                f"r2{r.table}{r.column}",
            )
            cons += _box(
                hi_ * C[y, y] - ssr,
                0,
                np.inf,
                R2_WEIGHT * W,
                slacks,
                weights,
                f"r2{r.table}{r.column}",
            )
            if t_band is not None and r.column != "4":  # (4) is pinned by Tables 2-3
                cons += _t_constraints(r, Mxx, M0xx, ssr, b0, t_band, slacks, weights)
            u = zeta + a1 * r.city + g1 * r.year
            u0 = u0_all[0] + u0_all[1] * r.city + u0_all[2] * r.year
            cx = m[ix] / s[ix]
            lin = u[y] - (b @ cx + b0 @ u[ix] + b @ u0[ix] - b0 @ u0[ix])
            target = (r.const - m[y]) / s[y]
            hc = r.const_h * (1 - margin) / s[y]
            cons += _box(lin, target - hc, target + hc, W, slacks, weights, f"c{r.table}{r.column}")
        # trust region around the linearisation point (after the first pass)
        if it:
            cons += [cp.abs(A - A0) <= trust, cp.abs(E - E0) <= trust, cp.abs(Bm - B0) <= trust]
        # plausibility
        for k, (v, step) in enumerate(GROWTH.items()) if plausible else ():
            if isfix[IDX[v]]:
                continue
            # every yearly rise of the year mean at least ``step``; steady for STEADY
            rise = Gg[1:, k] - Gg[:-1, k]
            cons += _box(rise, step, np.inf, rise_weight, slacks, weights, f"rise_{v}")
            # and over the decade: the L1 slack above puts any violation in one year, which can
            # otherwise leave 2020 below 2011 (the anchored design: human, see DECADE_RISE)
            decade = Gg[-1, k] - Gg[0, k]
            cons += _box(decade, DECADE_RISE, np.inf, rise_weight, slacks, weights, f"decade_{v}")
            if v in STEADY:
                tot = Gg[-1, k] - Gg[0, k]  # average rise: tot / (N_YEAR - 1)
                lo_s, hi_s = STEADY_BAND
                over = rise - hi_s * tot / (N_YEAR - 1)
                under = rise - lo_s * tot / (N_YEAR - 1)
                cons += _box(over, -np.inf, 0, RISE_WEIGHT, slacks, weights, "steady")
                cons += _box(under, 0, np.inf, RISE_WEIGHT, slacks, weights, "steady")
        if plausible and not isfix[IDX["gdp"]]:
            cons += _box(a1[IDX["gdp"]], 2.0, np.inf, 10.0, slacks, weights, "a1_gdp")
        # Shanghai in 2011 and (trend part) in 2020 must lie inside Table 2's range, with room
        zlo = (t.quantiles["min"] - t.mean) / t.sd + RANGE_ROOM
        zhi = (t.quantiles["max"] - t.mean) / t.sd - RANGE_ROOM
        for e in (a1[free] + g1[free], a1[free] + TREND[-1] * tau[free]):
            cons += _box(e, zlo[free], zhi[free], 10.0, slacks, weights, "range")
        obj = sum(w * cp.sum(sl) for w, sl in zip(weights, slacks, strict=True))
        # reweighted trace: penalise Z and Zg along their smallest eigen-directions
        # (rank Z <= 9, rank Zg <= 10)
        if Wlow is not None:
            obj = obj + 10.0 * cp.trace(Wlow @ Z) + PATH_RANK_WEIGHT * cp.trace(Wg @ Zg)
        prob = cp.Problem(cp.Minimize(obj), cons)
        prob.solve(solver=cp.CLARABEL, verbose=False)
        if prob.status not in ("optimal", "optimal_inaccurate"):
            raise RuntimeError(f"pass {it}: solver status {prob.status}")
        tauv = tau.value
        Bv = Bf.value / YEAR_SCALE
        Bv = (Bv + Bv.T) / 2
        Hv = Bf.value - np.outer(tauv, tauv)
        zw, zU = np.linalg.eigh(Z.value)
        Wlow = zU[:, : P + 2 - 9] @ zU[:, : P + 2 - 9].T
        zgw, zgU = np.linalg.eigh(Zg.value)
        Wg = zgU[:, : len(gfree)] @ zgU[:, : len(gfree)].T
        Ggv = Gg.value
        gap = zw[P + 2 - 9 - 1]
        A0, B0, E0 = A.value, Bv, E.value
        A0, E0 = (A0 + A0.T) / 2, (E0 + E0.T) / 2
        C0 = A0 + B0 + E0
        zeta0, a10, g10 = zeta.value, a1.value, TREND[0] * tauv + h1.value
        d = Design(m, s, zeta0, A0, B0, E0, a10, g10, tauv, Hv, Ggv, np.array(gix), fx)
        if fixed is not None:
            d.Fz = fixed.Fz
        if not final:
            blin = [b.value for b in bvars]
        ex = exact_stats(d, t)
        bz0 = [e[0] for e in ex]
        if verbose:
            sl = sum(float(np.sum(x.value)) for x in slacks)
            print(check(d, t))
            agg = {}
            for x, w in zip(slacks, weights, strict=True):
                k = "tband" if x.name().startswith("var") else x.name()
                agg[k] = agg.get(k, 0.0) + w * float(np.sum(x.value))
            print("    weighted slacks:", {k: round(v, 4) for k, v in agg.items() if v > 1e-5})
            print(
                f"pass {it}: obj {prob.value:.4g} slack {sl:.3g} 10th eig of Z {gap:.2g}"
                f" 11th eig of Zg {zgw[len(gfree) - 1]:.2g}"
            )
            print(
                "    yearly rises (inno, gdp, wage, human):\n", np.round(np.diff(Ggv, axis=0).T, 3)
            )
    return d


def _t_constraints(r, Mxx, M0xx, ssr, b0, band, slacks, weights):
    r"""Soft bounds on the classical t-statistics of one column.

    Notes
    -----
    With :math:`V_j = 1/[M_{xx}^{-1}]_{jj}` (the variance of regressor j net of the others),
    the classical t-statistic is :math:`t_j^2 = b_j^2 (n-k) V_j / \mathrm{SSR}`, SSR per
    :math:`n-1`. A lower bound :math:`V_j \ge c` is the LMI
    :math:`M_{xx} - c\, e_j e_j' \succeq 0` (Schur complement); an upper bound uses the tangent
    of the concave :math:`V_j` at the previous solution, which over-estimates it, so the linear
    constraint is conservative. The band is relative to the published |t|.
    """
    cons = []
    kx = len(b0)
    inv0 = np.linalg.inv(M0xx)
    for j in range(kx):
        tp = abs(r.t[j])
        if tp < 1e-9 or abs(b0[j]) < 1e-12:
            continue
        base = 1.0 / (b0[j] ** 2 * (N - r.k))
        k_lo, k_hi = (band[0] * tp) ** 2 * base, (band[1] * tp) ** 2 * base
        sl = cp.Variable(nonneg=True)
        slacks.append(sl)
        weights.append(T_WEIGHT)
        ej = np.zeros((kx, kx))
        ej[j, j] = 1.0
        cons.append((Mxx - (k_lo * ssr - sl) * ej) >> 0)
        u = inv0[:, j]
        G = np.outer(u, u) / u[j] ** 2
        V0 = 1.0 / inv0[j, j]
        sh = cp.Variable(nonneg=True)
        slacks.append(sh)
        weights.append(T_WEIGHT)
        cons.append(V0 + cp.sum(cp.multiply(G, Mxx - M0xx)) <= k_hi * ssr + sh)
    return cons


def check(d: Design, t: Targets) -> dict[str, int]:
    """Count the moment targets a design misses, at printed precision (no margin)."""
    p11 = len(t.mean)
    C = d.C
    sd = d.scale_sd[:p11] * np.sqrt(np.diag(C)[:p11])
    mean = d.scale_mean[:p11] + d.scale_sd[:p11] * d.zeta[:p11]
    R = C[:p11, :p11] / np.sqrt(np.outer(np.diag(C)[:p11], np.diag(C)[:p11]))
    il = np.tril_indices(p11, -1)
    out = {
        "mean": int(np.sum(np.abs(mean - t.mean) > t.mean_h)),
        "sd": int(np.sum(np.abs(sd - t.sd) > t.sd_h)),
        "corr": int(np.sum(np.abs(R - t.corr)[il] > t.corr_h[il])),
        "coef": 0,
        "r2": 0,
        "const": 0,
        "which": [],
    }
    out["which"] += [
        f"corr {VARS[i]}-{VARS[j]}"
        for i, j in zip(*il, strict=True)
        if abs(R[i, j] - t.corr[i, j]) > t.corr_h[i, j]
    ]
    for r, (bz, one_r2, const) in zip(t.regressions, exact_stats(d, t), strict=True):
        y, ix = IDX[r.y], [IDX[v] for v in r.x]
        b = bz * d.scale_sd[y] / d.scale_sd[ix]
        out["coef"] += int(np.sum(np.abs(b - r.coef) > r.coef_h))
        out["which"] += [
            f"T{r.table}({r.column}) {v} {bb:.5f} vs {c}"
            for v, bb, c, h in zip(r.x, b, r.coef, r.coef_h, strict=True)
            if abs(bb - c) > h
        ]
        r2 = 1 - one_r2
        r2a = 1 - one_r2 * (N - 1) / (N - r.k)
        out["r2"] += int(abs(r2 - r.r2) > r.r2_h) + int(abs(r2a - r.r2_a) > r.r2_a_h)
        if abs(r2 - r.r2) > r.r2_h or abs(r2a - r.r2_a) > r.r2_a_h:
            out["which"].append(f"T{r.table}({r.column}) r2 {r2:.5f} r2a {r2a:.5f}")
        out["const"] += int(abs(const - r.const) > r.const_h)
    return out
