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


# The limits the corpus is built against: its bombs inflate to 30 MB, its long tables run 2,000 rows on
# (the real sizes — 1,000,000 rows, bombs of gigabytes at the default limits — are in scripts/reliability.py).
HOSTILE_ENV = {"INSPECTION_MAX_UNPACKED_MB": "10", "INSPECTION_MAX_ROWS": "1000"}
LONG = 2_000   # rows added to a real table: over the corpus's row limit


def _empty(suffix):
    """A 0-byte upload named `empty{suffix}`: refused before any reader, whatever the extension claims."""
    return lambda good, tmp: badfiles.empty(tmp / f"empty{suffix}"), CorruptFileError, "空文件"


# kind: (make(good, tmp) -> path, the error it must raise, words its Chinese message must hold)
REFUSED = {
    "encrypted_pdf": (lambda good, tmp: badfiles.encrypted_pdf(tmp / "e.pdf"), EncryptedFileError, "密码"),
    "scanned_pdf": (lambda good, tmp: badfiles.scanned_pdf(tmp / "s.pdf"), ScannedDocumentError, "扫描件"),
    "truncated_pdf": (lambda good, tmp: badfiles.truncated(good["pdf"], tmp / "t.pdf"), CorruptFileError, "不完整"),
    "truncated_docx": (lambda good, tmp: badfiles.truncated(good["docx"], tmp / "t.docx"), CorruptFileError, "损坏"),
    "garbage_pdf": (lambda good, tmp: badfiles.garbage_pdf(tmp / "g.pdf"), CorruptFileError, "PDF"),
    "zip_bomb_docx": (lambda good, tmp: badfiles.zip_bomb_docx(tmp / "b.docx"), UnsafeFileError, "压缩炸弹"),
    "entity_bomb_docx": (lambda good, tmp: badfiles.entity_bomb_docx(tmp / "x.docx"), UnsafeFileError, "DTD"),
    "xlsx_named_pdf": (lambda good, tmp: badfiles.copy_named(good["xlsx"], tmp / "table.pdf"), FormatMismatchError,
                       "扩展名"),
    "pdf_named_csv": (lambda good, tmp: badfiles.copy_named(good["pdf"], tmp / "table.csv"), FormatMismatchError,
                      "扩展名"),
    "old_doc": (lambda good, tmp: badfiles.ole_file(tmp / "old.doc"), UnsupportedFormatError, ".docx"),
    "encrypted_xlsx": (lambda good, tmp: badfiles.ole_file(tmp / "e.xlsx", encrypted=True), EncryptedFileError, "密码"),
    "binary": (lambda good, tmp: badfiles.blob(tmp / "blob.bin"), UnsupportedFormatError, "不是可读取"),
    "absurd_grid_span": (lambda good, tmp: badfiles.grid_span_docx(good["docx"], tmp / "span.docx", "100000000"),
                         UnsafeFileError, "63列"),
    "non_integer_grid_span": (lambda good, tmp: badfiles.grid_span_docx(good["docx"], tmp / "span.docx", "2.5x"),
                              CorruptFileError, "不是整数"),
    "dtd_after_padding_docx": (lambda good, tmp: badfiles.dtd_after_padding_docx(good["docx"], tmp / "dtd.docx"),
                               UnsafeFileError, "DTD"),
    "nul_after_4k_csv": (lambda good, tmp: badfiles.nul_after_4k_csv(good["csv"], tmp / "nul.csv"), CorruptFileError,
                         "NUL"),
    "empty_csv": _empty(".csv"),
    "empty_xlsx": _empty(".xlsx"),
    "empty_pdf": _empty(".pdf"),
    "zip_bomb_xlsx": (lambda good, tmp: badfiles.zip_bomb_xlsx(tmp / "b.xlsx"), UnsafeFileError, "压缩炸弹"),
    "entity_xlsx": (lambda good, tmp: badfiles.entity_xlsx(good["xlsx"], tmp / "x.xlsx"), UnsafeFileError, "DTD"),
    "deflate_bomb_pdf": (lambda good, tmp: badfiles.deflate_bomb_pdf(tmp / "bomb.pdf"), UnsafeFileError, "压缩炸弹"),
    "bad_checksum_bomb_pdf": (lambda good, tmp: badfiles.deflate_bomb_pdf(tmp / "crc.pdf", bad_checksum=True),
                              UnsafeFileError, "压缩炸弹"),
    # 100,000 nested arrays are parsed (no recursion), and the page is what it is: empty
    "deep_array_pdf": (lambda good, tmp: badfiles.deep_array_pdf(tmp / "deep.pdf"), ScannedDocumentError,
                       "没有可读取的文字"),
    "deep_page_tree_pdf": (lambda good, tmp: badfiles.deep_pages_pdf(tmp / "tree.pdf"), CorruptFileError, "嵌套过深"),
    # 10^6 pt square (PDF's own limit is 14,400) is parsed as any page: this one has no text
    "huge_page_pdf": (lambda good, tmp: badfiles.page_pdf(tmp / "huge.pdf", side=10**6), ScannedDocumentError,
                      "没有可读取的文字"),
    "vmerge_without_start_docx": (lambda good, tmp: badfiles.vmerge_docx(good["docx"], tmp / "vmerge.docx"),
                                  CorruptFileError, "第1个表格第1行第1列标为“与上一行合并”"),
    "many_rows_csv": (lambda good, tmp: badfiles.many_rows_csv(good["csv"], tmp / "rows.csv", LONG), FileTooLargeError,
                      "超过 1000 行"),
    "many_rows_xlsx": (lambda good, tmp: badfiles.many_rows_xlsx(good["xlsx"], tmp / "rows.xlsx", LONG),
                       FileTooLargeError, "超过 1000 行"),
    "cut_mid_character_csv": (lambda good, tmp: badfiles.cut_mid_character(good["csv"], tmp / "cut.csv"),
                              CorruptFileError, "上传不完整"),
    "neither_utf8_nor_gb18030_csv": (lambda good, tmp: badfiles.latin1_csv(tmp / "latin1.csv"), ReadError,
                                     "不是UTF-8或GB18030编码"),
}
# The 0-byte .xlsx and .pdf are the 0-byte .csv's bytes: `submit` keeps one file per content (SHA-256),
# so the corpus given to it (KINDS) holds one of them; the readers are given all three.
KINDS = [kind for kind in REFUSED if kind not in ("empty_xlsx", "empty_pdf")]


