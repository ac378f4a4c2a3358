r"""Realisation: a 410-row panel whose city, year and within parts have exactly the design's Gram.

Given the design (see :mod:`yrd_twin.moments`), every part is written as *orthonormal columns
times a fixed factor*: e.g. the within part is :math:`X_e = Q_e L_e'` with
:math:`L_e L_e' = (n-1)E` and :math:`Q_e'Q_e = I`. Any admissible :math:`Q_e` (orthonormal,
inside the within space) gives exactly the same second moments, so all regressions, means, SDs
and correlations are unchanged; the choice of :math:`Q` is free and is used for plausibility
(smooth paths, spatially smooth city means) and for the order statistics of Table 2.

**Anchored variables** (``d.fixed``: columns that are data, see :mod:`yrd_twin.anchor`). Their
city, year and within parts :math:`F` are known, and each part of the synthetic columns is
written as :math:`F K + Q L'`: :math:`K = M_{ff}^{-1}M_{fs}` (the part's Gram :math:`M`), so all
cross-products with the data are exact, plus orthonormal columns :math:`Q` orthogonal to
:math:`F` (and to the constant) times a factor :math:`L` of the Schur complement
:math:`M_{ss} - M_{sf}M_{ff}^{-1}M_{fs}`. In code the factor has zero rows for the anchored
variables and the offset :math:`F K` (with :math:`F` itself in the anchored columns) is kept
apart (``Oc``, ``Oe``), so the free rotations act only on the complement of the data and never
move it.
"""

from __future__ import annotations

import numpy as np

from yrd_twin.moments import CITY_SCALE, YEAR_SCALE, Design, decompose
from yrd_twin.targets import IDX, N_CITY, N_YEAR, N, Targets, lag1_autocorr  # noqa: F401 (re-export)

#: Number of low-frequency temporal contrasts used for the within part (linear, quadratic, ...).
WITHIN_FREQS = 3
#: Extra alternating-projection iterations allowed until the order statistics are met to TOL.
MAX_EXTRA = 4000
TOL = 1e-9
#: Standardized margin by which Shanghai's city-mean gdp must exceed every other city's.
SHANGHAI_LEAD = 0.05
GDP = 2  # index of gdp in the variable order
#: Raw-unit gap kept between the printed min / max and every other observation.
TIE_GAP = 2e-3


