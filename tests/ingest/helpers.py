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


def split_column(spec, match: str, headers: tuple[str, str], share: float = 0.4):
    """`spec` with the column headed like `match` given as two part columns (音乐教师, 美术教师):
    the first takes `share` of each figure (to two decimals), the second the rest."""
    head = spec.header[-1]
    j = next(k for k, c in enumerate(head) if c and match in c[0])
    head[j] = (headers[0], 1, 1)
    head.insert(j + 1, (headers[1], 1, 1))
    for row in spec.body:
        total = float(row[j][0])
        part = round(total * share, 2)
        row[j] = (f"{part:.2f}", 1, 1)
        row.insert(j + 1, (f"{total - part:.2f}", 1, 1))
    spec.width += 1
    return spec


def fill_school_table(table, rows) -> None:
    """Fill a python-docx table headed by the canonical columns (the outline's 附表) with `rows`."""
    from tests.ingest.factories import FIELDS, Layout, cell_values
    while len(table.rows) < len(rows) + 1:
        table.add_row()
    for i, row in enumerate(rows, start=1):
        values = cell_values(row, Layout())
        for j, f in enumerate(FIELDS):
            table.cell(i, j).text = values[f]
