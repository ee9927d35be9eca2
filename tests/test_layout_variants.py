"""Real reports laid out, printed or saved the way other sites and tools do it.

Each test starts from a fixture whose every cell was read by hand (tests/golden.py), changes only the
layout (tabs, spreadsheet cells, CR runs, split tables, extra columns, 合计, blanks, line endings,
encodings), and checks every cell against that golden: right, or unreadable where the layout lost the
positions, never a wrong number.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from selectolax.lexbor import LexborHTMLParser

from nianbao.parsers import Report, Source, htmldoc, parse
from nianbao.parsers.decode import decode

from .conftest import FIXTURES
from .golden import GOLDEN
from .test_golden import _parse, expected_cells, got_cells

PINGTAN = FIXTURES / "reports" / "pingtan-2022.html"
TITLE = "平潭综合实验区2022年度政府信息公开工作年度报告"


@cache
def _pingtan() -> htmldoc.HtmlDoc:
    return htmldoc.load(decode(PINGTAN.read_bytes())[0])


def _expected(name: str = "pingtan-2022.html", zeros_blank: bool = False) -> dict[tuple, object]:
    exp = expected_cells(GOLDEN[name])
    return {k: (None if v == 0 else v) for k, v in exp.items()} if zeros_blank else exp


def _misread(r: Report, exp: dict[tuple, object]) -> tuple[dict[tuple, object], set[tuple]]:
    """(cells read with another value than the golden's, cells missing or unreadable)."""
    got = got_cells(r)
    wrong = {
        k: (c.value, c.status)
        for k, v in exp.items()
        if (c := got.get(k)) is not None and c.status != "unparseable" and c.value != v
    }
    unread = {k for k in exp if (c := got.get(k)) is None or c.status == "unparseable"}
    return wrong, unread


def _report(data: bytes, path: str) -> Report:
    r = parse(data, Source(path=path))
    assert isinstance(r, Report), r
    return r


# ------------------------------------------------------------------------------------------ text layouts


def _relaid(layout: str) -> bytes:
    """平潭 2022 as text, its table rows laid out as ``layout``. The HTML reader's body text gives each
    table row as one line of tab-joined cells."""
    lines = _pingtan().body_text.split("\n")
    sep = "\r\r\r\r\r" if layout == "cr" else "\n"
    render: Callable[[list[str]], str] = {
        "tsv": lambda cells: "\t".join(cells),
        "tsv, zeros printed blank": lambda cells: "\t".join("" if c == "0" else c for c in cells),
        "one value per line": lambda cells: "\n".join(cells),
        "pipe": lambda cells: "| " + " | ".join(cells) + " |",
        "cr": lambda cells: "\r\r\r".join(cells),
    }[layout]
    text = sep.join(render(ln.split("\t")) if "\t" in ln else ln for ln in lines)
    return (TITLE + sep + text).encode()


def _spreadsheet_tsv(zeros_blank: bool) -> bytes:
    """平潭 2022's tables as a spreadsheet saves them as text: one tab-separated line per row, a merged
    cell as its text followed (right and below) by empty cells."""
    tree = LexborHTMLParser(PINGTAN.read_text(encoding="utf-8"))
    lines = [TITLE]
    below: dict[int, set[int]] = {}  # row → columns taken by rowspans from above
    r = 0
    for node in tree.body.css("p:not(td *):not(th *), tr"):  # type: ignore[union-attr]
        if node.tag != "tr":
            lines.append(" ".join(node.text().split()))
            continue
        if node.prev is None or node.prev.tag != "tr":  # (whitespace text nodes are skipped by lexbor)
            below, r = {}, 0  # a new table
        row: list[str] = []
        taken = below.pop(r, set())
        for cell in node.css("td, th"):
            while len(row) in taken:
                row.append("")
            text = " ".join(cell.text().split())
            cs, rs = int(cell.attributes.get("colspan") or 1), int(cell.attributes.get("rowspan") or 1)
            for dr in range(1, rs):
                below.setdefault(r + dr, set()).update(range(len(row), len(row) + cs))
            row += ["" if zeros_blank and text == "0" else text] + [""] * (cs - 1)
        while len(row) in taken:
            row.append("")
        lines.append("\t".join(row))
        r += 1
    return "\n".join(lines).encode()


_LAYOUTS = ["tsv", "tsv, zeros printed blank", "one value per line", "pipe", "cr"]
_LAYOUTS += ["spreadsheet tsv", "spreadsheet tsv, zeros printed blank"]


@pytest.mark.parametrize("layout", _LAYOUTS)
def test_one_report_in_every_text_layout_reads_every_cell(layout: str) -> None:
    """Tab-separated rows keep blank cells in place (a tab stands between two cells), like CR runs; a
    spreadsheet's empty cells for merged ones are told apart from blank values."""
    spreadsheet = layout.startswith("spreadsheet")
    data = _spreadsheet_tsv(zeros_blank="blank" in layout) if spreadsheet else _relaid(layout)
    r = _report(data, "relaid.txt")
    exp = _expected(zeros_blank="blank" in layout)
    assert _misread(r, exp) == ({}, set())
    if "blank" in layout:
        assert {c.status for k, c in got_cells(r).items() if exp.get(k, 0) is None} == {"blank"}
    assert [c for c in r.checks if not c.passed] == []


# ------------------------------------------------------------------------------------ printing variants

_VARIANTS: dict[str, Callable[[str], str]] = {
    "合计 for 总计": lambda doc: doc.replace("总计", "合计"),
    "总 计 for 总计": lambda doc: doc.replace("总计", "总 计"),
    "zeros printed /": lambda doc: doc.replace(">0<", ">/<"),
    "zeros printed blank": lambda doc: doc.replace(">0<", "><"),
}


@pytest.mark.parametrize(
    ("name", "variant"),
    [("pingtan-2022.html", v) for v in _VARIANTS]
    + [(n, "合计 for 总计") for n in ("hebei-jyt-2023.txt", "seed-xiejiaji-2020.txt")],
)
def test_real_report_with_printing_variants_reads_every_cell(name: str, variant: str) -> None:
    """Real reports edited the way other sites print the same tables (spec §8.11, §6): every cell still
    reads as the hand-read golden, blank-like cells as null (never 0), and every check passes."""
    doc = (FIXTURES / "reports" / name).read_bytes().decode("utf-8")
    edited = _VARIANTS[variant](doc)
    assert edited != doc
    r = _report(edited.encode(), name)
    assert _misread(r, _expected(name, zeros_blank=variant.startswith("zeros"))) == ({}, set())
    assert [c for c in r.checks if not c.passed] == []


_SAVED_AS: dict[str, Callable[[str], bytes]] = {
    "CRLF line endings": lambda t: t.replace("\n", "\r\n").encode(),
    "CR line endings": lambda t: t.replace("\n", "\r").encode(),
    "UTF-16 with BOM": lambda t: t.encode("utf-16"),
    "GB18030": lambda t: t.encode("gb18030"),
    "UTF-8 with BOM": lambda t: t.encode("utf-8-sig"),
}


@pytest.mark.parametrize("saved_as", sorted(_SAVED_AS))
@pytest.mark.parametrize("name", ["seed-xiejiaji-2020.txt", "shanghai-gov-office-2025.source.md"])
def test_text_report_saved_another_way_reads_the_same(name: str, saved_as: str) -> None:
    """The same text saved with other line endings or encodings: same cells, title and organ."""
    text = (FIXTURES / "reports" / name).read_bytes().decode("utf-8")
    assert "\r" not in text
    before, after = _parse(name), _report(_SAVED_AS[saved_as](text), name)
    assert (after.title, after.organ, after.year) == (before.title, before.organ, before.year)

    def cells(r: Report) -> dict[tuple, tuple]:
        return {k: (c.value, c.status) for k, c in got_cells(r).items()}

    assert cells(after) == cells(before)


# ----------------------------------------------------------------------------------------- HTML tables


def _page(*parts: list[list[str]] | str, before_t4: int) -> bytes:
    """An article page: grids as plain <table>s, strings as paragraphs, table 四's heading before
    ``parts[before_t4]``."""

    def html(part: list[list[str]] | str) -> str:
        if isinstance(part, str):
            return f"<p>{part}</p>"
        rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in part)
        return f"<table>{rows}</table>"

    body = "".join(
        ("<p>四、政府信息公开行政复议、行政诉讼情况</p>" if i == before_t4 else "") + html(part)
        for i, part in enumerate(parts)
    )
    return f"<html><body><div class='article_content'><p>{TITLE}</p>{body}</div></body></html>".encode()


