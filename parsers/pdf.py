"""PDF reports: text from pypdfium2, tables from page geometry (pdfplumber words and ruling lines).

In real PDFs a row's numbers often sit on a different text line from its label (labels wrap, group labels
run vertically one character per line), so line order means little. We cut the table into row bands at its
horizontal rules and into columns at its vertical rules, drop each word into the cell under its centre, and
hand the resulting grid to the same reader as HTML tables. Pages are stacked so a table continues across a
page break without its header.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from .assemble import build_report, tables_from, title_line
from .record import NotAReport, ParseError, Report, Source

GARBLE = re.compile(r"\(cid:\d+\)|\ufffd")
KANGXI = re.compile(r"[\u2f00-\u2fdf\u2e80-\u2eff]")
PAGE_NUMBER = re.compile(
    r"^[\s\-—–－―_·•]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*\d+)?(?:共\s*\d+\s*页)?[\s\-—–－―_·•]*$"
)
TABLE_WORDS = (
    "第二十条",
    "信息内容",
    "申请人情况",
    "本年新收",
    "行政复议",
    "结转下年度",
    "（七）总计",
    "(七)总计",
)
MAX_PAGES = 200


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


def page_texts(data: bytes) -> list[str]:
    """Plain text per page via pdfium (fast, good reading order for prose)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as e:  # pdfium raises its own error types for corrupt files
        raise ParseError(f"not a readable PDF ({e})") from e
    try:
        if len(doc) > MAX_PAGES:
            raise ParseError(f"PDF has {len(doc)} pages; more than {MAX_PAGES} is not a report")
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def plumber_texts(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages[:MAX_PAGES]]


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text) if KANGXI.search(text) else text


def garbled_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(len(m.group(0)) for m in GARBLE.finditer(text))
    return bad / len(text)


def parse_pdf(data: bytes, source: Source) -> Report | NotAReport:
    if not data.lstrip().startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ParseError("not a PDF (no %PDF header)")
    texts = [_clean(t) for t in page_texts(data)]
    full = "\n".join(texts)
    if len(re.sub(r"\s", "", full)) < 20:
        report = Report(source=source)
        source.text_path = "none"
        report.warnings.append(
            "no text layer: the PDF is scanned images; OCR is not supported, no cells read"
        )
        return report
    source.text_path = "pdfium"
    warnings: list[str] = []
    if garbled_share(full) > 0.05:  # pdfium could not map the glyphs: try pdfminer's CMaps instead
        alt = [_clean(t) for t in plumber_texts(data)]
        if garbled_share("\n".join(alt)) < garbled_share(full) / 2:
            texts, full = alt, "\n".join(alt)
            source.text_path = "pdfplumber"
            warnings.append("pdfium text was garbled (fonts without ToUnicode maps); used pdfplumber's text")
    table_pages = [i for i, t in enumerate(texts) if any(w in t.replace(" ", "") for w in TABLE_WORDS)]
    grids: list[list[list[str]]] = []
    if garbled_share(full) > 0.05:
        warnings.append(
            "PDF text is garbled in every extractor (fonts without ToUnicode maps); tables not read"
        )
    elif table_pages:
        try:
            grids = table_grids(data, table_pages)
            source.text_path = (
                f"{source.text_path}+pdfplumber" if source.text_path == "pdfium" else source.text_path
            )
        except Exception as e:  # a geometry failure must not lose the prose
            warnings.append(f"PDF table geometry failed ({type(e).__name__}); tables read from text")
    tables = tables_from(grids, full)
    title = _pdf_title(texts[0] if texts else "")
    result = build_report(full, tables, source, title, None, None)
    if isinstance(result, Report):
        result.warnings = warnings + result.warnings
    return result


def _pdf_title(first_page: str) -> str | None:
    lines = [ln.strip() for ln in first_page.split("\n") if ln.strip()][:8]
    joined = "".join(lines[:3])
    return title_line("\n".join(lines)) or (title_line(joined) if joined else None)


# ------------------------------------------------------------------------------------------ geometry


