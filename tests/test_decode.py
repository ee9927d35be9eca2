from __future__ import annotations

import codecs

import pytest

from nianbao.parsers import Report, Source, meta, parse
from nianbao.parsers.decode import decode

from .conftest import FIXTURES

TEXT = "谢家集区人民政府2020年政府信息公开工作年度报告，镕"  # 镕 is outside GB2312


def test_bom_wins() -> None:
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=gbk") == (TEXT, "utf-8-sig")


def test_gb2312_label_decodes_as_gb18030() -> None:
    data = f'<meta charset="gb2312"><p>{TEXT}</p>'.encode("gb18030")
    text, codec = decode(data)
    assert codec == "gb18030" and TEXT in text


def test_http_charset_is_used() -> None:
    text, codec = decode(TEXT.encode("gbk"), "text/html; charset=GBK")
    assert (text, codec) == (TEXT, "gb18030")


def test_gbk_page_labelled_utf8_still_decodes() -> None:
    data = f'<html><head><meta charset="utf-8"></head><body><p>{TEXT * 20}</p></body></html>'.encode("gbk")
    text, codec = decode(data)
    assert TEXT in text and codec == "gb18030"


def test_real_report_as_gbk_labelled_utf8_parses_the_same() -> None:
    html = (FIXTURES / "reports" / "pingtan-2022.html").read_text(encoding="utf-8")
    utf8 = parse(html.encode("utf-8"), Source(path="a.html"))
    gbk = parse(html.encode("gb18030"), Source(path="b.html"))
    assert isinstance(utf8, Report) and isinstance(gbk, Report)
    assert gbk.source.charset == "gb18030"
    assert [(c.row, c.col, c.value) for c in gbk.t3] == [(c.row, c.col, c.value) for c in utf8.t3]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("首页 > 年报 发布时间：2021-02-19 来源：区政府办", "2021-02-19"),
        ("发布日期：２０２１－０２－１９", "2021-02-19"),  # full-width digits and dashes: NFKC first
        ("时间:2020年1月20日", "2020-01-20"),
        ("发布日期" + " " * 50_000 + "2020年1月20日", "2020-01-20"),  # padding: linear, still found
        ("没有任何日期标签 2020年1月20日", None),
    ],
)
def test_publication_date_from_page_text(page: str, expected: str | None) -> None:
    assert meta.date_from_page(page, None) == expected


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("……\n河北省教育厅\n2020年1月15日\n", "2020-01-15"),
        ("……\n谢家集区人民政府\n２０２１年２月１９日", "2021-02-19"),  # full-width digits
        ("……\n2021年2月19⽇", "2021-02-19"),  # 日 as a Kangxi radical, as PDF text extraction gives it
    ],
)
def test_signature_date(tail: str, expected: str) -> None:
    assert meta.signature_date("正文" * 300 + tail) == expected


@pytest.mark.parametrize(
    "page_title",
    [
        "平潭综合实验区2022年度政府信息公开工作年度报告_平潭综合实验区政府门户网站",
        "平潭综合实验区政府门户网站-平潭综合实验区2022年度政府信息公开工作年度报告",
        "平潭综合实验区政府门户网站 | 平潭综合实验区2022年度政府信息公开工作年度报告",
        "平潭综合实验区2022年度政府信息公开工作年度报告 - 政务公开 - 平潭综合实验区",
    ],
)
def test_site_name_before_or_after_the_page_title_is_dropped(page_title: str) -> None:
    assert meta.clean_title(page_title) == "平潭综合实验区2022年度政府信息公开工作年度报告"


def test_dates_inside_a_page_title_are_not_separators() -> None:
    title = "某某局2019年政府信息公开工作年度报告（2020-01-15）"
    assert meta.clean_title(title) == "某某局2019年政府信息公开工作年度报告(2020-01-15)"
