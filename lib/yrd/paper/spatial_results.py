"""The paper's Tables 7-9, recomputed from a panel, as long cells keyed like the published ones.

* Table 7: Moran's I of ``quality`` per year under both weights matrices (:mod:`yrd.econ.moran`);
* Table 8: the four LM tests under both matrices (:func:`yrd.econ.spatial.lm_tests`), on pooled OLS
  residuals by default (the paper's reading is discussed in the spatial chapter);
* Table 9: SEM and SAR with city and year effects under both matrices (:func:`yrd.econ.spatial.fit_panel`,
  Elhorst/xsmle lag convention), with LeSage-Pace effects for the SAR models.

The two weights matrices: inverse distance between city seats (``data/geo/``) and economic distance
rebuilt from the loaded panel's city-mean ``gdp`` (:func:`yrd.econ.weights.economic_distance`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from yrd.data.geo import load_inverse_distance
from yrd.data.published import Published
from yrd.econ.moran import moran_by_year, table7_cells
from yrd.econ.regress import CONTROLS, stars
from yrd.econ.spatial import fit_panel, lm_tests
from yrd.econ.weights import economic_distance
from yrd.paper import compare

#: Regressors of the spatial models: Table 4 column (5)'s.
X = ("inno", *CONTROLS)
WEIGHTS = ("inverse_distance", "economic")
CELLS = ["panel", "column", "row", "statistic", "value", "stars"]


def weights_for(panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Both weights matrices, row-standardised, rows and columns in city-code order."""
    return {
        "inverse_distance": load_inverse_distance(),
        "economic": economic_distance(panel, var="gdp", unit="city_code"),
    }


def table7(
    panel, ws, levels, permutations: int = 999, seed: int = 12345
) -> tuple[pd.DataFrame, dict]:
    """Moran's I of quality per year: long cells and the full inference per weights matrix."""
    full = {
        name: moran_by_year(
            panel, "quality", w, permutations=permutations, seed=seed, levels=levels
        )
        for name, w in ws.items()
    }
    return table7_cells(full), full


#: Published Table 8 row keys and panels -> lm_tests row names.
LM_ROWS = {
    ("spatial_error", "lm"): "lm_error",
    ("spatial_error", "robust_lm"): "robust_lm_error",
    ("spatial_lag", "lm"): "lm_lag",
    ("spatial_lag", "robust_lm"): "robust_lm_lag",
}


def table8(panel, ws, levels, effects: str = "none") -> pd.DataFrame:
    """The four LM tests under each matrix, on pooled (``effects="none"``) or FE residuals."""
    rows = []
    for name, w in ws.items():
        lm = lm_tests(panel, "quality", list(X), w.to_numpy(), "city_code", "year", effects=effects)
        for (pnl, row), test in LM_ROWS.items():
            stat, p = float(lm.loc[test, "statistic"]), float(lm.loc[test, "pvalue"])
            rows.append((pnl, name, row, "lm", stat, stars(p, levels)))
    return pd.DataFrame(rows, columns=CELLS)


