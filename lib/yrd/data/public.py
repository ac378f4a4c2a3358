r"""Public figures for gdp, wage and stru: the 41 cities x 2011-2020 from open repositories.

Three files, read from two public GitHub repositories (bare mirrors, fixed commits):

* ``CRE_Gdpct.csv`` (repository ``eileenCHEN-9/PhD_2022_2025``, no licence file): an extract of
  the CSMAR China Regional Economy database (which compiles the China City Statistical Yearbook
  and local statistical bulletins). GDP ``Gdpct01`` (100 million yuan), sector shares
  ``Gdpct02-04`` (%), ``GDP_PerCapita`` (yuan), ``GDPYoY`` (real growth, %), value added
  ``GDP_PrimInd``, ``GDP_SecInd``, ``GDP_TerInd`` (10,000 yuan); keys ``Ctnm_id`` (6-digit city
  code) and ``Sgnyea`` (year).
* ``CRE_Eplwagct.csv`` (same repository and database): ``Eect01`` registered population at
  year-end (10,000 persons) and ``Eect13`` average wage of employees (yuan).
* ``census_city_2010-2020_v1.csv`` (repository ``leiii/census``, MIT): census resident
  population ``popu_2010`` and ``popu_2020`` per city (``city_code``; Shanghai is 310100 there).

:func:`build_public_panel` reads them and returns the panel of the figures the book uses, with
the book's variables ``gdp = ln(GDP in 10,000 yuan)``, ``wage = ln(average wage)`` and
``stru = tertiary / secondary value added``, and a table of every defect of the extract and how
it was handled. Nothing is imputed silently: a missing wage stays missing (NaN), a rebuilt
figure says so in the ``note`` column.

``python -m yrd.data.public --write`` (``make public``) extracts the three files from the mirrors
into a temporary folder and writes ``data/public/panel.csv`` and ``data/public/PROVENANCE.md``;
:func:`load_public` reads the committed panel.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from yrd import DATA
from yrd.data.cities import CITIES, CITY_CODES, YEARS

__all__ = [
    "PUBLIC_DIR",
    "PANEL_COLUMNS",
    "DEFECT_COLUMNS",
    "SOURCES",
    "Source",
    "PublicBuild",
    "PublicDataError",
    "build_public_panel",
    "extract_sources",
    "load_public",
    "write_public",
    "panel_text",
    "sha256_text",
    "recorded_digest",
]

#: Where the committed public panel and its provenance live.
PUBLIC_DIR = DATA / "public"

#: Where the bare mirrors of the source repositories are (override with ``YRD_MIRRORS``).
MIRRORS = Path(os.environ.get("YRD_MIRRORS", "/work/.mirror"))


@dataclass(frozen=True)
class Source:
    """One source file: repository, commit, path in the repository, licence."""

    key: str
    repo: str
    commit: str
    path: str
    licence: str

    @property
    def mirror(self) -> Path:
        """The bare git directory of the repository's mirror."""
        return MIRRORS / self.repo.replace("/", "+") / "repo"

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


_CSMAR_REPO = "eileenCHEN-9/PhD_2022_2025"
_CSMAR_COMMIT = "f20bcc5e60189da7c99eb185c8b981f116b07af9"
_CENSUS_REPO = "leiii/census"
_CENSUS_COMMIT = "0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087"

#: The three source files (``gdp``, ``wage``, ``census``) and the two field descriptions.
SOURCES: dict[str, Source] = {
    "gdp": Source(
        "gdp",
        _CSMAR_REPO,
        _CSMAR_COMMIT,
        "data/raw_data/statistics/CRE_Gdpct.csv",
        "none (no licence file)",
    ),
    "wage": Source(
        "wage",
        _CSMAR_REPO,
        _CSMAR_COMMIT,
        "data/raw_data/statistics/CRE_Eplwagct.csv",
        "none (no licence file)",
    ),
    "census": Source(
        "census",
        _CENSUS_REPO,
        _CENSUS_COMMIT,
        "data/census/census_city_2010-2020_v1.csv",
        "MIT",
    ),
    "gdp_des": Source(
        "gdp_des",
        _CSMAR_REPO,
        _CSMAR_COMMIT,
        "data/raw_data/statistics/CRE_Gdpct[DES][csv].txt",
        "none (no licence file)",
    ),
    "wage_des": Source(
        "wage_des",
        _CSMAR_REPO,
        _CSMAR_COMMIT,
        "data/raw_data/statistics/CRE_Eplwagct[DES][csv].txt",
        "none (no licence file)",
    ),
}

