"""DOCX reports: python-docx tables (merged cells come back repeated, i.e. already a true grid).

Zip bombs are refused before python-docx inflates anything.
"""

from __future__ import annotations

import io
import zipfile

from .assemble import build_report, tables_from, title_line
from .record import NotAReport, ParseError, Report, Source

MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200


def check_zip(data: bytes) -> None:
    """Refuse archives that are not zips or that would inflate past our limits."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ParseError("not a DOCX (not a zip archive)") from e
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 10_000_000 and ratio > MAX_RATIO):
            raise ParseError(
                f"refused: zip member {info.filename} inflates to {info.file_size // 1_000_000} MB"
            )
    if total > MAX_TOTAL_BYTES:
        raise ParseError(f"refused: archive inflates to {total // 1_000_000} MB")
    if "word/document.xml" not in zf.namelist():
        raise ParseError("not a DOCX (no word/document.xml)")


def docx_content(data: bytes) -> tuple[str, list[list[list[str]]]]:
    """Body text in document order (tables as tab-separated rows) and each table as a grid."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several types for broken packages
        raise ParseError(f"not a readable DOCX ({type(e).__name__})") from e
    lines: list[str] = []
    grids: list[list[list[str]]] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            table = Table(block, document)
            grid = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            width = max((len(r) for r in grid), default=0)
            grid = [r + [""] * (width - len(r)) for r in grid]
            grids.append(grid)
            lines += ["\t".join(dict.fromkeys(r)) for r in grid]
    return "\n".join(lines), grids


def parse_docx(data: bytes, source: Source) -> Report | NotAReport:
    check_zip(data)
    text, grids = docx_content(data)
    source.text_path = "python-docx"
    return build_report(text, tables_from(grids, text), source, title_line(text), None, None)
