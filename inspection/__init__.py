"""Junheng (均衡督导): the domain of county compulsory-education supervision.

Public names are re-exported here, loaded on first use (PEP 562) so that a command which needs
none of them, or the command line before it knows what it will do, does not pay for NumPy and
the rule models. Modules below are the implementation.
"""

from importlib import import_module

_EXPORTS = {
    "AccessDenied": "inspection.errors", "InspectionError": "inspection.errors", "ReadError": "inspection.errors",
    "RenderError": "inspection.errors", "RuleError": "inspection.errors", "StageError": "inspection.errors",
    "StandardError": "inspection.errors", "TableError": "inspection.errors",
    "evaluate_resources": "inspection.rules", "load_schedule": "inspection.standard",
    "load_standard": "inspection.standard", "SchoolTable": "inspection.table", "build_table": "inspection.table",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'inspection' has no attribute {name!r}")
