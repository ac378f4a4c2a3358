r"""Anchor the twin on public figures: the smallest changes that make them print as the paper does.

The paper's ``gdp``, ``wage`` and ``stru`` are city-yearbook variables, and public figures
(:mod:`yrd.data.public`) reproduce most of their printed statistics already: the minimum, median
and maximum of each, every ``wage`` cell, and Table 3's three correlations among them to within
0.004. What is left (the means and SDs of ``gdp`` and ``stru``, the correlations) is closed here by
changing as few public values as possible, each by little.

The problem, for the three variables at once. Let :math:`x` be the public values (410 per
variable; the two missing wages are first filled by the mean log wage of the neighbouring years of
the same city) and :math:`\delta` the changes. Find

.. math::

    \min_\delta \sum_{v,i} |\delta_{vi}| / b_{vi}
    \quad\text{s.t.}\quad
    \text{every printed cell of Table 2 (mean, SD, min, median, max) and Table 3 (the three
    correlations) lies inside its rounding interval,}\quad |\delta_{vi}| \le b_{vi},

where :math:`b_{vi}` is the city's mean absolute year-on-year change of variable :math:`v`
(a change never moves a value by more than a typical year moves it). Weighting by :math:`1/b`
makes the L1 objective count, roughly, the values moved (a value moved to its bound costs 1), and
an L1 objective has sparse solutions: most :math:`\delta_{vi}` are exactly zero. The minimum,
median and maximum are kept by holding the values that define them fixed and keeping every other
value on its side of them.

The mean is linear in :math:`\delta`; the variance and the correlations are not, so they are
linearised around the current values (their gradients are those of the textbook formulas, e.g.
:math:`\partial r_{xy}/\partial x_i = (y_i - \bar y)/\sqrt{S_{xx}S_{yy}} - r_{xy}(x_i - \bar x)/S_{xx}`)
and the linear program is solved again from the new point until every cell prints as published
(sequential linear programming; the intervals are shrunk by a margin so that the curvature left
out cannot push a cell back out). The variance is convex in the changes, so its upper bound is kept
exactly and its lower bound through the tangent, which lies below it. The linear programs are
solved with HiGHS through cvxpy (a simplex solution sits on a vertex, so it is sparse); a last
phase keeps only the values they moved and meets the exact, nonlinear statistics with SLSQP.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
import pandas as pd

from yrd.data import published
from yrd.econ.winsor import stata_percentile

#: The anchored variables and Table 3's pairs among them (row, column as printed).
ANCHORED = ("gdp", "wage", "stru")
PAIRS = (("wage", "gdp"), ("stru", "gdp"), ("stru", "wage"))
STATISTICS = ("mean", "sd", "min", "median", "max")
#: Share of each rounding half-width kept free as a margin for the linearisation error.
MARGIN = 0.25


@contextlib.contextmanager
def _quiet_stdout():
    """Silence the process's standard output (file descriptor 1) for the block."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@dataclass
class Anchoring:
    """The anchored values and what was changed to get them.

    Attributes
    ----------
    values
        city_code, year and the three variables, city-major (410 rows).
    changes
        One row per changed value: city_code, year, variable, public, twin, change, bound.
    filled
        The filled missing values: city_code, year, variable, twin.
    """

    values: pd.DataFrame
    changes: pd.DataFrame
    filled: pd.DataFrame

    @property
    def kept_share(self) -> float:
        """Share of the 1,230 values equal to the public figures (fills count as changed)."""
        n = len(self.values) * len(ANCHORED)
        return 1 - (len(self.changes) + len(self.filled)) / n

    def listing(self) -> pd.DataFrame:
        """Every value of the twin that is not the public figure, for the twin chapter.

        One row per changed or filled value: city (English name), year, variable, public (NaN
        where the public extract has none), twin, change (twin minus public) and the city's
        bound (mean absolute year-on-year change, NaN for fills), ordered by variable, city, year.
        """
        from yrd.data.cities import city_frame

        names = city_frame().set_index("city_code")["city"]
        filled = self.filled.assign(public=np.nan, change=np.nan, bound=np.nan)
        out = pd.concat([self.changes, filled[self.changes.columns]], ignore_index=True)
        out.insert(0, "city", out["city_code"].map(names))
        order = {v: k for k, v in enumerate(ANCHORED)}
        out = out.sort_values(
            ["variable", "city_code", "year"],
            key=lambda c: c.map(order) if c.name == "variable" else c,
        )
        return out.drop(columns="city_code").reset_index(drop=True)


def _targets(pub) -> dict:
    """{cell: (printed value, half its rounding interval)} of the cells the anchoring must print."""
    out = {
        (v, s): (pub.value(2, v, "", s), pub.half_width(2, v, "", s))
        for v in ANCHORED
        for s in STATISTICS
    }
    for a, b in PAIRS:
        out[(a, b)] = (pub.value(3, a, b, "corr"), pub.half_width(3, a, b, "corr"))
    return out


