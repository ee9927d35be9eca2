"""Tables from flattened text: one value per line, CR-separated cells, pipe tables and bare digit runs.

Text loses the grid, but the template's row labels survive. We find each label in order (on a
normalised copy of the text that maps back to the original), and read the text between one label and the
next as that row's values. How those values are separated tells us whether cell positions are known.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from . import template as T
from .rawtable import RawRow, RawTable
from .sections import HEADINGS
from .values import parse_cell

_WORD_RUN = re.compile(r"[^\W_]+")
_NON_WORD = re.compile(r"([\W_]+)")
# not word characters (so NormText drops them), and common in reports' tables and their lead-in prose
_COMMON_GAPS = "，、。（）“”《》：；！？【】〔〕—…·‘’.,:;()|/-%#*_\"'[]<>=+"
_CUT = re.compile(r"[\u3400-\u9fff（(【\[]")  # values stop at the first text or bracket
_TOTALS = T.T3_COLUMN_LABELS["total"]  # 总计, and 合计/小计 printed for it (spec §8.11)
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]|\d+|[一二三四五六七八九]+)")


@dataclass
class NormText:
    """A copy of ``text`` with only word characters, NFKC'd, and the map back to original offsets.

    The map is kept per run of characters (bisect on run starts), not per character, so building it is
    cheap and a 20 MB page stays within memory.
    """

    text: str
    norm: str
    norm_starts: list[int]
    orig_starts: list[int]

    @classmethod
    def of(cls, text: str) -> NormText:
        return cls._common(text) or cls._by_regex(text)

    @classmethod
    def _common(cls, text: str) -> NormText | None:
        """The usual case, with string methods only (the regex below costs ~65 ns a character): every gap
        character is whitespace or common punctuation, and the words need no NFKC. None otherwise."""
        spaced = text
        for ch in _COMMON_GAPS:
            if ch in spaced:
                spaced = spaced.replace(ch, " ")  # same length: offsets are unchanged
        words = spaced.split()
        norm = "".join(words)
        if not (norm.isalnum() and (norm.isascii() or unicodedata.is_normalized("NFKC", norm))):
            return None
        orig_starts: list[int] = []
        append = orig_starts.append
        find = spaced.find
        pos = 0
        for word in words:  # each word is the next non-space run, so the first hit from pos is its start
            pos = find(word, pos)
            append(pos)
            pos += len(word)
        norm_starts = list(accumulate(map(len, words), initial=0))
        norm_starts.pop()
        return cls(text, norm, norm_starts, orig_starts)

    @classmethod
    def _by_regex(cls, text: str) -> NormText:
        pieces = _NON_WORD.split(text)  # word run, gap, word run, gap, …, word run (runs may be empty)
        words = pieces[::2]
        norm = "".join(words)
        if norm.isascii() or unicodedata.is_normalized("NFKC", norm):
            # the usual case: no compatibility characters in the words, so runs map one to one (empty runs
            # share a start with the next run; bisect_right in orig() picks the last of equal starts)
            starts = list(accumulate(map(len, pieces), initial=0))
            return cls(text, norm, list(accumulate(map(len, words), initial=0))[:-1], starts[::2])
        parts: list[str] = []
        norm_starts: list[int] = []
        orig_starts: list[int] = []
        n = 0
        for m in _WORD_RUN.finditer(text):
            run = m.group(0)
            if run.isascii() or unicodedata.is_normalized("NFKC", run):
                parts.append(run)
                norm_starts.append(n)
                orig_starts.append(m.start())
                n += len(run)
                continue
            for i, ch in enumerate(run, m.start()):
                for c in unicodedata.normalize("NFKC", ch):
                    if c.isalnum():
                        parts.append(c)
                        norm_starts.append(n)
                        orig_starts.append(i)
                        n += 1
        return cls(text, "".join(parts), norm_starts, orig_starts)

    def orig(self, npos: int) -> int:
        """Original offset of normalised position ``npos`` (len(text) past the end)."""
        if npos >= len(self.norm):
            return len(self.text)
        i = bisect_right(self.norm_starts, npos) - 1
        return self.orig_starts[i] + (npos - self.norm_starts[i])

    def orig_end(self, npos_end: int) -> int:
        """Original offset just after the char at normalised position ``npos_end - 1``."""
        return self.orig(npos_end - 1) + 1 if npos_end > 0 else 0

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        return self.norm.find(needle, start, len(self.norm) if end is None else end)


@dataclass(slots=True)
class Anchor:
    key: str
    start: int  # normalised offsets
    end: int
    group: bool


def _find_label(nt: NormText, label: str, start: int, end: int) -> tuple[int, int] | None:
    """Find a row label at or after ``start``; tolerate typos by matching its head or tail."""
    full = T.norm_label(label)
    pos = nt.find(full, start, end)
    if pos >= 0:
        return pos, pos + len(full)
    m = _NUMBERING.match(full)
    body = full[m.end() :] if m else full
    number = full[: m.end()] if m else ""
    if len(body) >= 4:  # the numbering was lost or printed differently: find the words, keep a numbering
        pos = nt.find(body, start, end)
        if pos >= 0:
            body_end = pos + len(body)
            if number and pos - len(number) >= start and nt.norm.startswith(number, pos - len(number)):
                pos -= len(number)
            return pos, body_end
    if len(body) >= 6:
        head, tail = number + body[:4], body[-4:]
        hp = nt.find(head, start, end)
        if hp >= 0:
            tp = nt.find(tail, hp + len(head), min(end, hp + len(full) + 4))
            if tp >= 0:
                return hp, tp + len(tail)
            # label end: where its text stops and digits start
            q = hp + len(head)
            limit = min(end, hp + len(full) + 3)
            while q < limit and not nt.norm[q].isdigit():
                q += 1
            return hp, q
        tp = nt.find(tail, start, end)  # the head has the typo: anchor on the tail, if no digits precede it
        if tp >= 0 and not re.search(r"\d", nt.norm[max(start, tp - len(full)) : tp]):
            return max(start, tp - len(body) + len(tail) - 2), tp + len(tail)
    return None


def _cr_tokens(seg: str) -> list[str] | None:
    """Cells of a CR-separated segment (each cell ends with three CRs, a row with two more). None when a gap
    is not a whole number of cells: then positions are unknown."""
    body = seg.lstrip("\r")
    if not body:  # only CRs: every cell blank
        return [""] * ((len(seg) - 3) // 3) if len(seg) >= 3 else []
    core = body.rstrip("\r")  # CRs after the last value end the row
    tokens = core.split("\r\r\r")  # a blank cell between two values leaves an empty token
    if core.count("\r") != 3 * (len(tokens) - 1):  # a CR left inside a token: a gap of 4, 5, 7 … CRs
        return None
    lead = len(seg) - len(body)  # blank cells before the first value
    return [""] * max(0, (lead - 3) // 3) + [t.strip() for t in tokens]


_RULE_CHARS = frozenset("|:-")


def _is_md_rule(line: str) -> bool:
    """A markdown table's |---|:--:| separator line (a set test: a regex here backtracked on long lines)."""
    return "---" in line and set("".join(line.split())) <= _RULE_CHARS


