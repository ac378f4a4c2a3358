r"""Table 8 as shaping targets: the LM tests of pooled-OLS residuals, with gradients in the panel.

The book computes Table 8 with :func:`yrd.econ.spatial.lm_tests` (``effects="none"``): pooled OLS
of ``quality`` on ``inno`` and the nine controls with a constant, residuals :math:`e`,
:math:`\hat\sigma^2 = e'e/NT`, :math:`\mathbf W = I_T \otimes W` and

.. math::

    a = e'\mathbf W e/\hat\sigma^2, \quad c = e'\mathbf W y/\hat\sigma^2, \quad
    J = (\mathbf W\hat y)'M(\mathbf W\hat y)/\hat\sigma^2 + T\,T_W,

    LM_\lambda = a^2/(T\,T_W), \quad LM_\rho = c^2/J, \quad
    LM^*_\lambda = (a - T\,T_W\,c/J)^2 / (T\,T_W(1 - T\,T_W/J)), \quad
    LM^*_\rho = (c - a)^2/(J - T\,T_W).

The twin is shaped by rotations that keep every Gram matrix of the panel (the regressors' and
theirs with ``quality``), so along them :math:`\hat\beta`, :math:`e'e` and :math:`(X'X)^{-1}` are
constant. The gradients below hold them fixed, as :class:`yrd_twin.tshape.TTargets` does for the
t-statistics: exact along the shaping's directions (a test checks this by finite differences),
and only there. The economic weights depend on the city-mean ``gdp``; in the anchored twin that
is data, so they are held fixed too.

What the twin can reach
-----------------------
Three statistics per W pin :math:`x = a/\sqrt{T T_W}`, :math:`y = c/\sqrt{T T_W}` and
:math:`j = J/(T T_W)` (:func:`implied_by_published`; the fourth follows from
:math:`LM_\lambda + LM^*_\rho = LM_\rho + LM^*_\lambda`). Table 8 asks for
:math:`(x, y, j) = (12.0, 7.55, 131)` or :math:`(12.0, 29.3, 1979)` under inverse distance and
:math:`(0.98, 2.25, 1.46)` under economic distance. Measured on seed 2 (every rotation of its
design, by descent from the polished twin and from random rotations, all starts to the same
value; :class:`LMParts` one part at a time):

========================  ===============  ==============  ==============
weights                   x                y               j
========================  ===============  ==============  ==============
inverse distance          1.67 .. 31.6     49.3 .. 84.2    9.63 .. 20.8
economic distance         -13.8 .. > 8.7   8.27 .. 46.7    2.03 .. 6.28
========================  ===============  ==============  ==============

* Inverse distance: :math:`j \le 48.5` for **any** panel with Table 4's R-squared (column 4,
  0.909) and this W (:func:`j_ceiling`, a proof), so the published (x, y, j) is out of reach of
  every twin; in the seed's design :math:`y - x \ge 27.2` over all rotations
  (:func:`rotation_bounds`, a proof for the design), so LM lag
  :math:`= y^2/j \ge 49.3^2/20.8 = 117` as measured (:math:`\ge 4.9` from the bounds alone,
  with :math:`x \ge -11.7`; published 0.435) and robust LM lag
  :math:`= (y - x)^2/(j - 1) \ge 27.2^2/47.5 = 15.6` (0.152). LM error (x = 12) is reached;
  robust LM error with it would need :math:`y \approx 6` or :math:`y \approx 24 j`, outside the
  ranges.
* Economic distance: :math:`j \ge 2.03 > 1.46`; LM lag :math:`\ge 8.27^2/6.28 = 10.9`
  (3.485); with the LM error met (:math:`x = 0.98`) robust LM lag :math:`\ge 7.29^2/5.28 = 10.1`
  (3.537). LM error is reached; LM error with robust LM error (:math:`y/j \approx 1.8`) was not
  (Gauss-Newton on the rotations alone stalls at 2.49 and 1.96).

Why: :math:`\hat y` and :math:`e` are mostly fixed by the design (the year parts, the anchored
``gdp``, ``wage``, ``stru`` and the offsets on them): the rotating parts of :math:`\hat y` have
norm 0.92 against 7.46 for its centred whole, so :math:`\mathbf W\hat y` and :math:`c` barely
move. :data:`yrd_twin.targets.LM_CELLS` fits the two LM error cells.

References: Anselin, Bera, Florax and Yoon (1996); Elhorst (2014), as in
:func:`yrd.econ.spatial.lm_tests`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from yrd.data import published
from yrd.econ.regress import CONTROLS
from yrd_twin.targets import IDX, N_CITY, N_YEAR, VARS

#: Regressors of Table 8's pooled regression (``yrd.paper.spatial_results.X``).
REGRESSORS = ("inno", *CONTROLS)
#: Table 8 (panel, row) -> which statistic.
STATISTICS = {
    ("spatial_error", "lm"): "lm_error",
    ("spatial_error", "robust_lm"): "robust_lm_error",
    ("spatial_lag", "lm"): "lm_lag",
    ("spatial_lag", "robust_lm"): "robust_lm_lag",
}


def _wmul(W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(I_T kron W) v for a city-major vector (city i, year t at row i * T + t)."""
    return (W @ v.reshape(N_CITY, N_YEAR)).ravel()