#: Columns read from each file: (column in the file, name in the panel, unit).
GDP_FIELDS = (
    ("Gdpct01", "gdp_100m", "100 million yuan"),
    ("Gdpct03", "share_secondary", "% of GDP"),
    ("Gdpct04", "share_tertiary", "% of GDP"),
    ("GDP_PerCapita", "gdp_per_capita", "yuan"),
    ("GDPYoY", "gdp_real_growth", "% (real, year on year)"),
    ("GDP_PrimInd", "va_primary", "10,000 yuan"),
    ("GDP_SecInd", "va_secondary", "10,000 yuan"),
    ("GDP_TerInd", "va_tertiary", "10,000 yuan"),
)
WAGE_FIELDS = (
    ("Eect01", "pop_registered", "10,000 persons"),
    ("Eect13", "avg_wage", "yuan"),
)
CENSUS_FIELDS = (
    ("popu_2010", "census_pop_2010", "persons"),
    ("popu_2020", "census_pop_2020", "persons"),
)
KEYS = {"gdp": ("Ctnm_id", "Sgnyea"), "wage": ("Ctnm_id", "Sgnyea"), "census": ("city_code",)}

#: The columns of ``data/public/panel.csv`` and their written format (fixed decimals).
PANEL_FORMATS: dict[str, str] = {
    "city_code": "d",
    "year": "d",
    "gdp_nominal": ".1f",  # 10,000 yuan
    "va_primary": ".1f",
    "va_secondary": ".1f",
    "va_tertiary": ".1f",
    "share_secondary": ".2f",
    "share_tertiary": ".2f",
    "gdp_per_capita": ".2f",
    "gdp_real_growth": ".2f",
    "pop_registered": ".4f",
    "avg_wage": ".2f",
    "census_pop_2010": "d",
    "census_pop_2020": "d",
    "gdp": ".10f",
    "wage": ".10f",
    "stru": ".10f",
    "note": "s",
}
PANEL_COLUMNS = tuple(PANEL_FORMATS)
DEFECT_COLUMNS = ("city_code", "year", "column", "defect", "handling")

#: The statistical office's 100 million yuan are 10,000 x 10,000 yuan.
YI = 10_000.0

#: Sum of the three sectors' value added must equal GDP to this relative tolerance.
VA_SUM_RTOL = 0.001
#: A printed sector share and the share implied by value added may differ by this (points).
SHARE_TOL = 0.5
#: The 2019 figures are the first after the revision that followed the Fourth Economic Census
#: (2018). A city whose 2019 nominal log growth exceeds its real log growth (GDPYoY) by more than
#: this (in absolute value) is flagged as revised; in 2012-2018 the largest such gap outside the
#: boundary changes of 2015 is 0.066.
REVISION_YEAR = 2019
REVISION_GAP = 0.08
#: County transfers of 2015: city -> (county, from/to, other city).
BOUNDARY_2015 = {
    340400: "gains Shou county (340422) from Lu'an in 2015",
    341500: "loses Shou county (340422) to Huainan in 2015",
    340700: "gains Zongyang county (340722) from Anqing in 2015",
    340800: "loses Zongyang county (340722) to Tongling in 2015",
}
#: Chaohu (341400) was abolished in August 2011 and split between these three cities.
CHAOHU_HEIRS = (340100, 340200, 340500)
#: The census file codes Shanghai by its urban districts' code.
CENSUS_RECODE = {310100: 310000}

_NAMES = {c: en for c, en, _, _ in CITIES}


class PublicDataError(ValueError):
    """A source file does not have the expected structure (the message names file, line, column)."""


