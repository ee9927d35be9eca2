"""HTML pages: the article body among the site chrome, its text, its metadata and its table grids.

selectolax ≥ 1.0 (lexbor) is fed decoded text. Tables become true grids (rowspan/colspan expanded) and are
read by header position, so blank cells keep their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import template as T
from .mapper import classify_t3_label, t3_column_key, t4_column_key
from .rawtable import RawRow, RawTable
from .values import parse_cell

BODY_SELECTORS = (
    ".article_content",
    ".TRS_Editor",
    "#zoom",
    ".zoom",
    "#UCAP-CONTENT",
    ".article-content",
    ".art_con",
    ".article_con",
    "#content",
    ".content",
    ".main-txt",
    ".xxgk_content",
    ".view",
    ".detail",
    "article",
    ".TRS_UEDITOR",
)
_CHROME = "script, style, noscript, iframe, form, nav, header, footer, select, button, input, textarea"
MAX_NODES = 100_000
MAX_SPAN = 60
_PROBE = LexborHTMLParser("<table><tr><th>a<td>b")  # lexbor's tag ids, compared instead of tag names
_CELL_TAG_IDS = frozenset(_PROBE.css_first(t).tag_id for t in ("td", "th"))  # type: ignore[union-attr]
_TR_TAG_ID = _PROBE.css_first("tr").tag_id  # type: ignore[union-attr]


@dataclass
class HtmlDoc:
    title: str | None
    meta: dict[str, str]
    body_text: str
    tables: list[list[list[str]]]  # grids
    images: int = 0  # <img> in the article body: tables published as pictures (spec §8.14)
    page: LexborNode | None = None  # the whole page without its chrome (发布时间 sits outside the body)

    def page_text(self) -> str:
        """The whole page's text, built only when asked: most pages date themselves in <meta>."""
        return self.page.text(separator=" ") if self.page is not None else ""


def _clean(s: str) -> str:
    return " ".join(s.split())


_CONTAINER_TAG = re.compile(r"<(/?)(?:div|span|font|section|article|center|b|i|u|strong|em)\b[^>]*>", re.I)
MAX_DEPTH = 1000


def _nesting_depth(text: str, tag_count: int) -> int:
    if tag_count < 20 * MAX_DEPTH:  # too few tags to nest deep enough to hurt: skip the scan
        return 0
    depth = peak = 0
    for m in _CONTAINER_TAG.finditer(text):
        depth += -1 if m.group(1) else 1
        peak = max(peak, depth)
    return peak


def load(text: str) -> HtmlDoc:
    # lexbor's tree building is quadratic in nesting depth: flatten absurdly deep container nesting
    # (no real report nests a thousand <div>s) before parsing, keeping every text node and table.
    tag_count = text.count("<")  # an upper bound on elements, without building Python nodes
    if _nesting_depth(text, tag_count) > MAX_DEPTH:
        text = _CONTAINER_TAG.sub("\n", text)
    tree = LexborHTMLParser(text)
    meta: dict[str, str] = {}
    for m in tree.tags("meta"):
        attrs = m.attributes  # (builds a dict each time it is read)
        name = (attrs.get("name") or attrs.get("property") or "").strip()
        content = attrs.get("content")
        if name and content:
            meta[name] = content.strip()
    title_node = tree.css_first("title")
    title = _clean(title_node.text()) if title_node else None
    root = tree.body or tree.root
    if root is None:
        return HtmlDoc(title, meta, "", [])
    if tag_count > MAX_NODES:  # too big to walk node by node: the page's text only
        return HtmlDoc(title, meta, _text(root, {}), [])
    for bad in root.css(_CHROME):
        bad.decompose()
    body = _find_body(root)
    row_texts: dict[int, str] = {}
    grids = [_grid(t, row_texts) for t in body.css("table") if len(t.css("table")) == 1]
    images = len(body.css("img"))
    return HtmlDoc(title, meta, _text(body, row_texts), [g for g in grids if g], images, root)


_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_BLOCK_TAG = re.compile(r"<(?:/?(?:p|div|tr|h\d|li|table)|br)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")


# table rows, and text blocks outside table cells (a cell's paragraphs are part of its row)
_BLOCKS = ", ".join(
    [f"{tag}:not(td *):not(th *)" for tag in "p h1 h2 h3 h4 h5 h6 li pre blockquote dt dd".split()] + ["tr"]
)