def segment_tokens(seg: str) -> tuple[str, list[str] | None]:
    """Split a value segment into cell tokens and tell the layout. None tokens: positions unknown."""
    if "|" in seg:
        parts: list[str] = []
        for line in seg.split("\n"):
            if "|" not in line or _is_md_rule(line):
                continue
            cells = [p.strip() for p in line.split("|")]
            if cells and cells[0] == "":
                cells = cells[1:]
            if cells and cells[-1] == "":
                cells = cells[:-1]
            parts += cells
        return "pipe", parts
    if "\r\r\r" in seg:
        return "cr", _cr_tokens(seg)
    if "\n" in seg.strip():
        return "lines", [t for t in (x.strip() for x in seg.split("\n")) if t]
    return "runs", seg.split()


def _tab_cells(seg: str) -> list[str] | None:
    """Cells of a tab-separated row (a table copied from a page or a spreadsheet), where each tab stands
    between two cells, so blank cells keep their place. A tab right after the label separates it from the
    first cell; values that start on a line of their own have tabs only between cells. None when the
    values do not sit on one line."""
    body = seg.lstrip(" ")
    head, newline, tail = body.rpartition("\n")
    if newline and not tail.strip():  # after the row's line: the next line's empty cells before its label
        body = head
    body = body.rstrip(" \r")
    body = body[1:] if body.startswith("\t") else body.lstrip(" \r\n")
    if "\n" in body:
        return None
    return [t.strip() for t in body.split("\t")]


