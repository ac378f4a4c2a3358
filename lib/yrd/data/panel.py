r"""The analysis panel: load it, check it, and say exactly what is wrong with it.

The book runs on the synthetic twin ``data/twin/panel.csv`` by default and on
the real panel when a reader puts it at ``data/raw/panel.csv`` (git-ignored)
and sets ``YRD_DATA=raw`` (``make book DATA=raw`` does this). Both files have
the same layout: 410 rows, one per city-year (41 cities x 2011-2020), and the
columns of :data:`COLUMNS`.

:func:`load_panel` validates the file before returning it and raises
:class:`PanelValidationError` listing **every** problem it finds (up to
:data:`MAX_ITEMS` lines, then a count of the rest), each with the file, the
line number (the header is line 1), the column, what was expected and what was
found. It only reads: it never writes or touches the input file.

Checks, in order:

1. **Bytes** (fatal, reported alone because nothing can be parsed after them):
   missing or empty file; not UTF-8 (the message says when the bytes decode as
   GBK/GB18030, the usual encoding of Chinese Excel exports); header only; a
   header with no comma but semicolons, tabs or bars ("expected
   comma-separated").
2. **Header**: whitespace around a column name (the exact name is quoted),
   duplicated names, missing required columns. Extra columns are allowed and
   kept (noted in ``df.attrs["notes"]``).
3. **Cells**: a row with the wrong number of fields; whitespace around an
   identifier (``city_code``, ``city``, ``province``, ``year``); a
   non-integer or unknown city code; a year outside 2011-2020; a city or
   province name that does not match the code (English names from
   :mod:`yrd.data.cities`, or the Chinese ones, are accepted); a missing value
   (empty, ``NA``, ``NaN``, ``.``, ...); text in a numeric column (quoted as
   found); a value outside the plausible range of :data:`RANGES`, with a hint
   when the value looks like a level instead of a log or a percentage instead
   of a share.
4. **Panel**: duplicated (city_code, year) pairs; missing city-years
   (unbalanced panel).

A UTF-8 byte-order mark is **accepted** (tolerant): Excel's "CSV UTF-8" format
writes one, it cannot corrupt any value, and rejecting it would push readers
towards "plain CSV" exports that on Chinese Windows are GBK, a real problem.
It is recorded in ``df.attrs["notes"]`` and in the CLI summary.

Whitespace inside numeric cells is tolerated (it cannot change the number);
around identifiers and headers it is reported, because it silently breaks
joins and look-ups by code or name.

The checks are hand-written rather than a pandera schema: the messages must
name file line numbers (pandera reports frame positions after parsing),
several checks act on bytes and raw text before any parsing is possible, and
the range table :data:`RANGES` doubles as documentation the book can print.

Command line::

    python -m yrd.data.panel check [PATH|twin|raw]

exits 0 with a one-line summary when the panel is valid and 2 with the list
of problems (no traceback) when it is not.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from yrd import DATA
from yrd.data.cities import CITIES, YEARS
from yrd.data.published import VARIABLES

__all__ = [
    "COLUMNS",
    "ID_COLUMNS",
    "VALUE_COLUMNS",
    "RANGES",
    "MAX_ITEMS",
    "PanelValidationError",
    "Problem",
    "panel_path",
    "load_panel",
    "validate_file",
    "main",
]

ID_COLUMNS = ("city_code", "city", "province", "year")
#: The paper's 11 variables (Tables 2-3) and Table 6's alternative outcome.
VALUE_COLUMNS = (*VARIABLES, "tcf")
#: Required columns, in the canonical order of the returned frame.
COLUMNS = ID_COLUMNS + VALUE_COLUMNS


@dataclass(frozen=True)
class Range:
    """Plausible closed interval of one variable, with its rationale."""

    lo: float
    hi: float
    kind: str  # "log", "share" or "ratio": selects the hint for unit errors
    why: str


#: Plausible range of each variable. Generous around Table 2's [min, max] (in the
#: rationale) so that any defensible reconstruction passes, but tight enough to catch unit
#: errors: levels instead of logs, percentages instead of shares, a wrong per-capita scale.
#:
#: * quality, tcf [5, 20]: logs of income-weighted indices; per-capita incomes in USD or yuan
#:   have logs of about 6-13, so any currency passes while a level (thousands) fails.
#: * inno [0, 16]: ln(1 + count) is >= 0; 16 allows 8.9 million applications a year.
#: * gdp [12, 27]: ln GDP in 10,000 yuan (Table 2) or in yuan (up to 26.7 for Shanghai);
#:   rejects levels and logs of 100-million-yuan units (5.9-10.6), a units mismatch.
#: * open [0, 1], tech [0, 0.5]: shares of GDP; FDI above GDP or public education + science
#:   spending above half of GDP are impossible, while percentages (2.8, 3.4) are caught.
#: * fin [0, 3]: loan-to-deposit ratios; 3 also admits the inverse reading, rejects percentages.
#: * wage [8, 14]: ln of yuan per year or per month; a level (tens of thousands) fails.
#: * human [0, 14]: ln students per 10,000 (Table 2) or per million (up to about 12).
#: * stru [0, 10]: tertiary over secondary; no city comes near 10, sector shares in % do.
#: * infor [0, 30]: per-10-residents scale of Table 2 (or per person); per-100 fails above 30.
#: * infra [0, 100]: m2 of road per person; a total area (10,000 m2, thousands) fails.
RANGES: dict[str, Range] = {
    "quality": Range(5, 20, "log", "ln of a GDP-per-capita-weighted index; Table 2: 11.9-14.0"),
    "tcf": Range(5, 20, "log", "ln of a GDP-per-capita-weighted index, like quality"),
    "inno": Range(0, 16, "log", "ln(1 + applications), never negative; Table 2: 0-8.1"),
    "gdp": Range(12, 27, "log", "ln GDP in 10,000 yuan, Table 2: 15.1-19.8; in yuan up to 27"),
    "open": Range(0, 1, "share", "FDI / GDP as a share; Table 2: 0.002-0.093"),
    "fin": Range(0, 3, "ratio", "loans / deposits; Table 2: 0.41-1.10"),
    "wage": Range(8, 14, "log", "ln yuan per year; Table 2: 10.2-12.1"),
    "human": Range(0, 14, "log", "ln students per 10,000, Table 2: 2.9-7.1; or per million"),
    "stru": Range(0, 10, "ratio", "tertiary / secondary value added; Table 2: 0.31-2.75"),
    "infor": Range(0, 30, "ratio", "broadband per 10 residents; Table 2: 0.32-9.22"),
    "infra": Range(0, 100, "ratio", "road m2 per person; Table 2: 4.0-46.4"),
    "tech": Range(0, 0.5, "share", "(education + science) spending / GDP; Table 2: 0.017-0.072"),
}

#: At most this many problems are listed; the rest are counted.
MAX_ITEMS = 50
#: At most this many rows are listed for one (column, problem) pair before summarising.
MAX_PER_GROUP = 5

_MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", ".", "-", "#n/a"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")

_BY_CODE = {code: (en, zh, prov) for code, en, zh, prov in CITIES}
_PROVINCE_ZH = {"Shanghai": "上海", "Jiangsu": "江苏", "Zhejiang": "浙江", "Anhui": "安徽"}


class PanelValidationError(ValueError):
    """The panel file is not a valid analysis panel; the message lists every problem.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    problems : list of Problem
        All problems found (the message may list only the first ones).
    """

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__(_render(self.path, self.problems))


@dataclass(frozen=True)
class Problem:
    """One problem: where (line, column) and what (expected vs found)."""

    what: str
    expected: str = ""
    found: str = ""
    line: int | None = None  # 1-based line in the file; the header is line 1
    column: str | None = None

    def render(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        head = (", ".join(where) + ": ") if where else ""
        tail = []
        if self.expected:
            tail.append(f"expected {self.expected}")
        if self.found:
            tail.append(f"found {self.found}")
        return head + self.what + ("; " + ", ".join(tail) if tail else "")


def _render(path: Path, problems: list[Problem]) -> str:
    """Message listing the problems, grouped so one bad column cannot hide the others."""
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.column, p.what)].append(p)
    items: list[str] = []
    for members in groups.values():
        for p in members[:MAX_PER_GROUP]:
            items.append(p.render())
        rest = members[MAX_PER_GROUP:]
        if rest:
            lines = [p.line for p in rest if p.line is not None]
            span = f" (lines {min(lines)}-{max(lines)})" if lines else ""
            col = f"column {rest[0].column}: " if rest[0].column else ""
            items.append(f"{col}{rest[0].what}: {len(rest)} more rows like the above{span}")
    shown = items[:MAX_ITEMS]
    head = f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the panel file"
    body = "\n".join(f"  - {s}" for s in shown)
    more = f"\n  ... and {len(items) - MAX_ITEMS} more items" if len(items) > MAX_ITEMS else ""
    return f"{head}\n{body}{more}"


# ---------------------------------------------------------------------------------------------
# Source resolution
# ---------------------------------------------------------------------------------------------


def panel_path(source: str | os.PathLike | None = None) -> tuple[str, Path]:
    """Resolve a source to ``(label, path)``.

    Parameters
    ----------
    source : {"twin", "raw"}, path, or None
        ``None`` reads the environment variable ``YRD_DATA`` (default
        ``"twin"``). ``"twin"`` is ``data/twin/panel.csv``, ``"raw"`` is
        ``data/raw/panel.csv``; anything else is a file path.

    Returns
    -------
    tuple of (str, pathlib.Path)
        The label stored in ``df.attrs["source"]`` and the file path.
    """
    if source is None:
        source = os.environ.get("YRD_DATA", "").strip() or "twin"
    if isinstance(source, str) and source in {"twin", "raw"}:
        return source, DATA / source / "panel.csv"
    return str(source), Path(source)


# ---------------------------------------------------------------------------------------------
# Byte-level checks
# ---------------------------------------------------------------------------------------------


def _decode(path: Path, raw: bytes, notes: list[str]) -> str:
    if not raw.strip():
        raise PanelValidationError(
            path, [Problem("the file is empty", expected="a header line and 410 data rows")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append("UTF-8 byte-order mark ignored (as written by Excel's 'CSV UTF-8')")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 4].hex(" ")
        guess = ""
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            guess = "; it is UTF-16 (Excel's 'Unicode Text')"
        else:
            for enc in ("gbk", "gb18030"):
                try:
                    raw.decode(enc)
                except UnicodeDecodeError:
                    continue
                guess = "; the bytes decode as GBK/GB18030 (Chinese Windows encoding)"
                break
        raise PanelValidationError(
            path,
            [
                Problem(
                    "the file is not UTF-8" + guess + "; re-save it as UTF-8",
                    expected="UTF-8 text",
                    found=f"invalid byte(s) {bad}",
                    line=line,
                )
            ],
        ) from None


def _sniff_header(path: Path, header_line: str) -> None:
    if "," in header_line:
        return
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if sep in header_line:
            raise PanelValidationError(
                path,
                [
                    Problem(
                        f"expected comma-separated values, but the header is separated by {name}",
                        found=repr(header_line[:80]),
                        line=1,
                    )
                ],
            )
    raise PanelValidationError(
        path,
        [
            Problem(
                "expected comma-separated values with the columns " + ", ".join(COLUMNS),
                found=f"a header without commas: {header_line[:80]!r}",
                line=1,
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# Cell-level checks
# ---------------------------------------------------------------------------------------------


def _unit_hint(col: str, x: float) -> str:
    r = RANGES[col]
    if r.kind == "log" and x > r.hi and x > 0 and r.lo <= math.log(x) <= r.hi:
        return " (looks like a level: this variable is a natural log)"
    if r.kind == "share" and r.hi < x <= 100 * r.hi:
        return " (looks like a percentage: this variable is a share)"
    if r.kind == "ratio" and x > r.hi and r.lo <= x / 100 <= r.hi:
        return " (looks like a percentage or a wrong per-capita scale)"
    return ""


def _parse_number(col: str, cell: str, line: int, problems: list[Problem]) -> float:
    s = cell.strip()
    if s.casefold() in _MISSING_TOKENS:
        problems.append(
            Problem("missing value", expected="a number", found=repr(cell), line=line, column=col)
        )
        return math.nan
    if not _NUMBER.match(s):
        problems.append(
            Problem(
                "text in a numeric column",
                expected="a number",
                found=repr(cell),
                line=line,
                column=col,
            )
        )
        return math.nan
    x = float(s)
    r = RANGES[col]
    if not (r.lo <= x <= r.hi):
        problems.append(
            Problem(
                "value out of range" + _unit_hint(col, x),
                expected=f"a value in [{r.lo:g}, {r.hi:g}] ({r.why})",
                found=s,
                line=line,
                column=col,
            )
        )
    return x


def _check_ident(col: str, cell: str, line: int, problems: list[Problem]) -> str:
    if cell != cell.strip():
        problems.append(
            Problem(
                "whitespace around an identifier",
                expected=repr(cell.strip()),
                found=repr(cell),
                line=line,
                column=col,
            )
        )
    return cell.strip()


def _parse_int(col: str, cell: str, line: int, problems: list[Problem]) -> int | None:
    s = cell.strip()
    if s.casefold() in _MISSING_TOKENS:
        problems.append(
            Problem("missing value", expected="an integer", found=repr(cell), line=line, column=col)
        )
        return None
    if not _INTEGER.match(s):
        problems.append(
            Problem(
                "not an integer", expected="an integer", found=repr(cell), line=line, column=col
            )
        )
        return None
    return int(float(s))


def _names_ok(found: str, names: tuple[str, ...]) -> bool:
    return found.casefold() in {n.casefold() for n in names}


# ---------------------------------------------------------------------------------------------
# The validator
# ---------------------------------------------------------------------------------------------


def validate_file(path: str | os.PathLike) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate a panel file; return the parsed frame and notes.

    Parameters
    ----------
    path : path-like
        The CSV file.

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        The panel, unsorted and with file order kept, and notes (e.g. a
        byte-order mark was ignored, extra columns kept).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    PanelValidationError
        Listing every problem found.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such panel file")
    notes: list[str] = []
    text = _decode(path, path.read_bytes(), notes)  # the only access to the file: a read

    rows = list(csv.reader(io.StringIO(text, newline="")))
    # csv gives [] for blank lines; reader.line_num is not kept per row, so track lines here.
    line_of = _line_numbers(text, rows)
    body = [(ln, r) for ln, r in zip(line_of, rows, strict=True) if r]
    if not body:
        raise PanelValidationError(path, [Problem("the file is empty")])
    header_line, header = body[0]
    _sniff_header(path, text.splitlines()[header_line - 1])
    data = body[1:]
    if not data:
        raise PanelValidationError(
            path,
            [
                Problem(
                    "header only: the file has no data rows",
                    expected=f"{len(CITIES) * len(YEARS)} rows",
                    found="0",
                )
            ],
        )

    problems: list[Problem] = []
    names = []
    for h in header:
        if h != h.strip():
            problems.append(
                Problem(
                    "whitespace in a column name",
                    expected=repr(h.strip()),
                    found=repr(h),
                    line=header_line,
                )
            )
        names.append(h.strip())
    dup = sorted({n for n in names if names.count(n) > 1})
    for n in dup:
        problems.append(Problem("duplicated column name", found=repr(n), line=header_line))
    missing = [c for c in COLUMNS if c not in names]
    for c in missing:
        problems.append(
            Problem(
                f"missing column {c!r}",
                expected="the columns " + ", ".join(COLUMNS),
                line=header_line,
            )
        )
    extra = [n for n in names if n not in COLUMNS]
    if extra:
        notes.append(f"extra columns kept: {extra}")
    pos = {n: names.index(n) for n in names}

    records: list[dict] = []
    seen: dict[tuple[int, int], int] = {}
    for line, row in data:
        if len(row) != len(header):
            problems.append(
                Problem(
                    "wrong number of fields",
                    expected=str(len(header)),
                    found=str(len(row)),
                    line=line,
                )
            )
            continue
        rec: dict = {}
        code = year = None
        if "city_code" in pos:
            cell = _check_ident("city_code", row[pos["city_code"]], line, problems)
            code = _parse_int("city_code", cell, line, problems)
            if code is not None and code not in _BY_CODE:
                problems.append(
                    Problem(
                        "unknown city code",
                        expected="one of the 41 codes in yrd.data.cities",
                        found=repr(cell),
                        line=line,
                        column="city_code",
                    )
                )
                code_known = False
            else:
                code_known = code is not None
            rec["city_code"] = code
        else:
            code_known = False
        if "year" in pos:
            cell = _check_ident("year", row[pos["year"]], line, problems)
            year = _parse_int("year", cell, line, problems)
            if year is not None and year not in YEARS:
                problems.append(
                    Problem(
                        "year outside the sample",
                        expected=f"{YEARS[0]}-{YEARS[-1]}",
                        found=repr(cell),
                        line=line,
                        column="year",
                    )
                )
            rec["year"] = year
        for col in ("city", "province"):
            if col not in pos:
                continue
            cell = _check_ident(col, row[pos[col]], line, problems)
            rec[col] = cell
            if code_known:
                en, zh, prov = _BY_CODE[code]
                ok = (
                    (en, zh, zh.removesuffix("市")) if col == "city" else (prov, _PROVINCE_ZH[prov])
                )
                if not _names_ok(cell, ok) and not (
                    col == "province" and _names_ok(cell.removesuffix("省").removesuffix("市"), ok)
                ):
                    problems.append(
                        Problem(
                            f"{col} does not match city code {code}",
                            expected=f"{ok[0]!r} (or {ok[1]!r})",
                            found=repr(cell),
                            line=line,
                            column=col,
                        )
                    )
        for col in VALUE_COLUMNS:
            if col in pos:
                rec[col] = _parse_number(col, row[pos[col]], line, problems)
        for col in extra:
            rec[col] = row[pos[col]]
        if code is not None and year is not None:
            key = (code, year)
            if key in seen:
                problems.append(
                    Problem(
                        f"duplicate city-year ({code}, {year})",
                        expected="one row per city and year",
                        found=f"also on line {seen[key]}",
                        line=line,
                        column="city_code, year",
                    )
                )
            else:
                seen[key] = line
        records.append(rec)

    if "city_code" in pos and "year" in pos:
        absent = [(c, y) for c, *_ in CITIES for y in YEARS if (c, y) not in seen]
        for c, y in absent:
            problems.append(
                Problem(
                    "unbalanced panel: missing city-year",
                    expected=f"a row for city {c} ({_BY_CODE[c][0]}) in {y}",
                    found="none",
                )
            )

    if problems:
        raise PanelValidationError(path, problems)
    df = pd.DataFrame.from_records(records)
    return df, notes


def _line_numbers(text: str, rows: list[list[str]]) -> list[int]:
    """1-based starting line of each csv record (records may span lines inside quotes)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, prev_end = [], 0
    for _ in reader:
        starts.append(prev_end + 1)
        prev_end = reader.line_num
    assert len(starts) == len(rows)
    return starts


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df[list(COLUMNS) + [c for c in df.columns if c not in COLUMNS]].copy()
    out["city_code"] = out["city_code"].astype("int64")
    out["year"] = out["year"].astype("int64")
    for c in ("city", "province"):
        out[c] = out[c].astype("str")
    for c in VALUE_COLUMNS:
        out[c] = out[c].astype("float64")
    return out.sort_values(["city_code", "year"], kind="stable").reset_index(drop=True)


