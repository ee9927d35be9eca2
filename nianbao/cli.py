"""The `nianbao` command: a thin shell over library functions (every command is callable from Python)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console

from nianbao.parsers import NotAReport, Report, Source, parse_safely

app = typer.Typer(
    help="Harvest, archive and parse government information-disclosure annual reports (政府信息公开工作年度报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEFAULT_DB = "sqlite:///nianbao.db"
DB_HELP = "Database URL (env NIANBAO_DB; default sqlite:///nianbao.db)."
ARCHIVE_HELP = "WARC archive folder (env NIANBAO_ARCHIVE; default ./archive)."
PARSE_SUFFIXES = (".html", ".htm", ".shtml", ".txt", ".md", ".pdf", ".docx", ".doc", ".wps")


def db_url(value: str | None) -> str:
    return value or os.environ.get("NIANBAO_DB") or DEFAULT_DB


def archive_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("NIANBAO_ARCHIVE") or "archive")


def parse_path(path: Path) -> tuple[Report | NotAReport | None, str | None]:
    """Parse one local file: (record, None) or (None, a one-line reason)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, f"cannot read: {e.strerror or e}"
    return parse_safely(data, Source(path=str(path)))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders walked for report-like files, sorted for stable output."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PARSE_SUFFIXES)
        else:
            out.append(p)
    return out


def summary_line(r: Report) -> str:
    failed = [f"{c.id}:{c.scope}" for c in r.checks if not c.passed]
    cells = len(r.t2) + len(r.t3) + len(r.t4)
    unreadable = sum(1 for c in [*r.t2, *r.t3, *r.t4] if c.status == "unparseable")
    return (
        f"{r.organ or '?'} | {r.year or '?'} | template {r.template_version or '?'} | "
        f"cells {cells} (t2 {len(r.t2)}, t3 {len(r.t3)}, t4 {len(r.t4)}; unreadable {unreadable}) | "
        f"checks {len(r.checks)}, failed {len(failed)}{': ' + ', '.join(failed[:8]) if failed else ''}"
    )


@app.command("parse")
def parse_cmd(
    paths: list[Path] = typer.Argument(..., help="Report files (.html .htm .txt .md .pdf .docx) or folders."),
    as_json: bool = typer.Option(False, "--json", help="One JSON record per report on stdout."),
) -> None:
    """Parse local files and print their records. Stores nothing."""
    failed = 0
    for path in expand_paths(paths):
        result, error = parse_path(path)
        if result is None:
            err.print(f"{path}: error: {error}", markup=False)
            failed += 1
            continue
        if isinstance(result, NotAReport):
            err.print(f"{path}: not a report: {result.reason}", markup=False)
            continue
        if as_json:
            sys.stdout.write(result.to_json() + "\n")
        else:
            sys.stdout.write(f"{path}: {result.title or '(untitled)'}\n  {summary_line(result)}\n")
    raise typer.Exit(1 if failed else 0)


def main() -> None:  # pragma: no cover
    app()


from nianbao import commands as _commands  # noqa: E402,F401  (registers the store/crawler commands)