def _without_empty_surplus(cells: list[str], n: int) -> list[str] | None:
    """``n`` cells from a tab-separated row with more: the surplus must be empty cells on one side only
    (merged label cells exported as empty ones on the left, or a trailing tab on the right). None when
    both sides or neither could hold it: then positions are unknown."""
    k = len(cells) - n
    left = not any(cells[:k])
    right = not any(cells[-k:])
    if left == right:
        return None
    return cells[k:] if left else cells[:-k]


def row_from_segment(label: str, seg: str, n: int, glued_ok: bool = True) -> RawRow:
    """Turn the text between two labels into a RawRow of ``n`` cells, a digit run, or an unreadable row."""
    cut = _CUT.search(seg)
    stray = ""
    if cut:
        seg, stray = seg[: cut.start()], seg[cut.start() :]
    row = RawRow(label=label, segment=seg or stray[:80])
    if "\t" in seg and "|" not in seg and "\r\r\r" not in seg:
        tabbed = _tab_cells(seg)  # taken only when it gives exactly the row's cells, all of them values
        if tabbed is not None and len(tabbed) > n:
            tabbed = _without_empty_surplus(tabbed, n)
        if tabbed is not None and len(tabbed) == n and all(parse_cell(t).status != "text" for t in tabbed):
            row.cells = tabbed
            return row
    layout, tokens = segment_tokens(seg)
    if tokens is None:
        return row
    if not tokens:
        if not stray:  # nothing at all between two labels: every cell of the row was left blank
            row.cells = [""] * n
        return row
    while len(tokens) > n and tokens[-1] == "" and layout == "pipe":
        tokens = tokens[:-1]  # a trailing empty pipe cell (markdown converters add one)
    ok = [parse_cell(t).status != "text" for t in tokens]
    if len(tokens) == n and all(ok):
        row.cells = tokens
        return row
    if layout == "pipe" and "\n" in seg.strip():
        # a markdown row is one line: when the label's own line holds exactly n values, those are the row's;
        # lines after it (values whose label was displaced, as in PDF-extracted tables) are not guessed at
        own, rest = seg.lstrip(" \t").split("\n", 1)
        _, own_tokens = segment_tokens(own)
        while own_tokens and len(own_tokens) > n and own_tokens[-1] == "":
            own_tokens = own_tokens[:-1]
        if own_tokens and len(own_tokens) == n and all(parse_cell(t).status != "text" for t in own_tokens):
            row.cells = own_tokens
            row.leftover = " ".join(rest.split())
            return row
    glued = bool(seg) and not seg[0].isspace() and seg[0] not in "|\r"
    if glued_ok and glued and len(tokens) == n + 1 and all(ok) and layout == "lines":
        row.cells = tokens[1:]
        row.glued = True
        return row
    if layout in ("runs", "lines") and all(t.isdigit() for t in (x.replace(",", "") for x in tokens)):
        run, bounds = "", set()
        for t in tokens:
            if run:
                bounds.add(len(run))
            run += t
        row.run, row.run_boundaries = run, frozenset(bounds)
    return row


_CLOSERS = ")）”\"'」』]】"
_OPENERS = "(（“\"'「『[【"


def _segment_bounds(nt: NormText, label_end: int, next_start: int) -> tuple[int, int]:
    """Original offsets of the values between a label (normalised end) and the next label's start,
    with the labels' own brackets and quotes (dropped by normalisation) kept out of the values."""
    a = nt.orig_end(label_end)
    b = nt.orig(next_start)
    while a < b and nt.text[a] in _CLOSERS:
        a += 1
    while b > a and nt.text[b - 1] in _OPENERS:
        b -= 1
    return a, b


