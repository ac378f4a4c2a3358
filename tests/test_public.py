"""Tests of yrd.data.public: the builder on small synthetic extracts, the committed panel.

The synthetic extracts are written by the tests (41 cities x 2011-2020, numbers made up, the
source files' column names); each defect of the real extract is injected into a copy and its
handling checked, and each malformed input must raise a message naming file, line and column.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from yrd.data import public
from yrd.data.cities import CITY_CODES, YEARS
from yrd.data.published import load
from yrd.econ.winsor import stata_percentile

# --------------------------------------------------------------------------------------------
# Synthetic extracts
# --------------------------------------------------------------------------------------------


def _frames():
    rows_g, rows_w = [], []
    for k, c in enumerate(CITY_CODES):
        for t, y in enumerate(range(2009, 2022)):  # the files hold more years than the sample
            gdp = 1000.0 + 37.0 * k + 50.0 * t  # 100 million yuan
            sec, ter = 0.45 - 0.005 * t, 0.45 + 0.005 * t
            prim = 1 - sec - ter
            rows_g.append(
                {
                    "Sgnyea": y,
                    "Ctnm_en": f"city {c}",
                    "Ctnm_id": c,
                    "Gdpct01": round(gdp, 2),
                    "Gdpct02": round(100 * prim, 2),
                    "Gdpct03": round(100 * sec, 2),
                    "Gdpct04": round(100 * ter, 2),
                    "GDP_PerCapita": 50000.0 + 1000 * t,
                    "GDPYoY": 7.0,
                    "GDP_PrimInd": round(gdp * 1e4 * prim, 1),
                    "GDP_SecInd": round(gdp * 1e4 * sec, 1),
                    "GDP_TerInd": round(gdp * 1e4 * ter, 1),
                }
            )
            rows_w.append(
                {
                    "Sgnyea": y,
                    "Ctnm_id": c,
                    "Eect01": 500.0 + k,
                    "Eect13": 50000.0 + 3000 * t + 100 * k,
                }
            )
    g = pd.DataFrame(rows_g)
    # the files also hold cities outside the sample
    g = pd.concat([g, g.head(3).assign(Ctnm_id=110000)], ignore_index=True)
    w = pd.DataFrame(rows_w)
    census = pd.DataFrame(
        {
            "city": [f"c{c}" for c in CITY_CODES],
            "city_code": [310100 if c == 310000 else c for c in CITY_CODES],
            "popu_2020": [3_000_000 + c for c in CITY_CODES],
            "popu_2010": [2_800_000 + c for c in CITY_CODES],
        }
    )
    return g, w, census


def _write(tmp_path, g, w, census):
    paths = []
    for name, df in (("CRE_Gdpct.csv", g), ("CRE_Eplwagct.csv", w), ("census.csv", census)):
        p = tmp_path / name
        df.to_csv(p, index=False, encoding="utf-8-sig")  # the real files carry a BOM
        paths.append(p)
    return paths


def _build(tmp_path, g=None, w=None, census=None):
    g0, w0, c0 = _frames()
    return public.build_public_panel(
        *_write(
            tmp_path,
            g0 if g is None else g,
            w0 if w is None else w,
            c0 if census is None else census,
        )
    )


def _row(frame, city, year):
    hit = frame[(frame["city_code"] == city) & (frame["year"] == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def _at(df, city, year):
    return (df["Ctnm_id"] == city) & (df["Sgnyea"] == year)


# --------------------------------------------------------------------------------------------
# Clean input
# --------------------------------------------------------------------------------------------


def test_clean_extract_builds_the_sample_with_no_defect(tmp_path):
    panel, defects = _build(tmp_path)
    assert len(panel) == len(CITY_CODES) * len(YEARS)
    assert tuple(panel.columns) == public.PANEL_COLUMNS
    assert set(panel["year"]) == set(YEARS) and set(panel["city_code"]) == set(CITY_CODES)
    assert (defects["defect"].str.startswith("pre-2015 boundaries")).all(), "only boundary flags"
    r = _row(panel, 320500, 2015)
    assert r["gdp_nominal"] == pytest.approx(
        r["va_primary"] + r["va_secondary"] + r["va_tertiary"], rel=1e-6
    )
    assert r["gdp"] == pytest.approx(math.log(r["gdp_nominal"]))
    assert r["wage"] == pytest.approx(math.log(r["avg_wage"]))
    assert r["stru"] == pytest.approx(r["va_tertiary"] / r["va_secondary"])
    sh = panel[panel["city_code"] == 310000]
    assert (sh["census_pop_2010"] == 2_800_000 + 310000).all(), "Shanghai recoded from 310100"


# --------------------------------------------------------------------------------------------
# Each defect
# --------------------------------------------------------------------------------------------


def test_missing_wage_stays_missing_and_is_flagged(tmp_path):
    g, w, c = _frames()
    w.loc[_at(w, 320700, 2019), "Eect13"] = np.nan
    panel, defects = _build(tmp_path, g, w, c)
    r = _row(panel, 320700, 2019)
    assert math.isnan(r["wage"]) and math.isnan(r["avg_wage"])
    assert "wage-missing" in r["note"]
    assert panel["wage"].notna().sum() == len(panel) - 1
    own = defects[defects["column"] != "all"]
    assert list(own[["city_code", "year", "column"]].itertuples(index=False, name=None)) == [
        (320700, 2019, "Eect13")
    ]


def test_value_added_in_100_million_yuan_is_rescaled(tmp_path):
    g, w, c = _frames()
    at = _at(g, 310000, 2020)
    before = g.loc[at, ["GDP_SecInd", "GDP_TerInd"]].to_numpy().copy()
    g.loc[at, "GDP_SecInd"] = g.loc[at, "GDP_SecInd"] / 1e4
    g.loc[at, "GDP_TerInd"] = g.loc[at, "GDP_TerInd"] / 1e4
    panel, defects = _build(tmp_path, g, w, c)
    r = _row(panel, 310000, 2020)
    assert [r["va_secondary"], r["va_tertiary"]] == pytest.approx(before.ravel(), rel=1e-9)
    assert "va-unit-fixed" in r["note"]
    assert set(defects["column"]) - {"all"} == {"GDP_SecInd", "GDP_TerInd"}


def test_value_added_that_no_unit_fixes_is_flagged_not_changed(tmp_path):
    g, w, c = _frames()
    at = _at(g, 320100, 2013)
    g.loc[at, "GDP_SecInd"] = g.loc[at, "GDP_SecInd"] * 1.5
    panel, _ = _build(tmp_path, g, w, c)
    r = _row(panel, 320100, 2013)
    assert "va-sum-off" in r["note"]
    assert r["va_secondary"] == pytest.approx(float(g.loc[at, "GDP_SecInd"].iloc[0]))


def test_missing_shares_are_rebuilt_from_value_added(tmp_path):
    g, w, c = _frames()
    zj = g["Ctnm_id"].between(330000, 339999) & (g["Sgnyea"] == 2017)
    g.loc[zj, ["Gdpct02", "Gdpct03", "Gdpct04", "GDPYoY"]] = np.nan
    panel, defects = _build(tmp_path, g, w, c)
    r = _row(panel, 330100, 2017)
    assert r["share_secondary"] == pytest.approx(
        round(100 * r["va_secondary"] / r["gdp_nominal"], 2)
    )
    assert r["share_tertiary"] == pytest.approx(round(100 * r["va_tertiary"] / r["gdp_nominal"], 2))
    assert "share-rebuilt" in r["note"] and "growth-missing" in r["note"]
    assert math.isnan(r["gdp_real_growth"]), "real growth is not imputed"
    own = defects[defects["column"] != "all"]
    assert (own["year"] == 2017).all() and own["city_code"].nunique() == 11


def test_missing_sector_is_rebuilt_as_gdp_minus_the_others(tmp_path):
    g, w, c = _frames()
    at = _at(g, 340100, 2012)
    expected = float(g.loc[at, "GDP_TerInd"].iloc[0])
    g.loc[at, "GDP_TerInd"] = np.nan
    panel, _ = _build(tmp_path, g, w, c)
    r = _row(panel, 340100, 2012)
    assert r["va_tertiary"] == pytest.approx(expected, rel=1e-6)
    assert r["va_tertiary"] == pytest.approx(r["gdp_nominal"] - r["va_primary"] - r["va_secondary"])
    assert "va-rebuilt" in r["note"]


def test_share_that_disagrees_with_value_added_is_kept_and_flagged(tmp_path):
    g, w, c = _frames()
    g.loc[_at(g, 331000, 2011), "Gdpct03"] = 40.0
    panel, _ = _build(tmp_path, g, w, c)
    r = _row(panel, 331000, 2011)
    assert r["share_secondary"] == 40.0 and "share-disagrees" in r["note"]


def test_revision_break_in_2019_is_flagged(tmp_path):
    g, w, c = _frames()
    for y in (2019, 2020):
        g.loc[_at(g, 341100, y), ["Gdpct01", "GDP_PrimInd", "GDP_SecInd", "GDP_TerInd"]] *= 1.4
    panel, defects = _build(tmp_path, g, w, c)
    assert "revision-2019" in _row(panel, 341100, 2019)["note"]
    assert _row(panel, 341100, 2020)["note"] == ""
    assert list(defects.loc[defects["column"] != "all", "city_code"]) == [341100]


def test_boundary_transfers_of_2015_flag_the_earlier_years(tmp_path):
    panel, defects = _build(tmp_path)
    flagged = panel[panel["note"] == "boundary-pre-2015"]
    assert set(flagged["city_code"]) == set(public.BOUNDARY_2015)
    assert set(flagged["year"]) == {2011, 2012, 2013, 2014}
    assert len(flagged) == len(defects) == 16


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_missing_column_names_file_and_column(tmp_path):
    g, w, c = _frames()
    with pytest.raises(
        public.PublicDataError, match=r"CRE_Eplwagct\.csv: column\(s\) \['Eect13'\] missing"
    ):
        _build(tmp_path, g, w.drop(columns="Eect13"), c)


def test_non_numeric_value_names_line_and_column(tmp_path):
    g, w, c = _frames()
    g["Gdpct01"] = g["Gdpct01"].astype(object)
    at = _at(g, 320500, 2014)
    g.loc[at, "Gdpct01"] = "12,3"
    line = int(np.flatnonzero(at.to_numpy())[0]) + 2
    with pytest.raises(
        public.PublicDataError,
        match=rf"CRE_Gdpct\.csv, line {line}, column Gdpct01: expected a number, found '12,3'",
    ):
        _build(tmp_path, g, w, c)


def test_absent_city_is_named(tmp_path):
    g, w, c = _frames()
    with pytest.raises(
        public.PublicDataError,
        match=r"CRE_Gdpct\.csv: no row for 10 .*341800 \(Xuancheng\) in 2011",
    ):
        _build(tmp_path, g[g["Ctnm_id"] != 341800], w, c)
    with pytest.raises(
        public.PublicDataError, match=r"census\.csv: no row for city 310000 \(Shanghai\)"
    ):
        _build(tmp_path, g, w, c[c["city_code"] != 310100])


def test_empty_gdp_and_duplicate_rows_are_errors(tmp_path):
    g, w, c = _frames()
    g2 = g.copy()
    g2.loc[_at(g2, 320100, 2016), "Gdpct01"] = np.nan
    with pytest.raises(
        public.PublicDataError,
        match=r"column Gdpct01: expected a number \(Ctnm_id 320100, Sgnyea 2016\), found an empty cell",
    ):
        _build(tmp_path, g2, w, c)
    w2 = pd.concat([w, w[_at(w, 320100, 2016)]], ignore_index=True)
    with pytest.raises(
        public.PublicDataError, match=r"CRE_Eplwagct\.csv: duplicate Ctnm_id/Sgnyea"
    ):
        _build(tmp_path, g, w2, c)


def test_bad_key_and_missing_file(tmp_path):
    g, w, c = _frames()
    w["Ctnm_id"] = w["Ctnm_id"].astype(object)
    w.loc[5, "Ctnm_id"] = "31OOOO"
    with pytest.raises(
        public.PublicDataError,
        match=r"CRE_Eplwagct\.csv, line 7, column Ctnm_id: expected an integer, found '31OOOO'",
    ):
        _build(tmp_path, g, w, c)
    with pytest.raises(public.PublicDataError, match=r"nope\.csv: file not found"):
        public.build_public_panel(tmp_path / "nope.csv", tmp_path / "a", tmp_path / "b")


# --------------------------------------------------------------------------------------------
# The committed panel
# --------------------------------------------------------------------------------------------


def test_committed_panel_matches_recorded_digest():
    text = (public.PUBLIC_DIR / "panel.csv").read_bytes()
    assert b"\r" not in text
    import hashlib

    assert hashlib.sha256(text).hexdigest() == public.recorded_digest(), (
        "data/public/panel.csv differs from the digest in PROVENANCE.md: run `make public`"
    )


def test_panel_text_round_trips_the_committed_file():
    panel = public.load_public()
    assert public.panel_text(panel) == (public.PUBLIC_DIR / "panel.csv").read_text(encoding="utf-8")


@pytest.mark.skipif(
    not public.mirrors_available(),
    reason=f"source mirrors not found under {public.MIRRORS} (set YRD_MIRRORS to regenerate)",
)
def test_regenerating_from_the_mirrors_gives_the_committed_files(tmp_path):
    """Same text; the logs and ratios (10 decimals) may differ in their last digit on another CPU,
    and with them the panel's digest that PROVENANCE.md records."""
    from textnum import assert_same_up_to_last_digits

    public.write_public(tmp_path)
    new, old = (
        (d / "panel.csv").read_text(encoding="utf-8") for d in (tmp_path, public.PUBLIC_DIR)
    )
    assert_same_up_to_last_digits(old, new, rtol=0, where="panel.csv")
    mask = public.recorded_digest
    texts = [
        (d / "PROVENANCE.md")
        .read_text(encoding="utf-8")
        .replace(mask(d / "PROVENANCE.md"), "<digest>")
        for d in (tmp_path, public.PUBLIC_DIR)
    ]
    assert texts[0] == texts[1], "PROVENANCE.md"