def _block_text(node: LexborNode, row_texts: dict[int, str]) -> str | None:
    """Text block by block from the tree (fast path). None when the blocks miss or repeat text, e.g. text
    sitting directly in <div>s between <br>s: the caller then takes the slower, always-right path."""
    out: list[str] = []
    for n in node.css(_BLOCKS):
        if (known := row_texts.get(n.mem_id)) is not None:  # a table row already read for its grid
            out.append(known)
        elif n.tag_id != _TR_TAG_ID:
            out.append(" ".join(n.text_lexbor().split()))
        else:  # a row of a table holding tables (no grid was built for it)
            out.append("\t".join(_clean(c.text_lexbor()) for c in n.iter() if c.tag_id in _CELL_TAG_IDS))
    text = "\n".join(x for x in out if x)
    whole = len("".join(node.text_lexbor().split()))
    got = len("".join(text.split()))
    return text if whole and 0.97 * whole <= got <= 1.03 * whole else None


def _text(node: LexborNode, row_texts: dict[int, str]) -> str:
    """Text with line breaks between blocks and table cells, so headings start lines."""
    fast = _block_text(node, row_texts)
    if fast is not None:
        return fast
    html = _BLOCK_TAG.sub("\n", _CELL_END.sub("\t", node.html or ""))  # lexbor's serialisation: no scripts
    txt = unescape(_ANY_TAG.sub("", html))
    return "\n".join(" ".join(parts) for line in txt.split("\n") if (parts := line.split()))


def _find_body(root: LexborNode) -> LexborNode:
    best: LexborNode | None = None
    best_len = 0
    for sel in BODY_SELECTORS:
        for node in root.css(sel):
            t = node.text_lexbor()
            if len(t) > 200 and ("年" in t) and (best is None or len(t) > best_len * 1.5):
                best, best_len = node, len(t)
        if best is not None:
            return best
    # no known container: the smallest block holding the report's headings and tables
    texts = [(n, n.text(separator="")) for n in root.css("div, td, article, section")[:5000]]
    full = len(root.text(separator="")) or 1
    cands = [(len(t), n) for n, t in texts if "总体情况" in t or "年度报告" in t]
    cands = [(ln, n) for ln, n in cands if ln > 0.3 * full or ln > 2000]
    if cands:
        return min(cands, key=lambda x: x[0])[1]
    return root


def _grid(table: LexborNode, row_texts: dict[int, str]) -> list[list[str]]:
    """Expand rowspan/colspan into a rectangular grid of cell texts. Each row's cells, tab-joined, also go
    into ``row_texts`` (by node id) so the body text does not read every cell a second time."""
    grid: list[list[str]] = []
    below: dict[int, dict[int, str]] = {}  # row → {column: text} carried down by rowspans above it
    # one query for the few spanning cells: reading every cell's attributes costs more than its text
    spanning = {n.mem_id for n in table.css("[rowspan], [colspan]")}
    for r, tr in enumerate(table.css("tr")):
        row: list[str] = []  # its length is the next free column
        texts: list[str] = []
        carried = below.pop(r, None)
        for cell in tr.iter():
            if cell.tag_id not in _CELL_TAG_IDS:
                continue
            if carried:
                while len(row) in carried:
                    row.append(carried.pop(len(row)))
            txt = " ".join(cell.text_lexbor().split())
            texts.append(txt)
            if cell.mem_id not in spanning:
                row.append(txt)
                continue
            attrs = cell.attributes
            rs, cs = _span(attrs.get("rowspan")), _span(attrs.get("colspan"))
            c = len(row)
            row += [txt] * cs
            for dr in range(1, rs):
                down = below.setdefault(r + dr, {})
                for dc in range(cs):
                    down[c + dc] = txt
        if carried:
            while len(row) in carried:
                row.append(carried.pop(len(row)))
        row_texts[tr.mem_id] = "\t".join(texts)
        if row:
            grid.append(row)
    width = max(map(len, grid), default=0)
    for row in grid:
        if len(row) < width:
            row += [""] * (width - len(row))
    return grid


def _span(v: str | None) -> int:
    if v is None or v == "1":
        return 1
    try:
        return max(1, min(MAX_SPAN, int(str(v).strip())))
    except (TypeError, ValueError):
        return 1


# ------------------------------------------------------------------------------------ grids → RawTables


def _norm_row(row: list[str]) -> str:
    return T.norm_label("".join(row))


def _stack(headers: list[list[str]], width: int) -> list[str]:
    cols = []
    for j in range(width):
        parts: list[str] = []
        for h in headers:
            t = h[j] if j < len(h) else ""
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        cols.append(" ".join(parts))
    return cols


