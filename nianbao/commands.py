"""Store and crawler commands, registered on the CLI app (kept apart so `parse` stays light)."""

from __future__ import annotations

import typer

from nianbao.cli import app


@app.command("version")
def version_cmd() -> None:
    """Print the nianbao and parser versions."""
    from nianbao import __version__
    from nianbao.parsers import PARSER_VERSION

    typer.echo(f"nianbao {__version__} (parser {PARSER_VERSION})")
