"""Bad input never shows a traceback: one line on stderr, exit 1, good files in the same call still parse."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES

NIANBAO = [sys.executable, "-m", "nianbao"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NIANBAO, *args], capture_output=True, text=True, timeout=timeout)


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b"a" * 200_000_000)
    return buf.getvalue()


HOSTILE = {
    "empty.html": lambda: b"",
    "random.pdf": lambda: os.urandom(50_000),
    "random.html": lambda: os.urandom(50_000),
    "truncated.pdf": lambda: (FIXTURES / "pdf" / "huaian-hongzequ-2023.pdf").read_bytes()[:100_000],
    "notzip.docx": lambda: b"this is not a zip archive",
    "bomb.docx": _bomb,
    "nested.html": lambda: (
        b"<html><body>" + b"<div>" * 200_000 + b"x" + b"</div>" * 200_000 + b"</body></html>"
    ),
    "oneline.html": lambda: ("<html><body><p>" + "政府信息公开" * 1_100_000 + "</p></body></html>").encode(),
    # whitespace padding after a date label and inside a period: regexes must not backtrack quadratically
    "padded.html": lambda: (
        "<html><body><p>发布日期" + " " * 300_000 + "。2019年1月1日" + " " * 300_000 + "。</p></body></html>"
    ).encode(),
    "blanklines.txt": lambda: ("2015年度政府信息公开工作报告\n" + "\n" * 200_000 + "一、概述\n").encode(),
    "spaces.md": lambda: ("| 申请人 |\n" + " " * 200_000 + "|:x\n").encode(),
    "notice.html": lambda: (
        "<html><head><title>关于召开会议的通知</title></head><body><p>各单位：定于明日开会。</p></body></html>".encode()
    ),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    for name, make in HOSTILE.items():
        (d / name).write_bytes(make())
    return d


def test_each_hostile_file_gets_one_line_and_good_files_still_parse(hostile_dir: Path) -> None:
    good = FIXTURES / "reports" / "seed-xiejiaji-2020.txt"
    files = [str(hostile_dir / n) for n in HOSTILE]
    t0 = time.monotonic()
    p = run("parse", "--json", *files, str(good), timeout=120)
    elapsed = time.monotonic() - t0
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    for name in HOSTILE:
        mine = [ln for ln in lines if ln.startswith(str(hostile_dir / name) + ":")]
        assert len(mine) == 1, (name, lines)
        assert ": error: " in mine[0] or ": not a report: " in mine[0]
    assert p.stdout.count("\n") == 1 and "谢家集区人民政府" in p.stdout
    assert elapsed < 90


def test_missing_file_is_named(tmp_path: Path) -> None:
    p = run("parse", str(tmp_path / "nope.html"))
    assert p.returncode == 1 and "nope.html: error: cannot read" in p.stderr


def test_deep_nesting_and_big_page_are_bounded(hostile_dir: Path) -> None:
    for name in ("nested.html", "oneline.html", "padded.html", "blanklines.txt", "spaces.md"):
        t0 = time.monotonic()
        p = run("parse", str(hostile_dir / name))
        assert time.monotonic() - t0 < 30, name
        assert "not a report" in p.stderr
