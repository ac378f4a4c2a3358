"""The analysis-panel loader: a valid panel loads; every kind of broken file is reported precisely."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from yrd.data import panel as yp
from yrd.data.cities import CITIES, CITY_CODES, YEARS
from yrd.data.panel import COLUMNS, MAX_ITEMS, RANGES, PanelValidationError, load_panel

HEADER_LINES = 1  # data row i (0-based) of a written frame is on line i + 2


@pytest.fixture(scope="module")
def valid() -> pd.DataFrame:
    """A random 410-row panel inside every plausible range (fixed seed), in canonical order."""
    rng = np.random.default_rng(410)
    rows = [(c, en, prov, y) for c, en, _, prov in CITIES for y in YEARS]
    df = pd.DataFrame(rows, columns=["city_code", "city", "province", "year"])
    n = len(df)
    # Centred on Table 2's means and SDs, clipped well inside the loader's ranges.
    spec = {
        "quality": (12.9, 0.39),
        "inno": (4.3, 1.7),
        "gdp": (17.1, 0.96),
        "open": (0.028, 0.018),
        "fin": (0.77, 0.13),
        "wage": (11.07, 0.32),
        "human": (5.04, 0.86),
        "stru": (0.99, 0.34),
        "infor": (2.93, 1.8),
        "infra": (22.7, 7.2),
        "tech": (0.034, 0.011),
        "tcf": (10.3, 0.4),
    }
    for col, (mu, sd) in spec.items():
        r = RANGES[col]
        lo, hi = max(r.lo, mu - 3 * sd, 0.001), min(r.hi, mu + 3 * sd)
        df[col] = np.clip(rng.normal(mu, sd, n), lo, hi).round(6)
    return df[list(COLUMNS)]


def write(df: pd.DataFrame, path, **kw) -> os.PathLike:
    df.to_csv(path, index=False, **kw)
    return path


def error_of(path) -> str:
    with pytest.raises(PanelValidationError) as exc:
        load_panel(path)
    return str(exc.value)


# ---------------------------------------------------------------------------------------------
# Valid input
# ---------------------------------------------------------------------------------------------


def test_valid_panel_loads_sorted_and_typed(valid, tmp_path):
    shuffled = valid.sample(frac=1, random_state=1)
    df = load_panel(write(shuffled, tmp_path / "p.csv"))
    assert df.shape == (410, 16) and list(df.columns) == list(COLUMNS)
    assert df["city_code"].dtype == "int64" and df["year"].dtype == "int64"
    assert all(df[c].dtype == "float64" for c in COLUMNS[4:])
    assert pd.api.types.is_string_dtype(df["city"])
    assert df[["city_code", "year"]].equals(valid[["city_code", "year"]])  # sorted by (code, year)
    pd.testing.assert_frame_equal(df, valid.astype(df.dtypes.to_dict()), check_exact=False)
    assert df.attrs["source"] == str(tmp_path / "p.csv") and df.attrs["synthetic"] is False
    assert df.attrs["notes"] == []


def test_chinese_names_crlf_and_extra_columns_are_accepted(valid, tmp_path):
    zh = {c: (z, p) for c, _, z, p in CITIES}
    df = valid.assign(
        city=valid["city_code"].map(lambda c: zh[c][0]),
        province=valid["province"].map({"Shanghai": "上海市", "Jiangsu": "江苏省"}).fillna("浙江"),
    )
    df.loc[df["province"] == "浙江", "province"] = valid["province"]  # keep English for the rest
    df["note"] = "x"
    out = load_panel(write(df, tmp_path / "zh.csv", lineterminator="\r\n"))
    assert len(out) == 410 and "note" in out.columns
    assert any("extra columns" in n for n in out.attrs["notes"])


def test_source_resolution_from_env(valid, tmp_path, monkeypatch):
    monkeypatch.setattr(yp, "DATA", tmp_path)  # never touch the repository's data/
    for label in ("twin", "raw"):
        (tmp_path / label).mkdir()
        write(valid, tmp_path / label / "panel.csv")
    monkeypatch.delenv("YRD_DATA", raising=False)
    assert load_panel().attrs["source"] == "twin" and load_panel().attrs["synthetic"] is True
    monkeypatch.setenv("YRD_DATA", "raw")
    df = load_panel()
    assert df.attrs["source"] == "raw" and df.attrs["synthetic"] is False
    assert load_panel("twin").attrs["synthetic"] is True  # an explicit source wins
    (tmp_path / "raw" / "panel.csv").unlink()
    with pytest.raises(FileNotFoundError, match="raw"):
        load_panel()


# ---------------------------------------------------------------------------------------------
# Broken inputs: one kind of problem each
# ---------------------------------------------------------------------------------------------


def test_missing_column(valid, tmp_path):
    msg = error_of(write(valid.drop(columns="tech"), tmp_path / "p.csv"))
    assert "missing column 'tech'" in msg and "line 1" in msg


def test_duplicate_city_year(valid, tmp_path):
    df = pd.concat([valid, valid.iloc[[16]]])  # Nanjing 2017 again, as line 412
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "line 412" in msg and "duplicate city-year (320100, 2017)" in msg
    assert "also on line 18" in msg


def test_unknown_city_code(valid, tmp_path):
    df = valid.copy()
    df.loc[df["city_code"] == 341000, "city_code"] = 341400  # Huangshan -> Chaohu (abolished)
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "unknown city code" in msg and "'341400'" in msg and "column city_code" in msg
    assert "unbalanced panel" in msg and "341000" in msg  # Huangshan is now missing


def test_text_in_numeric_column(valid, tmp_path):
    df = valid.astype({"gdp": "object"})
    df.loc[4, "gdp"] = "17.2 (est.)"
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "line 6, column gdp: text in a numeric column" in msg and "'17.2 (est.)'" in msg


def test_empty_file(tmp_path):
    (tmp_path / "p.csv").write_bytes(b"")
    assert "the file is empty" in error_of(tmp_path / "p.csv")
    (tmp_path / "q.csv").write_bytes(b"\n\n  \n")
    assert "the file is empty" in error_of(tmp_path / "q.csv")


def test_header_only(valid, tmp_path):
    write(valid.iloc[:0], tmp_path / "p.csv")
    assert "header only" in error_of(tmp_path / "p.csv")


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_wrong_delimiter(valid, tmp_path, sep, name):
    msg = error_of(write(valid, tmp_path / "p.csv", sep=sep))
    assert "expected comma-separated" in msg and name in msg and "line 1" in msg


def test_wrong_encoding_gbk(valid, tmp_path):
    zh = {c: z for c, _, z, _ in CITIES}
    df = valid.assign(city=valid["city_code"].map(zh))
    write(df, tmp_path / "p.csv", encoding="gbk")
    msg = error_of(tmp_path / "p.csv")
    assert "not UTF-8" in msg and "GBK" in msg and "line 2" in msg


def test_byte_order_mark_is_accepted_with_a_note(valid, tmp_path):
    write(valid, tmp_path / "p.csv", encoding="utf-8-sig")
    assert (tmp_path / "p.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    df = load_panel(tmp_path / "p.csv")
    assert list(df.columns) == list(
        COLUMNS
    )  # the first header is 'city_code', not '\ufeffcity_code'
    assert any("byte-order mark" in n for n in df.attrs["notes"])


def test_missing_value(valid, tmp_path):
    df = valid.copy()
    df.loc[9, "fin"] = np.nan
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "line 11, column fin: missing value" in msg
    df = valid.astype({"wage": "object"})
    df.loc[0, "wage"] = "NA"
    assert "line 2, column wage: missing value" in error_of(write(df, tmp_path / "q.csv"))


def test_unbalanced_panel(valid, tmp_path):
    msg = error_of(write(valid.drop(index=25), tmp_path / "p.csv"))  # Wuxi 2016
    assert "unbalanced panel: missing city-year" in msg and "city 320200 (Wuxi) in 2016" in msg
    assert "1 problem in" in msg


def test_out_of_range_gdp_in_levels(valid, tmp_path):
    df = valid.assign(gdp=np.exp(valid["gdp"]).round(0))
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "column gdp: value out of range (looks like a level" in msg
    assert "[12, 27]" in msg and "410 problems" in msg
    assert "more rows like the above" in msg  # summarised, not 410 lines


def test_out_of_range_share_in_percent(valid, tmp_path):
    df = valid.copy()
    df.loc[3, "tech"] = 3.4
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "line 5, column tech: value out of range (looks like a percentage" in msg
    assert "found 3.4" in msg


def test_whitespace_in_headers(valid, tmp_path):
    df = valid.rename(columns={"gdp": " gdp", "open": "open "})
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "whitespace in a column name" in msg and "' gdp'" in msg and "'open '" in msg


def test_whitespace_in_codes(valid, tmp_path):
    df = valid.astype({"city_code": "object"})
    df.loc[12, "city_code"] = " 320200"
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "line 14, column city_code: whitespace around an identifier" in msg
    assert "found ' 320200'" in msg


def test_city_name_inconsistent_with_code(valid, tmp_path):
    df = valid.copy()
    df.loc[10, "city"] = "Wuxi"  # row 10 is Nanjing 2011 (Shanghai is rows 0-9)
    msg = error_of(write(df, tmp_path / "p.csv"))
    assert "line 12, column city: city does not match city code 320100" in msg
    assert "'Nanjing'" in msg and "'Wuxi'" in msg


def test_wrong_number_of_fields_and_year_out_of_sample(tmp_path, valid):
    text = write(valid, tmp_path / "p.csv").read_text().splitlines()
    text[5] = text[5].rsplit(",", 1)[0]  # a field short
    text[6] = text[6].replace(",2016,", ",2025,")  # Shanghai 2016
    (tmp_path / "p.csv").write_text("\n".join(text) + "\n")
    msg = error_of(tmp_path / "p.csv")
    assert "line 6: wrong number of fields; expected 16, found 15" in msg
    assert "line 7, column year: year outside the sample" in msg and "'2025'" in msg


# ---------------------------------------------------------------------------------------------
# Collecting, capping, never writing, CLI
# ---------------------------------------------------------------------------------------------


def test_several_problems_are_all_reported(valid, tmp_path):
    df = valid.astype({"gdp": "object", "city_code": "object"}).rename(columns={"infra": "infra "})
    df.loc[0, "gdp"] = "n/a?"
    df.loc[1, "fin"] = -0.5
    df.loc[2, "city_code"] = "999999"
    df = pd.concat([df, df.iloc[[40]]]).drop(columns="tcf")
    err = pytest.raises(PanelValidationError, load_panel, write(df, tmp_path / "p.csv")).value
    msg = str(err)
    for needle in [
        "whitespace in a column name",
        "missing column 'tcf'",
        "line 2, column gdp: text in a numeric column",
        "line 3, column fin: value out of range",
        "line 4, column city_code: unknown city code",
        "duplicate city-year (320400, 2011)",
        "unbalanced panel",
    ]:
        assert needle in msg, needle
    assert len(err.problems) == 7 and msg.startswith(str(tmp_path / "p.csv"))


def test_message_is_capped(valid, tmp_path):
    df = valid.copy()
    for col in list(COLUMNS[4:]):
        df[col] = -1.0 if RANGES[col].lo == 0 else 1e9  # every numeric cell out of range
    err = pytest.raises(PanelValidationError, load_panel, write(df, tmp_path / "p.csv")).value
    assert len(err.problems) == 410 * 12
    items = [ln for ln in str(err).splitlines() if ln.startswith("  - ")]
    assert len(items) == MAX_ITEMS and "more items" in str(err)


def test_failed_load_leaves_the_file_untouched(valid, tmp_path):
    p = write(valid.drop(index=3), tmp_path / "p.csv")
    os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before, mtime = p.read_bytes(), p.stat().st_mtime_ns
    with pytest.raises(PanelValidationError):
        load_panel(p)
    assert p.read_bytes() == before and p.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(tmp_path)) == ["p.csv"]  # nothing written beside it


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "yrd.data.panel", "check", *args], capture_output=True, text=True
    )


def test_cli(valid, tmp_path):
    ok = run_cli(str(write(valid, tmp_path / "ok.csv")))
    assert ok.returncode == 0 and ok.stdout.startswith("OK ") and ok.stdout.count("\n") == 1
    assert "410 rows, 41 cities x 2011-2020" in ok.stdout
    bad = run_cli(str(write(valid.drop(columns="inno"), tmp_path / "bad.csv")))
    out = bad.stdout + bad.stderr
    assert bad.returncode == 2 and "missing column 'inno'" in out and "Traceback" not in out
    (tmp_path / "gbk.csv").write_bytes("city_code,city\n310000,上海市\n".encode("gbk"))
    (tmp_path / "u16.csv").write_bytes("city_code,city\n".encode("utf-16"))
    for path in [tmp_path / "gbk.csv", tmp_path / "u16.csv", tmp_path / "absent.csv"]:
        r = run_cli(str(path))
        assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
        assert ("UTF-16" in r.stderr) == (path.name == "u16.csv")


def test_registry_is_the_reference():
    # The loader takes codes and names from yrd.data.cities, nothing duplicated.
    assert len(CITY_CODES) * len(YEARS) == 410
