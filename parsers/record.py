"""The one record type that crosses parsers → store → JSON (interfaces §2)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from functools import cache
from typing import Any

SCHEMA = "nianbao.report/1"
PARSER_VERSION = "0.1.0"

Number = int | Decimal


@dataclass
class Source:
    url: str | None = None
    path: str | None = None
    sha256: str | None = None
    media_type: str | None = None
    charset: str | None = None
    fetched_at: str | None = None
    text_path: str | None = None  # which extractor produced the text (pdf: pdfium / pdfplumber …)


@dataclass
class Section:
    key: str
    heading: str
    text: str


@dataclass(slots=True)
class T2Cell:
    block: str
    item: str
    metric: str
    value: Number | None
    unit: str | None
    raw: str
    status: str
    label: str | None = None  # raw label, kept for unknown rows


@dataclass(slots=True)
class T3Cell:
    row: str
    col: str
    value: Number | None
    raw: str
    status: str
    label: str | None = None


@dataclass(slots=True)
class T4Cell:
    block: str
    outcome: str
    value: Number | None
    raw: str
    status: str


@dataclass(slots=True)
class Check:
    id: str
    scope: str
    lhs: Number
    rhs: Number
    passed: bool
    basis: str = "printed"  # "inferred" when a digit-run split was chosen by this very identity


@dataclass
class Report:
    source: Source
    title: str | None = None
    organ: str | None = None
    year: int | None = None
    published_date: str | None = None
    template_version: str | None = None
    table_versions: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    t2: list[T2Cell] = field(default_factory=list)
    t3: list[T3Cell] = field(default_factory=list)
    t4: list[T4Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # pre-2019 reports only: statistics stated in prose, each with its evidence sentence (spec §9)
    prose_stats: list[dict[str, Any]] = field(default_factory=list)
    parser_version: str = field(default_factory=lambda: PARSER_VERSION)  # read at parse time

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (interfaces §2). Built field by field: ``dataclasses.asdict`` deep-copies every
        one of a report's hundreds of cells and cost more than parsing the report."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "parser_version": self.parser_version,
            "source": _fields_of(self.source),
        }
        for name in _REPORT_FIELDS:
            v = getattr(self, name)
            if isinstance(v, list) and v and is_dataclass(v[0]):
                out[name] = [_fields_of(x) for x in v]
            else:
                out[name] = _plain(v)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """Rebuild a Report from its JSON form (the store keeps records this way for exact re-export)."""

        def num(v: Any) -> Number | None:
            if v is None or isinstance(v, int):
                return v
            return Decimal(str(v))

        return cls(
            source=Source(**d["source"]),
            title=d.get("title"),
            organ=d.get("organ"),
            year=d.get("year"),
            published_date=d.get("published_date"),
            template_version=d.get("template_version"),
            table_versions=d.get("table_versions") or {},
            sections=[Section(**s) for s in d.get("sections", [])],
            t2=[T2Cell(**{**c, "value": num(c["value"])}) for c in d.get("t2", [])],
            t3=[T3Cell(**{**c, "value": num(c["value"])}) for c in d.get("t3", [])],
            t4=[T4Cell(**{**c, "value": num(c["value"])}) for c in d.get("t4", [])],
            checks=[Check(**{**c, "lhs": num(c["lhs"]), "rhs": num(c["rhs"])}) for c in d.get("checks", [])],
            warnings=list(d.get("warnings", [])),
            prose_stats=list(d.get("prose_stats", [])),
            parser_version=d.get("parser_version", PARSER_VERSION),
        )


@dataclass
class NotAReport:
    """The bytes decoded fine but hold no annual report (a notice, a list page, an empty page)."""

    reason: str
    source: Source


class ParseError(Exception):
    """Input that cannot be read at all (corrupt, truncated, unsupported). The message is one line for users."""


_REPORT_FIELDS = [f.name for f in fields(Report) if f.name not in ("source", "parser_version")]


@cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _fields_of(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a new plain dict (numbers made JSON-ready), in field order like asdict."""
    return {n: _plain(getattr(obj, n)) for n in _names(type(obj))}  # type: ignore[arg-type]


def _plain(o: Any) -> Any:
    if isinstance(o, Decimal):
        return int(o) if o == o.to_integral_value() and "." not in str(o) else float(o)
    if isinstance(o, dict):
        return {k: _plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_plain(v) for v in o]
    return o
