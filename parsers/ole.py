"""Legacy Word/WPS/Excel files (OLE2): converted to DOCX by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .record import NotAReport, ParseError, Report, Source

TIMEOUT_S = 120


def parse_ole(data: bytes, source: Source) -> Report | NotAReport:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ParseError("a .doc/.wps/.xls (OLE2) file needs LibreOffice: install it so `soffice` is on PATH")
    with tempfile.TemporaryDirectory(prefix="nianbao-ole-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        try:
            subprocess.run(
                [soffice, "--headless", "--convert-to", "docx", "--outdir", tmp, str(src)],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_S,
            )
        except (subprocess.SubprocessError, OSError) as e:
            raise ParseError(f"LibreOffice could not convert the file ({type(e).__name__})") from e
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise ParseError("LibreOffice produced no DOCX (the file may be damaged)")
        from .docx import parse_docx

        source.text_path = "libreoffice+python-docx"
        return parse_docx(out.read_bytes(), source)