class LMTargets:
    """Table 8's eight LM statistics as log-ratio residuals, with raw-panel gradients.

    Parameters
    ----------
    weights
        ``{"inverse_distance": W, "economic": W}``, row-standardised 41 x 41 (city order).
    pub
        Published tables (default: :func:`yrd.data.published.load`).
    scale
        A residual of 1 is a log ratio of ``scale``.
    """

    def __init__(self, weights: dict[str, np.ndarray], pub=None, scale: float = 0.01):
        pub = pub or published.load()
        c = pub.cells
        self.weights = weights
        self.scale = scale
        self.cells = [
            (r["column"], STATISTICS[(r["panel"], r["row"])], float(r["value"]))
            for _, r in c[c["table"] == 8].iterrows()
        ]
        self.yi = IDX["quality"]
        self.xi = [IDX[v] for v in REGRESSORS]

    def _parts(self, X: np.ndarray, W: np.ndarray):
        n = X.shape[0]
        Z = np.hstack([np.ones((n, 1)), X[:, self.xi]])
        y = X[:, self.yi]
        A = np.linalg.inv(Z.T @ Z)
        b = A @ (Z.T @ y)
        yhat = Z @ b
        e = y - yhat
        s2 = e @ e / n
        tw = N_YEAR * float(np.trace(W @ W + W.T @ W))
        We, Wy, Wyh = _wmul(W, e), _wmul(W, y), _wmul(W, yhat)
        q = Wyh - Z @ (A @ (Z.T @ Wyh))  # M W yhat
        a = e @ We / s2
        c = e @ Wy / s2
        J = Wyh @ q / s2 + tw
        return dict(
            Z=Z, y=y, A=A, b=b, e=e, s2=s2, tw=tw, We=We, Wy=Wy, Wyh=Wyh, q=q, a=a, c=c, J=J
        )

    @staticmethod
    def _stats(a, c, J, tw):
        return {
            "lm_error": a**2 / tw,
            "lm_lag": c**2 / J,
            "robust_lm_error": (a - tw * c / J) ** 2 / (tw * (1 - tw / J)),
            "robust_lm_lag": (c - a) ** 2 / (J - tw),
        }

    def values(self, X: np.ndarray) -> np.ndarray:
        """The eight statistics in the order of :attr:`cells`."""
        out = {}
        for name, W in self.weights.items():
            p = self._parts(X, W)
            out[name] = self._stats(p["a"], p["c"], p["J"], p["tw"])
        return np.array([out[w][s] for w, s, _ in self.cells])

    def part_grads(self, X: np.ndarray) -> dict:
        """Per weights: ``(a, c, J, tw, (da/dy, da/dZ), (dc/dy, dc/dZ), (dJ/dy, dJ/dZ))``, the
        gradients with beta, e'e and (X'X)^-1 held fixed (Z: constant first)."""
        grads = {}
        for name, W in self.weights.items():
            p = self._parts(X, W)
            a, c, J, tw, s2, b = p["a"], p["c"], p["J"], p["tw"], p["s2"], p["b"]
            e, y, Z, A = p["e"], p["y"], p["Z"], p["A"]
            WTe = _wmul(W.T, e)
            # d e = dy - dZ b (beta fixed); dZ: the regressor columns (constant fixed)
            # a = e'We/s2: da = (We + W'e)' de / s2
            ga_e = (p["We"] + WTe) / s2
            # c = e'Wy/s2: dc = (Wy)'de/s2 + (W'e)'dy/s2
            gc_e, gc_y = p["Wy"] / s2, WTe / s2
            # J: (W yhat)'M(W yhat)/s2 with yhat = Z b, M = I - Z A Z' (A fixed):
            # d = 2 (W'q)' dZ b - 2 (Wyhat)' dZ A Z'Wyhat (q = M W yhat), over s2
            q = p["q"]
            u = Z.T @ p["Wyh"]
            gJ_Wdzb = 2 * _wmul(W.T, q) / s2  # against dZ b
            gJ_dZ = -2 * np.outer(p["Wyh"], A @ u) / s2  # against dZ (n x k)
            # assemble gradients of a, c, J wrt y (n) and Z (n x k, constant column dropped)
            ga_y, ga_Z = ga_e, -np.outer(ga_e, b)
            gc_yy = gc_e + gc_y
            gc_Z = -np.outer(gc_e, b)
            gJ_y = np.zeros_like(y)
            gJ_Z = np.outer(gJ_Wdzb, b) + gJ_dZ
            grads[name] = (a, c, J, tw, (ga_y, ga_Z), (gc_yy, gc_Z), (gJ_y, gJ_Z))
        return grads

    def raw(self, X: np.ndarray, gy: np.ndarray, gZ: np.ndarray) -> np.ndarray:
        """A gradient against ``y`` and ``Z`` (constant first) as one in the raw panel."""
        g = np.zeros_like(X)
        g[:, self.yi] = gy
        for k, j in enumerate(self.xi):
            g[:, j] += gZ[:, k + 1]
        return g

    def residuals(self, X: np.ndarray):
        """``log(stat / published) / scale`` per cell and its gradient in the raw panel (410 x p),
        with beta, e'e and (X'X)^-1 held fixed (exact along Gram-preserving directions)."""
        r, G = [], []
        grads = self.part_grads(X)
        for w, stat, pub_value in self.cells:
            a, c, J, tw, ga, gc, gJ = grads[w]
            val = self._stats(a, c, J, tw)[stat]
            # d stat / d(a, c, J)
            if stat == "lm_error":
                da, dc, dJ = 2 * a / tw, 0.0, 0.0
            elif stat == "lm_lag":
                da, dc, dJ = 0.0, 2 * c / J, -(c**2) / J**2
            elif stat == "robust_lm_lag":
                da, dc = -2 * (c - a) / (J - tw), 2 * (c - a) / (J - tw)
                dJ = -((c - a) ** 2) / (J - tw) ** 2
            else:  # robust_lm_error: N / D, N = (a - tw c / J)^2, D = tw (1 - tw / J)
                num, den = (a - tw * c / J) ** 2, tw * (1 - tw / J)
                dn = 2 * (a - tw * c / J)
                da, dc = dn / den, -dn * tw / J / den
                dJ = (dn * tw * c / J**2) / den - num * (tw**2 / J**2) / den**2
            g = self.raw(
                X, da * ga[0] + dc * gc[0] + dJ * gJ[0], da * ga[1] + dc * gc[1] + dJ * gJ[1]
            )
            r.append(np.log(val / pub_value) / self.scale)
            G.append(g / (val * self.scale))
        return np.array(r), G


