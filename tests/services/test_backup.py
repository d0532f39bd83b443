"""Backup and restore (issue 14, item 5): a county's cycle built through the services, backed up,
restored into a new database and a new data folder, and compared table by table and file by file;
damaged sources, tampered archives and occupied targets refused before anything is written."""

import hashlib
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel
from typer.testing import CliRunner

from inspection.auth import create_user
from inspection.cli import app
from inspection.db import audit, data_dir, get_engine, init_database, repo, session_scope
from inspection.db.audit import anchor_path
from inspection.db.models import County, Submission
from inspection.errors import InspectionError
from inspection.services import demo as demo_data
from inspection.services import make_context, record_verdict
from inspection.services.backup import MARKER, backup, restore
from tests.services.conftest import COMMITTEE, county, ctx, decide_judgements, school_workbook, self_assess

runner = CliRunner()
LETTER = "letters/653124/喀教督〔2025〕1号-督导评估意见书.pdf"


@pytest.fixture
def state(db, tmp_path, standard):
    """泽普县 from its plan to an approved self-assessment (documents, figures, evaluation, findings decided,
    verdict, a letter on disk), a committee account; beside them in the data folder what a backup leaves
    out: Prefect's folder, a half-written file, an earlier backup, the anchor."""
    with session_scope(db) as s:
        demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s), folder=tmp_path / "plans")
    self_assess(db, date(2025, 5, 10), school_workbook(tmp_path / "2025.xlsx", standard))
    decide_judgements(db, date(2025, 7, 15))
    with session_scope(db) as s:
        record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="approve", actor=COMMITTEE,
                       reason="各项指标达到要求")
        create_user(s, username="weiyuan", password="督导评估2025", role="committee", actor="test")
    _write(data_dir() / LETTER, b"%PDF-1.7\n% the verdict letter\n%%EOF\n")
    _write(data_dir() / "prefect" / "prefect.db", b"prefect's own database")
    _write(data_dir() / "submissions" / "653124" / "half-written.xlsx.123.part", b"PK")
    (data_dir() / "backups").mkdir()
    with zipfile.ZipFile(data_dir() / "backups" / "earlier.zip", "w") as earlier:
        earlier.writestr("manifest.json", "{}")
        earlier.comment = MARKER
    assert anchor_path(db).exists()
    return db


@pytest.fixture
def target(database_url, tmp_path):
    """A second, empty database of the same kind as the source."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
    else:
        yield from _other_postgres(database_url)


def _other_postgres(url: str):
    """A second database on the test PostgreSQL server, dropped afterwards."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(url).database}_restore"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    other = make_url(url).set(database=name).render_as_string(hide_password=False)
    yield other
    get_engine(other).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _rows(url: str) -> dict[str, list[tuple]]:
    with get_engine(url).connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in SQLModel.metadata.sorted_tables}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _move_to(folder: Path, url: str, monkeypatch) -> None:
    """Work as a process whose data folder and database are these (the anchor goes where they say)."""
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(folder))
    monkeypatch.setenv("INSPECTION_DATABASE_URL", url)


def _round_trip(source_url: str, target_url: str, tmp_path: Path, monkeypatch) -> None:
    source = data_dir()
    manifest = backup(source_url, source, tmp_path / "backup.zip")
    with session_scope(source_url) as s:
        stored = {sub.stored_path for sub in s.exec(select(Submission)).scalars()}
    documents = {d["path"] for d in manifest["documents"]}
    assert len(stored) == 2 and documents == stored | {LETTER}      # not prefect/, anchors, *.part
    before = _rows(source_url)
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {name: len(rows) for name, rows in before.items()}
    assert len(before["auditevent"]) > 20 and len(before["reviewverdict"]) == len(before["user"]) == 1
    assert manifest["audit_head"] == {"seq": before["auditevent"][-1][0], "hash": before["auditevent"][-1][-1]}

    restored = tmp_path / "restored-data"
    _move_to(restored, target_url, monkeypatch)
    stale = "1\t" + "f" * 64 + "\t2026-01-01T00:00:00+00:00\n"      # the target's anchor from an earlier life
    _write(anchor_path(target_url), stale.encode())
    report = restore(tmp_path / "backup.zip", target_url, restored)

    assert _rows(target_url) == before
    assert report["rows"] == sum(map(len, before.values())) and report["copied"] == len(documents) == 3
    for path in documents:
        assert (restored / path).read_bytes() == (source / path).read_bytes()
    anchor, kept = Path(report["anchor"]), Path(report["previous_anchor"])
    assert kept.name.startswith(f"{anchor.name}.before-restore-") and kept.read_text() == stale
    assert _files(restored) == documents | {anchor.name, kept.name}
    seq, digest, _at, note = anchor.read_text(encoding="utf-8").strip().split("\t")
    assert (int(seq), digest) == (manifest["audit_head"]["seq"], manifest["audit_head"]["hash"])
    assert note.startswith("restored from backup.zip")
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "审计日志完整" in verified.output, verified.output

    again = backup(target_url, restored, tmp_path / "again.zip")     # the same rows give the same bytes
    assert again["tables"] == manifest["tables"] and again["documents"] == manifest["documents"]
    with session_scope(target_url) as s:     # ids (and PostgreSQL's sequences) go on after the restored ones
        event = audit.record(s, actor="test", action="test.after_restore", entity="test")
        user = create_user(s, username="guanchayuan", password="督导评估2026", role="observer", actor="test")
        assert (event.seq, user.id) == (manifest["audit_head"]["seq"] + 1, before["user"][-1][0] + 1)


