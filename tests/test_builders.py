"""Variable builders: hand-computed cases, invariances, agreement with econcomplex, counting rules."""

from __future__ import annotations

import econcomplex as ec
import numpy as np
import pandas as pd
import pytest

from yrd.data import builders as b
from yrd.data.cities import CITY_CODES, YEARS

# ---------------------------------------------------------------------------------------------
# A 3-country x 3-product example worked out by hand.
#
#          p1  p2  p3 |  X_c | shares            | Y_c
#   A      10   0  10 |  20  | .50  0    .50     | 1000
#   B       0  30  10 |  40  | 0    .75  .25     | 2000
#   C       5   5  10 |  20  | .25  .25  .50     | 4000
#   column sums of shares: .75, 1.00, 1.25
#
#   PRODY_1 = (.50/.75) 1000 + (.25/.75) 4000               = 2000
#   PRODY_2 = (.75/1) 2000 + (.25/1) 4000                    = 2500
#   PRODY_3 = (.50/1.25) 1000 + (.25/1.25) 2000 + (.50/1.25) 4000 = 400 + 400 + 1600 = 2400
#   EXPY_A = .5 * 2000 + .5 * 2400              = 2200
#   EXPY_B = .75 * 2500 + .25 * 2400            = 2475
#   EXPY_C = .25 * 2000 + .25 * 2500 + .5 * 2400 = 2325
# ---------------------------------------------------------------------------------------------

WIDE = pd.DataFrame(
    [[10, 0, 10], [0, 30, 10], [5, 5, 10]],
    index=pd.Index(["A", "B", "C"], name="country"),
    columns=pd.Index(["p1", "p2", "p3"], name="product"),
    dtype=float,
)
Y = pd.Series({"A": 1000.0, "B": 2000.0, "C": 4000.0})
PRODY = pd.Series({"p1": 2000.0, "p2": 2500.0, "p3": 2400.0})
EXPY = pd.Series({"A": 2200.0, "B": 2475.0, "C": 2325.0})


def long_of(wide: pd.DataFrame, row: str = "country") -> pd.DataFrame:
    out = wide.stack().rename("value").reset_index()
    return out.rename(columns={wide.index.name: row})


def test_prody_hand_example_wide_and_long():
    pd.testing.assert_series_equal(b.prody(WIDE, Y), PRODY.rename("prody"), check_names=False)
    long = long_of(WIDE)
    long = long[long["value"] > 0]  # absent pairs are zeros
    p = b.prody(long, Y)
    assert p.to_dict() == pytest.approx(PRODY.to_dict(), abs=1e-9)


def test_expy_quality_hand_example():
    e = b.expy(WIDE.rename_axis("region"), PRODY)
    assert e.to_dict() == pytest.approx(EXPY.to_dict(), abs=1e-9)
    q = b.quality(long_of(WIDE, "region"), PRODY)
    assert q.to_dict() == pytest.approx(np.log(EXPY).to_dict(), abs=1e-12)
    assert q.name == "quality"


def test_duplicate_long_rows_are_summed():
    long = long_of(WIDE)
    doubled = pd.concat([long.assign(value=long["value"] / 2)] * 2)
    pd.testing.assert_series_equal(b.prody(doubled, Y), b.prody(long, Y))


def test_prody_invariant_to_scaling_a_country_and_relabelling_products():
    rng = np.random.default_rng(7)
    m = pd.DataFrame(rng.gamma(0.8, 1.0, (12, 9)), index=[f"c{i}" for i in range(12)])
    m.columns = [f"k{j}" for j in range(9)]
    y = pd.Series(rng.lognormal(9, 1, 12), index=m.index)
    p = b.prody(m, y)
    scaled = m.copy()
    scaled.loc["c3"] *= 1234.5
    pd.testing.assert_series_equal(b.prody(scaled, y), p, rtol=1e-12)
    perm = rng.permutation(m.columns)
    relabel = {old: f"z{i}" for i, old in enumerate(perm)}
    p2 = b.prody(m[perm].rename(columns=relabel), y)
    np.testing.assert_allclose(p2[[relabel[k] for k in m.columns]].to_numpy(), p.to_numpy())