def _is_value(s: str) -> bool:
    return parse_cell(s).status in ("number", "blank", "slash", "dash", "none_word")


def _label_of(row: list[str], value_cols: list[int]) -> str:
    parts: list[str] = []
    for j, t in enumerate(row):
        if j in value_cols or not t:
            continue
        if parts and parts[-1] == t:
            continue
        parts.append(t)
    return " ".join(parts)


def _t3_value_columns(cols: list[str], first_data_row: list[str], width: int) -> list[int]:
    """Columns under the seven applicant headers; else the last seven columns that hold values."""

    mapped = [j for j, h in enumerate(cols) if t3_column_key(h)]
    if len(mapped) == 7 and len({t3_column_key(cols[j]) for j in mapped}) == 7:
        return mapped
    numeric = [j for j, c in enumerate(first_data_row) if c and _is_value(c)]
    if len(numeric) >= 7:
        return numeric[-7:]
    last7 = list(range(max(0, width - 7), width))
    if all(not first_data_row[j] or _is_value(first_data_row[j]) for j in last7 if j < len(first_data_row)):
        return last7
    return []  # fewer than seven value columns: the row's cells are unreadable, not shifted into place


def _continuation_shift(grid: list[list[str]], value_cols: list[int], shift: int) -> int | None:
    """How far the value columns moved in a continuation grid ``shift`` columns wider or narrower: by
    ``shift`` (label columns added or merged on the left) or not at all (a column added or lost on the
    right). The one under which every row with numbers has only values in the value columns and no number
    in its label cells; None when both or neither fit."""
    width = len(grid[0]) if grid else 0

    def fits(offset: int) -> bool:
        cols = [j + offset for j in value_cols]
        if min(cols) < 0 or max(cols) >= width:
            return False
        first = cols[0]
        for row in grid:
            if not any(c and parse_cell(c).status == "number" for c in row):
                continue  # a header or label-only row
            if not all(_is_value(row[j]) for j in cols):
                return False
            if any(c and parse_cell(c).status == "number" for c in row[:first]):
                return False
        return True

    fitting = [o for o in (shift, 0) if fits(o)]
    return fitting[0] if len(fitting) == 1 else None


def _t2_block_of(label: str) -> str | None:
    """The 第二十条 block (its （N）) whose item this row label names, when only one block has it: a row
    of another block tells that block's caption sat outside the table."""
    n = T.norm_label(label)
    owners = {b for lab, b in _T2_ITEM_BLOCKS.items() if n.endswith(lab)} if n else set()
    return owners.pop() if len(owners) == 1 else None


_T2_ITEM_BLOCKS = {
    T.norm_label(lab): block.caption_no
    for blocks in T.T2_BLOCKS.values()
    for block in blocks
    for _key, labels in block.items
    for lab in labels
}
_T2_CAPTION = re.compile(r"第二十条第([一二三四五六七八九十]+)项")


