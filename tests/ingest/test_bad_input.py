"""Bad input: each gets a Chinese and English message and exit code 2, never a traceback."""


import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.errors import ReadError
from inspection.ingest import Limits, read_document, read_school_table
from inspection.ingest.errors import (CorruptFileError, EncryptedFileError, FileTooLargeError,
                                      FormatMismatchError, ScannedDocumentError, UnsafeFileError,
                                      UnsupportedFormatError)
from tests.ingest import badfiles
from tests.ingest.factories import Layout, TableSpec, write_csv, write_docx, write_pdf, write_xlsx

runner = CliRunner()


@pytest.fixture(scope="module")
def good(rows, tmp_path_factory):
    d = tmp_path_factory.mktemp("good")
    spec = TableSpec.of(rows, Layout())
    return {"pdf": write_pdf(d / "t.pdf", spec, Layout()), "docx": write_docx(d / "t.docx", spec),
            "xlsx": write_xlsx(d / "t.xlsx", spec), "csv": write_csv(d / "t.csv", spec)}


def _bad(kind, good, tmp):
    if kind == "encrypted_pdf":
        return badfiles.encrypted_pdf(tmp / "e.pdf"), EncryptedFileError, "密码"
    if kind == "scanned_pdf":
        return badfiles.scanned_pdf(tmp / "s.pdf"), ScannedDocumentError, "扫描件"
    if kind == "truncated_pdf":
        return badfiles.truncated(good["pdf"], tmp / "t.pdf"), CorruptFileError, "不完整"
    if kind == "truncated_docx":
        return badfiles.truncated(good["docx"], tmp / "t.docx"), CorruptFileError, "损坏"
    if kind == "garbage_pdf":
        path = tmp / "g.pdf"
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
        return path, CorruptFileError, "PDF"
    if kind == "zip_bomb_docx":
        return badfiles.zip_bomb_docx(tmp / "b.docx"), UnsafeFileError, "压缩炸弹"
    if kind == "entity_bomb_docx":
        return badfiles.entity_bomb_docx(tmp / "x.docx"), UnsafeFileError, "DTD"
    if kind == "xlsx_named_pdf":
        path = tmp / "table.pdf"
        path.write_bytes(good["xlsx"].read_bytes())
        return path, FormatMismatchError, "扩展名"
    if kind == "pdf_named_csv":
        path = tmp / "table.csv"
        path.write_bytes(good["pdf"].read_bytes())
        return path, FormatMismatchError, "扩展名"
    if kind == "old_doc":
        return badfiles.ole_file(tmp / "old.doc"), UnsupportedFormatError, ".docx"
    if kind == "encrypted_xlsx":
        return badfiles.ole_file(tmp / "e.xlsx", encrypted=True), EncryptedFileError, "密码"
    if kind == "absurd_grid_span":
        return badfiles.grid_span_docx(good["docx"], tmp / "span.docx", "100000000"), UnsafeFileError, "63列"
    if kind == "non_integer_grid_span":
        return badfiles.grid_span_docx(good["docx"], tmp / "span.docx", "2.5x"), CorruptFileError, "不是整数"
    if kind == "dtd_after_padding_docx":
        return badfiles.dtd_after_padding_docx(good["docx"], tmp / "dtd.docx"), UnsafeFileError, "DTD"
    if kind == "nul_after_4k_csv":
        return badfiles.nul_after_4k_csv(good["csv"], tmp / "nul.csv"), CorruptFileError, "NUL"
    if kind == "binary":
        path = tmp / "blob.bin"
        path.write_bytes(b"\x00\x01\x02" * 100)
        return path, UnsupportedFormatError, "不是可读取"
    raise AssertionError(kind)