def load_panel(source: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load and validate the analysis panel.

    Parameters
    ----------
    source : {"twin", "raw"}, path, or None
        ``None`` (default) reads ``YRD_DATA`` from the environment (default
        ``"twin"``): ``"twin"`` is the synthetic panel ``data/twin/panel.csv``,
        ``"raw"`` the real one at ``data/raw/panel.csv``; anything else is a path.

    Returns
    -------
    pandas.DataFrame
        410 rows sorted by (city_code, year), columns :data:`COLUMNS` (then any
        extra columns); ``city_code`` and ``year`` int64, ``city`` and
        ``province`` str, the rest float64. ``attrs`` holds ``source`` (the
        label), ``path``, ``synthetic`` (True for the twin) and ``notes``.

    Raises
    ------
    FileNotFoundError
        If the file is absent (for ``"raw"``, the message says where to put it).
    PanelValidationError
        If the file is not a valid panel; the message lists every problem.
    """
    label, path = panel_path(source)
    if not path.is_file():
        hint = {
            "raw": " Put the real panel there (it is git-ignored) or use YRD_DATA=twin.",
            "twin": " The synthetic twin has not been built yet.",
        }.get(label, " The source must be 'twin', 'raw' or the path of a CSV file.")
        raise FileNotFoundError(f"{path}: no such panel file.{hint}")
    df, notes = validate_file(path)
    df = _typed(df)
    df.attrs.update(source=label, path=str(path), synthetic=label == "twin", notes=notes)
    return df


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m yrd.data.panel check [PATH]``: 0 if valid (one-line summary), 2 if not."""
    parser = argparse.ArgumentParser(
        prog="python -m yrd.data.panel", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a panel file")
    check.add_argument("path", nargs="?", default=None, help="a CSV path, 'twin' or 'raw'")
    args = parser.parse_args(argv)
    try:
        df = load_panel(args.path)
    except (PanelValidationError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    kind = "synthetic twin" if df.attrs["synthetic"] else "not synthetic"
    notes = f"; note: {'; '.join(df.attrs['notes'])}" if df.attrs["notes"] else ""
    print(
        f"OK {df.attrs['path']}: {len(df)} rows, {df['city_code'].nunique()} cities x "
        f"{df['year'].min()}-{df['year'].max()}, {df.shape[1]} columns ({kind}){notes}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess in the tests
    sys.exit(main())
