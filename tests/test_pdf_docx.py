"""PDF/DOCX/OLE reader details that the golden files do not cover."""

from __future__ import annotations

import shutil

import pytest

from nianbao.parsers import ParseError, Source, parse
from nianbao.parsers.pdf import _clean, garbled_share


def test_kangxi_radicals_are_folded_and_cid_garbage_is_detected() -> None:
    assert _clean("\u2f00\u3001总体情况") == "一、总体情况"  # ⼀ (KANGXI RADICAL ONE) as some PDFs emit it
    assert garbled_share("(cid:123)(cid:45)本年") > 0.5
    assert garbled_share("一、本年新收政府信息公开申请数量") == 0


@pytest.mark.skipif(shutil.which("soffice") is not None, reason="LibreOffice is installed here")
def test_doc_and_wps_files_need_libreoffice_and_say_so() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    with pytest.raises(ParseError, match="needs LibreOffice"):
        parse(ole, Source(path="report.wps"))


def test_docx_that_is_not_a_zip() -> None:
    with pytest.raises(ParseError, match="not a zip"):
        parse(b"PK\x03\x04 truncated", Source(path="x.docx"))