def test_expy_invariant_to_scaling_a_region():
    rng = np.random.default_rng(8)
    regions = pd.DataFrame(rng.gamma(1.0, 1.0, (5, 3)), index=list("vwxyz"), columns=PRODY.index)
    e = b.expy(regions, PRODY)
    scaled = regions.mul([1, 10, 1e-3, 7, 1], axis=0)
    pd.testing.assert_series_equal(b.expy(scaled, PRODY), e, rtol=1e-12)
    # EXPY is a weighted mean of PRODY: between the smallest and largest PRODY.
    assert ((e >= PRODY.min()) & (e <= PRODY.max())).all()


def test_agreement_with_econcomplex():
    rng = np.random.default_rng(20240601)
    m = pd.DataFrame(
        rng.gamma(0.7, 1.0, (40, 97)) * rng.lognormal(5, 2, (40, 1)),
        index=[f"c{i:02d}" for i in range(40)],
        columns=[f"{j:02d}" for j in range(1, 98)],  # HS2 chapters 01-97
    )
    y = pd.Series(rng.lognormal(9, 1, 40), index=m.index)
    ours_p, theirs_p = b.prody(m, y), ec.prody(m, y.to_numpy())
    ours_e, theirs_e = b.expy(m, ours_p), ec.expy(m, y.to_numpy())
    assert np.max(np.abs(ours_p - theirs_p)) < 1e-10
    assert np.max(np.abs(ours_e - theirs_e)) < 1e-10


def test_prody_edge_cases():
    m = WIDE.assign(p4=0.0)  # nobody exports p4
    p = b.prody(m, Y)
    assert np.isnan(p["p4"]) and p.drop("p4").to_dict() == pytest.approx(PRODY.to_dict())
    # A country with no exports is dropped and needs no GDP.
    z = pd.concat([WIDE, pd.DataFrame([[0.0, 0.0, 0.0]], index=["D"], columns=WIDE.columns)])
    assert b.prody(z, Y).to_dict() == pytest.approx(PRODY.to_dict())
    with pytest.raises(ValueError, match="no GDP per capita"):
        b.prody(WIDE, Y.drop("B"))
    with pytest.raises(ValueError, match="non-negative"):
        b.prody(WIDE * -1, Y)
    with pytest.raises(ValueError, match="without PRODY"):
        b.expy(WIDE, PRODY.drop("p2"))


def test_tcf_hand_example_and_by_year():
    # With the three countries as Chinese regions, PRODY^CN is the PRODY above, so tcf = ln EXPY.
    long = long_of(WIDE, "region")
    t = b.tcf(long, Y)
    assert t.to_dict() == pytest.approx(np.log(EXPY).to_dict(), abs=1e-12)
    assert t.name == "tcf"
    # Per year: PRODY is computed within each year; year 2 doubles everyone's income.
    two = pd.concat([long.assign(year=2011), long.assign(year=2012)])
    y2 = pd.concat({2011: Y, 2012: 2 * Y})
    t2 = b.tcf(two, y2, by="year")
    assert t2.loc[2011].to_dict() == pytest.approx(np.log(EXPY).to_dict())
    assert t2.loc[2012].to_dict() == pytest.approx((np.log(EXPY) + np.log(2)).to_dict())


# ---------------------------------------------------------------------------------------------
# inno: the counting rule on a tiny patent table
# ---------------------------------------------------------------------------------------------

NJ, SH, HZ, HF, SZ, BJ = 320100, 310000, 330100, 340100, 320500, 110000
ORG, PER = "organisation", "person"
PATENTS = pd.DataFrame(
    [
        # app, year, applicant, type, city
        (1, 2012, "Nanjing Firm", ORG, NJ),  # two cities: Nanjing 1, Shanghai 1
        (1, 2012, "Fudan University", ORG, SH),
        (2, 2012, "Nanjing Firm", ORG, NJ),  # one organisation only: not co-operative
        (3, 2013, "Zhang San", PER, HZ),  # a person + one organisation: not co-operative
        (3, 2013, "Hangzhou Co", ORG, HZ),
        (4, 2014, "Hefei A", ORG, HF),  # two organisations in one city: Hefei 1
        (4, 2014, "Hefei B", ORG, HF),
        (5, 2014, "Hefei A", ORG, HF),  # the same organisation listed twice: not co-operative
        (5, 2014, " hefei a ", ORG, HF),
        (6, 2015, "Nanjing Firm", ORG, NJ),  # Nanjing + Beijing (outside the sample) + a person
        (6, 2015, "Peking University", ORG, BJ),
        (6, 2015, "Li Si", PER, NJ),
        (7, 2015, "Nanjing Firm", ORG, NJ),  # 2 Nanjing + 1 Suzhou organisations
        (7, 2015, "Nanjing University", ORG, NJ),
        (7, 2015, "Suzhou Co", ORG, SZ),
        (8, 2009, "Nanjing Firm", ORG, NJ),  # outside the years: ignored
        (8, 2009, "Fudan University", ORG, SH),
        (9, 2016, "Wang Wu", PER, SH),  # two persons: not co-operative
        (9, 2016, "Zhao Liu", PER, SH),
    ],
    columns=["app_id", "year", "applicant", "applicant_type", "city_code"],
)