class PublicBuild(NamedTuple):
    """What :func:`build_public_panel` returns."""

    panel: pd.DataFrame
    """410 rows (41 cities x 2011-2020), the columns of :data:`PANEL_COLUMNS`."""
    defects: pd.DataFrame
    """One row per defect found and how it was handled (:data:`DEFECT_COLUMNS`)."""


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _read_csv(path: Path, fields, keys) -> pd.DataFrame:
    """Read the key and field columns as text, check them, and return numbers.

    Key columns must be integers, field columns numbers or empty (NaN). Rows outside the sample
    (other cities, other years) are not checked.
    """
    path = Path(path)
    if not path.is_file():
        raise PublicDataError(f"{path}: file not found")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise PublicDataError(f"{path}: not a readable UTF-8 CSV file ({e})") from None
    wanted = [*keys, *(f for f, _, _ in fields)]
    missing = [c for c in wanted if c not in raw.columns]
    if missing:
        raise PublicDataError(
            f"{path.name}: column(s) {missing} missing; expected {wanted} among the header "
            f"{list(raw.columns)}"
        )
    raw = raw[wanted].copy()
    raw.insert(0, "_line", np.arange(2, len(raw) + 2))  # header is line 1
    problems: list[str] = []
    for k in keys:
        bad = ~raw[k].str.strip().str.fullmatch(r"\d+")
        for line, val in zip(raw.loc[bad, "_line"], raw.loc[bad, k], strict=True):
            problems.append(
                f"{path.name}, line {line}, column {k}: expected an integer, found {val!r}"
            )
        if problems:
            raise PublicDataError("\n".join(problems[:20]))
        raw[k] = raw[k].astype(int)
    if "Sgnyea" in keys:
        raw = raw[raw["Ctnm_id"].isin(CITY_CODES) & raw["Sgnyea"].isin(YEARS)]
    else:
        raw["city_code"] = raw["city_code"].replace(CENSUS_RECODE)
        raw = raw[raw["city_code"].isin(CITY_CODES)]
    out = raw[["_line", *keys]].copy()
    for f, _, _ in fields:
        text = raw[f].str.strip()
        num = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = num.isna() & (text != "")
        for line, val in zip(raw.loc[bad, "_line"], raw.loc[bad, f], strict=True):
            problems.append(
                f"{path.name}, line {line}, column {f}: expected a number, found {val!r}"
            )
        out[f] = num.astype(float)
    if problems:
        raise PublicDataError("\n".join(problems[:20]))
    dup = out[out.duplicated(list(keys), keep=False)]
    if len(dup):
        lines = ", ".join(str(x) for x in dup["_line"][:10])
        raise PublicDataError(
            f"{path.name}: duplicate {'/'.join(keys)} for the sample at lines {lines}"
        )
    return out


def _require_all(frame: pd.DataFrame, path: Path, keys) -> None:
    """Every sample city (and year) must be present."""
    if len(keys) == 2:
        have = set(zip(frame["Ctnm_id"], frame["Sgnyea"], strict=True))
        absent = [(c, y) for c in CITY_CODES for y in YEARS if (c, y) not in have]
        if absent:
            listed = "; ".join(f"{c} ({_NAMES[c]}) in {y}" for c, y in absent[:10])
            raise PublicDataError(
                f"{Path(path).name}: no row for {len(absent)} sample city-year(s) "
                f"(columns Ctnm_id, Sgnyea): {listed}" + (" ..." if len(absent) > 10 else "")
            )
    else:
        absent = sorted(set(CITY_CODES) - set(frame["city_code"]))
        if absent:
            listed = ", ".join(f"{c} ({_NAMES[c]})" for c in absent)
            raise PublicDataError(
                f"{Path(path).name}: no row for city {listed} (column city_code; Shanghai may "
                "be coded 310000 or 310100)"
            )