def unstandardised_weights(panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Both matrices before row-standardisation (scaled by their spectral radius), city-code order.

    Inverse distance from the committed city seats (:func:`yrd.data.geo.load_cities`); economic
    distance from the panel's city-mean ``gdp``. Dividing by the spectral radius only rescales
    the whole matrix (the LM tests do not change), unlike row-standardisation, which rescales
    each row by its own sum.
    """
    from yrd.data.geo import load_cities
    from yrd.econ.weights import inverse_distance

    return {
        "inverse_distance": inverse_distance(load_cities(), normalize="spectral"),
        "economic": economic_distance(panel, var="gdp", unit="city_code", normalize="spectral"),
    }


def table8_by_scaling(panel: pd.DataFrame, pub: Published, effects: str = "none") -> pd.DataFrame:
    r"""The four LM tests with each matrix row-standardised (the book's Table 8) and unstandardised.

    The LM statistics of Anselin et al. (1996) are invariant to multiplying :math:`W` by a
    constant: every term is a ratio in which the constant cancels. Row-standardisation is not a
    constant multiple, so it changes them. The paper does not say which form of its matrices it
    tested; this puts both next to the published values.

    Returns
    -------
    pandas.DataFrame
        Rows: the four tests (``panel``, ``row`` as in Table 8). Columns: (weights, one of
        ``published``, ``row-standardised``, ``unstandardised``).
    """
    versions = {
        "row-standardised": weights_for(panel),
        "unstandardised": unstandardised_weights(panel),
    }
    published = pub.table(8).set_index(["panel", "column", "row"])["value"]
    out = {}
    for name in WEIGHTS:
        out[(name, "published")] = {key: published[(key[0], name, key[1])] for key in LM_ROWS}
        for label, ws in versions.items():
            w = ws[name].sort_index().sort_index(axis=1).to_numpy()
            lm = lm_tests(panel, "quality", list(X), w, "city_code", "year", effects=effects)
            out[(name, label)] = {key: float(lm.loc[t, "statistic"]) for key, t in LM_ROWS.items()}
    frame = pd.DataFrame(out)
    frame.index.names = ["panel", "row"]
    return frame


def _r2_overall(panel: pd.DataFrame, res) -> float:
    """Squared correlation of quality with x'beta over all 410 observations (fixed effects left out)."""
    xb = (
        panel.sort_values(["year", "city_code"])[list(X)].to_numpy()
        @ res.params[list(X)].to_numpy()
    )
    y = panel.sort_values(["year", "city_code"])["quality"].to_numpy()
    return float(np.corrcoef(y, xb)[0, 1] ** 2)


def fit_table9(panel, ws, lag: str = "elhorst") -> dict[tuple[str, str], object]:
    """Fit SEM and SAR with two-way effects under each matrix: ``{(weights, model): result}``."""
    return {
        (name, model.upper()): fit_panel(
            panel,
            "quality",
            list(X),
            w.to_numpy(),
            "city_code",
            "year",
            model=model,
            effects="twoways",
            lag=lag,
        )
        for name, w in ws.items()
        for model in ("sem", "sar")
    }


def table9(panel, fits, levels) -> pd.DataFrame:
    """Long cells of Table 9 from :func:`fit_table9`'s results (effects by the delta method)."""
    rows = []
    for (name, model), res in fits.items():
        p = res.pvalues
        spatial = "rho" if model == "SAR" else "lambda"
        for term, row in (("inno", "inno"), (spatial, "rho")):
            rows.append((name, model, row, "coef", float(res.params[term]), stars(p[term], levels)))
            rows.append((name, model, row, "t", float(res.tvalues[term]), ""))
        t_s2 = res.sigma2 / res.sigma2_se
        p_s2 = float(2 * stats.norm.sf(abs(t_s2)))
        rows.append((name, model, "sigma2", "coef", res.sigma2, stars(p_s2, levels)))
        rows.append((name, model, "sigma2", "t", t_s2, ""))
        if model == "SAR":
            imp = res.impacts(method="delta").loc["inno"]
            for effect in ("direct", "indirect", "total"):
                t = float(imp[f"t_{effect}"])
                rows.append(
                    (
                        name,
                        model,
                        effect,
                        "coef",
                        float(imp[effect]),
                        stars(float(2 * stats.norm.sf(abs(t))), levels),
                    )
                )
                rows.append((name, model, effect, "t", t, ""))
        rows += [
            (name, model, "r2", "value", _r2_overall(panel, res), ""),
            (name, model, "nobs", "value", float(res.nobs), ""),
            (name, model, "n_ids", "value", float(res.n_units), ""),
            (name, model, "year_fe", "flag", 1.0, ""),
            (name, model, "id_fe", "flag", 1.0, ""),
        ]
    return pd.DataFrame(rows, columns=CELLS)


def reproduce(pub: Published, number: int, cells: pd.DataFrame) -> pd.DataFrame:
    """Compare reproduced Table 7, 8 or 9 cells with the published ones."""
    if number not in (7, 8, 9):
        raise ValueError(f"spatial tables are 7-9, got {number}")
    cells = cells.copy()
    if "panel" not in cells:
        cells["panel"] = ""
    return compare.compare(pub.table(number), cells)


__all__ = [
    "LM_ROWS",
    "WEIGHTS",
    "X",
    "fit_table9",
    "reproduce",
    "table7",
    "table8",
    "table8_by_scaling",
    "table9",
    "unstandardised_weights",
    "weights_for",
]