def factor(M: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """A factor L with L L' = M for a PSD matrix M (eigenvalues below ``tol`` dropped)."""
    w, U = np.linalg.eigh((M + M.T) / 2)
    keep = w > tol * max(w.max(), 1.0)
    U, w = U[:, keep][:, ::-1], w[keep][::-1]
    return U * np.sqrt(w)


def orth_complement(X: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the orthogonal complement of the columns of X."""
    Q, _ = np.linalg.qr(X, mode="complete")
    return Q[:, X.shape[1] :]


def poly_basis(n: int) -> np.ndarray:
    """Orthonormal polynomial (discrete Legendre) basis of R^n, constant first, by degree."""
    t = np.arange(n, dtype=float)
    V = np.vander((t - t.mean()) / n, n, increasing=True)
    Q, R = np.linalg.qr(V)
    return Q * np.sign(np.diag(R))


def year_space() -> tuple[np.ndarray, np.ndarray]:
    """(p, S): the centred 2011 indicator and an orthonormal basis (10 x 8) of the rest.

    ``S`` spans the centred year vectors that vanish in 2011, smoothest (by polynomial degree)
    first; every centred year vector is ``p * x[0] / |p|^2 + S @ (S' x)``.
    """
    Pb = poly_basis(N_YEAR)[:, 1:]  # non-constant, by degree
    p = np.eye(N_YEAR)[0] - 1 / N_YEAR
    c = Pb.T @ p  # coordinates of p
    M = np.eye(len(c)) - np.outer(c, c) / (c @ c)
    Q, R = np.linalg.qr(M[:, :-1])
    return p, Pb @ (Q * np.sign(np.diag(R)))


def smooth_complement(Q: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the complement of the columns of Q, built from the coordinate axes
    in order (Gram-Schmidt), so the first columns are the smoothest when the axes are."""
    n = Q.shape[0]
    out = [q for q in Q.T]
    for e in np.eye(n):
        v = e - sum((q @ e) * q for q in out)
        v = v - sum((q @ v) * q for q in out)
        nv = np.linalg.norm(v)
        if nv > 1e-8:
            out.append(v / nv)
        if len(out) == n:
            break
    return np.array(out[Q.shape[1] :]).T


def year_part(d: Design) -> np.ndarray:
    r"""The 10 year vectors :math:`g_t` (10 x 12): exact Gram, 2011 row and growth paths.

    Notes
    -----
    Write :math:`G = p\, g_1' / \|p\|^2 + S Y` with :math:`p` the centred 2011 indicator and
    :math:`S` (10 x 8) an orthonormal basis of the centred years orthogonal to it, smoothest
    first (:func:`year_space`). Every :math:`Y` with
    :math:`Y'Y = B_f - g_1 g_1'/\|p\|^2`, :math:`B_f = \tfrac{n-1}{41}B`, gives the design's
    Gram and 2011 row, hence every moment. :math:`Y` is chosen as

    1. a factor of that matrix, rotated (orthogonal Procrustes) so that the columns of the
       growing variables equal the coordinates :math:`S'G_g` of the design's explicit year
       paths; the design makes :math:`B_{f,gg} = G_g'G_g` (up to its rank gap, ~1e-9), so the
       year means of ``inno``, ``gdp``, ``wage``, ``human`` are exactly those monotone paths;
    2. for the other variables, the part orthogonal to the growth paths is put on the
       smoothest remaining directions, largest singular value first.
    """
    gix = [int(j) for j in d.gix]
    p, S = year_space()
    # rank <= 8 by design (the design's rank-9 LMI); eigenvalues beyond the 8th are ~1e-8
    L = factor(YEAR_SCALE * d.B - np.outer(d.g1, d.g1) / (p @ p))[:, : S.shape[1]]
    U, _, Vt = np.linalg.svd((S.T @ d.Gg) @ L[gix], full_matrices=False)
    Y = U @ Vt @ L.T
    Qg, _ = np.linalg.qr(Y[:, gix])
    Qc = smooth_complement(Qg)
    _, sc, Vct = np.linalg.svd(Qc.T @ Y, full_matrices=False)
    Y = Qg @ (Qg.T @ Y) + Qc[:, : len(sc)] @ (sc[:, None] * Vct)
    G = np.outer(p, d.g1) / (p @ p) + S @ Y
    if len(d.fixed):  # the data's own year paths (equal to ~1e-9 by the design's rank gap)
        G[:, d.fixed] = decompose(d.Fz)[2]
    return G


def _schur(M: np.ndarray, fixed: np.ndarray):
    """(K, L): K = M_ff^-1 M_fs (k x p, zero on the fixed columns) and a factor L (p x r) of the
    Schur complement M_ss - M_sf K_s, zero on the fixed rows."""
    p = M.shape[0]
    s = np.setdiff1d(np.arange(p), fixed)
    K = np.zeros((len(fixed), p))
    K[:, s] = np.linalg.solve(M[np.ix_(fixed, fixed)], M[np.ix_(fixed, s)])
    S = M[np.ix_(s, s)] - M[np.ix_(s, fixed)] @ K[:, s]
    Ls = factor(S)
    L = np.zeros((p, Ls.shape[1]))
    L[s] = Ls
    return K, L


def _offset(F: np.ndarray, K: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """F K in the synthetic columns, F itself in the anchored ones."""
    off = F @ K
    off[:, fixed] = F
    return off


def _complement_of(B: np.ndarray, F: np.ndarray) -> np.ndarray:
    """Orthonormal basis of span(B) minus the directions of F (F's columns in span(B))."""
    Qf, _ = np.linalg.qr(F)
    P = B - Qf @ (Qf.T @ B)
    U, sv, _ = np.linalg.svd(P, full_matrices=False)
    return U[:, sv > 1e-8]


def city_setup(d: Design):
    """(Bc, Lc, Oc) of cities 2..41: rows 2..41 of the city part are
    ``-a1 / 40 + Oc + Bc @ Rc @ Lc.T`` for any orthonormal ``Rc``."""
    Bc = orth_complement(np.ones((N_CITY - 1, 1)))
    Rm = CITY_SCALE * d.A - (N_CITY / (N_CITY - 1)) * np.outer(d.a1, d.a1)
    if not len(d.fixed):
        return Bc, factor(Rm), np.zeros((N_CITY - 1, d.A.shape[0]))
    c = decompose(d.Fz)[1]
    Yf = c[1:] + c[0] / (N_CITY - 1)
    K, L = _schur(Rm, d.fixed)
    return _complement_of(Bc, Yf), L, _offset(Yf, K, d.fixed)


def within_setup(d: Design, bases):
    """(Le, Oe, bases): the within part is ``Oe + B @ R @ Le.T`` for each basis B of ``bases``
    (made orthogonal to the anchored within part) and any orthonormal ``R``."""
    M = (N - 1) * d.E
    if not len(d.fixed):
        return factor(M), np.zeros((N, M.shape[0])), bases
    e = decompose(d.Fz)[3]
    K, L = _schur(M, d.fixed)
    return L, _offset(e, K, d.fixed), [_complement_of(B, e) for B in bases]


def city_part(d: Design, fields: np.ndarray) -> np.ndarray:
    r"""The 41 city vectors :math:`a_i` (41 x 12), Shanghai's fixed to :math:`a_1`.

    ``fields`` (40 x m, m >= rank) are candidate spatial patterns for the other 40 cities; the
    orthonormal directions used are their leading (Gram-Schmidt) combinations orthogonal to the
    constant, so city means inherit the patterns' spatial smoothness.
    """
    Rm = CITY_SCALE * d.A - (N_CITY / (N_CITY - 1)) * np.outer(d.a1, d.a1)
    L = factor(Rm)
    F = fields - fields.mean(axis=0)
    Q, _ = np.linalg.qr(F)
    K = Q[:, : L.shape[1]] @ L.T
    return np.vstack([d.a1, -d.a1 / (N_CITY - 1) + K])


def city_factor(d: Design) -> np.ndarray:
    """Factor L of the other 40 cities' centred Gram, (n-1)/10 A - (41/40) a_1 a_1'."""
    return factor(CITY_SCALE * d.A - (N_CITY / (N_CITY - 1)) * np.outer(d.a1, d.a1))


def within_basis(freqs: int = WITHIN_FREQS, free_years: bool = True) -> np.ndarray:
    """Orthonormal basis of the two-way within space using the ``freqs`` smoothest year contrasts.

    Rows are city-major (city, then year). Shape 410 x (40 * freqs).
    """
    Uc = orth_complement(np.ones((N_CITY, 1)))
    Ut = poly_basis(N_YEAR)[:, 1 : 1 + freqs]
    return np.kron(Uc, Ut)


def procrustes(Bs: np.ndarray, target: np.ndarray, L: np.ndarray) -> np.ndarray:
    """Orthonormal R minimising ||Bs R L' - target|| (Bs orthonormal columns)."""
    U, _, Vt = np.linalg.svd(Bs.T @ target @ L, full_matrices=False)
    return U @ Vt


def assemble(d: Design, a: np.ndarray, g: np.ndarray, Xe: np.ndarray) -> np.ndarray:
    """Standardized panel (410 x 12, city-major): grand mean + city + year + within parts."""
    return d.zeta + np.repeat(a, N_YEAR, axis=0) + np.tile(g, (N_CITY, 1)) + Xe


def order_target(Z, zmin, zmax, zmed, gapz, skip=()) -> np.ndarray:
    """The nearest panel with Table 2's min / median / max (standardized units), for projections.

    The current minimum and maximum of each of the first ``len(zmin)`` variables move to the
    printed values; every other value is kept ``gapz`` inside them (no ties at the extremes, so
    they stay differentiable); the two middle observations (205th and 206th of 410) shift
    together so that their mean is the printed median. Columns in ``skip`` (anchored data) are
    left as they are.
    """
    p11 = len(zmin)
    T = np.clip(Z, np.append(zmin + gapz, -np.inf), np.append(zmax - gapz, np.inf))
    skip = [int(j) for j in skip]
    T[:, skip] = Z[:, skip]
    for j in range(p11):
        if j in skip:
            continue
        o = np.argsort(Z[:, j], kind="stable")
        T[o[0], j] = zmin[j]
        T[o[-1], j] = zmax[j]
        mid = (Z[o[204], j] + Z[o[205], j]) / 2
        T[o[204], j] += zmed[j] - mid
        T[o[205], j] += zmed[j] - mid
    return T


def city_step(d: Design, T, a, g, Xe, Bc, Lc, Oc=0.0) -> np.ndarray:
    """The city rotation nearest a target panel ``T``, Shanghai kept the richest (Procrustes).

    The per-city average of what ``T`` asks of the city part (``T`` minus the year and within
    parts); every city but Shanghai (row 0) is capped ``SHANGHAI_LEAD`` below Shanghai's gdp.
    """
    Tc = (T - assemble(d, np.zeros_like(a), g, Xe)).reshape(N_CITY, N_YEAR, -1).mean(axis=1)
    Tc[1:, GDP] = np.minimum(Tc[1:, GDP], d.a1[GDP] - SHANGHAI_LEAD)
    return procrustes(Bc, Tc[1:] + d.a1 / (N_CITY - 1) - Oc, Lc)


def realise(
    d: Design,
    t: Targets,
    rng: np.random.Generator,
    W: np.ndarray,
    iters: tuple[int, int] = (800, 600),
    verbose: bool = False,
    freqs: int = WITHIN_FREQS,
    full_freqs: int = N_YEAR - 1,
) -> Realisation:
    r"""Realise the design as a panel with Table 2's order statistics (see :class:`Realisation`).

    Parameters
    ----------
    d, t
        Design and targets.
    rng
        Seeded generator (spatial fields and starting rotation).
    W
        41 x 41 row-standardised spatial weights, used to make city means spatially smooth.
    iters
        Alternating-projection iterations for min / median / max: first inside the smooth
        within basis (``freqs`` temporal contrasts), then in the whole within space (which
        reaches the printed values exactly while staying close to the smooth start).

    Notes
    -----
    City means: random fields smoothed twice by :math:`W` (so neighbouring cities resemble each
    other), orthonormalised. Within part: :math:`X_e = B_s R L_e'` with :math:`B_s` the
    low-frequency within basis (:func:`within_basis`) and :math:`R` orthonormal. The order
    statistics are then fitted by alternating projections: move the current minimum, median
    pair and maximum of every variable to the printed values, then return to the exact-Gram
    set by the orthogonal Procrustes step :math:`R = \mathrm{polar}(B_s' X^{*} L_e)`.
    """
    p11 = len(t.mean)
    noise = rng.standard_normal((N_CITY, 3 * a_rank(d)))
    S = np.eye(N_CITY) + W + W @ W
    fields = (S @ S @ noise)[1:]
    g = year_part(d)
    Le, Oe, (Bs, full) = within_setup(d, [within_basis(freqs), within_basis(full_freqs)])
    R, _ = np.linalg.qr(rng.standard_normal((Bs.shape[1], Le.shape[1])))
    Bc, Lc, Oc = city_setup(d)
    if len(d.fixed):  # the fields' leading directions orthogonal to the data's city part
        F = fields - fields.mean(axis=0)
        Q, _ = np.linalg.qr(Bc @ (Bc.T @ F))
        Rc = Bc.T @ Q[:, : Lc.shape[1]]
    else:
        a = city_part(d, fields)
        Rc = procrustes(Bc, a[1:] + d.a1 / (N_CITY - 1), Lc)
    zmin = (t.quantiles["min"] - d.scale_mean[:p11]) / d.scale_sd[:p11]
    zmax = (t.quantiles["max"] - d.scale_mean[:p11]) / d.scale_sd[:p11]
    zmed = (t.quantiles["median"] - d.scale_mean[:p11]) / d.scale_sd[:p11]

    def city(Rc):
        return np.vstack([d.a1, -d.a1 / (N_CITY - 1) + Oc + Bc @ Rc @ Lc.T])

    for it in range(sum(iters) + MAX_EXTRA):
        if it == iters[0]:  # stage 2: the whole within space, starting from the smooth solution
            R = full.T @ (Bs @ R)
            Bs = full
        a = city(Rc)
        fixed = assemble(d, a, g, Oe)
        Xe = Bs @ R @ Le.T
        Z = fixed + Xe
        # others kept strictly inside (no ties at the extremes: keeps them differentiable)
        gapz = TIE_GAP / d.scale_sd[:p11]
        T = order_target(Z, zmin, zmax, zmed, gapz, d.fixed)
        gap = float(np.abs(T - Z).max())
        if it >= sum(iters) and gap < TOL:
            break
        R = procrustes(Bs, T - fixed, Le)
        Xe = Oe + Bs @ R @ Le.T
        Rc = city_step(d, T, a, g, Xe, Bc, Lc, Oc)
        if verbose and it % 200 == 0:
            print(it, gap)
    return Realisation(d, Lc, Bc, Rc, g, Le, Bs, R, Oc, Oe)


class Realisation:
    """A realised panel as its free rotations: ``Rc`` (city part) and ``R`` (within part).

    Any orthonormal ``Rc`` and ``R`` give the same second moments (the design's exactly);
    :meth:`panel` assembles the raw 410 x 12 panel.
    """

    def __init__(self, d, Lc, Bc, Rc, g, Le, Bs, R, Oc=None, Oe=None):
        self.d, self.Lc, self.Bc, self.Rc, self.g = d, Lc, Bc, Rc, g
        self.Le, self.Bs, self.R = Le, Bs, R
        p = d.A.shape[0]
        self.Oc = np.zeros((N_CITY - 1, p)) if Oc is None else Oc
        self.Oe = np.zeros((N, p)) if Oe is None else Oe

    def city(self, Rc=None) -> np.ndarray:
        """City vectors (41 x 12), Shanghai's fixed."""
        Rc = self.Rc if Rc is None else Rc
        d = self.d
        return np.vstack([d.a1, -d.a1 / (N_CITY - 1) + self.Oc + self.Bc @ Rc @ self.Lc.T])

    def within(self, R=None) -> np.ndarray:
        """Within part (410 x 12, standardized) for a given (or the current) rotation."""
        R = self.R if R is None else R
        return self.Oe + self.Bs @ R @ self.Le.T

    def permute(self, perm: np.ndarray) -> None:
        """Relabel cities (``perm[0] == 0``): new city i takes old city ``perm[i]``'s data.

        Both parts stay in their spaces (a permutation of cities 2..41 preserves the
        constant-free city space and the within space), so the new rotations are exact.
        """
        if perm[0] != 0:
            raise ValueError("the base city must stay first")
        if len(self.d.fixed):
            raise ValueError("anchored data cannot be moved between cities")
        self.Rc = self.Bc.T @ (self.Bc @ self.Rc)[perm[1:] - 1]
        rows = (perm[:, None] * N_YEAR + np.arange(N_YEAR)[None, :]).ravel()
        self.R = self.Bs.T @ (self.Bs @ self.R)[rows]

    def panel(self, Rc=None, R=None) -> np.ndarray:
        """Raw panel (410 x 12, city-major) for given (or the current) rotations."""
        R = self.R if R is None else R
        Z = assemble(self.d, self.city(Rc), self.g, self.within(R))
        return self.d.scale_mean + self.d.scale_sd * Z


def a_rank(d: Design) -> int:
    """Rank of the city part (the number of spatial fields needed)."""
    return factor(CITY_SCALE * d.A).shape[1]


def fit_order(real: Realisation, t: Targets, iters: int = 200, tol: float = TOL) -> int:
    """Restore Table 2's min / median / max by alternating projections (city and within parts).

    Returns the number of iterations used. See :func:`realise` for the projection steps.
    """
    d = real.d
    p11 = len(t.mean)
    zmin = (t.quantiles["min"] - d.scale_mean[:p11]) / d.scale_sd[:p11]
    zmax = (t.quantiles["max"] - d.scale_mean[:p11]) / d.scale_sd[:p11]
    zmed = (t.quantiles["median"] - d.scale_mean[:p11]) / d.scale_sd[:p11]
    gapz = TIE_GAP / d.scale_sd[:p11]
    zero = np.zeros_like(real.g)
    for it in range(iters):
        a = real.city()
        Xe = real.Bs @ real.R @ real.Le.T
        fixed = assemble(d, a, real.g, real.Oe)
        Z = fixed + Xe
        T = order_target(Z, zmin, zmax, zmed, gapz, d.fixed)
        if float(np.abs(T - Z).max()) < tol:
            return it
        real.R = procrustes(real.Bs, T - fixed, real.Le)
        Xe = real.within()
        real.Rc = city_step(d, T, a, real.g, Xe, real.Bc, real.Lc, real.Oc)
    del zero
    return iters
