"""Names for people of things the services keep as ids."""

from __future__ import annotations

from inspection.errors import InspectionError


def stage_ids() -> list[str]:
    """The cycle's stages in their order (cycle.toml)."""
    from inspection.cycle import load_cycle
    return [s.id for s in load_cycle().stages]


def stage_label(stage: str, language: str = "zh") -> str:
    """The stage's name for people, from the cycle's data (cycle.toml); an unknown id as it is."""
    from inspection.cycle import load_cycle
    try:
        definition = load_cycle().stage(stage)
    except InspectionError:
        return stage
    return definition.en if language == "en" else definition.zh