def _fill_missing(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill each missing value by the mean of the same city's neighbouring years (logs)."""
    out = panel.copy()
    filled = []
    for v in ANCHORED:
        for i in np.flatnonzero(out[v].isna().to_numpy()):
            code, year = out.loc[i, "city_code"], out.loc[i, "year"]
            city = out[(out["city_code"] == code) & out["year"].isin([year - 1, year + 1])][v]
            value = float(city.dropna().mean())
            out.loc[i, v] = value
            filled.append((code, year, v, value))
    return out, pd.DataFrame(filled, columns=["city_code", "year", "variable", "twin"])


def statistics(values: pd.DataFrame) -> dict:
    """Table 2's five statistics of each anchored variable and Table 3's three correlations."""
    out = {}
    for v in ANCHORED:
        x = values[v].to_numpy(float)
        out[(v, "mean")] = x.mean()
        out[(v, "sd")] = x.std(ddof=1)
        out[(v, "min")] = x.min()
        out[(v, "median")] = stata_percentile(x, 50)
        out[(v, "max")] = x.max()
    for a, b in PAIRS:
        out[(a, b)] = float(np.corrcoef(values[a], values[b])[0, 1])
    return out


def misses(values: pd.DataFrame, pub=None) -> dict:
    """The cells not inside their rounding interval: {cell: (reproduced, published)}."""
    targets = _targets(pub or published.load())
    got = statistics(values)
    return {k: (got[k], p) for k, (p, h) in targets.items() if abs(got[k] - p) > h + 1e-12}


def _bounds(panel: pd.DataFrame, v: str) -> np.ndarray:
    """Per value: the city's mean absolute year-on-year change of ``v``."""
    diffs = panel.groupby("city_code")[v].transform(lambda s: s.diff().abs().mean())
    return diffs.to_numpy(float)


def _order_box(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per value: the interval it must stay in (keeping min, median and max) and who is fixed."""
    n = len(x)
    order = np.argsort(x, kind="stable")
    lo_med, hi_med = x[order[(n - 1) // 2]], x[order[n // 2]]  # the two middle order statistics
    xmin, xmax = x[order[0]], x[order[-1]]
    fixed = np.isin(x, [xmin, xmax, lo_med, hi_med])
    eps = 1e-9 * max(1.0, np.abs(x).max())
    lower = np.where(fixed, x, np.where(x < lo_med, xmin + eps, hi_med + eps))
    upper = np.where(fixed, x, np.where(x < lo_med, lo_med - eps, xmax - eps))
    return lower, upper, fixed


def _support_lp(cur, x0, b, boxes, targets, n) -> dict:
    """Phase 1: the values to move, from a linear program (first-order constraints, L1 cost).

    A linear program's solution is a vertex, so every value it does not need is exactly zero:
    its nonzeros are the sparse support that phase 2 then adjusts exactly.
    """
    d = {v: cp.Variable(n) for v in ANCHORED}
    cons, cost = [], 0
    for v in ANCHORED:
        x, dv = cur[v], d[v]
        total = x - x0[v] + dv
        lower, upper, fixed = boxes[v]
        cons += [cp.abs(total) <= b[v], x + dv >= lower, x + dv <= upper]
        if fixed.any():
            cons.append(dv[np.flatnonzero(fixed)] == -(x - x0[v])[fixed])
        cost += cp.sum(cp.multiply(1 / b[v], cp.abs(total)))
        xbar = x.mean()
        p, h = targets[(v, "mean")]
        m = h * (1 - MARGIN)
        cons += [xbar + cp.sum(dv) / n >= p - m, xbar + cp.sum(dv) / n <= p + m]
        p, h = targets[(v, "sd")]
        m = h * (1 - MARGIN)
        var = x.var(ddof=1) + 2 / (n - 1) * ((x - xbar) @ dv)
        cons += [var >= (p - m) ** 2, var <= (p + m) ** 2]
    for a, c in PAIRS:
        xa, xc = cur[a] - cur[a].mean(), cur[c] - cur[c].mean()
        saa, scc = xa @ xa, xc @ xc
        r = (xa @ xc) / np.sqrt(saa * scc)
        ga = xc / np.sqrt(saa * scc) - r * xa / saa
        gc = xa / np.sqrt(saa * scc) - r * xc / scc
        p, h = targets[(a, c)]
        m = h * (1 - MARGIN)
        lin = r + ga @ d[a] + gc @ d[c]
        cons += [lin >= p - m, lin <= p + m]
    prob = cp.Problem(cp.Minimize(cost), cons)
    with _quiet_stdout():  # HiGHS prints its licence banner from C++, past output_flag
        prob.solve(solver=cp.HIGHS, output_flag=False)
    if prob.status != "optimal":
        raise RuntimeError(f"anchor: the linear program is {prob.status}")
    out = {}
    for v in ANCHORED:
        total = cur[v] + np.asarray(d[v].value, float) - x0[v]
        out[v] = np.abs(total) > 1e-9 * b[v]
    return out


def _exact(x0, b, boxes, targets, support, start_values, n) -> dict:
    """Phase 2: on the support only, the smallest changes (in units of their bounds) that put every
    cell inside its interval, with the exact (nonlinear) statistics (SLSQP)."""
    from scipy.optimize import minimize

    index = {v: np.flatnonzero(support[v]) for v in ANCHORED}
    sizes = [len(index[v]) for v in ANCHORED]
    cuts = np.cumsum([0, *sizes])

    def unpack(z):
        out = {v: x0[v].copy() for v in ANCHORED}
        for k, v in enumerate(ANCHORED):
            out[v][index[v]] += z[cuts[k] : cuts[k + 1]]
        return out

    def stats(z):
        vals = unpack(z)
        got = {}
        for v in ANCHORED:
            got[(v, "mean")] = vals[v].mean()
            got[(v, "sd")] = vals[v].std(ddof=1)
        for a, c in PAIRS:
            got[(a, c)] = float(np.corrcoef(vals[a], vals[c])[0, 1])
        return got

    keys = [k for k in targets if k[1] not in ("min", "median", "max")]

    def slack(z):  # >= 0 when every cell is inside its (shrunk) interval
        got = stats(z)
        out = []
        for k in keys:
            p, h = targets[k]
            m = h * (1 - MARGIN)
            out += [got[k] - (p - m), (p + m) - got[k]]
        return np.array(out)

    scale = np.concatenate([b[v][index[v]] for v in ANCHORED])
    lo = np.concatenate(
        [np.maximum(-b[v][index[v]], boxes[v][0][index[v]] - x0[v][index[v]]) for v in ANCHORED]
    )
    hi = np.concatenate(
        [np.minimum(b[v][index[v]], boxes[v][1][index[v]] - x0[v][index[v]]) for v in ANCHORED]
    )
    z0 = np.concatenate([start_values[v][index[v]] - x0[v][index[v]] for v in ANCHORED])
    res = minimize(
        lambda z: float(np.sum((z / scale) ** 2)),
        np.clip(z0, lo, hi),
        jac=lambda z: 2 * z / scale**2,
        bounds=list(zip(lo, hi, strict=True)),
        constraints=[{"type": "ineq", "fun": slack}],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-14},
    )
    return unpack(res.x)


def anchor(public: pd.DataFrame, pub=None, rounds: int = 6) -> Anchoring:
    """The public ``gdp``, ``wage``, ``stru`` with the fewest small changes that print as published.

    Two phases, repeated from the new point until every cell prints as published: a linear program
    (first-order constraints, L1 cost) chooses which values move; a nonlinear solve on those
    values alone makes the statistics exact.

    Parameters
    ----------
    public
        The public panel (:func:`yrd.data.public.load_public`): city_code, year and the three
        variables; ``wage`` may be missing in a few city-years (filled here).
    pub
        The published tables (default :func:`yrd.data.published.load`).

    Raises
    ------
    RuntimeError
        No solution within ``rounds``: names the cells still missed.
    """
    pub = pub or published.load()
    targets = _targets(pub)
    base = public.sort_values(["city_code", "year"]).reset_index(drop=True)
    base = base[["city_code", "year", *ANCHORED]].copy()
    start, filled = _fill_missing(base)
    x0 = {v: start[v].to_numpy(float) for v in ANCHORED}
    b = {v: _bounds(start, v) for v in ANCHORED}
    boxes = {v: _order_box(x0[v]) for v in ANCHORED}
    n = len(start)
    cur = {v: x0[v].copy() for v in ANCHORED}
    support = {v: np.zeros(n, bool) for v in ANCHORED}
    for _ in range(rounds):
        if not misses(start.assign(**cur), pub):
            break
        new = _support_lp(cur, x0, b, boxes, targets, n)
        support = {v: support[v] | new[v] for v in ANCHORED}
        cur = _exact(x0, b, boxes, targets, support, cur, n)
    values = start.assign(**cur)
    left = misses(values, pub)
    if left:
        text = ", ".join(f"{k}: {got:.6g} (printed {p:g})" for k, (got, p) in left.items())
        raise RuntimeError(f"anchor: {len(left)} cell(s) still missed: {text}")
    rows = []
    for v in ANCHORED:
        public_v = base[v].to_numpy(float)
        moved = np.flatnonzero((cur[v] != x0[v]) & ~np.isnan(public_v))
        for i in moved:
            rows.append(
                (
                    int(start.loc[i, "city_code"]),
                    int(start.loc[i, "year"]),
                    v,
                    public_v[i],
                    cur[v][i],
                    cur[v][i] - public_v[i],
                    b[v][i],
                )
            )
    changes = pd.DataFrame(
        rows, columns=["city_code", "year", "variable", "public", "twin", "change", "bound"]
    )
    at = {(r.city_code, r.year): i for i, r in enumerate(start.itertuples())}
    filled = filled.assign(
        twin=[cur[r.variable][at[(r.city_code, r.year)]] for r in filled.itertuples()]
    )
    return Anchoring(values, changes, filled)


__all__ = ["ANCHORED", "Anchoring", "anchor", "misses", "statistics"]