def _region(nt: NormText, start_words: tuple[str, ...], from_pos: int = 0) -> int:
    found = [p for p in (nt.find(T.norm_label(w), from_pos) for w in start_words) if p >= 0]
    return min(found) if found else -1


# on the normalised text (no punctuation or spaces): table 四's caption, section 五's heading, section 三's
_T4_START = re.compile(r"四(?:因)?(?:政府信息公开)?[^\d]{0,10}?复议[^\d]{0,12}?诉讼")
_T4_END = re.compile(r"五[^\d]{0,16}?(?:问题|不足|改进)")
_T2_END = re.compile(r"三(?:行政机关)?收到和处理")


def find_t3_t4_bounds(nt: NormText) -> tuple[int, int, int, int]:
    """Normalised offsets: t3 start, t3 end (= t4 start), t4 end. -1 where not found."""
    t3s = _region(nt, ("本列数据的勾稽关系", "申请人情况"))
    if t3s < 0:
        t3s = _region(nt, ("本年新收政府信息公开申请数量",))
    if t3s < 0:
        return -1, -1, -1, -1
    m = _T4_START.search(nt.norm, t3s)
    t4s = m.start() if m else -1
    t3e = t4s if t4s >= 0 else len(nt.norm)
    t4e = -1
    if t4s >= 0:
        m5 = _T4_END.search(nt.norm, t4s + 4)
        t4e = m5.start() if m5 else len(nt.norm)
    return t3s, t3e, t4s, t4e


def read_t3(nt: NormText, start: int, end: int) -> RawTable | None:
    region = nt.norm[start:end]
    version = "2021" if any(T.norm_label(m) in region for m in T.T3_2021_MARKERS) else "2019"
    defs = T.t3_rows(version)
    anchors: list[Anchor] = []
    pos = start
    for d in defs:
        # the label must come before the next data label's first digits; search up to the region end
        hit = _find_label(nt, d.label, pos, end)
        if hit is None and "总计" in d.label:  # spec §8.11: 合计 or 小计 printed for 总计
            hit = next(
                (h for w in _TOTALS[1:] if (h := _find_label(nt, d.label.replace("总计", w), pos, end))), None
            )
        if hit is None:
            continue
        anchors.append(Anchor(d.key, hit[0], hit[1], d.group))
        pos = hit[1]
    data = [a for a in anchors if not a.group]
    if len(data) < 3:
        return None
    table = RawTable("t3", header_text=region[:200] + (" 2021" if version == "2021" else ""))
    text = nt.text
    for i, a in enumerate(anchors):
        if a.group:
            continue
        seg_start, seg_end = _segment_bounds(nt, a.end, anchors[i + 1].start if i + 1 < len(anchors) else end)
        label = text[nt.orig(a.start) : seg_start]
        row = row_from_segment(label, text[seg_start:seg_end], 7)
        row.key = a.key
        table.rows.append(row)
    table.layout = _dominant_layout(text[nt.orig(start) : nt.orig(end)])
    return table


def read_t4(nt: NormText, start: int, end: int) -> RawTable | None:
    region = nt.norm[start:end]
    last = -1
    for w in (*_TOTALS, "尚未审结", "复议后起诉"):
        p = region.rfind(w)
        if p >= 0:
            last = max(last, p + len(w))
            break
    if last < 0:
        return None
    seg = nt.text[nt.orig_end(start + last) : nt.orig(end)]
    row = row_from_segment("", seg, 15, glued_ok=False)
    if row.cells is not None and all(c == "" for c in row.cells) and not seg.strip("\r\n \t"):
        return None  # header with nothing after it: the table is prose or an image
    t = RawTable("t4", [row], header_text=region[:last], layout=_dominant_layout(seg))
    return t