def _require_values(frame: pd.DataFrame, path: Path, columns, keys) -> None:
    """Columns that may not be empty for a sample row (no defect of the extract explains it)."""
    problems = []
    for col in columns:
        for _, r in frame[frame[col].isna()].iterrows():
            where = ", ".join(f"{k} {int(r[k])}" for k in keys)
            problems.append(
                f"{Path(path).name}, line {int(r['_line'])}, column {col}: expected a number "
                f"({where}), found an empty cell"
            )
    if problems:
        raise PublicDataError("\n".join(problems[:20]))


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def build_public_panel(gdp_csv, wage_csv, census_csv) -> PublicBuild:
    """Read the three source files and build the panel of public figures and its defects table.

    Parameters
    ----------
    gdp_csv, wage_csv, census_csv : path-like
        ``CRE_Gdpct.csv``, ``CRE_Eplwagct.csv`` and ``census_city_2010-2020_v1.csv`` (or extracts
        with the same columns).

    Returns
    -------
    PublicBuild
        ``panel`` (41 cities x 2011-2020, :data:`PANEL_COLUMNS`) and ``defects``.

    Raises
    ------
    PublicDataError
        A file is missing, lacks a column, holds a non-number where a number belongs, misses a
        sample city (or city-year), or holds a sample city-year twice; the message names the
        file, line and column and what was expected.
    """
    gdp_csv, wage_csv, census_csv = Path(gdp_csv), Path(wage_csv), Path(census_csv)
    g = _read_csv(gdp_csv, GDP_FIELDS, KEYS["gdp"])
    w = _read_csv(wage_csv, WAGE_FIELDS, KEYS["wage"])
    c = _read_csv(census_csv, CENSUS_FIELDS, KEYS["census"])
    _require_all(g, gdp_csv, KEYS["gdp"])
    _require_all(w, wage_csv, KEYS["wage"])
    _require_all(c, census_csv, KEYS["census"])
    # GDP and the registered population have no gap in the extract; a gap there is an error.
    _require_values(g, gdp_csv, ["Gdpct01", "GDP_PerCapita"], KEYS["gdp"])
    _require_values(w, wage_csv, ["Eect01"], KEYS["wage"])
    _require_values(c, census_csv, ["popu_2010", "popu_2020"], KEYS["census"])

    g = g.rename(columns={"Ctnm_id": "city_code", "Sgnyea": "year"})
    g = g.rename(columns={f: n for f, n, _ in GDP_FIELDS}).drop(columns="_line")
    w = w.rename(columns={"Ctnm_id": "city_code", "Sgnyea": "year"})
    w = w.rename(columns={f: n for f, n, _ in WAGE_FIELDS}).drop(columns="_line")
    c = c.rename(columns={f: n for f, n, _ in CENSUS_FIELDS}).drop(columns="_line")
    p = g.merge(w, on=["city_code", "year"], validate="one_to_one")
    p = p.merge(c, on="city_code", validate="many_to_one")
    p = p.sort_values(["city_code", "year"]).reset_index(drop=True)
    p["gdp_nominal"] = p["gdp_100m"] * YI  # 10,000 yuan, the unit of the sector value added
    notes: list[list[str]] = [[] for _ in range(len(p))]
    defects: list[tuple] = []

    def flag(i, column, note, defect, handling):
        notes[i].append(note)
        defects.append((int(p.at[i, "city_code"]), int(p.at[i, "year"]), column, defect, handling))

    va = ["va_primary", "va_secondary", "va_tertiary"]
    va_src = {
        "va_primary": "GDP_PrimInd",
        "va_secondary": "GDP_SecInd",
        "va_tertiary": "GDP_TerInd",
    }

    # Defect: value added in the wrong unit (Shanghai 2020: GDP_SecInd and GDP_TerInd are in 100
    # million yuan, GDP_PrimInd in 10,000 yuan). Found by the accounting identity primary +
    # secondary + tertiary = GDP; fixed only when multiplying some sectors by 10,000 restores
    # the identity to 0.1% and no other choice does.
    for i in p.index[p[va].notna().all(axis=1)]:
        total, vals = p.at[i, "gdp_nominal"], p.loc[i, va].to_numpy(float)
        if abs(vals.sum() / total - 1) <= VA_SUM_RTOL:
            continue
        fits = []
        for mask in range(1, 8):
            scale = np.array([YI if mask >> k & 1 else 1.0 for k in range(3)])
            if abs((vals * scale).sum() / total - 1) <= VA_SUM_RTOL:
                fits.append(scale)
        if len(fits) == 1:
            fixed = [va[k] for k in range(3) if fits[0][k] != 1.0]
            p.loc[i, va] = vals * fits[0]
            for col in fixed:
                flag(
                    i,
                    va_src[col],
                    "va-unit-fixed",
                    f"in 100 million yuan, not 10,000 yuan ({vals[va.index(col)]:.2f}); the "
                    f"three sectors summed to {vals.sum() / total:.4f} of GDP",
                    "multiplied by 10,000; the sectors now sum to GDP",
                )
        else:
            flag(
                i,
                "GDP_PrimInd/SecInd/TerInd",
                "va-sum-off",
                f"the sectors sum to {vals.sum() / total:.4f} of GDP and no unit fix restores it",
                "kept as found; stru may be wrong",
            )

    # Defect: one sector's value added missing. Rebuilt as GDP minus the other two sectors.
    for i in p.index[p[va].isna().sum(axis=1) == 1]:
        col = next(k for k in va if pd.isna(p.at[i, k]))
        others = [k for k in va if k != col]
        p.at[i, col] = p.at[i, "gdp_nominal"] - p.loc[i, others].sum()
        flag(
            i,
            va_src[col],
            "va-rebuilt",
            "missing",
            "rebuilt as GDP (Gdpct01 x 10,000) minus the other two sectors",
        )
    for i in p.index[p[va].isna().sum(axis=1) > 1]:
        flag(i, "GDP_PrimInd/SecInd/TerInd", "va-missing", "two or more sectors missing", "NaN")

    # Defect: sector shares missing (Zhejiang's 11 cities in 2017) while the value added is there.
    # Rebuilt from value added as 100 x sector / GDP, rounded to 2 decimals as printed elsewhere.
    implied = {
        "share_secondary": 100 * p["va_secondary"] / p["gdp_nominal"],
        "share_tertiary": 100 * p["va_tertiary"] / p["gdp_nominal"],
    }
    src = {"share_secondary": "Gdpct03", "share_tertiary": "Gdpct04"}
    for col, imp in implied.items():
        for i in p.index[p[col].isna() & imp.notna()]:
            p.at[i, col] = round(float(imp[i]), 2)
            flag(
                i,
                src[col],
                "share-rebuilt",
                "missing",
                "rebuilt as 100 x value added / GDP, rounded to 2 decimals",
            )
        # A printed share that disagrees with value added (Taizhou, Zhejiang, 2011): kept, noted;
        # stru uses value added, not shares.
        off = (p[col] - imp).abs() > SHARE_TOL
        for i in p.index[off]:
            flag(
                i,
                src[col],
                "share-disagrees",
                f"printed {p.at[i, col]:.2f}% but value added gives {imp[i]:.2f}%",
                "kept as printed (stru uses value added)",
            )

    # Defect: missing average wage (Lianyungang 2019, Fuyang 2017). Left missing: wage is NaN.
    for i in p.index[p["avg_wage"].isna()]:
        flag(i, "Eect13", "wage-missing", "missing", "left missing: wage is NaN (not imputed)")

    # Defect: missing real growth (GDPYoY; Zhejiang 2017). Left missing: no real GDP for the
    # city from that year on.
    for i in p.index[p["gdp_real_growth"].isna()]:
        flag(
            i,
            "GDPYoY",
            "growth-missing",
            "missing",
            "left missing: real GDP cannot be chained through this year",
        )

    # Vintage: the 2019 figures follow the revision after the Fourth Economic Census, 2018 ones
    # do not. Flagged where nominal and real growth part by more than REVISION_GAP; not adjusted
    # (the extract has no revised back series).
    lg = np.log(p["gdp_nominal"]).groupby(p["city_code"]).diff()
    gap = lg - np.log1p(p["gdp_real_growth"] / 100)
    for i in p.index[(p["year"] == REVISION_YEAR) & (gap.abs() > REVISION_GAP)]:
        flag(
            i,
            "Gdpct01",
            "revision-2019",
            f"nominal log growth {lg[i]:+.3f} against real {np.log1p(p.at[i, 'gdp_real_growth'] / 100):+.3f}"
            " (GDPYoY): a break between the 2018 and the revised 2019 figures",
            "kept as published (no revised 2011-2018 series in the extract)",
        )

    # Boundaries: county transfers of 2015. The figures follow each year's boundaries, so the
    # four cities' 2011-2014 rows are on the old ones (the book's polygons are today's).
    for i in p.index[p["city_code"].isin(list(BOUNDARY_2015)) & (p["year"] < 2015)]:
        flag(
            i,
            "all",
            "boundary-pre-2015",
            f"pre-2015 boundaries: the city {BOUNDARY_2015[p.at[i, 'city_code']]}",
            "kept (no county-level series to rebuild constant boundaries)",
        )

    p["note"] = ["; ".join(dict.fromkeys(n)) for n in notes]
    # The book's variables. gdp: ln of GDP in 10,000 yuan (the unit that reproduces Table 2);
    # wage: ln of the average wage (NaN where missing); stru: tertiary / secondary value added.
    p["gdp"] = np.log(p["gdp_nominal"])
    p["wage"] = np.log(p["avg_wage"])
    p["stru"] = p["va_tertiary"] / p["va_secondary"]
    for col in ("census_pop_2010", "census_pop_2020"):
        p[col] = p[col].round().astype("int64")
    panel = p[list(PANEL_COLUMNS)].copy()
    defect_frame = pd.DataFrame(defects, columns=list(DEFECT_COLUMNS))
    return PublicBuild(
        panel, defect_frame.sort_values(["city_code", "year"], kind="stable").reset_index(drop=True)
    )