def counts(out: pd.DataFrame) -> dict:
    nz = out[out["coop_apps"] > 0]
    return {
        (int(c), int(y)): v for c, y, v in zip(nz.city_code, nz.year, nz.coop_apps, strict=True)
    }


def test_inno_full_counting():
    out = b.inno(PATENTS)
    assert len(out) == 410 and list(out.columns) == ["city_code", "year", "coop_apps", "inno"]
    assert out[["city_code", "year"]].drop_duplicates().shape[0] == 410
    assert set(out.city_code) == set(CITY_CODES) and set(out.year) == set(YEARS)
    assert counts(out) == {
        (NJ, 2012): 1,
        (SH, 2012): 1,
        (HF, 2014): 1,
        (NJ, 2015): 2,  # apps 6 and 7, each once for Nanjing despite two Nanjing organisations
        (SZ, 2015): 1,
    }
    np.testing.assert_allclose(out["inno"], np.log1p(out["coop_apps"]))
    assert (out["inno"] == 0).sum() == 410 - 5  # zeros filled, ln(1 + 0) = 0


def test_inno_fractional_counting():
    out = b.inno(PATENTS, counting="fractional")
    assert counts(out) == pytest.approx(
        {
            (NJ, 2012): 1 / 2,
            (SH, 2012): 1 / 2,
            (HF, 2014): 1.0,  # 1/2 + 1/2, both in Hefei
            (NJ, 2015): 1 / 2 + 2 / 3,  # app 6: 1 of 2 organisations; app 7: 2 of 3
            (SZ, 2015): 1 / 3,
        }
    )


def test_inno_inputs():
    zh = PATENTS.replace({"applicant_type": {ORG: "企业", PER: "个人"}})
    pd.testing.assert_frame_equal(b.inno(zh), b.inno(PATENTS))
    with pytest.raises(ValueError, match="unknown applicant types"):
        b.inno(PATENTS.replace({"applicant_type": {ORG: "robot"}}))
    with pytest.raises(ValueError, match="several years"):
        b.inno(PATENTS.assign(year=PATENTS["year"].where(PATENTS.index != 0, 2013)))
    with pytest.raises(ValueError, match="counting"):
        b.inno(PATENTS, counting="half")
    with pytest.raises(ValueError, match="lacks columns"):
        b.inno(PATENTS.drop(columns="city_code"))


# ---------------------------------------------------------------------------------------------
# Controls
# ---------------------------------------------------------------------------------------------


def test_controls_elementwise():
    # Two city-years; hand values in the comments.
    s = pd.Series
    assert b.gdp(s([np.e**17, 2e7]), s([1.0, 2.0])).tolist() == pytest.approx([17, np.log(1e7)])
    assert b.gdp(np.array([100.0]), np.array([110.0]), deflator_base=100)[0] == pytest.approx(
        np.log(100 / 1.1)
    )
    # open: 10,000 USD * 6.5 yuan/USD / 1,000,000 (10,000 yuan) = 0.065
    assert b.openness(s([10_000.0]), 6.5, s([1e6]))[0] == pytest.approx(0.065)
    assert b.fin(s([77.0]), s([100.0]))[0] == pytest.approx(0.77)
    assert b.fin(s([77.0]), s([100.0]), reading="deposits/loans")[0] == pytest.approx(100 / 77)
    assert b.wage(s([64_000.0]))[0] == pytest.approx(np.log(64_000))
    # 130,000 students among 1,000,000 residents: 1,300 per 10,000 (ln 7.17), 130,000 per million
    assert b.human(s([130_000.0]), s([1e6]))[0] == pytest.approx(np.log(1300))
    assert b.human(s([130_000.0]), s([1e6]), per=1e6)[0] == pytest.approx(np.log(130_000))
    assert b.stru(s([50.0]), s([40.0]))[0] == pytest.approx(1.25)
    # 300 (10k households) of broadband over 1,000 (10k persons): 0.3 per person, 3 per 10
    assert b.infor(s([300.0]), s([1000.0]))[0] == pytest.approx(3.0)
    assert b.infor(s([300.0]), s([1000.0]), per=1)[0] == pytest.approx(0.3)
    assert b.infra(s([2_270.0]), s([100.0]))[0] == pytest.approx(22.7)
    assert b.tech(s([25.0]), s([9.0]), s([1000.0]))[0] == pytest.approx(0.034)


