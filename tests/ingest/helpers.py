"""Small shared test helpers."""

from __future__ import annotations

from inspection.evaluation import evaluation_json
from inspection.ingest import read_school_table
from inspection.rules import evaluate_resources


def evaluate_file(path, standard) -> dict:
    return evaluation_json(evaluate_resources(read_school_table(path, standard), standard))


def assert_same_evaluation(got: dict, want: dict) -> None:
    """Names, stages, met lists and verdicts exactly; indicator values and CVs to 1e-9."""
    import pytest
    assert [(s["name"], s["stage"], s["students"], s["met"], s["passed"]) for s in got["schools"]] == \
        [(s["name"], s["stage"], s["students"], s["met"], s["passed"]) for s in want["schools"]]
    for a, b in zip(got["schools"], want["schools"]):
        assert a["indicators"] == pytest.approx(b["indicators"], rel=1e-9, abs=1e-9)
    for stage in want["cv"]:
        assert got["cv"][stage] == pytest.approx(want["cv"][stage], rel=1e-9, abs=1e-9)
    assert got["resource_passed"] == want["resource_passed"]