# --------------------------------------------------------------------------------------------
# Writing, reading the committed file
# --------------------------------------------------------------------------------------------


def _fmt(value, spec: str) -> str:
    if spec == "s":
        return "" if value is None else str(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if spec == "d":
        return str(int(value))
    text = format(float(value), spec)
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def panel_text(panel: pd.DataFrame) -> str:
    """The panel as CSV text: fixed decimals per column, empty cells for NaN, ``\\n`` endings.

    Notes are separated by ``"; "`` and never contain a comma, so no field is quoted.
    """
    lines = [",".join(PANEL_COLUMNS)]
    for row in panel[list(PANEL_COLUMNS)].itertuples(index=False):
        cells = [_fmt(v, PANEL_FORMATS[c]) for c, v in zip(PANEL_COLUMNS, row, strict=True)]
        if any("," in x or '"' in x for x in cells):
            raise ValueError(f"panel_text: a cell would need quoting: {cells}")
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_public(path: str | Path | None = None) -> pd.DataFrame:
    """Read the committed ``data/public/panel.csv`` (410 rows, :data:`PANEL_COLUMNS`)."""
    path = Path(path) if path is not None else PUBLIC_DIR / "panel.csv"
    if not path.is_file():
        raise PublicDataError(f"{path}: file not found (run `make public`)")
    df = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"note": str})
    if tuple(df.columns) != PANEL_COLUMNS:
        raise PublicDataError(
            f"{path}: header is {list(df.columns)}, expected {list(PANEL_COLUMNS)}"
        )
    if len(df) != len(CITY_CODES) * len(YEARS):
        raise PublicDataError(f"{path}: {len(df)} rows, expected {len(CITY_CODES) * len(YEARS)}")
    df["note"] = df["note"].fillna("")
    return df


