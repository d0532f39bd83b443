"""`inspection evaluate|extract` on documents."""

import json

from typer.testing import CliRunner

from inspection.cli import app
from inspection.ingest import sha256_of
from tests.ingest.factories import TableSpec, renamed, write_pdf

runner = CliRunner()


def test_evaluate_and_extract_a_pdf(rows, baseline, tmp_path):
    lay = renamed(equipment_unit="元")
    pdf = write_pdf(tmp_path / "自评.pdf", TableSpec.of(rows, lay), lay)
    result = runner.invoke(app, ["evaluate", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["resource_passed"] == baseline["resource_passed"]
    result = runner.invoke(app, ["extract", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "pdf" and data["sha256"] == sha256_of(pdf.read_bytes())
    assert data["headers"]["students"] == "学生数（人）"
    first = data["schools"][0]
    prov = first["provenance"]["equipment_value"]
    assert prov["page"] == 1 and prov["table"] == 1 and prov["column"] == "教学仪器设备值（元）"
    assert float(prov["raw"]) == first["figures"]["equipment_value"]
    text = runner.invoke(app, ["extract", str(pdf)])
    assert text.exit_code == 0 and "第1页" in text.output