def _bad(kind, good, tmp):
    """(path, error class, words in the Chinese message) of one refused case, built in `tmp`."""
    make, error, words = REFUSED[kind]
    return make(good, tmp), error, words


@pytest.mark.parametrize("kind", list(REFUSED))
def test_bad_file_raises_a_read_error(kind, good, tmp_path):
    path, error, words = _bad(kind, good, tmp_path)
    limits = Limits.from_env(HOSTILE_ENV)
    with pytest.raises(error) as err:
        read_document(path, None, limits=limits)
    assert type(err.value) is error and err.value.exit_code == 2
    assert words in err.value.zh and err.value.en and path.name in err.value.zh


@pytest.mark.parametrize("kind", ["encrypted_pdf", "zip_bomb_docx", "xlsx_named_pdf", "truncated_pdf",
                                  "absurd_grid_span", "non_integer_grid_span", "empty_xlsx", "deflate_bomb_pdf",
                                  "many_rows_xlsx"])
def test_cli_exits_2_with_both_languages(kind, good, tmp_path, monkeypatch):
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)
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


FORMULAS = {"第1小学": '=HYPERLINK("http://example.invalid","第1小学")', "第2小学": "+第2小学",
            "第3小学": "-第3小学", "第4小学": "@第4小学", "第5小学": "=1+1"}

# kind: (make(good, tmp) -> path, {baseline school name: the name this file gives it})
READABLE = {
    "huge_dimension_xlsx": (lambda good, tmp: badfiles.huge_dimension_xlsx(good["xlsx"], tmp / "dim.xlsx"), {}),
    "gbk_csv": (lambda good, tmp: badfiles.rewritten_csv(good["csv"], tmp / "gbk.csv", "gbk"), {}),
    # 䶮 (U+4DAE) is in GB18030 (four bytes) and not in GBK
    "gb18030_csv": (lambda good, tmp: badfiles.rewritten_csv(good["csv"], tmp / "gb.csv", "gb18030",
                                                             {"第1小学": "第1小学䶮"}), {"第1小学": "第1小学䶮"}),
    "bom_csv": (lambda good, tmp: badfiles.rewritten_csv(good["csv"], tmp / "bom.csv", "utf-8-sig"), {}),
    "formula_names_csv": (lambda good, tmp: badfiles.rewritten_csv(good["csv"], tmp / "f.csv", cells=FORMULAS),
                          FORMULAS),
    # 10,000 one-cell tables before the school table: within every limit, and the table is there
    "many_tables_docx": (lambda good, tmp: badfiles.many_tables_docx(good["docx"], tmp / "tables.docx"), {}),
}
ODD_BUT_READABLE = list(READABLE)


def renamed(evaluation: dict, names: dict[str, str]) -> dict:
    """`evaluation` with its schools named as in the baseline (`names`: baseline name → this file's)."""
    back = {v: k for k, v in names.items()}
    return {**evaluation, "schools": [{**s, "name": back.get(s["name"], s["name"])} for s in evaluation["schools"]]}


@pytest.mark.parametrize("kind", ODD_BUT_READABLE)
def test_an_odd_file_evaluates_as_the_clean_table(kind, good, tmp_path, baseline, standard):
    """Odd but legitimate: read exactly as the clean table; a name like "=HYPERLINK(…)" is text, kept."""
    from tests.ingest.helpers import assert_same_evaluation, evaluate_file
    make, names = READABLE[kind]
    got = evaluate_file(make(good, tmp_path), standard)
    assert set(names.values()) <= {s["name"] for s in got["schools"]}
    assert_same_evaluation(renamed(got, names), baseline)


@pytest.mark.parametrize("make", [lambda good, tmp: badfiles.page_pdf(tmp / "huge.pdf", side=10**6, text="xuexiao"),
                                  lambda good, tmp: badfiles.vmerge_docx(good["docx"], tmp / "merged.docx", header=True)],
                         ids=["huge_page_with_text_pdf", "vmerge_over_5000_rows_docx"])