def read_t2(nt: NormText, start: int, end: int) -> RawTable | None:
    """Table 二 from text: blocks captioned 第二十条第（N）项, headers, then item rows."""
    region = nt.norm[start:end]
    version = "2021" if any(T.norm_label(m) in region for m in T.T2_2021_MARKERS) else "2019"
    if not any(T.norm_label(m) in region for m in T.T2_2021_MARKERS + T.T2_2019_MARKERS):
        version = "2021"
    table = RawTable("t2", header_text=region)
    # anchors: captions and item labels in order
    anchors: list[tuple[int, int, str, str | None, str]] = []  # (start, end, kind, block_no, label)
    pos = start
    for block in T.T2_BLOCKS[version]:
        cap = f"第二十条第{block.caption_no}项"
        cp = nt.find(cap, pos, end)
        if cp < 0:
            continue
        anchors.append((cp, cp + len(cap), "caption", block.caption_no, cap))
        # metric headers: skip past them
        hpos = cp + len(cap)
        for _mk, labels in block.metrics:
            for lab in labels:
                q = nt.find(T.norm_label(lab), hpos, min(end, hpos + 80))
                if q >= 0:
                    hpos = q + len(T.norm_label(lab))
                    break
        for _ik, labels in block.items:
            for lab in sorted(labels, key=len, reverse=True):
                q = nt.find(T.norm_label(lab), hpos, end)
                if q >= 0 and not (lab == "规范性文件" and nt.norm[q - 2 : q] == "行政"):
                    anchors.append((q, q + len(T.norm_label(lab)), "item", block.caption_no, lab))
                    hpos = q + len(T.norm_label(lab))
                    break
        pos = hpos
    anchors.sort()
    for i, (s, e, kind, bno, lab) in enumerate(anchors):
        if kind != "item":
            continue
        block = next(b for b in T.T2_BLOCKS[version] if b.caption_no == bno)
        a, b = _segment_bounds(nt, e, anchors[i + 1][0] if i + 1 < len(anchors) else end)
        seg = nt.text[a:b]
        row = row_from_segment(nt.text[nt.orig(s) : nt.orig_end(e)], seg, len(block.metrics))
        row.block = bno
        row.key = next(k for k, labs in block.items if lab in labs)
        table.rows.append(row)
    if not table.rows:
        return None
    table.layout = _dominant_layout(nt.text[nt.orig(start) : nt.orig(end)])
    return table


def _dominant_layout(text: str) -> str:
    if text.count("|") > 10:
        return "pipe"
    if "\r\r\r" in text:
        return "cr"
    if text.count("\n") > 20:
        return "lines"
    return "runs"


# where the tables can start; one pattern per phrase (each has a literal first character, which the regex
# engine scans for quickly; an alternation of them is searched position by position)
_TABLE_STARTS = tuple(
    re.compile(p) for p in (r"第\s*二\s*十\s*条", r"勾稽关系", r"申\s*请\s*人\s*情\s*况", r"本年新收")
)


_S5_HEADING = dict(HEADINGS)["s5_problems"]


def read_tables(text: str) -> list[RawTable]:
    """All template tables found in flattened text."""
    found = [m for m in (p.search(text) for p in _TABLE_STARTS) if m]
    if not found:
        return []
    m = min(found, key=lambda m: m.start())
    # the tables sit between 二、 and 五、: normalise only that stretch (the narrative around them is most
    # of a report and never holds table cells); section 五's heading stays in, as table 四's end
    start = max(0, m.start() - 200)
    s5 = _S5_HEADING.search(text, m.end())
    nt = NormText.of(text[start : s5.end() if s5 else len(text)])
    tables: list[RawTable] = []
    t3s, t3e, t4s, t4e = find_t3_t4_bounds(nt)
    t2s = nt.find("第二十条第一项")
    if t2s < 0:
        t2s = nt.find("第二十条第")
    if t2s >= 0:
        t2e = t3s if t3s > t2s else len(nt.norm)
        t2_end = _T2_END.search(nt.norm, t2s)
        if t2_end and t2_end.start() < t2e:
            t2e = t2_end.start()
        t2 = read_t2(nt, t2s, t2e)
        if t2:
            tables.append(t2)
    if t3s >= 0:
        t3 = read_t3(nt, t3s, t3e)
        if t3:
            tables.append(t3)
    if t4s >= 0:
        t4 = read_t4(nt, t4s, t4e)
        if t4:
            tables.append(t4)
    return tables
