"""What every command module shares: the app, option defaults, and the one place errors become output."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path
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


def write_file(path: Path, text: str) -> None:
    """Write a text output the user named (UTF-8), or say why it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        fail(InspectionError(f"无法写入{path}：{_WRITE_ERRORS.get(exc.errno, reason)}", f"cannot write {path}: {reason}"))


_WRITE_ERRORS = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘空间不足",
                 errno.EEXIST: "上级路径不是文件夹", errno.ENOTDIR: "上级路径不是文件夹", errno.EISDIR: "这是一个文件夹",
                 errno.EROFS: "只读文件系统"}


def as_of_date(value: Optional[str]) -> date:
    return date.fromisoformat(value or os.environ.get("INSPECTION_AS_OF") or date.today().isoformat())


def context(standard: str, as_of: Optional[str], actor: str = "cli"):
    from inspection.services import Context
    from inspection.standard import load_schedule, load_standard
    return Context(actor=actor, standard=load_standard(standard), schedule=load_schedule(),
                   as_of=as_of_date(as_of))