def table_grids(data: bytes, pages: list[int]) -> list[list[list[str]]]:
    """One grid per run of consecutive table pages, rows from every page stacked in order."""
    import pdfplumber

    grids: list[list[list[str]]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        offset = 0.0
        words: list[Word] = []
        hrules: list[tuple[float, float, float]] = []  # (y, x0, x1)
        vrules: list[tuple[float, float, float]] = []  # (x, top, bottom)
        for i in pages:
            page = pdf.pages[i]
            h = float(page.height)
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5):
                words.append(
                    Word(_clean(w["text"]), w["x0"], w["x1"], w["top"] + offset, w["bottom"] + offset)
                )
            for e in page.edges:
                if e["orientation"] == "h" and e["x1"] - e["x0"] > 8:
                    hrules.append((e["top"] + offset, e["x0"], e["x1"]))
                elif e["orientation"] == "v" and e["bottom"] - e["top"] > 4:
                    vrules.append((e["x0"], e["top"] + offset, e["bottom"] + offset))
            words = _drop_furniture(words, offset, h)
            offset += h
        grids.append(_grid(words, hrules, vrules))
    return grids


def _drop_furniture(words: list[Word], offset: float, height: float) -> list[Word]:
    """Page numbers like "— 1 —" or "- 2 -" in the top or bottom margin are not data."""
    lines: dict[int, list[Word]] = {}
    for w in words:
        if w.top >= offset:
            lines.setdefault(round(w.top), []).append(w)
    drop: set[int] = set()
    for _, ws in lines.items():
        y = ws[0].top - offset
        if y < height * 0.08 or y > height * 0.88:
            if PAGE_NUMBER.match(" ".join(x.text for x in sorted(ws, key=lambda x: x.x0))):
                drop.update(id(x) for x in ws)
    return [w for w in words if id(w) not in drop]


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _grid(words: list[Word], hrules, vrules) -> list[list[str]]:
    """Rows between horizontal rules; cells between the vertical rules crossing each band, placed in a
    page-wide column set so header cells and value cells of one column share an index."""
    if not words:
        return []
    ys = _cluster([y for y, _, _ in hrules], 2.0)
    if len(ys) < 3:
        ys = _bands_from_text(words)
    columns = _cluster([x for x, _, _ in vrules], 2.0)
    if len(columns) < 2:
        columns = [min(w.x0 for w in words) - 1, max(w.x1 for w in words) + 1]
    rows: list[list[str]] = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        band = [w for w in words if top <= w.yc < bottom]
        if not band:
            continue
        mid = (top + bottom) / 2
        xs = _cluster([x for x, t, b in vrules if t <= mid <= b], 2.0)
        rows.append(_band_cells(band, xs if len(xs) >= 2 else columns, columns))
    return rows


def _column_of(x: float, columns: list[float]) -> int:
    for j, (a, b) in enumerate(zip(columns, columns[1:], strict=False)):
        if a <= x < b:
            return j
    return 0 if x < columns[0] else len(columns) - 2


def _band_cells(band: list[Word], xs: list[float], columns: list[float]) -> list[str]:
    """Words into the band's own cells, then each cell into the page-wide column under its centre."""
    row = [""] * (len(columns) - 1)
    cells: dict[int, list[Word]] = {}
    for w in band:
        cells.setdefault(_column_of(w.xc, xs), []).append(w)
    for j, ws in cells.items():
        a, b = (xs[j], xs[j + 1]) if j + 1 < len(xs) else (xs[0], xs[-1])
        text = "".join(w.text for w in sorted(ws, key=lambda w: (round(w.top / 3), w.x0)))
        k = _column_of((a + b) / 2, columns)
        row[k] = (row[k] + text) if row[k] else text
    return row


def _bands_from_text(words: list[Word]) -> list[float]:
    """No ruling lines: one band per line of numbers, boundaries halfway between them."""
    nums = sorted(w.yc for w in words if re.fullmatch(r"[\d.,/\-]+", w.text))
    centres = _cluster(nums, 3.0)
    if not centres:
        return []
    bounds = [centres[0] - 12]
    bounds += [(a + b) / 2 for a, b in zip(centres, centres[1:], strict=False)]
    bounds.append(centres[-1] + 12)
    return bounds
