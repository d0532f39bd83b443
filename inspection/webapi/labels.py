"""Seams to modules other issues build (cycle, documents, ingest): looked up lazily, by name.

`optional(module, name)` returns the function if the module defines it, else None, so a page can
say "尚未提供" instead of failing while the other piece is still being built. Only import errors of
the module itself are swallowed: an error inside an existing module still surfaces.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from inspection.errors import InspectionError

class NotYetAvailable(InspectionError):
    """A function another issue provides has not landed yet."""


def optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(mod, name, None)


def required(module: str, name: str, what_zh: str, what_en: str) -> Callable[..., Any]:
    fn = optional(module, name)
    if fn is None:
        raise NotYetAvailable(f"{what_zh}功能尚未提供，请稍后再试。", f"{what_en} is not available yet.",
                              module=module, name=name)
    return fn


def stage_label(stage: str, language: str = "zh") -> str:
    """The stage's name for people, from the cycle's data (cycle.toml)."""
    from inspection.cycle import load_cycle
    try:
        definition = load_cycle().stage(stage)
    except InspectionError:
        return stage
    return definition.en if language == "en" else definition.zh