KINDS = ["encrypted_pdf", "scanned_pdf", "truncated_pdf", "truncated_docx", "garbage_pdf", "zip_bomb_docx",
         "entity_bomb_docx", "xlsx_named_pdf", "pdf_named_csv", "old_doc", "encrypted_xlsx", "binary",
         "absurd_grid_span", "non_integer_grid_span", "dtd_after_padding_docx", "nul_after_4k_csv"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_file_raises_a_read_error(kind, good, tmp_path):
    path, error, words = _bad(kind, good, tmp_path)
    limits = Limits(max_unpacked_bytes=10 * 1024 * 1024)
    with pytest.raises(error) as err:
        read_document(path, None, limits=limits)
    assert isinstance(err.value, ReadError) and err.value.exit_code == 2
    assert words in err.value.zh and err.value.en and path.name in err.value.zh


@pytest.mark.parametrize("kind", ["encrypted_pdf", "zip_bomb_docx", "xlsx_named_pdf", "truncated_pdf",
                                  "absurd_grid_span", "non_integer_grid_span"])
def test_cli_exits_2_with_both_languages(kind, good, tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTION_MAX_UNPACKED_MB", "10")
    path, _, words = _bad(kind, good, tmp_path)
    for command in (["evaluate", str(path), "--json"], ["extract", str(path), "--json"], ["scan", str(path)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
        assert "错误：" in result.output and "Error:" in result.output and words in result.output
        assert "Traceback" not in result.output


def test_limits_size_pages_rows_and_time(good, tmp_path):
    with pytest.raises(FileTooLargeError, match="超过上限"):
        read_school_table(good["docx"], limits=Limits(max_bytes=1000))
    with pytest.raises(FileTooLargeError, match="页"):
        read_school_table(good["pdf"], limits=Limits(max_pages=0))
    with pytest.raises(FileTooLargeError, match="行"):
        read_school_table(good["xlsx"], limits=Limits(max_rows=3))
    with pytest.raises(UnsafeFileError, match="秒"):
        read_school_table(good["pdf"], limits=Limits(timeout_seconds=0.05))


def test_parser_memory_limit_stops_the_child(good):
    with pytest.raises(UnsafeFileError):
        read_school_table(good["pdf"], limits=Limits(memory_mb=1))


def test_an_out_of_memory_error_wrapped_by_the_parser_is_still_over_the_limit():
    from types import SimpleNamespace

    from inspection.ingest import pdf_worker

    def extract_pdf(data, file, max_pages, hints):
        try:
            raise MemoryError
        except MemoryError as exc:
            raise RuntimeError("PdfminerException") from exc    # what pdfplumber does with pdfminer's errors

    extractor = SimpleNamespace(extract_pdf=extract_pdf, PdfProblem=type("PdfProblem", (Exception,), {}))
    assert pdf_worker._run(extractor, 10, "t.pdf", b"")["error"][0] == "UnsafeFileError"


def test_limits_come_from_the_environment():
    limits = Limits.from_env({"INSPECTION_MAX_UPLOAD_MB": "2", "INSPECTION_MAX_PAGES": "10",
                              "INSPECTION_PARSE_TIMEOUT": "5.5"})
    assert (limits.max_bytes, limits.max_pages, limits.timeout_seconds) == (2 * 1024 * 1024, 10, 5.5)
    assert Limits.from_env({}) == Limits()


def test_ambiguous_or_unmappable_columns_stop_with_headers_listed(rows, tmp_path):
    from inspection.errors import TableError
    from inspection.ingest.errors import AmbiguousColumnError
    from tests.ingest.factories import renamed, write_csv
    lay = renamed(equipment_unit="")
    with pytest.raises(AmbiguousColumnError, match="没有注明单位"):
        read_school_table(write_csv(tmp_path / "u.csv", TableSpec.of(rows, lay)))
    spec = TableSpec.of(rows, Layout())
    spec.header[0].append(("学生人数", 1, 1))
    for r in spec.body:
        r.append(("1", 1, 1))
    with pytest.raises(AmbiguousColumnError) as err:
        read_school_table(write_csv(tmp_path / "a.csv", spec))
    assert "学生人数" in err.value.zh and "表头为" in err.value.zh and "应有" in err.value.zh
    path = tmp_path / "m.csv"
    path.write_text("学校,学段,人数\n一小,小学,100\n", encoding="utf-8")
    with pytest.raises(TableError, match="没有找到学校数据表"):
        read_school_table(path)


@pytest.mark.parametrize("heads", [("美术教师", "美术教师（人）"), ("美术教师", "艺术教师")])
def test_two_columns_for_one_part_stay_ambiguous(rows, tmp_path, heads):
    """音乐 + 美术 columns are parts of the art teachers; two 美术 columns (or 美术 and a total
    that is no declared part) are still two candidates for one figure."""
    from inspection.ingest.errors import AmbiguousColumnError
    from tests.ingest.factories import renamed, write_csv
    from tests.ingest.helpers import split_column
    spec = split_column(TableSpec.of(rows, renamed()), "艺术", heads)
    with pytest.raises(AmbiguousColumnError) as err:
        read_school_table(write_csv(tmp_path / "a.csv", spec))
    assert heads[0] in err.value.zh and "艺术专任教师数" in err.value.zh and "无法确定" in err.value.zh


def test_a_blank_part_column_is_not_counted_as_zero(rows, tmp_path):
    """A blank cell is a missing figure, as in any column: a part left blank while the other is
    filled stops the reading naming the blank part; both blank is the figure left empty."""
    from inspection.errors import TableError
    from tests.ingest.factories import renamed, write_csv
    from tests.ingest.helpers import split_column
    spec = split_column(TableSpec.of(rows, renamed()), "艺术", ("音乐教师", "美术教师"))
    j = [c[0] for c in spec.header[-1]].index("音乐教师")
    spec.body[1][j] = ("", 1, 1)
    with pytest.raises(TableError) as err:
        read_school_table(write_csv(tmp_path / "b.csv", spec))
    assert "“音乐教师”列为空" in err.value.zh and "美术教师" in err.value.zh and err.value.details["row"] == 3
    spec.body[1][j + 1] = ("", 1, 1)
    with pytest.raises(TableError) as err:
        read_school_table(write_csv(tmp_path / "c.csv", spec))
    assert "“艺术专任教师数”列为空" in err.value.zh


def test_a_huge_declared_dimension_is_read_as_the_cells_it_has(good, tmp_path, baseline):
    from tests.ingest.helpers import assert_same_evaluation, evaluate_file
    from inspection.standard import load_standard
    path = badfiles.huge_dimension_xlsx(good["xlsx"], tmp_path / "dim.xlsx")
    assert_same_evaluation(evaluate_file(path, load_standard()), baseline)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_office_files_are_parsed_in_the_limited_child_too(good, kind):
    with pytest.raises(UnsafeFileError, match="秒"):
        read_school_table(good[kind], limits=Limits(timeout_seconds=0.05))
    with pytest.raises(UnsafeFileError, match="内存"):
        read_school_table(good[kind], limits=Limits(memory_mb=0))