_CONTINUATIONS: dict[str, Callable[[list[list[str]]], list[list[str]]]] = {
    "same columns": lambda rows: rows,
    "label columns merged into one": lambda rows: [[" ".join(dict.fromkeys(r[:3])), *r[3:]] for r in rows],
    "an extra label column": lambda rows: [["", *r] for r in rows],
    "an empty column on the right": lambda rows: [[*r, ""] for r in rows],
    "the 总计 column lost": lambda rows: [r[:-1] for r in rows],
}


@pytest.mark.parametrize("continuation", list(_CONTINUATIONS))
def test_table_three_continued_in_another_table_is_read_or_left_unreadable(continuation: str) -> None:
    """Table 三 split over two <table>s (a page break in the source), the second with other columns. When
    the values' columns can be told they are read; when not (a column lost), those rows are unreadable,
    never shifted into wrong numbers."""
    t2, t3, t4 = _pingtan().tables
    split = 17  # after 三、（四）无法提供
    rest = _CONTINUATIONS[continuation](t3[split:])
    wrong, unread = _misread(_report(_page(t2, t3[:split], rest, t4, before_t4=3), "split.html"), _expected())
    assert wrong == {}
    if continuation == "the 总计 column lost":
        assert {k[0] for k in unread} == {"t3"}
        assert len(unread) == 7 * len([r for r in t3[split:] if any(c.isdigit() for c in r)])
    else:
        assert unread == set()


