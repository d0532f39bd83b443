"""The `inspection` command. Each module registers its commands on the one `app`."""

from inspection.cli.common import app
from inspection.cli import core, cycle, ingest, reports, users  # noqa: F401  (register commands)

__all__ = ["app"]
