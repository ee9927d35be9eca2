from __future__ import annotations

import codecs

from nianbao.parsers import Report, Source, parse
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
