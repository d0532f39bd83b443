"""The `inspection` command. Each module registers its commands on the one `app`."""

import gc

from inspection.cli.common import app
from inspection.cli import core, cycle, ingest, reports, users, backup  # noqa: F401  (register commands)

__all__ = ["app", "main"]


def main() -> None:
    """The console entry point: runs `app`, then freezes the heap so that the interpreter's exit
    does not trace every object a command built (a rendered PDF leaves ~0.2 s of collection)."""
    try:
        app()
    finally:
        gc.freeze()