#: Printed precision of Table 8 (three decimals): a residual of 1 is 0.0005 off.
LM_UNIT = 5e-4


class LMCells:
    r"""Table 8's cells for :func:`yrd_twin.polish.polish` (``extra=``): residuals and gradients.

    Residual :math:`(LM - LM_{pub})/u` with :math:`u` = :data:`LM_UNIT` (printed units: 1 is the
    edge of the rounding box), or with ``log=True`` :math:`\log(LM/LM_{pub})/s` (a continuation
    for large moves: with ``scale`` :math:`s = 0.01` a residual of 1 is 1 % off). Gradients are
    :class:`LMTargets`' (exact along the rotations, which keep every Gram matrix).

    Parameters
    ----------
    weights
        ``{"inverse_distance": W, "economic": W}`` (row-standardised, city order).
    columns, stats
        Which cells: weights names (Table 8's columns) and statistics (keys of the values of
        :data:`STATISTICS`); all by default.
    log, scale
        Log-ratio residuals in units of ``scale`` instead of printed units.
    """

    def __init__(self, weights, pub=None, columns=None, stats=None, log=False, scale=0.01):
        self.lm = LMTargets(weights, pub, scale=scale)
        names = {v: k for k, v in STATISTICS.items()}
        self.keep = np.array(
            [
                (columns is None or w in columns) and (stats is None or s in stats)
                for w, s, _ in self.lm.cells
            ]
        )
        self.log = log
        cells = [c for c, k in zip(self.lm.cells, self.keep, strict=True) if k]
        self.published = np.array([v for _, _, v in cells])
        #: ``(8, column, "panel|row", "lm")`` per residual, as :class:`yrd_twin.polish.PolishTargets`
        self.labels = [(8, w, "|".join(names[s]), "lm") for w, s, _ in cells]

    def values(self, X: np.ndarray) -> np.ndarray:
        """The selected statistics of the raw panel ``X`` (city-major 410 x 12)."""
        return self.lm.values(X)[self.keep]

    def residuals(self, X: np.ndarray):
        """(residuals, raw-panel gradients) of the selected cells."""
        r, G = self.lm.residuals(X)
        r = r[self.keep]
        G = [g for g, k in zip(G, self.keep, strict=True) if k]
        if self.log:
            return r, G
        # from log units: LM = pub exp(s r), dLM = LM s dr
        s = self.lm.scale
        val = self.published * np.exp(s * r)
        return (val - self.published) / LM_UNIT, [
            g * v * s / LM_UNIT for g, v in zip(G, val, strict=True)
        ]


