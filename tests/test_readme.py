"""The README's promises, tried as a new user would: the demo runs offline and its SQL works as written."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_then_the_readme_query(tmp_path: Path) -> None:
    p = subprocess.run(
        [sys.executable, "-m", "nianbao", "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=180
    )
    assert p.returncode == 0, p.stderr
    assert "4 reports stored" in p.stderr and "平潭综合实验区" in p.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r'sqlite3 nianbao\.db "([^"]+)"', readme)
    assert m, "the README shows a sqlite3 query on the default database"
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        rows = db.execute(m.group(1)).fetchall()
    assert ("平潭综合实验区", 2022, 74, 75, 0) in rows
    assert ("洪泽区人民政府", 2023, 21, 21, 2) in rows  # the source's own table 四 errors, as failed checks
    assert list((tmp_path / "archive").glob("*.warc.gz"))