@pytest.mark.parametrize("layout", ["empty column on the right", "label cell on the left"])
def test_table_four_with_blank_cells_and_an_extra_column_keeps_its_positions(layout: str) -> None:
    """Table 四 whose outcome headers were lost (only 行政复议 | 行政诉讼 remain), zeros printed blank and an
    extra column: the 15 columns under the headers are the values; nothing shifts into the wrong cell."""
    t2, t3, t4 = _pingtan().tables
    header, values = t4[0], ["" if c == "0" else c for c in t4[3]]
    extra = (lambda r: [*r, ""]) if layout.startswith("empty") else (lambda r: ["", *r])
    r = _report(_page(t2, t3, [extra(header), extra(values)], before_t4=2), "t4.html")
    golden = GOLDEN["pingtan-2022.html"]["t4"]
    assert [(c.value, c.status) for c in r.t4] == [(v or None, "number" if v else "blank") for v in golden]


def test_table_two_blocks_in_tables_of_their_own_with_captions_outside() -> None:
    """Table 二 as one <table> per 第二十条 block, each as wide as its metrics, the first caption inside its
    table and the others in paragraphs before theirs: every row goes to the block that lists its item."""
    t2, t3, t4 = _pingtan().tables
    parts: list[list[list[str]] | str] = []
    grid: list[list[str]] = []
    for row in t2:
        if row[0].startswith("第二十条"):
            grid = [row] if not parts else []  # the first caption is a row of its table
            parts += [grid] if not parts else [row[0], grid]
        else:  # blocks after （一） have one metric: one value column (the grid repeats a spanning cell)
            grid.append(row if len(parts) == 1 else row[:2])
    assert [len(g[0]) for g in parts if isinstance(g, list)] == [4, 2, 2, 2]
    r = _report(_page(*parts, t3, t4, before_t4=len(parts) + 1), "t2.html")
    assert _misread(r, _expected()) == ({}, set())