def recorded_digest(provenance: str | Path | None = None) -> str:
    """The SHA-256 of ``panel.csv`` recorded in ``PROVENANCE.md``."""
    path = Path(provenance) if provenance is not None else PUBLIC_DIR / "PROVENANCE.md"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `panel.csv` |"):
            return line.split("`")[3]
    raise PublicDataError(f"{path}: no line '| `panel.csv` | ... | `sha256` |' found")


def extract_sources(
    folder: str | Path, sources: dict[str, Source] | None = None
) -> dict[str, Path]:
    """Write each source file from its repository's bare mirror at the recorded commit.

    Returns ``{key: path}``. Raises :class:`FileNotFoundError` naming the mirror when it is absent.
    """
    sources = SOURCES if sources is None else sources
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for key, s in sources.items():
        if not s.mirror.is_dir():
            raise FileNotFoundError(f"mirror of {s.repo} not found at {s.mirror} (set YRD_MIRRORS)")
        blob = subprocess.run(
            ["git", f"--git-dir={s.mirror}", "show", f"{s.commit}:{s.path}"],
            check=True,
            capture_output=True,
        ).stdout
        path = folder / f"{key}__{s.filename}"
        path.write_bytes(blob)
        out[key] = path
    return out


def mirrors_available(sources: dict[str, Source] | None = None) -> bool:
    """Whether every mirror holds its recorded commit."""
    sources = SOURCES if sources is None else sources
    for s in sources.values():
        if not s.mirror.is_dir():
            return False
        ok = subprocess.run(
            ["git", f"--git-dir={s.mirror}", "cat-file", "-e", f"{s.commit}:{s.path}"],
            capture_output=True,
        )
        if ok.returncode:
            return False
    return True