def grids_to_tables(grids: list[list[list[str]]]) -> list[RawTable]:
    """Walk every grid row in order, switching between tables 二, 三 and 四 by their captions and headers."""

    tables: dict[str, RawTable] = {}
    state = None
    headers: list[list[str]] = []
    cols: list[str] = []
    value_cols: list[int] = []
    block = None
    t3_version = "2019"
    t3_idx = 0
    cols_width = 0  # the width of the grid whose headers gave ``cols`` and ``value_cols``
    for grid in grids:
        unplaced = False
        width = max((len(r) for r in grid), default=0)
        # another width: a new table, or the last one continued after a page break (decided at its first row)
        continued = bool(value_cols) and width != cols_width
        for row in grid:
            n = _norm_row(row)
            if not n:
                continue
            capm = _T2_CAPTION.search(n) if "第二十条" in n else None
            if capm:
                state, block, headers, unplaced, continued = "t2", capm.group(1), [], False, False
                tables.setdefault("t2", RawTable("t2"))
                rest = [c for c in row if c and "第二十条" not in c]
                if not rest or T.norm_label(rest[0]) != "信息内容":
                    continue
            if ("勾稽关系" in n or "申请人情况" in n or ("自然人" in n and "总计" in n)) and state != "t3":
                state, headers, unplaced, continued = "t3", [row], False, False
                tables.setdefault("t3", RawTable("t3"))
                value_cols = []
                t3_idx = 0
                continue
            if ("行政复议" in n and ("行政诉讼" in n or "结果维持" in n)) and state != "t4":
                state, headers, continued = "t4", [row], False
                value_cols = []
                continue
            if continued and value_cols and state in ("t2", "t3") and "信息内容" not in n:
                continued = False
                shift = _continuation_shift(grid, value_cols, width - cols_width)
                unplaced = shift is None  # this grid's cell positions are unknown: unreadable, not guessed
                if shift is not None:
                    value_cols = [j + shift for j in value_cols]
                    cols = [""] * shift + cols if shift > 0 else cols[-shift:] if shift else cols
                    cols, cols_width = (cols + [""] * width)[:width], width
            if unplaced and state in ("t2", "t3") and "信息内容" not in n:
                if any(c and parse_cell(c).status == "number" for c in row):
                    label = _label_of(row, [j for j, c in enumerate(row) if _is_value(c)])
                    tables[state].rows.append(
                        RawRow(label=label, segment=" ".join(c for c in row if c), block=block)
                    )
                continue
            if state == "t2":
                if "信息内容" in n:
                    headers, unplaced, continued = [row], False, False
                    cols, cols_width = _stack(headers, width), width
                    value_cols = [j for j, h in enumerate(cols) if h and T.norm_label(h) != "信息内容"]
                    tables["t2"].header_text += n
                    continue
                if not headers:
                    continue
                label = _label_of(row, value_cols)
                block = _t2_block_of(label) or block
                cells = [row[j] if j < len(row) else "" for j in value_cols]
                dedup_cells: list[str] = []
                dedup_cols: list[str] = []
                for j, c in zip(value_cols, cells, strict=True):
                    if dedup_cols and cols[j] == dedup_cols[-1]:
                        continue  # a colspan repeated the same header
                    dedup_cells.append(c)
                    dedup_cols.append(cols[j])
                tables["t2"].rows.append(
                    RawRow(label=label, cells=dedup_cells, columns=dedup_cols, block=block)
                )
            elif state == "t3":
                t = tables["t3"]
                if any(T.norm_label(m) in n for m in T.T3_2021_MARKERS):
                    t3_version = "2021"
                    t.header_text += " 2021"
                if not value_cols:
                    key, _ = classify_t3_label(n, "2021", 0, fuzzy=False)
                    has_numbers = any(c and parse_cell(c).status == "number" for c in row)
                    if not has_numbers and (key is None or key.startswith("_")):
                        headers.append(row)
                        continue
                    cols, cols_width = _stack(headers, width), width
                    value_cols = _t3_value_columns(cols, row, width)
                    t.header_text += T.norm_label(" ".join(cols))
                label = _label_of(row, value_cols)
                if not label and not any(row[j] for j in value_cols if j < len(row)):
                    continue
                cells = [row[j] if j < len(row) else "" for j in value_cols]
                colnames = [cols[j] for j in value_cols] if len(cols) == width else None
                key, t3_idx = classify_t3_label(label, t3_version, t3_idx)
                if key is None and not any(parse_cell(c).status == "number" for c in cells):
                    continue
                t.rows.append(RawRow(label=label, cells=cells, columns=colnames))
            elif state == "t4":
                numeric = [c for c in row if c and parse_cell(c).status == "number"]
                if len(numeric) < 5 and not (len(numeric) >= 1 and all(_is_value(c) for c in row)):
                    if "t4" not in tables:
                        headers.append(row)
                    continue
                if "t4" in tables:
                    continue
                cols = _stack(headers, width)
                mapped = [j for j, h in enumerate(cols) if t4_column_key(h)]
                if len(mapped) == 15 and len({t4_column_key(cols[j]) for j in mapped}) == 15:
                    cells = [row[j] for j in mapped]
                    colnames = [cols[j] for j in mapped]
                else:  # header labels not all recognised: 15 printed values, or the 15 columns under headers
                    printed = [c for c in row if c.strip() and _is_value(c)]
                    under = [j for j, h in enumerate(cols) if h.strip()]
                    value_like = [c for c in row if _is_value(c)]
                    if len(printed) == 15:
                        cells = printed
                    elif len(under) == 15 and all(_is_value(row[j]) for j in under):
                        cells = [row[j] for j in under]
                    elif len(value_like) == 15:
                        cells = value_like
                    else:
                        cells = None  # blank cells and extra columns: positions unknown, not guessed
                    colnames = None
                tables["t4"] = RawTable("t4", [RawRow(label="", cells=cells, columns=colnames)])
                state = None
    for t in tables.values():
        t.layout = "grid"
    return [t for t in tables.values() if t.rows]