def test_controls_missing_and_invalid_inputs():
    out = b.stru(pd.Series([1.0, np.nan]), pd.Series([2.0, 2.0]))
    assert out[0] == 0.5 and np.isnan(out[1])  # missing in, missing out
    with pytest.raises(ValueError, match="positive"):
        b.stru(pd.Series([1.0]), pd.Series([0.0]))
    with pytest.raises(ValueError, match="non-negative"):
        b.tech(pd.Series([-1.0]), pd.Series([1.0]), pd.Series([10.0]))
    with pytest.raises(ValueError, match="reading"):
        b.fin(pd.Series([1.0]), pd.Series([1.0]), reading="both")


def test_real_gdp_from_index():
    f = pd.DataFrame(
        {
            "city_code": [1, 1, 1, 2, 2, 2],
            "year": [2010, 2011, 2012, 2011, 2012, 2013],
            "gdp_nominal": [90.0, 100.0, 120.0, 50.0, 60.0, 70.0],
            "gdp_index": [100.0, 110.0, 110.0, 100.0, 105.0, 120.0],
        }
    ).sample(frac=1, random_state=0)  # input order does not matter
    real = b.real_gdp_from_index(f)
    expect = {0: 100 / 1.1, 1: 100.0, 2: 110.0, 3: 50.0, 4: 52.5, 5: 63.0}
    assert real.to_dict() == pytest.approx(expect)
    with pytest.raises(ValueError, match="base year"):
        b.real_gdp_from_index(f[f["year"] != 2010].assign(year=lambda d: d["year"] + 5))
    with pytest.raises(ValueError, match="consecutive"):
        b.real_gdp_from_index(f[f["year"] != 2012])


def test_controls_table_driven_wrapper():
    yb = pd.DataFrame(
        {
            "city_code": [310000, 320100],
            "year": [2011, 2011],
            "gdp_nominal": [1.9e8, 6.1e7],
            "gdp_deflator": [1.0, 1.0],
            "fdi_usd": [1.26e6, 3.6e5],
            "usd_cny": [6.4588, 6.4588],
            "loans": [3.7e8, 1.2e8],
            "deposits": [5.1e8, 1.6e8],
            "avg_wage": [77_000.0, 60_000.0],
            "students": [5.1e5, 8.0e5],
            "population": [1.42e7, 6.4e6],
            "va_tertiary": [1.1e8, 3.2e7],
            "va_secondary": [7.9e7, 2.7e7],
            "broadband": [5.0e6, 1.5e6],
            "road_area": [2.5e8, 1.0e8],
            "road_population": [2.3e7, 8.0e6],
            "exp_education": [5.8e6, 1.4e6],
            "exp_science": [2.0e6, 4.0e5],
        }
    )
    out = b.controls(yb)
    assert list(out.columns) == ["city_code", "year"] + [
        "gdp", "open", "fin", "wage", "human", "stru", "infor", "infra", "tech"
    ]  # fmt: skip
    assert out.loc[1, "fin"] == pytest.approx(0.75)
    assert out.loc[0, "human"] == pytest.approx(np.log(5.1e5 / 1.42e7 * 1e4))
    # Every control lands inside the loader's plausible range.
    from yrd.data.panel import RANGES

    for c in ["gdp", "open", "fin", "wage", "human", "stru", "infor", "infra", "tech"]:
        assert out[c].between(RANGES[c].lo, RANGES[c].hi).all(), c
    with pytest.raises(ValueError, match="lacks columns"):
        b.controls(yb.drop(columns="loans"))
