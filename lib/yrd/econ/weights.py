r"""Spatial weights for the 41 YRD cities: inverse distance, economic distance, contiguity.

Every matrix is a :class:`pandas.DataFrame` whose index and columns are the
city codes in ascending order (the canonical order of :mod:`yrd.data.cities`), with a
zero diagonal. ``normalize`` chooses the scaling of all builders:

``"row"`` (default)
    row-standardised, :math:`w_{ij} / \sum_k w_{ik}`, rows sum to one;
``"spectral"``
    divided by the spectral radius (largest absolute eigenvalue); keeps
    symmetry and puts the upper bound of the spatial parameter's admissible
    range at 1;
``None``
    the raw weights.

The paper estimates its spatial models with an inverse-distance matrix and an
"economic distance" matrix; the builders row-standardise by default, the usual
choice in this literature. Queen
contiguity is offered for robustness checks.

Which library computes the same numbers, and why the code here is kept:

* :func:`queen_contiguity` takes its links from ``libpysal.weights.Queen``; only the island
  rule (Zhoushan linked to its nearest seat) and the normalisation are added here;
* :func:`great_circle_km` and :func:`distance_matrix`: ``sklearn.metrics.pairwise.
  haversine_distances`` (times the radius) gives the same matrix (the same haversine formula,
  4e-16 apart on the 41 seats); ``great_circle_km`` is kept because it is also needed for
  single pairs and one-to-many distances (the island rule, the data layer's checks) with numpy
  broadcasting on degrees, which the pairwise function does not do;
* :func:`inverse_distance`: ``libpysal.weights.DistanceBand.from_array(..., binary=False,
  alpha=-power, distance_metric="arc")`` gives the same weights to 1e-12 (its arc distance goes
  through a KD-tree on the unit sphere), but needs a threshold below half the Earth's
  circumference even when no cutoff is wanted and returns a sparse ``W``; the book's matrices
  are city-code-indexed DataFrames written to and checked against a committed CSV, so the
  one-line :math:`d_{ij}^{-\alpha}` is kept;
* :func:`row_standardize`: libpysal's ``W.transform = "r"`` gives the same numbers, but leaves an
  island's row silently at zero; here a zero row is an error unless asked for;
* :func:`spectral_normalize` and :func:`economic_distance`: no library here offers them (libpysal's
  transforms are B, R, D, V and O); they are an eigenvalue from numpy and one line of arithmetic.

References
----------
Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer.
LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial Econometrics*.
CRC Press, ch. 4 (weights and their normalisation).
Kelejian, H. H. and Prucha, I. R. (2010). Specification and estimation of
spatial autoregressive models with autoregressive and heteroskedastic
disturbances. *Journal of Econometrics* 157(1), 53-67 (spectral normalisation).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "EARTH_RADIUS_KM",
    "great_circle_km",
    "distance_matrix",
    "inverse_distance",
    "economic_distance",
    "queen_contiguity",
    "row_standardize",
    "spectral_normalize",
    "to_libpysal",
    "write_matrix_csv",
]

#: Mean Earth radius (IUGG), :math:`R_1 = (2a + b)/3` of WGS84, in km.
EARTH_RADIUS_KM = 6371.0088

#: Float format of the written matrices.
MATRIX_FLOAT_FORMAT = "%.10f"

_NORMALIZE = ("row", "spectral", None)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _check_codes(codes: Iterable, what: str) -> np.ndarray:
    """Unit ids (city codes here) as int64, rejecting missing, non-integer and duplicate ones.

    Any integer ids work: which ids belong to the paper's 41 cities is the data layer's concern
    (:func:`yrd.data.geo.load_inverse_distance` checks the committed matrix against the registry).
    """
    arr = pd.Series(list(codes), dtype="object")
    if arr.isna().any():
        raise ValueError(f"{what}: missing city codes")
    try:
        ints = arr.astype("int64").to_numpy()
    except (TypeError, ValueError) as err:
        raise ValueError(f"{what}: city codes must be integers, got {list(arr)[:5]}...") from err
    dup = sorted({int(c) for c in ints[pd.Series(ints).duplicated().to_numpy()]})
    if dup:
        raise ValueError(f"{what}: duplicate city codes {dup}")
    return ints


def _check_cities(cities: pd.DataFrame, what: str) -> pd.DataFrame:
    """Columns city_code, lon, lat; known unique codes; finite plausible coordinates; sorted."""
    if not isinstance(cities, pd.DataFrame):
        raise ValueError(f"{what}: cities must be a DataFrame, got {type(cities).__name__}")
    lacking = [c for c in ("city_code", "lon", "lat") if c not in cities.columns]
    if lacking:
        raise ValueError(f"{what}: cities lacks column(s) {lacking}")
    if len(cities) < 2:
        raise ValueError(f"{what}: need at least 2 cities, got {len(cities)}")
    codes = _check_codes(cities["city_code"], what)
    out = pd.DataFrame(
        {
            "city_code": codes,
            "lon": pd.to_numeric(cities["lon"], errors="coerce").to_numpy(dtype=float),
            "lat": pd.to_numeric(cities["lat"], errors="coerce").to_numpy(dtype=float),
        }
    )
    bad = out.loc[~np.isfinite(out["lon"]) | ~np.isfinite(out["lat"]), "city_code"]
    if len(bad):
        raise ValueError(f"{what}: missing coordinates for city codes {sorted(bad.tolist())}")
    off = out.loc[(out["lon"].abs() > 180) | (out["lat"].abs() > 90), "city_code"]
    if len(off):
        raise ValueError(
            f"{what}: coordinates out of range (lon in [-180, 180], lat in [-90, 90]) "
            f"for city codes {sorted(off.tolist())}"
        )
    return out.sort_values("city_code", ignore_index=True)


def _as_square(w, what: str) -> tuple[np.ndarray, pd.Index | None]:
    """A float copy of a square matrix and its labels (None for arrays)."""
    if isinstance(w, pd.DataFrame):
        if w.shape[0] != w.shape[1]:
            raise ValueError(f"{what}: weights matrix must be square, got shape {w.shape}")
        if not w.index.equals(w.columns):
            raise ValueError(f"{what}: index and columns must be the same labels in the same order")
        labels = w.index
        values = w.to_numpy(dtype=float, copy=True)
    else:
        values = np.array(w, dtype=float, copy=True)
        labels = None
        if values.ndim != 2 or values.shape[0] != values.shape[1]:
            raise ValueError(f"{what}: weights matrix must be square, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{what}: weights must be finite (no NaN or inf)")
    if np.any(values < 0):
        raise ValueError(f"{what}: weights must be non-negative")
    return values, labels


def _wrap(values: np.ndarray, labels: pd.Index | None):
    if labels is None:
        return values
    return pd.DataFrame(values, index=labels.copy(), columns=labels.copy())


def _frame(values: np.ndarray, codes) -> pd.DataFrame:
    idx = pd.Index(np.asarray(codes, dtype="int64"), name="city_code")
    return pd.DataFrame(values, index=idx, columns=idx.copy())


# --------------------------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------------------------


def great_circle_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    r"""Great-circle distance on a sphere of radius 6371.0088 km (haversine formula).

    .. math::

        h = \sin^2\frac{\varphi_2 - \varphi_1}{2}
            + \cos\varphi_1 \cos\varphi_2 \sin^2\frac{\lambda_2 - \lambda_1}{2},
        \qquad d = 2R \arcsin\sqrt{h},

    with latitudes :math:`\varphi`, longitudes :math:`\lambda` in radians and
    :math:`R` = 6371.0088 km, the IUGG mean Earth radius. The haversine form is
    well conditioned for small distances. The spherical model differs from the
    WGS84 ellipsoidal (geodesic) distance by at most about 0.5 %, and by a near
    constant factor within the YRD, which row standardisation removes.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array-like of float
        Degrees; broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Distances in km.

    References
    ----------
    Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2), 159.
    Moritz, H. (2000). Geodetic Reference System 1980. *Journal of Geodesy* 74, 128-133
    (mean radius :math:`R_1`).
    """
    lon1, lat1, lon2, lat2 = (
        np.deg2rad(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    h = (
        np.sin((lat2 - lat1) / 2.0) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def distance_matrix(cities: pd.DataFrame) -> pd.DataFrame:
    """Seat-to-seat great-circle distances (km).

    Parameters
    ----------
    cities : pandas.DataFrame
        Columns city_code, lon, lat (WGS84 degrees), e.g. :func:`yrd.data.geo.load_cities`.

    Returns
    -------
    pandas.DataFrame
        Symmetric, zero diagonal; index and columns = city codes, ascending.

    Raises
    ------
    ValueError
        Missing columns or coordinates, duplicate or unknown city codes.
    """
    c = _check_cities(cities, "distance_matrix")
    lon, lat = c["lon"].to_numpy(), c["lat"].to_numpy()
    d = great_circle_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    d = (d + d.T) / 2.0  # exact symmetry despite rounding
    np.fill_diagonal(d, 0.0)
    return _frame(d, c["city_code"])


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


def row_standardize(w):
    r"""Row-standardise a weights matrix: :math:`w^*_{ij} = w_{ij} / \sum_k w_{ik}`.

    Parameters
    ----------
    w : pandas.DataFrame or array-like
        Square, finite, non-negative. A DataFrame must have identical index and columns.

    Returns
    -------
    Same type as ``w``
        Each row sums to one.

    Raises
    ------
    ValueError
        Non-square, non-finite or negative input, or a row summing to zero
        (a unit without neighbours, e.g. Zhoushan under queen contiguity).
    """
    values, labels = _as_square(w, "row_standardize")
    return _wrap(_row_standardize(values, labels, allow_zero_rows=False), labels)


def _row_standardize(values: np.ndarray, labels, *, allow_zero_rows: bool) -> np.ndarray:
    sums = values.sum(axis=1)
    zero = sums <= 0
    if zero.any():
        names = list(labels[zero]) if labels is not None else np.flatnonzero(zero).tolist()
        if not allow_zero_rows:
            raise ValueError(
                f"row_standardize: row(s) {names} sum to zero and cannot be standardised "
                "(units without neighbours; for Zhoushan use queen_contiguity(island='nearest'))"
            )
    out = values / np.where(zero, 1.0, sums)[:, None]
    return out


def spectral_normalize(w):
    r"""Divide a weights matrix by its spectral radius :math:`\max_i |\lambda_i(W)|`.

    For a symmetric non-negative matrix this is its largest eigenvalue
    (Perron-Frobenius); the result keeps symmetry and has largest eigenvalue 1.

    Parameters
    ----------
    w : pandas.DataFrame or array-like
        Square, finite, non-negative.

    Returns
    -------
    Same type as ``w``

    Raises
    ------
    ValueError
        Invalid input or a zero matrix.
    """
    values, labels = _as_square(w, "spectral_normalize")
    if np.allclose(values, values.T, rtol=1e-12, atol=0.0):
        radius = float(np.max(np.abs(np.linalg.eigvalsh((values + values.T) / 2.0))))
    else:
        radius = float(np.max(np.abs(np.linalg.eigvals(values))))
    if radius <= 0:
        raise ValueError("spectral_normalize: the matrix has spectral radius 0 (all zero?)")
    return _wrap(values / radius, labels)


def _normalize(w: pd.DataFrame, normalize, *, allow_zero_rows: bool = False) -> pd.DataFrame:
    if normalize not in _NORMALIZE:
        raise ValueError(f"normalize must be one of {_NORMALIZE}, got {normalize!r}")
    if normalize is None:
        return w
    if normalize == "spectral":
        return spectral_normalize(w)
    values, labels = _as_square(w, "row_standardize")
    return _wrap(_row_standardize(values, labels, allow_zero_rows=allow_zero_rows), labels)


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def inverse_distance(
    cities: pd.DataFrame,
    power: float = 1,
    cutoff_km: float | None = None,
    normalize: str | None = "row",
) -> pd.DataFrame:
    r"""Inverse-distance weights between city seats.

    .. math::

        w_{ij} = \begin{cases}
            d_{ij}^{-\alpha} & i \ne j,\ d_{ij} \le \bar d,\\
            0 & \text{otherwise,}
        \end{cases}

    with :math:`d_{ij}` the great-circle seat-to-seat distance in km
    (:func:`great_circle_km`), :math:`\alpha` = ``power`` and :math:`\bar d` =
    ``cutoff_km`` (no cutoff by default), then normalised. Before normalisation
    the matrix is symmetric.

    Parameters
    ----------
    cities : pandas.DataFrame
        Columns city_code, lon, lat (WGS84), e.g. :func:`yrd.data.geo.load_cities`.
    power : float, default 1
        Distance-decay exponent :math:`\alpha > 0` (2 = gravity-type weights).
    cutoff_km : float, optional
        Set weights beyond this distance to zero.
    normalize : {"row", "spectral", None}, default "row"
        See the module docstring.

    Returns
    -------
    pandas.DataFrame
        n x n, index and columns = city codes ascending, zero diagonal.

    Raises
    ------
    ValueError
        Bad cities (see :func:`distance_matrix`), two cities at the same point,
        ``power`` or ``cutoff_km`` not positive, a cutoff leaving a city without
        neighbours under row standardisation.
    """
    if not (np.isfinite(power) and power > 0):
        raise ValueError(f"inverse_distance: power must be positive, got {power!r}")
    if cutoff_km is not None and not (np.isfinite(cutoff_km) and cutoff_km > 0):
        raise ValueError(f"inverse_distance: cutoff_km must be positive, got {cutoff_km!r}")
    d = distance_matrix(cities)
    values = d.to_numpy()
    off = ~np.eye(len(values), dtype=bool)
    if np.any(values[off] <= 0):
        i, j = np.argwhere((values <= 0) & off)[0]
        raise ValueError(
            f"inverse_distance: cities {d.index[i]} and {d.columns[j]} have identical coordinates"
        )
    w = np.zeros_like(values)
    w[off] = values[off] ** (-float(power))
    if cutoff_km is not None:
        w[values > cutoff_km] = 0.0
    return _normalize(_frame(w, d.index), normalize)


def economic_distance(
    panel: pd.DataFrame,
    var: str = "gdp",
    unit: str = "city_code",
    normalize: str | None = "row",
) -> pd.DataFrame:
    r"""Economic-distance weights from city means of a panel variable.

    .. math::

        \bar y_i = \frac1{T_i}\sum_t y_{it},\qquad
        w_{ij} = \begin{cases} 1 / |\bar y_i - \bar y_j| & i \ne j,\\ 0 & i = j,\end{cases}

    then normalised (row-standardised by default). Cities with similar economic
    levels get large weights. Before normalisation the matrix is symmetric; it
    is invariant to adding a constant to :math:`y`, and after row
    standardisation also to multiplying :math:`y` by a positive constant (so
    the units of GDP do not matter, but taking logs does).

    This is a *convention*, not a definition from the paper: the paper names
    "economic distance weights" without defining them. The reciprocal absolute
    difference of mean GDP (often per-capita GDP) over the sample period is the
    usual definition in the Chinese spatial-econometrics literature, following
    Lin, Long and Wu (2005). The matrix is rebuilt from whichever panel is
    loaded (the synthetic twin or the real data), so it differs between them.
    Missing values are ignored in the means.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long panel with columns ``unit`` and ``var``.
    var : str, default "gdp"
        Variable whose city means define the distance.
    unit : str, default "city_code"
        Column holding the city codes.
    normalize : {"row", "spectral", None}, default "row"

    Returns
    -------
    pandas.DataFrame
        n x n, index and columns = city codes ascending, zero diagonal.

    Raises
    ------
    ValueError
        Missing columns, non-numeric ``var``, unknown city codes, a city without
        any value, or ties: two cities whose means are equal (to within
        :math:`10^{-12}` of the largest absolute mean), which would divide by zero.

    References
    ----------
    Lin Guangping, Long Zhihe and Wu Mei (林光平、龙志和、吴梅) (2005).
    *China Economic Quarterly* (经济学(季刊)) 4(S1): spatial econometric analysis of
    regional convergence in China with economic-distance weights
    :math:`1/|\bar Y_i - \bar Y_j|` built from mean per-capita GDP.
    """
    if not isinstance(panel, pd.DataFrame):
        raise ValueError(
            f"economic_distance: panel must be a DataFrame, got {type(panel).__name__}"
        )
    lacking = [c for c in (unit, var) if c not in panel.columns]
    if lacking:
        raise ValueError(f"economic_distance: panel lacks column(s) {lacking}")
    if not pd.api.types.is_numeric_dtype(panel[var]):
        raise ValueError(f"economic_distance: column {var!r} must be numeric")
    if panel[unit].isna().any():
        raise ValueError(f"economic_distance: missing values in {unit!r}")
    means = panel.groupby(panel[unit].astype("int64"), sort=True)[var].mean()
    codes = _check_codes(means.index, "economic_distance")
    if len(codes) < 2:
        raise ValueError("economic_distance: need at least 2 cities")
    empty = means.index[means.isna()].tolist()
    if empty:
        raise ValueError(f"economic_distance: no non-missing {var!r} for city codes {empty}")
    m = means.to_numpy(dtype=float)
    diff = np.abs(m[:, None] - m[None, :])
    tol = 1e-12 * max(float(np.max(np.abs(m))), np.finfo(float).tiny)
    off = ~np.eye(len(m), dtype=bool)
    ties = np.argwhere((diff <= tol) & off & np.triu(off))
    if len(ties):
        pairs = [(int(codes[i]), int(codes[j])) for i, j in ties]
        raise ValueError(
            f"economic_distance: equal mean {var!r} for city pairs {pairs}; "
            "1/|mean_i - mean_j| is undefined (ties)"
        )
    w = np.zeros_like(diff)
    w[off] = 1.0 / diff[off]
    return _normalize(_frame(w, codes), normalize)


def queen_contiguity(
    polygons,
    island: str = "nearest",
    cities: pd.DataFrame | None = None,
    normalize: str | None = "row",
) -> pd.DataFrame:
    """Queen contiguity (shared border or corner) between city polygons.

    Built with :class:`libpysal.weights.Queen` (ids = city codes, ascending).
    Zhoushan (330900) is an archipelago: its polygon touches no other city, so
    under pure contiguity it is an island (a zero row), which breaks row
    standardisation and isolates it from spatial lags.

    Parameters
    ----------
    polygons : geopandas.GeoDataFrame
        Columns city_code and geometry, e.g. :func:`yrd.data.geo.load_polygons`.
    island : {"nearest", "keep"}, default "nearest"
        ``"nearest"``: link every unit without neighbours to the unit with the
        nearest seat (great-circle; Zhoushan -> Ningbo), symmetrically, so the
        matrix stays symmetric before normalisation; this is the default for
        models. ``"keep"``: leave the zero row and warn; with
        ``normalize="row"`` the zero row stays zero.
    cities : pandas.DataFrame, optional
        Seats (city_code, lon, lat), needed for ``island="nearest"`` when a unit has no
        neighbour (e.g. :func:`yrd.data.geo.load_cities`).
    normalize : {"row", "spectral", None}, default "row"
        ``None`` gives the binary 0/1 matrix.

    Returns
    -------
    pandas.DataFrame
        n x n, index and columns = city codes ascending, zero diagonal.

    Raises
    ------
    ValueError
        Missing columns, duplicate or unknown codes, empty geometries, a bad
        ``island`` value, or seats missing for an island.
    """
    if island not in ("nearest", "keep"):
        raise ValueError(f"queen_contiguity: island must be 'nearest' or 'keep', got {island!r}")
    if normalize not in _NORMALIZE:
        raise ValueError(f"normalize must be one of {_NORMALIZE}, got {normalize!r}")
    if not hasattr(polygons, "geometry") or "city_code" not in polygons.columns:
        raise ValueError(
            "queen_contiguity: polygons must be a GeoDataFrame with a city_code column"
        )
    codes = _check_codes(polygons["city_code"], "queen_contiguity")
    empty = polygons.geometry.isna().to_numpy() | polygons.geometry.is_empty.to_numpy()
    if empty.any():
        raise ValueError(f"queen_contiguity: empty geometry for city codes {sorted(codes[empty])}")
    gdf = polygons[["geometry"]].copy()
    gdf.index = pd.Index(codes, name="city_code")
    gdf = gdf.sort_index()
    order = gdf.index.to_numpy()
    pos = {c: k for k, c in enumerate(order)}
    b = _queen_links(gdf)
    isolated = order[b.sum(axis=1) == 0]
    if len(isolated) and island == "keep":
        warnings.warn(
            f"queen_contiguity: city codes {isolated.tolist()} have no queen neighbour "
            "(zero rows); use island='nearest' for models",
            UserWarning,
            stacklevel=2,
        )
    if len(isolated) and island == "nearest":
        if cities is None:
            raise ValueError(
                f"queen_contiguity: city codes {isolated.tolist()} have no queen neighbour; "
                "island='nearest' needs their seats: pass cities=yrd.data.geo.load_cities()"
            )
        seats = _check_cities(cities, "queen_contiguity").set_index("city_code")
        missing = sorted(set(order.tolist()) - set(seats.index))
        if missing:
            raise ValueError(f"queen_contiguity: no seat coordinates for city codes {missing}")
        seats = seats.loc[order]
        for c in isolated:
            i = pos[c]
            d = great_circle_km(
                seats["lon"].iloc[i], seats["lat"].iloc[i], seats["lon"], seats["lat"]
            )
            d[i] = np.inf
            j = int(np.argmin(d))
            b[i, j] = b[j, i] = 1.0
    return _normalize(_frame(b, order), normalize, allow_zero_rows=(island == "keep"))


def _queen_links(gdf) -> np.ndarray:
    """Binary queen matrix of ``gdf``'s polygons, rows and columns in ``gdf.index`` order.

    ``libpysal.weights.Queen.from_dataframe``: units are neighbours when their boundaries share a
    vertex (exact coordinates); the polygons of ``data/geo`` are simplified as one coverage, so
    shared borders keep identical vertices.
    """
    # imported here: libpysal takes a second to import, and most users of this module never
    # build contiguity weights
    from libpysal.weights import Queen

    q = Queen.from_dataframe(gdf, use_index=True, silence_warnings=True)
    b, ids = q.full()
    pos = {c: k for k, c in enumerate(ids)}
    order = [pos[c] for c in gdf.index]
    return b[np.ix_(order, order)]


# --------------------------------------------------------------------------------------------
# Interop and files
# --------------------------------------------------------------------------------------------


def to_libpysal(w_df: pd.DataFrame):
    """Convert a weights DataFrame to :class:`libpysal.weights.W`.

    Ids are the index labels (city codes) in the DataFrame's order; the weights
    are copied as they are (the ``W``'s transform stays ``"O"``, so a
    row-standardised DataFrame gives row-standardised weights).

    Parameters
    ----------
    w_df : pandas.DataFrame
        Square, identical index and columns, finite, non-negative.

    Returns
    -------
    libpysal.weights.W
    """
    if not isinstance(w_df, pd.DataFrame):
        raise ValueError(f"to_libpysal: expected a DataFrame, got {type(w_df).__name__}")
    values, labels = _as_square(w_df, "to_libpysal")
    if labels.has_duplicates:
        raise ValueError("to_libpysal: duplicate labels")
    from libpysal.weights import full2W

    return full2W(values, ids=list(labels), silence_warnings=True)


def write_matrix_csv(w: pd.DataFrame, path: str | Path) -> Path:
    """Write a weights matrix as CSV (codes as header and index, fixed float format).

    The header's first cell is ``city_code``; values use :data:`MATRIX_FLOAT_FORMAT`;
    line endings are ``\\n``; output is deterministic.
    """
    values, labels = _as_square(w, "write_matrix_csv")
    if labels is None:
        raise ValueError("write_matrix_csv: expected a DataFrame with city codes")
    frame = _frame(values, labels)
    path = Path(path)
    frame.to_csv(path, float_format=MATRIX_FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
    return path
