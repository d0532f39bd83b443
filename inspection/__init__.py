"""Junheng (均衡督导): the domain of county compulsory-education supervision.

Public names are re-exported here; modules below are the implementation.
"""

from inspection.errors import (AccessDenied, InspectionError, ReadError, RenderError, RuleError, StageError,
                               StandardError, TableError)
from inspection.rules import evaluate_resources
from inspection.standard import load_schedule, load_standard
from inspection.table import SchoolTable, build_table

__all__ = ["AccessDenied", "InspectionError", "ReadError", "RenderError", "RuleError", "SchoolTable",
           "StageError", "StandardError", "TableError", "build_table", "evaluate_resources",
           "load_schedule", "load_standard"]
__version__ = "0.1.0"
