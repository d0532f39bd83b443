"""The `inspection` command. Each module registers its commands on the one `app`."""

import gc
import sys
from typing import TYPE_CHECKING

import typer

from inspection.cli.common import app
from inspection.cli import core, cycle, ingest, reports, users, backup  # noqa: F401  (register commands)

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

__all__ = ["app", "main"]

# A command is one short run that builds large tables and documents with few reference cycles. With
# the young generation collected every 700 allocations (Python's default), a 50,000-row table's
# objects reach the old generation early and the collector's full passes go over all of them seven
# times, finding nothing: 0.3 s of a 2.1 s `evaluate --json`. At 10,000 the young generation is still
# searched for cycles, and a full pass needs 14 times as many allocations before it comes.
YOUNG_GENERATION = 10_000


def main() -> None:
    """The console entry point: runs `app` with a larger young generation (`YOUNG_GENERATION`), then
    freezes the heap so that the interpreter's exit does not trace every object a command built (a
    rendered PDF leaves ~0.2 s of collection).

    What no command turned into its own message still reaches the user as one, never as a trace
    (which could also print a connection string): a database that cannot be reached or opened is
    named (password masked); anything else is an internal error whose trace goes to a file."""
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, *threshold[1:])
    try:
        app()
    except Exception as exc:   # noqa: BLE001 — the last edge: a message and a crash file, not a trace
        if _is_database_error(exc):
            _database_error(exc)
        else:
            _internal_error()
    finally:
        gc.set_threshold(*threshold)
        gc.freeze()


def _is_database_error(exc: Exception) -> bool:
    """A DBAPIError, asked without importing SQLAlchemy (0.15 s of every start, and `evaluate` has no
    database): a command that never imported it cannot have raised one."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.DBAPIError)


def _database_error(exc: "DBAPIError") -> None:
    from sqlalchemy.engine import make_url
    from inspection.db import database_url, shown_url
    reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
    password = make_url(database_url()).password
    if password:
        reason = reason.replace(str(password), "***")
    typer.echo(f"错误：无法使用数据库 {shown_url()}：{reason}。请确认数据库服务已启动、INSPECTION_DATABASE_URL 正确。\n"
               f"Error: cannot use the database {shown_url()}: {reason}", err=True)
    raise SystemExit(1)


def _internal_error() -> None:
    import traceback
    from datetime import datetime, timezone
    from inspection.db import data_dir
    path = data_dir() / "crashes" / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
        where = str(path)
    except OSError:
        where = "（无法写入）"
    typer.echo(f"错误：内部错误，操作未完成；详情已写入 {where}，请联系系统管理员。\n"
               f"Error: internal error; the operation did not complete. Details: {where}", err=True)
    raise SystemExit(70)   # EX_SOFTWARE