@pytest.fixture(scope="module")
def panel():
    return public.load_public()


def test_committed_panel_defects(panel):
    notes = panel.set_index(["city_code", "year"])["note"]
    assert notes[(320700, 2019)] == "wage-missing" and notes[(341200, 2017)] == "wage-missing"
    assert panel["wage"].isna().sum() == 2
    assert notes[(310000, 2020)] == "va-unit-fixed"
    assert (
        notes.xs(2017, level="year").loc[330100:331100] == "share-rebuilt; growth-missing"
    ).all()
    assert set(panel.loc[panel["note"].str.contains("revision-2019"), "city_code"]) == {
        340100, 340300, 340400, 340700, 340800, 341000, 341100,
        341200, 341300, 341500, 341600, 341700, 341800,
    }  # fmt: skip
    va = panel[["va_primary", "va_secondary", "va_tertiary"]].sum(axis=1)
    assert ((va / panel["gdp_nominal"] - 1).abs() < 1e-3).all()
    assert np.allclose(panel["gdp"], np.log(panel["gdp_nominal"]), atol=1e-9)


#: Tolerances measured on the committed panel against Table 2 (published minus public):
#: gdp and wage min/median/max, wage mean/SD and stru min/median/max within the printed
#: rounding (0.0005); gdp mean 0.0016 and SD 0.0031, stru mean 0.0027 and SD 0.0078 off.
TABLE2_TOL = {
    "gdp": {"mean": 0.002, "sd": 0.0035, "min": 0.0005, "median": 0.0005, "max": 0.0005},
    "wage": {"mean": 0.0005, "sd": 0.0005, "min": 0.0005, "median": 0.0005, "max": 0.0005},
    "stru": {"mean": 0.003, "sd": 0.008, "min": 0.0005, "median": 0.0005, "max": 0.0005},
}


@pytest.mark.parametrize("var", list(TABLE2_TOL))
def test_committed_panel_reproduces_table2(panel, var):
    pub = load()
    x = panel[var].dropna()
    ours = {
        "mean": x.mean(),
        "sd": x.std(ddof=1),
        "min": x.min(),
        "median": stata_percentile(x, 50),
        "max": x.max(),
    }
    for stat, tol in TABLE2_TOL[var].items():
        assert abs(ours[stat] - pub.value(2, var, "", stat)) <= tol + 1e-12, (var, stat, ours[stat])
    assert len(x) == (408 if var == "wage" else 410)
