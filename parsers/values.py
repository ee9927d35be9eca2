"""Cell text → (value, unit, status), per spec §6. The raw text is always kept by the caller."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .record import Number

STATUSES = ("number", "blank", "slash", "dash", "none_word", "text", "unparseable", "inferred")

_UNITS = ("万元", "元", "件", "条", "项", "个")
_NUM = re.compile(r"^([+\-]?)(\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class CellValue:
    value: Number | None
    unit: str | None
    status: str


@lru_cache(maxsize=16384)
def parse_cell(raw: str) -> CellValue:
    """Read one printed cell. Never invents a value: anything not clearly a number stays null."""
    s = unicodedata.normalize("NFKC", raw or "")
    s = re.sub(r"\s+", "", s).replace("\u00a0", "")
    if not s:
        return CellValue(None, None, "blank")
    if s in ("/", "\\", "//"):
        return CellValue(None, None, "slash")
    if re.fullmatch(r"[-—–―−‐]+", s):
        return CellValue(None, None, "dash")
    if s in ("无", "无。", "暂无"):
        return CellValue(None, None, "none_word")
    s = s.lstrip("?？")
    unit = None
    for u in _UNITS:
        if s.endswith(u):
            unit, s = u, s[: -len(u)]
            break
    sign = ""
    if s[:1] in ("增", "减"):
        sign, s = ("-" if s[0] == "减" else "+"), s[1:]
    s = s.replace(",", "").replace("−", "-")
    m = _NUM.match(sign + s if sign and s[:1] not in "+-" else s)
    if not m:
        if re.search(r"\d", s):
            return CellValue(None, unit, "unparseable")
        return CellValue(None, unit, "text")
    neg = m.group(1) == "-"
    digits = m.group(2)
    try:
        value: Number = int(digits) if "." not in digits else Decimal(digits)
    except (InvalidOperation, ValueError):  # pragma: no cover - regex guarantees digits
        return CellValue(None, unit, "unparseable")
    if neg:
        value = -value
    return CellValue(value, unit if unit in ("元", "万元") else None, "number")


def looks_like_value(token: str) -> bool:
    """True for tokens that can stand in a numeric cell (numbers, blanks markers, units)."""
    st = parse_cell(token).status
    return st in ("number", "slash", "dash", "none_word")