def test_round_trip_restores_every_row_and_document_and_the_audit_verifies(state, target, tmp_path, monkeypatch):
    _round_trip(state, target, tmp_path, monkeypatch)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.skipif(not os.environ.get("INSPECTION_TEST_POSTGRES_URL"), reason="no test PostgreSQL")
def test_sqlite_backup_restores_into_postgresql(state, tmp_path, monkeypatch):
    for postgres in _other_postgres(os.environ["INSPECTION_TEST_POSTGRES_URL"]):
        _round_trip(state, postgres, tmp_path, monkeypatch)


def test_a_database_in_use_is_not_restored_into(state, tmp_path):
    backup(state, data_dir(), tmp_path / "backup.zip")
    before = _rows(state)
    with pytest.raises(InspectionError, match="目标数据库不是空的：.*auditevent（") as refused:
        restore(tmp_path / "backup.zip", state, data_dir())
    assert "county" in refused.value.details["tables"] and "not empty" in refused.value.en
    assert _rows(state) == before


def _rewritten(archive: Path, out: Path, **changes) -> Path:
    """A copy of the archive with some members' bytes replaced (member name → function of the bytes)."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, changes.get(info.filename, lambda b: b)(data))
        dst.comment = src.comment
    return out


def _manifest_with(change):
    def edit(data: bytes) -> bytes:
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()
    return edit


def _flip_a_document_byte(archive: Path, source: Path, document: str, out: Path) -> Path:
    raw = bytearray(archive.read_bytes())
    at = raw.index((source / document).read_bytes()) + 100
    raw[at] ^= 0x01
    out.write_bytes(raw)
    return out


def _forged_event(archive: Path, out: Path) -> Path:
    """An audit event rewritten, and the manifest's hash of the table recomputed to match: only the
    chain itself can tell."""
    with zipfile.ZipFile(archive) as src:
        lines = src.read("tables/auditevent.jsonl").splitlines(keepends=True)
    event = json.loads(lines[1])
    event["actor"] = "someone else"
    lines[1] = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    forged = b"".join(lines)

    def rehash(manifest):
        table = next(t for t in manifest["tables"] if t["name"] == "auditevent")
        table["sha256"] = hashlib.sha256(forged).hexdigest()
    return _rewritten(archive, out, **{"tables/auditevent.jsonl": lambda _: forged,
                                       "manifest.json": _manifest_with(rehash)})


def test_a_tampered_or_foreign_archive_is_refused_and_nothing_is_written(state, target, tmp_path, monkeypatch):
    source, archive = data_dir(), tmp_path / "backup.zip"
    manifest = backup(state, source, archive)
    workbook = next(d for d in manifest["documents"] if d["path"].endswith(".xlsx"))
    cases = [
        (_flip_a_document_byte(archive, source, workbook["path"], tmp_path / "flipped.zip"),
         f"documents/{workbook['path']} 的 SHA-256 与清单不符"),
        (_rewritten(archive, tmp_path / "rehashed.zip", **{"manifest.json": _manifest_with(
            lambda m: m["documents"][0].update(sha256="0" * 64))}), "的 SHA-256 与清单不符"),
        (_rewritten(archive, tmp_path / "escape.zip", **{"manifest.json": _manifest_with(
            lambda m: m["documents"][0].update(path="../../outside.pdf"))}), "文档路径会写到数据目录以外"),
        (_rewritten(archive, tmp_path / "old.zip", **{"manifest.json": _manifest_with(
            lambda m: m.update(alembic_revision="0001"))}), "备份来自另一个数据库结构版本（备份：0001"),
        (_forged_event(archive, tmp_path / "forged.zip"), "(?s)恢复后的校验未通过.*第 2 条记录起审计日志哈希链断裂"),
        (tmp_path / "2025.xlsx", "不是本程序的备份文件"),
    ]
    restored = tmp_path / "restored-data"
    _move_to(restored, target, monkeypatch)
    init_database(target)
    for tampered, why in cases:
        with pytest.raises(InspectionError, match=why):
            restore(tampered, target, restored)
        with get_engine(target).connect() as conn:
            assert not any(conn.execute(select(func.count()).select_from(t)).scalar()
                           for t in SQLModel.metadata.sorted_tables), tampered.name
        assert _files(restored) == set(), tampered.name
    assert restore(archive, target, restored)["rows"] == sum(t["rows"] for t in manifest["tables"])


def test_a_different_file_in_the_way_of_a_document_is_refused(state, target, tmp_path, monkeypatch):
    backup(state, data_dir(), tmp_path / "backup.zip")
    restored = tmp_path / "restored-data"
    _write(restored / LETTER, b"another letter")
    _move_to(restored, target, monkeypatch)
    with pytest.raises(InspectionError, match=f"(?s)已有同名但内容不同的文件.*{LETTER}"):
        restore(tmp_path / "backup.zip", target, restored)
    assert _files(restored) == {LETTER} and (restored / LETTER).read_bytes() == b"another letter"


def test_a_damaged_source_is_not_backed_up(state, tmp_path):
    with session_scope(state) as s:
        stored = {sub.kind: (sub.filename, sub.stored_path) for sub in s.exec(select(Submission)).scalars()}
    (plan, plan_path), (table, table_path) = stored["development_plan"], stored["self_assessment"]
    (data_dir() / table_path).write_bytes((data_dir() / table_path).read_bytes() + b"\0")
    (data_dir() / plan_path).unlink()
    with get_engine(state).begin() as conn:                 # a stage changed behind the audit log's back
        conn.execute(County.__table__.update().where(County.name == "泽普县").values(stage="post_recognition"))
    with pytest.raises(InspectionError) as refused:
        backup(state, data_dir(), tmp_path / "backup.zip")
    assert refused.value.details["problems"] == [
        "泽普县的阶段为“post_recognition”，审计日志记录的是“region_recommended”",
        f"{plan} 的存档文件缺失（{plan_path}）", f"{table} 的存档文件已被改动（SHA-256 与提交时不符：{table_path}）"]
    assert "backup refused" in refused.value.en and not list(tmp_path.glob("*backup.zip*"))


def test_a_table_the_program_does_not_know_is_refused(state, tmp_path):
    with get_engine(state).begin() as conn:
        conn.execute(text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
    with pytest.raises(InspectionError, match="本程序不认识的表：stray"):
        backup(state, data_dir(), tmp_path / "backup.zip")
    assert not list(tmp_path.glob("*backup.zip*"))


def test_the_commands_back_up_and_restore_and_refuse_with_both_languages(tmp_path, monkeypatch):
    """Through `inspection`, with the database in the data folder, as a fresh install has it."""
    assert runner.invoke(app, ["init"]).exit_code == 0
    with session_scope() as s:
        repo.seed_schedule(s, schedule=make_context("t").schedule, actor="t")
        demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s), folder=tmp_path / "plans")
    archive = tmp_path / "junheng.zip"
    done = runner.invoke(app, ["backup", str(archive)])
    assert done.exit_code == 0, done.output
    assert "已备份 backed up" in done.output and "1 个 files" in done.output and "审计日志 audit head：第 " in done.output
    with zipfile.ZipFile(archive) as z:                     # the SQLite files of the database are not documents
        assert [n for n in z.namelist() if n.startswith("documents/")] == [
            f"documents/{d['path']}" for d in json.loads(z.read("manifest.json"))["documents"]]
        assert not [n for n in z.namelist() if "sqlite" in n or "anchor" in n]
    again = runner.invoke(app, ["backup", str(archive)])
    assert again.exit_code == 1 and "错误：备份文件已存在" in again.output and "Error: the backup file exists" in again.output

    occupied = runner.invoke(app, ["restore", str(archive)])
    assert occupied.exit_code == 1 and "错误：目标数据库不是空的" in occupied.output
    assert "Error: the target database is not empty" in occupied.output and "Traceback" not in occupied.output
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path / "new"))
    restored = runner.invoke(app, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert all(part in restored.output for part in ("已恢复 restored", "新写入 written 1", "已校验 verified"))
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
