"""The 41 prefecture-level cities of the Yangtze River Delta, 2011-2020.

The paper's sample: Shanghai, 13 cities of Jiangsu, 11 of Zhejiang and 16 of
Anhui. Chaohu (341400) was abolished in August 2011 and split between Hefei,
Wuhu and Ma'anshan, so it is not in the sample. Codes are the 6-digit
administrative division codes (adcodes) of the National Bureau of Statistics;
two pairs of cities share an English name (Suzhou, Taizhou), so the English
name carries the province where it would be ambiguous.

This module is the single registry of city identity: every other module
(geography, weights, the real-data loader, the twin) takes codes, order and
names from here. The canonical order is ascending city code.
"""

from __future__ import annotations

import pandas as pd

#: (city_code, city, city_zh, province) in ascending code order.
CITIES: tuple[tuple[int, str, str, str], ...] = (
    (310000, "Shanghai", "上海市", "Shanghai"),
    (320100, "Nanjing", "南京市", "Jiangsu"),
    (320200, "Wuxi", "无锡市", "Jiangsu"),
    (320300, "Xuzhou", "徐州市", "Jiangsu"),
    (320400, "Changzhou", "常州市", "Jiangsu"),
    (320500, "Suzhou (Jiangsu)", "苏州市", "Jiangsu"),
    (320600, "Nantong", "南通市", "Jiangsu"),
    (320700, "Lianyungang", "连云港市", "Jiangsu"),
    (320800, "Huai'an", "淮安市", "Jiangsu"),
    (320900, "Yancheng", "盐城市", "Jiangsu"),
    (321000, "Yangzhou", "扬州市", "Jiangsu"),
    (321100, "Zhenjiang", "镇江市", "Jiangsu"),
    (321200, "Taizhou (Jiangsu)", "泰州市", "Jiangsu"),
    (321300, "Suqian", "宿迁市", "Jiangsu"),
    (330100, "Hangzhou", "杭州市", "Zhejiang"),
    (330200, "Ningbo", "宁波市", "Zhejiang"),
    (330300, "Wenzhou", "温州市", "Zhejiang"),
    (330400, "Jiaxing", "嘉兴市", "Zhejiang"),
    (330500, "Huzhou", "湖州市", "Zhejiang"),
    (330600, "Shaoxing", "绍兴市", "Zhejiang"),
    (330700, "Jinhua", "金华市", "Zhejiang"),
    (330800, "Quzhou", "衢州市", "Zhejiang"),
    (330900, "Zhoushan", "舟山市", "Zhejiang"),
    (331000, "Taizhou (Zhejiang)", "台州市", "Zhejiang"),
    (331100, "Lishui", "丽水市", "Zhejiang"),
    (340100, "Hefei", "合肥市", "Anhui"),
    (340200, "Wuhu", "芜湖市", "Anhui"),
    (340300, "Bengbu", "蚌埠市", "Anhui"),
    (340400, "Huainan", "淮南市", "Anhui"),
    (340500, "Ma'anshan", "马鞍山市", "Anhui"),
    (340600, "Huaibei", "淮北市", "Anhui"),
    (340700, "Tongling", "铜陵市", "Anhui"),
    (340800, "Anqing", "安庆市", "Anhui"),
    (341000, "Huangshan", "黄山市", "Anhui"),
    (341100, "Chuzhou", "滁州市", "Anhui"),
    (341200, "Fuyang", "阜阳市", "Anhui"),
    (341300, "Suzhou (Anhui)", "宿州市", "Anhui"),
    (341500, "Lu'an", "六安市", "Anhui"),
    (341600, "Bozhou", "亳州市", "Anhui"),
    (341700, "Chizhou", "池州市", "Anhui"),
    (341800, "Xuancheng", "宣城市", "Anhui"),
)

#: Sample years.
YEARS: tuple[int, ...] = tuple(range(2011, 2021))

#: City codes in canonical (ascending) order.
CITY_CODES: tuple[int, ...] = tuple(c[0] for c in CITIES)

PROVINCES: tuple[str, ...] = ("Shanghai", "Jiangsu", "Zhejiang", "Anhui")


def city_frame() -> pd.DataFrame:
    """The registry as a DataFrame with columns city_code, city, city_zh, province."""
    return pd.DataFrame(CITIES, columns=["city_code", "city", "city_zh", "province"])


__all__ = ["CITIES", "CITY_CODES", "YEARS", "PROVINCES", "city_frame"]