class LMParts:
    r"""The parts :math:`x, y, j` of Table 8 under each W (:func:`implied_by_published`) as targets.

    :math:`x = a/\sqrt{T T_W}`, :math:`y = c/\sqrt{T T_W}`, :math:`j = J/(T T_W)`; residuals
    :math:`(x - x^*)/u_x`, :math:`(y - y^*)/u_y` and :math:`\log(j/j^*)/u_j`, gradients as
    :class:`LMTargets`'. A first stage for large moves (the four statistics are steep functions
    of these parts: :math:`LM^*_\rho = (y - x)^2/(j - 1)`), or to measure how far one part goes.

    Parameters
    ----------
    weights
        As :class:`LMTargets`.
    targets
        ``{weights name: {"x": x*, "y": y*, "j": j*}}``; only the parts named are fitted.
    units
        ``{"x": u_x, "y": u_y, "j": u_j}``.
    """

    def __init__(self, weights, targets, units=None):
        self.lm = LMTargets(weights)
        self.units = {"x": 0.05, "y": 0.05, "j": 0.01, **(units or {})}
        self.targets = [(w, k, float(v)) for w, d in targets.items() for k, v in d.items()]
        self.labels = [(8, w, "parts", k) for w, k, _ in self.targets]

    def values(self, X: np.ndarray) -> np.ndarray:
        """The targeted parts of the raw panel ``X``."""
        g = self.lm.part_grads(X)
        out = []
        for w, k, _ in self.targets:
            a, c, J, tw = g[w][:4]
            out.append({"x": a / np.sqrt(tw), "y": c / np.sqrt(tw), "j": J / tw}[k])
        return np.array(out)

    def residuals(self, X: np.ndarray):
        """(residuals, raw-panel gradients) of the targeted parts."""
        g = self.lm.part_grads(X)
        r, G = [], []
        for w, k, v in self.targets:
            a, c, J, tw, ga, gc, gJ = g[w]
            u = self.units[k]
            if k == "j":
                r.append(np.log(J / tw / v) / u)
                G.append(self.lm.raw(X, *gJ) / (J * u))
            else:
                val, gv = (a, ga) if k == "x" else (c, gc)
                r.append((val / np.sqrt(tw) - v) / u)
                G.append(self.lm.raw(X, *gv) / (np.sqrt(tw) * u))
        return np.array(r), G


def implied_by_published(pub=None) -> pd.DataFrame:
    """:func:`yrd.paper.audit_referee.lm_implied` (what Table 8 pins down: x, y, j per W)."""
    from yrd.paper.audit_referee import lm_implied

    return lm_implied(pub or published.load())


def parts_of(panel: pd.DataFrame, weights: dict[str, np.ndarray]) -> pd.DataFrame:
    """The same x, y, j for a panel (city-major rows; e.g. the twin), under each W in ``weights``
    (row-standardised, city order), as :func:`implied_by_published` reads them off Table 8."""
    panel = panel.sort_values(["city_code", "year"])
    X = panel[list(VARS)].to_numpy(float)
    lt = LMTargets(weights)
    rows = []
    for w, W in weights.items():
        p = lt._parts(X, W)
        s = np.sqrt(p["tw"])
        rows.append((w, p["a"] / s, p["c"] / s, p["J"] / p["tw"]))
    return pd.DataFrame(rows, columns=["weights", "x", "y", "j"])


