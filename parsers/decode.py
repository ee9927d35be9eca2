"""Bytes → text, recording the codec. Order: BOM, declared charset, <meta> sniff, strict test, detector.

gb2312/gbk labels are decoded as gb18030 (a superset) because sites label GBK pages as gb2312 and use
characters outside it. A page that lies about its charset (GBK labelled UTF-8) fails the strict test and
falls through to detection.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_\-]+)""", re.I)
_XML = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
}


def _norm_codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name if label not in ("gb18030",) else "gb18030"
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    if content_type:
        header = re.search(r"charset\s*=\s*[\"']?([\w\-]+)", content_type, re.I)
        if header:
            return _norm_codec(header.group(1))
    head = data[:4096]
    m = _META.search(head) or _XML.search(head)
    return _norm_codec(m.group(1).decode("ascii", "replace")) if m else None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, codec name). Never raises for any bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    tried: list[str] = []
    declared = declared_charset(data, content_type)
    for candidate in (declared, "utf-8", "gb18030"):
        if not candidate or candidate in tried:
            continue
        codec = candidate
        tried.append(codec)
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if codec == "gb18030" and not _looks_chinese(text):
            continue  # gb18030 decodes almost anything; accept it only if the result reads as Chinese
        return text, codec
    best = from_bytes(data[:2_000_000]).best()
    if best is not None and best.encoding:
        codec = _norm_codec(best.encoding) or best.encoding
        return data.decode(codec, errors="replace"), codec
    return data.decode("utf-8", errors="replace"), "utf-8"


def _looks_chinese(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    common = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or ch.isascii())
    return common / len(sample) > 0.9
