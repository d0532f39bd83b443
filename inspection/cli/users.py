"""Commands for users (filled in by its issue)."""

from inspection.cli.common import app  # noqa: F401