def j_ceiling(W: np.ndarray, r2: float, n_year: int = N_YEAR) -> float:
    """:func:`yrd.econ.spatial.lm_j_ceiling` (the bound and its proof live with the LM tests)."""
    from yrd.econ.spatial import lm_j_ceiling

    return lm_j_ceiling(W, r2, n_year)


def _cross(W, U, WU, ff, rf, gf, rg):
    """f'(I kron W)g for f = ff + rotating parts of norms rf (in the spaces U), g likewise: the
    fixed value ff'Wgf and a bound on everything the rotations add."""
    val = ff @ _wmul(W, gf)
    sl = sum(np.linalg.norm(WU[i].T @ ff) * rg[i] for i in range(len(U)))
    sl += sum(np.linalg.norm(Ui.T @ _wmul(W, gf)) * rf[i] for i, Ui in enumerate(U))
    sl += sum(
        np.linalg.norm(U[i].T @ WU[j], 2) * rf[i] * rg[j]
        for i in range(len(U))
        for j in range(len(U))
    )
    return val, sl


def rotation_bounds(real, weights: dict[str, np.ndarray]) -> pd.DataFrame:
    r"""Intervals for :math:`x` and :math:`y - x` over **every** rotation of a realisation.

    The rotations move only the parts of each column in the city directions ``Bc`` (repeated over
    years) and the within directions ``Bs`` (:class:`yrd_twin.realise.Realisation`), and keep their
    norms; the rest (year parts, anchored columns, offsets) is fixed. Split
    :math:`e = e_f + e_c + e_w` and :math:`\hat y = \hat y_f + \hat y_c + \hat y_w` so (both are
    fixed combinations of the columns, :math:`\hat\beta` being fixed); then
    :math:`e'\mathbf W\hat y = e_f'\mathbf W\hat y_f + \ldots` where every term with a rotating
    part is at most (in absolute value) the norm of the fixed vector's projection on the rotating
    directions, or the spectral norm of :math:`\mathbf W` between them, times the rotating norms.
    Since :math:`c = e'\mathbf W\hat y/\hat\sigma^2 + a`, :math:`y - x = e'\mathbf W\hat y /
    (\hat\sigma^2\sqrt{T T_W})`; :math:`x` likewise from :math:`e'\mathbf W e`.

    Returns one row per weights: the current ``x`` and ``y_minus_x`` and their lower and upper
    bounds (``x_lo``, ``x_hi``, ``ymx_lo``, ``ymx_hi``).
    """
    X = real.panel()
    Uc = np.repeat(np.vstack([np.zeros((1, real.Bc.shape[1])), real.Bc]), N_YEAR, axis=0)
    Uc = Uc / np.sqrt(N_YEAR)  # orthonormal
    U = (Uc, real.Bs)
    lt = LMTargets(weights)
    rows = []
    for name, W in weights.items():
        p = lt._parts(X, W)
        k = p["s2"] * np.sqrt(p["tw"])

        def split(v):
            c = [Ui.T @ v for Ui in U]
            return v - sum(Ui @ ci for Ui, ci in zip(U, c, strict=True)), [
                np.linalg.norm(ci) for ci in c
            ]

        e_f, re = split(p["e"])
        y_f, ry = split(p["Z"] @ p["b"])
        WU = [np.column_stack([_wmul(W, u) for u in Ui.T]) for Ui in U]

        v, sl = _cross(W, U, WU, e_f, re, y_f, ry)
        va, sla = _cross(W, U, WU, e_f, re, e_f, re)
        rows.append(
            (
                name,
                p["a"] / np.sqrt(p["tw"]),
                (va - sla) / k,
                (va + sla) / k,
                (p["c"] - p["a"]) / np.sqrt(p["tw"]),
                (v - sl) / k,
                (v + sl) / k,
            )
        )
    return pd.DataFrame(
        rows, columns=["weights", "x", "x_lo", "x_hi", "y_minus_x", "ymx_lo", "ymx_hi"]
    )


__all__ = [
    "LM_UNIT",
    "LMCells",
    "LMParts",
    "LMTargets",
    "REGRESSORS",
    "STATISTICS",
    "implied_by_published",
    "parts_of",
]
