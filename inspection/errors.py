"""Errors Junheng raises, one tree so each edge (CLI, flows, UI) turns them into messages in one place.

    InspectionError                 base; carries a Chinese and an English message
    ├── StandardError               a standard or schedule file is malformed (names file and record)
    ├── ReadError                   a submitted file cannot be read (names file, row, column)
    │   └── TableError              a school table is incomplete or inconsistent
    ├── RuleError                   the rule engine was given data it cannot judge
    ├── StageError                  an illegal stage transition (says why)
    ├── RenderError                 a document could not be written
    ├── AccessDenied                the user's role or county does not allow this
    └── BusyError                   someone else is working on this county now: try again later

Each exception keeps the data the message needs (`file`, `row`, `column`, …) so a caller can
show it however it likes; `str(exc)` gives the bilingual message.
"""

from __future__ import annotations


class InspectionError(Exception):
    """Base of every error Junheng raises on purpose. `zh` and `en` are the user-facing messages."""

    exit_code = 1

    def __init__(self, zh: str, en: str, **details: object) -> None:
        super().__init__(f"{zh}\n{en}")
        self.zh = zh
        self.en = en
        self.details = details

    def message(self, language: str = "zh") -> str:
        return self.en if language == "en" else self.zh

    def __reduce__(self):
        # Rebuilt whole when it crosses a process boundary (a render worker's error reaching the CLI).
        return type(self), (self.zh, self.en), self.__dict__


class StandardError(InspectionError):
    """A standard, schedule or rule file failed validation; `details` names the file and record."""


class ReadError(InspectionError):
    """A submitted file cannot be read; `details` may name `file`, `row`, `column`."""

    exit_code = 2


class TableError(ReadError):
    """A school table is missing a column, has a bad cell, or contradicts itself."""


class RuleError(InspectionError):
    """The rule engine was given data it cannot judge (e.g. an unknown indicator id)."""


class StageError(InspectionError):
    """A stage transition that the cycle does not allow, or whose requirements are not met."""


class RenderError(InspectionError):
    """A report or letter could not be written."""


class AccessDenied(InspectionError):
    """The signed-in user's role or county does not allow the action."""

    exit_code = 3


class BusyError(InspectionError):
    """Another round of the same county is being submitted right now; nothing was stored. Exit code
    75 (EX_TEMPFAIL): a script may simply try again later."""

    exit_code = 75
