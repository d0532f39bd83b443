"""What every command module shares: the app, option defaults, and the one place errors become output."""

from __future__ import annotations

import os
from datetime import date
from typing import Optional

import typer

from inspection.errors import InspectionError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="均衡督导 Junheng — 县域义务教育优质均衡发展督导评估")
audit_app = typer.Typer(help="审计日志 audit trail", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

STANDARD_OPT = typer.Option("kashgar-2022", "--standard", help="标准版本 id 或 TOML 路径")


def fail(exc: InspectionError) -> None:
    """Print the bilingual message and exit with the error's code: never a traceback."""
    typer.echo(f"错误：{exc.zh}\nError: {exc.en}", err=True)
    raise typer.Exit(exc.exit_code)


def as_of_date(value: Optional[str]) -> date:
    return date.fromisoformat(value or os.environ.get("INSPECTION_AS_OF") or date.today().isoformat())


def context(standard: str, as_of: Optional[str], actor: str = "cli"):
    from inspection.services import Context
    from inspection.standard import load_schedule, load_standard
    return Context(actor=actor, standard=load_standard(standard), schedule=load_schedule(),
                   as_of=as_of_date(as_of))