def build_from_mirrors(sources: dict[str, Source] | None = None) -> tuple[PublicBuild, dict]:
    """Extract the sources into a temporary folder and build; also returns each file's SHA-256."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = extract_sources(tmp, sources)
        digests = {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}
        built = build_public_panel(paths["gdp"], paths["wage"], paths["census"])
    return built, digests


# --------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------


def _defect_lines(defects: pd.DataFrame) -> str:
    out = []
    for (note_col, defect, handling), grp in defects.groupby(
        ["column", "defect", "handling"], sort=False
    ):
        years = grp.groupby("city_code")["year"].apply(lambda s: ", ".join(str(y) for y in s))
        where = "; ".join(f"{c} {_NAMES[c]} ({y})" for c, y in years.items())
        out.append(f"| `{note_col}` | {defect} | {handling} | {where} |")
    return "\n".join(out)


def provenance_text(built: PublicBuild, digests: dict, panel_sha: str) -> str:
    """``data/public/PROVENANCE.md``: sources, licences, columns, defects, the panel's digest."""
    p, d = built.panel, built.defects
    s = SOURCES
    chaohu = ", ".join(f"{c} {_NAMES[c]}" for c in CHAOHU_HEIRS)
    revised = d[d["defect"].str.contains("a break between")]["city_code"].tolist()
    unit_fixed = p["note"].str.contains("va-unit-fixed")
    va_sum = p[["va_primary", "va_secondary", "va_tertiary"]].sum(axis=1) / p["gdp_nominal"]
    n_sum_ok = int((((va_sum - 1).abs() <= VA_SUM_RTOL) & ~unit_fixed).sum())
    fields = "\n".join(f"| `{s['gdp'].filename}` | `{f}` | `{n}` | {u} |" for f, n, u in GDP_FIELDS)
    fields += "\n" + "\n".join(
        f"| `{s['wage'].filename}` | `{f}` | `{n}` | {u} |" for f, n, u in WAGE_FIELDS
    )
    fields += "\n" + "\n".join(
        f"| `{s['census'].filename}` | `{f}` | `{n}` | {u} |" for f, n, u in CENSUS_FIELDS
    )
    src_rows = "\n".join(
        f"| `{v.repo}` | `{v.commit}` | `{v.path}` | {v.licence} | `{digests[k]}` |"
        for k, v in s.items()
    )
    return f"""# data/public: provenance

Generated by `python -m yrd.data.public --write` (`make public`; `yrd.data.public`); do not edit
by hand. `tests/test_public.py` checks the digest below and, where the mirrors are present,
regenerates the panel from them and compares byte for byte.

## Sources

| repository (GitHub) | commit | file | licence | sha256 of the file |
|---|---|---|---|---|
{src_rows}

* `CRE_Gdpct.csv` and `CRE_Eplwagct.csv` are labelled (file names, `[DES]` field descriptions) an
  extract of the **CSMAR China Regional Economy database** (CRE), a commercial database that
  compiles the *China City Statistical Yearbook* and local statistical bulletins. The figures
  are official statistics for the whole city (市, all districts and counties).
  `CRE_Gdpct[DES][csv].txt` holds an unresolved git merge conflict: one side gives the units of
  `GDP_PrimInd`, `GDP_SecInd`, `GDP_TerInd` as 10,000 yuan, the other gives none. The unit
  10,000 yuan is confirmed by the data: in {n_sum_ok} of {len(p)}
  city-years the three sectors sum to GDP (`Gdpct01` x 10,000) to 0.1%.
* `census_city_2010-2020_v1.csv` (Lei Dong et al., "Mapping Evolving Population Geography in
  China") gives census resident population from the 6th (2010) and 7th (2020) censuses, with 2010
  **adjusted to the 2020 boundaries** by the authors. Shanghai is coded 310100 there and
  recoded to 310000. The other columns of the file (age groups, households, polygons) are not used.

## Licence: what is shipped and why

The GDP and wage figures are official statistics, compiled by a commercial database (CSMAR) and
redistributed by a GitHub repository **without a licence**: no licence grants us the right to
redistribute that repository's files. We therefore do not ship them. `panel.csv` holds only
the columns this book uses, for the 41 cities and 2011-2020, partly derived (logs, the ratio,
unit conversions, rebuilt cells); the source files are read from the mirrors at build time and
never committed. The census figures are under MIT (copyright 2022 Lei Dong).

## Columns of `panel.csv`

| source file | column | in `panel.csv` | unit |
|---|---|---|---|
{fields}

Derived: `gdp_nominal` = `Gdpct01` x 10,000 (10,000 yuan); `gdp` = ln(`gdp_nominal`);
`wage` = ln(`avg_wage`) (empty where the wage is missing); `stru` = `va_tertiary` /
`va_secondary`; `note` lists the defects of the row (codes below, separated by "; ").
Formats: value added and GDP 1 decimal, shares, growth, GDP per capita and wage 2, registered
population 4, logs and ratio 10; empty cell = missing; `\\n` line endings.

## Defects and how they are handled

Every row of the table is a defect the builder found by a rule (not a list typed by hand) and
flags in the `note` column of the city-year:

| source column | what | handling | city-years |
|---|---|---|---|
{_defect_lines(d)}

Notes codes: `va-unit-fixed`, `va-rebuilt`, `share-rebuilt`, `share-disagrees`, `wage-missing`,
`growth-missing`, `revision-2019`, `boundary-pre-2015`.

* **Revision break (2019).** The figures for 2019 are the first after the revision that followed
  the Fourth Economic Census (2018); those for 2011-2018 are not revised. Where a city's 2019
  nominal log growth departs from its real growth (`GDPYoY`) by more than {REVISION_GAP} the row
  is flagged ({len(revised)} cities, all but Tongling revised upwards). The extract has no
  revised back series, so nothing is adjusted.
* **Boundaries.** Chaohu (341400) was abolished in August 2011 and split between {chaohu}: the
  2011 figures of these three cities are already on the new boundaries (their registered
  population jumps between 2010 and 2011 in the extract), so there is no break inside 2011-2020
  and no flag. The 2015 transfers of Zongyang county (Anqing to Tongling) and Shou county
  (Lu'an to Huainan) are a break inside the sample: the four cities' 2011-2014 rows are on the
  old boundaries and flagged. The census figures are on 2020 boundaries for both years.

## Files

| file | rows | sha256 |
|---|---|---|
| `panel.csv` | {len(p)} | `{panel_sha}` |
"""