def test_a_document_without_a_school_table_says_so(make, good, tmp_path, standard):
    """A 10^6 pt page with a line of text; a header whose cells are merged down over every school row
    and 5,000 more. Both are read (quickly), have no school table, and say so; `submit` keeps such a
    Word or PDF file as a report (a CSV it refuses), so they are not in the refused corpus."""
    from inspection.errors import TableError
    path = make(good, tmp_path)
    document = read_document(path, standard, limits=Limits())
    assert document.table is None and isinstance(document.table_error, TableError)
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2 and f"错误：{path.name}" in result.output and "Error:" in result.output
    assert "学校数据" in result.output and "Traceback" not in result.output


def test_a_stream_with_a_wrong_checksum_is_read_as_pdfminer_salvages_it(tmp_path):
    """The bounded inflation reads what pdfminer's byte-by-byte retry did: the data before the checksum."""
    document = read_document(badfiles.page_pdf(tmp_path / "crc.pdf", text="xuexiao", bad_checksum=True), None)
    assert [p.text for p in document.paragraphs] == ["xuexiao"]


ODD_NAMES = ["学校数据\u202evsc.exe.csv", "学校\u200d数据.csv", "📊学校数据👩\u200d🏫.csv", "县" * 80 + ".csv",
             "-学校数据.csv", "--help.csv", "  学校 数据  .csv", "学校\n数据.csv", "..%2F..%2Fetc%2Fpasswd.csv"]


@pytest.mark.parametrize("name", ODD_NAMES, ids=["rtl_override", "zero_width_joiner", "emoji", "80_chinese_characters",
                                                 "leading_dash", "double_dash", "spaces", "newline", "percent_traversal"])
def test_an_odd_file_name_is_read_and_named_exactly(name, good, tmp_path, monkeypatch, baseline):
    """Bidi overrides, joiners, emoji, 240 bytes of Chinese, a leading dash (after `--`), spaces, a
    newline: the file is read, and every output names it as it is — a success and a refusal alike."""
    import json

    from tests.ingest.helpers import assert_same_evaluation
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(good["csv"].read_bytes())
    evaluated = runner.invoke(app, ["evaluate", "--json", "--", name])
    assert evaluated.exit_code == 0, evaluated.output
    assert_same_evaluation(json.loads(evaluated.output), baseline)
    assert json.loads(runner.invoke(app, ["extract", "--json", "--", name]).output)["file"] == name
    (tmp_path / name).write_bytes(b"")
    refused = runner.invoke(app, ["evaluate", "--", name])
    assert refused.exit_code == 2 and f"错误：{name} 是空文件" in refused.output and f"Error: {name} is empty" in refused.output


def test_a_submission_keeps_the_name_as_data_and_stores_under_its_hash(good, tmp_path, database_url, baseline):
    """Through the submission path (what `submit` stores and reads): each odd name, and one of 200
    Chinese characters (600 bytes: no file system takes it, an upload form does), is the submission's
    name exactly; the stored copy is named by its hash and a sanitized extension, inside the county's folder."""
    import re

    from inspection.db import repo, session_scope
    from inspection.services import ingest_submission, make_context, store_submission
    ctx = make_context("t")
    names = ODD_NAMES + ["县" * 200 + ".csv"]
    with session_scope(database_url) as s:
        repo.seed_schedule(s, schedule=ctx.schedule, actor="t")
        county = repo.get_county(s, name="泽普县")
        for k, name in enumerate(names):
            path = tmp_path / f"{k}.csv"
            path.write_bytes(good["csv"].read_bytes() + b"\n" * k)     # one submission each (not one hash)
            sub, created = store_submission(s, ctx, county=county, path=path, kind="self_assessment", actor="t",
                                            filename=name)
            assert created and sub.filename == name
            assert re.fullmatch(rf"submissions/{county.code}/[0-9a-f]{{32}}\.csv", sub.stored_path), sub.stored_path
            assert ingest_submission(s, ctx, submission=sub, actor="t") == len(baseline["schools"])


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_office_files_are_parsed_in_the_limited_child_too(good, kind):
    with pytest.raises(UnsafeFileError, match="秒"):
        read_school_table(good[kind], limits=Limits(timeout_seconds=0.05))
    with pytest.raises(UnsafeFileError, match="内存"):
        read_school_table(good[kind], limits=Limits(memory_mb=0))


def test_libxml2_out_of_memory_is_the_memory_limit_not_a_damaged_file(good, tmp_path):
    """A valid DOCX whose XML tree does not fit the child's memory: libxml2 gives up (lxml raises
    XMLSyntaxError "unknown error", code 2) — the memory limit, not a damaged document. At the
    default limits the same happens just under the 200 MB unpacked limit (scripts/reliability.py)."""
    path = badfiles.vmerge_docx(good["docx"], tmp_path / "merged.docx", header=True)
    with pytest.raises(UnsafeFileError, match="内存上限"):
        read_school_table(path, limits=Limits(memory_mb=64))
