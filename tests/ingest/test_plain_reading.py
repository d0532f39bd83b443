"""A plain table is read column by column (`table._plain_records`); any other table row by row
(`table._parse_row`). Whatever the cells say, both readings give the same table, provenance and
error: the columnar one is only a faster way to the same result."""

from pathlib import Path

import pytest

from inspection import table as table_module
from inspection.errors import InspectionError
from inspection.ingest import read_document
from tests.factories import school, write_csv

FIXTURES = Path(__file__).parent / "fixtures"


def _outcome(path: Path, standard):
    """Everything reading `path` gives: the table (figures bit for bit), provenance, or the error."""
    try:
        table = read_document(path, standard, require_table=True).table
    except InspectionError as exc:
        return type(exc).__name__, exc.zh, exc.en, exc.details
    return (table.names, table.stages.tolist(), {f: v.tobytes() for f, v in table.figures.items()},
            table.notes, table.excluded, [dict(p) for p in table.provenance])


def _both_readings(path: Path, standard, monkeypatch) -> tuple[object, object, bool]:
    """(columnar outcome, row-by-row outcome, whether the columnar reading took the table)."""
    taken = []
    plain = table_module._plain_records
    monkeypatch.setattr(table_module, "_plain_records", lambda rows: taken.append(r := plain(rows)) or r)
    columnar = _outcome(path, standard)
    monkeypatch.setattr(table_module, "_plain_records", lambda rows: None)
    return columnar, _outcome(path, standard), any(r is not None for r in taken)


def _nine_year(standard) -> list[dict]:
    rows = [school(standard, "一小", students=800), school(standard, "一中", "junior", students=600)]
    primary, junior = school(standard, "九年制", students=500), school(standard, "九年制", "junior", students=300)
    junior["sports_area"] = "共用"
    junior["teaching_area"] = ""
    return rows + [primary, junior]


EDITS = {   # how a cell of the plain table is written instead: (what, as what)
    "plain": ("", ""),
    "padded": (",800,", ", 800 ,"),
    "full-width": (",800,", ",８００,"),
    "thousands": (",800,", ',"1,800",'),
    "ideographic space": (",800,", ",800\u3000,"),
    "dash": (",800,", ",-,"),
    "negative": (",800,", ",-800,"),
    "not a number": (",800,", ",八百,"),
    "infinite": (",800,", ",inf,"),
    "nan": (",800,", ",nan,"),
    "exponent": (",800,", ",8e2,"),
    "underscore": (",800,", ",8_00,"),
    "no students": (",800,", ",0,"),
    "high school": (",小学,800,", ",高中,800,"),
    "stage unknown": (",小学,800,", ",幼小,800,"),
    "stage in English": (",小学,800,", ",primary,800,"),
    "stage spaced": (",小学,800,", ", 小学 ,800,"),
    "stage from the name": ("一小,小学,", "一小学,,"),
    "blank name": ("一小,", " ,"),
    "repeated": ("一中,初中", "一小,小学"),
    "blank classes": (",800,20,", ",800,,"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_both_readings_agree_whatever_a_cell_says(edit, standard, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "t.csv", _nine_year(standard))
    old, new = EDITS[edit]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    columnar, careful, taken = _both_readings(path, standard, monkeypatch)
    assert columnar == careful
    if edit in ("plain", "padded", "exponent", "underscore"):
        assert taken, "a plain table is read column by column"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.*") if not p.name.endswith((".json", ".py"))))
def test_both_readings_agree_on_the_fixture_documents(name, standard, monkeypatch):
    columnar, careful, _ = _both_readings(FIXTURES / name, standard, monkeypatch)
    assert columnar == careful