def write_public(
    folder: str | Path | None = None, sources: dict[str, Source] | None = None
) -> dict:
    """Build from the mirrors and write ``panel.csv`` and ``PROVENANCE.md`` into ``folder``."""
    folder = Path(folder) if folder is not None else PUBLIC_DIR
    folder.mkdir(parents=True, exist_ok=True)
    built, digests = build_from_mirrors(sources)
    text = panel_text(built.panel)
    digest = sha256_text(text)
    paths = {"panel.csv": folder / "panel.csv", "PROVENANCE.md": folder / "PROVENANCE.md"}
    with open(paths["panel.csv"], "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    with open(paths["PROVENANCE.md"], "w", encoding="utf-8", newline="\n") as fh:
        fh.write(provenance_text(built, digests, digest))
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m yrd.data.public --write [--out DIR]``: rebuild ``data/public/`` from the mirrors."""
    ap = argparse.ArgumentParser(prog="python -m yrd.data.public", description=main.__doc__)
    ap.add_argument("--write", action="store_true", help="write panel.csv and PROVENANCE.md")
    ap.add_argument("--out", type=Path, default=PUBLIC_DIR, help="output folder (data/public)")
    args = ap.parse_args(argv)
    if not args.write:
        ap.print_help()
        return 2
    try:
        paths = write_public(args.out)
    except (PublicDataError, FileNotFoundError) as e:
        print(f"yrd.data.public: {e}", file=sys.stderr)
        return 2
    for p in paths.values():
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
