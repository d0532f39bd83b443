"""Backup and restore (备份与恢复): the database and the document store in one file, checked both ways.

A backup is one ZIP file:

    manifest.json           format and version, created_at (UTC), the Alembic revision, the source's
                            dialect, database (password masked) and data folder, each table's rows
                            and SHA-256, the audit chain's head, every document (path, size, SHA-256)
    tables/<table>.jsonl    one JSON object a row, every table of the schema; values written by
                            column type (datetime and date ISO 8601, bytes base64, JSON as it is)
    documents/<path>        the document store as it lies under the data folder (submissions/,
                            letters/, …), stored as it is: PDF, XLSX and DOCX are compressed already

Left out of it: the SQLite database's own files, `prefect/`, audit anchor logs, files being written
(`*.part`) and earlier backups (known by the archive's comment).

Backing up reads the database in one transaction (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), so the rows and the audit chain are of one moment. A damaged source is
refused, not written: a broken audit chain, anchored events missing or rewritten, decisions that do
not match the log, a submission whose stored copy is missing or changed, a table the program does
not know. A restore checks all of this again, so such a backup would be refused on the day it is
needed; better to hear of the damage now, with the list of what is wrong, and while the previous
good backup still exists. The archive is written under a temporary name and renamed when complete.

Restoring goes into an empty database only — the audit table refuses UPDATE and DELETE, so nothing
can be merged into or replaced in a database in use — at the program's schema revision. Every file
of the archive is checked against the manifest before the database is touched; then the rows go in,
in dependency order, in one transaction, the documents are copied (temporary name, rename), and the
result is verified — row counts, the chain, its head against the manifest, every stored copy against
its hash, the decisions against the log — before that transaction commits. A restore that does not
verify leaves the database empty and removes the documents it copied.

A restore records nothing in the audit log. The restored chain is the backup's, event for event,
so its head is the manifest's and the restored database can be checked against the backup (and
against the source's own anchor) as it stands; a `system.restore` event would make every restored
database differ from the backup it came from. The restore is recorded outside the database, beside
the chain's anchor: the target's old anchor file (if any) is kept as `<anchor>.before-restore-<UTC
time>`, never deleted, and a new one starts with the restored head, its fourth field naming the
backup, so `inspection audit verify` holds afterwards and the earlier history is kept.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import zipfile
import zlib
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, NoReturn

from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, String, func, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, select

from inspection.cycle import load_cycle
from inspection.db import get_engine, init_database, shown_url
from inspection.db.audit import anchor_path, log_problems, verify_anchor
from inspection.db.migrate import MIGRATIONS
from inspection.db.models import AuditEvent, Submission, utcnow
from inspection.errors import InspectionError

FORMAT, VERSION = "junheng-backup", 1
MARKER = b"junheng-backup 1"        # the archive's comment: how a backup lying in the data folder is known
MANIFEST = "manifest.json"
_FIELDS = {"created_at", "alembic_revision", "data_folder", "tables", "audit_head", "documents"}
CHUNK = 1 << 20
BATCH = 1000
# Top level of the data folder: database files and anchor logs (this database's or another's).
_NOT_DOCUMENTS = re.compile(r".*\.sqlite(-wal|-shm|-journal)?|audit-anchor-.*")


# ---- backup ------------------------------------------------------------------------------------

def backup(url: str, data_folder: str | Path, target_path: str | Path) -> dict:
    """Write the database at `url` and the document store under `data_folder` to `target_path`
    (which must not exist); returns the manifest."""
    target, folder = Path(target_path), Path(data_folder).absolute()
    if target.exists():
        raise InspectionError(f"备份文件已存在：{target}（已有的备份不会被覆盖，请换一个文件名）",
                              f"the backup file exists: {target} (a backup is never overwritten)", file=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with zipfile.ZipFile(part, "w") as archive:
            manifest = _write_backup(archive, get_engine(url), url, folder)
        _settle(part, target)
    except OSError as exc:
        where = exc.filename or target
        raise InspectionError(f"备份未完成：{where}：{exc.strerror}", f"backup not written: {where}: {exc.strerror}",
                              file=str(where)) from exc
    finally:
        part.unlink(missing_ok=True)
    return manifest


def _write_backup(archive: zipfile.ZipFile, engine: Engine, url: str, folder: Path) -> dict:
    """The snapshot's tables, then the documents, then — everything checked — the manifest."""
    with _transaction(engine) as conn:
        revision = _schema_revision(conn)
        _refuse_unknown_tables(conn)
        tables = [_dump_table(archive, conn, table) for table in SQLModel.metadata.sorted_tables]
        head = _audit_head(conn)
        with Session(bind=conn) as session:
            problems = _log_problems(session)
            copies = _stored_copies(session)
    with Session(engine) as live:    # the anchor may already be past the snapshot: checked against the log now
        problems += verify_anchor(live)
    documents = [_dump_document(archive, path, folder) for path in _document_files(folder, _own_files(engine))]
    digests = {d["path"]: d["sha256"] for d in documents}
    problems += _copy_problems(copies, folder, digests.get)
    if problems:
        raise _damaged("数据库或文档库有问题，未写入备份", "backup refused: the database or the document store is "
                       "damaged", problems)
    manifest = {"format": FORMAT, "version": VERSION, "created_at": utcnow().isoformat(),
                "alembic_revision": revision, "dialect": engine.dialect.name, "database": shown_url(url),
                "data_folder": str(folder), "tables": tables, "audit_head": head, "documents": documents}
    archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
    archive.comment = MARKER
    return manifest


@contextmanager
def _transaction(engine: Engine, *, write: bool = False) -> Iterator[Connection]:
    """One transaction from the first statement on: a snapshot to read (REPEATABLE READ on PostgreSQL,
    a read transaction on SQLite, which pysqlite would otherwise open only before a write), or on
    SQLite the write lock taken up front, so the emptiness checked is still true when rows go in."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        elif not write:
            conn.execution_options(isolation_level="REPEATABLE READ")
        yield conn


def _schema_revision(conn: Connection) -> str:
    """The database's Alembic revision, which must be the program's: the tables are read by its models."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    found = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
             if inspect(conn).has_table("alembic_version") else None)
    if found != head:
        raise InspectionError(f"数据库的结构版本为{found or '无（未初始化）'}，本程序为{head}：请先运行 inspection init",
                              f"the database's schema revision is {found}, this program's is {head}: "
                              "run `inspection init` first", revision=found)
    return head


def _refuse_unknown_tables(conn: Connection) -> None:
    known = set(SQLModel.metadata.tables) | {"alembic_version"}
    unknown = sorted(set(inspect(conn).get_table_names()) - known)
    if unknown:
        raise InspectionError(f"数据库中有本程序不认识的表：{'、'.join(unknown)}，备份无法包含，未写入备份",
                              f"the database has tables this program does not know: {', '.join(unknown)}; "
                              "backup refused", tables=unknown)


def _dump_table(archive: zipfile.ZipFile, conn: Connection, table) -> dict:
    """The table's rows as JSON lines, in primary-key order (the same rows give the same bytes)."""
    encode = {c.name: _codec(c)[0] for c in table.columns}
    digest, rows = hashlib.sha256(), 0
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    with archive.open(_entry(f"tables/{table.name}.jsonl", zipfile.ZIP_DEFLATED), "w", force_zip64=True) as out:
        for row in conn.execute(query).mappings():
            line = json.dumps({k: None if v is None else encode[k](v) for k, v in row.items()},
                              ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            digest.update(line)
            out.write(line)
            rows += 1
    return {"name": table.name, "rows": rows, "sha256": digest.hexdigest()}


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=utcnow().timetuple()[:6])
    info.compress_type = compression
    return info


_SAME = (lambda v: v, lambda v: v)
_CODECS = ((DateTime, (datetime.isoformat, datetime.fromisoformat)),
           (Date, (date.isoformat, date.fromisoformat)),
           (LargeBinary, (lambda v: base64.b64encode(v).decode("ascii"), base64.b64decode)),
           ((JSON, Integer, Float, String, Boolean), _SAME))


def _codec(column) -> tuple[Callable, Callable]:
    """How a column's values are written to JSON and read back: by the column's type, never by looking
    at a value (a JSON column holding an ISO date string stays a string)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    for types, codec in _CODECS:
        if isinstance(kind, types):
            return codec
    raise InspectionError(f"表{column.table.name}的字段{column.name}的类型（{kind}）无法备份",
                          f"column {column.table.name}.{column.name} has a type the backup cannot hold ({kind})")


def _audit_head(conn: Connection) -> dict | None:
    last = conn.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return {"seq": last.seq, "hash": last.hash} if last else None


def _log_problems(session: Session) -> list[str]:
    return log_problems(session, load_cycle().cycle.initial)[1]


def _stored_copies(session: Session) -> list[tuple[str, str, str]]:
    """(filename, stored_path, sha256) of every submission: what the document store must hold."""
    return [(s.filename, s.stored_path, s.sha256) for s in session.exec(select(Submission).order_by(Submission.id))]


def _own_files(engine: Engine) -> set[Path]:
    """The files that belong to the database, wherever they are: never documents."""
    own = {_anchor_of(engine)}
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database:
        own |= {Path(database + suffix).absolute() for suffix in ("", "-wal", "-shm", "-journal")}
    return own


def _document_files(folder: Path, own: set[Path]) -> Iterator[Path]:
    """The document store: every file under the data folder but Prefect's, the databases' and backups."""
    for root, dirs, files in os.walk(folder):
        top = Path(root) == folder
        dirs[:] = sorted(d for d in dirs if not (top and d == "prefect"))
        for name in sorted(files):
            path = Path(root) / name
            if not (path in own or name.endswith(".part") or (top and _NOT_DOCUMENTS.fullmatch(name))
                    or _is_backup(path)):
                yield path


def _is_backup(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.comment == MARKER
    except (zipfile.BadZipFile, OSError):
        return False


def _dump_document(archive: zipfile.ZipFile, path: Path, folder: Path) -> dict:
    """Copy one document in, hashing the very bytes archived."""
    relative = path.relative_to(folder).as_posix()
    info = zipfile.ZipInfo.from_file(path, f"documents/{relative}", strict_timestamps=False)
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source, archive.open(info, "w") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return {"path": relative, "size": size, "sha256": digest.hexdigest()}


def _copy_problems(copies: list[tuple[str, str, str]], folder: Path,
                   digest_of: Callable[[str], str | None]) -> list[str]:
    """Submissions whose stored copy is outside the store, missing, or not the file that was submitted.
    `folder` is the data folder the stored paths were written for (an older row may hold an absolute one)."""
    problems = []
    for filename, stored_path, sha256 in copies:
        relative = _in_store(stored_path, folder)
        found = digest_of(relative) if relative else None
        if relative is None:
            problems.append(f"{filename} 的存档文件不在数据目录内（{stored_path}）")
        elif found is None:
            problems.append(f"{filename} 的存档文件缺失（{stored_path}）")
        elif found != sha256:
            problems.append(f"{filename} 的存档文件已被改动（SHA-256 与提交时不符：{stored_path}）")
    return problems


def _in_store(stored_path: str, folder: Path) -> str | None:
    path = Path(stored_path)
    if not path.is_absolute():
        return path.as_posix()
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else None


def _settle(part: Path, target: Path) -> None:
    """The complete archive on disk, then under its name: a killed backup leaves no half file there."""
    with open(part, "rb+") as fh:
        os.fsync(fh.fileno())
    if target.exists():
        raise InspectionError(f"备份文件已存在：{target}（备份期间被创建，未覆盖）",
                              f"the backup file appeared while backing up: {target} (not overwritten)")
    os.replace(part, target)


def _damaged(zh: str, en: str, problems: list[str]) -> InspectionError:
    listed = "\n".join(f"  · {p}" for p in problems)
    return InspectionError(f"{zh}：\n{listed}", f"{en} ({len(problems)} problems, listed above)", problems=problems)


# ---- restore -----------------------------------------------------------------------------------

def restore(source_path: str | Path, url: str, data_folder: str | Path) -> dict:
    """Restore the backup at `source_path` into the empty database at `url` (migrated first) and its
    documents into `data_folder`; returns what was restored. The anchor is restarted where the audit
    module keeps it for `url` (INSPECTION_AUDIT_ANCHOR, else the data folder of the environment)."""
    source, folder = Path(source_path), Path(data_folder).absolute()
    with _open_backup(source) as archive:
        manifest = _read_manifest(archive)
        _check_archive(archive, manifest)
        _refuse_other_documents(manifest, folder)
        engine = init_database(url)
        copied: list[Path] = []
        try:
            with _transaction(engine, write=True) as conn:
                _refuse_non_empty(conn)
                _load_tables(archive, conn)
                _reset_sequences(conn)
                _copy_documents(archive, manifest, folder, copied)
                _verify_restored(conn, manifest, folder)
                conn.commit()
        except BaseException:
            for path in copied:
                path.unlink(missing_ok=True)
            raise
    anchor, kept = _restart_anchor(engine, manifest, source)
    return {"database": shown_url(url), "data_folder": str(folder), "backup_created_at": manifest["created_at"],
            "tables": len(manifest["tables"]), "rows": sum(t["rows"] for t in manifest["tables"]),
            "documents": len(manifest["documents"]), "copied": len(copied), "audit_head": manifest["audit_head"],
            "anchor": str(anchor), "previous_anchor": str(kept) if kept else None}


@contextmanager
def _open_backup(source: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InspectionError(f"无法打开备份文件 {source}：不存在或不是备份文件",
                              f"cannot open the backup {source}: missing or not a backup ({exc})") from None
    with archive:
        yield archive


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    """The manifest, if this is a backup of this format and of the program's schema."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
        known = (manifest["format"], manifest["version"]) == (FORMAT, VERSION) and _FIELDS <= manifest.keys()
        known = known and all({"name", "rows", "sha256"} <= t.keys() for t in manifest["tables"]) and all(
            {"path", "size", "sha256"} <= d.keys() for d in manifest["documents"])
    except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, zlib.error):
        known = False
    if not known:
        raise InspectionError("不是本程序的备份文件（缺少或无法读取 manifest.json，或格式版本不同）",
                              "not a backup of this program (manifest.json missing, unreadable or of another format)")
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    if manifest["alembic_revision"] != head:
        raise InspectionError(f"备份来自另一个数据库结构版本（备份：{manifest['alembic_revision']}，本程序：{head}）："
                              "请用与备份相同版本的程序恢复，再运行 inspection init 升级",
                              f"the backup is of another schema revision ({manifest['alembic_revision']}; this "
                              f"program: {head}): restore it with the program's version it came from, then upgrade")
    return manifest


def _check_archive(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Every file of the archive against the manifest, before anything is written: the program's tables,
    no document path leading out of the data folder, each member's SHA-256, nothing missing or extra."""
    tables = {t["name"] for t in manifest["tables"]}
    if tables != set(SQLModel.metadata.tables):
        _tampered([f"备份中的表与本程序不符：{'、'.join(sorted(tables ^ set(SQLModel.metadata.tables)))}"])
    unsafe = [d["path"] for d in manifest["documents"] if not _safe(d["path"])]
    if unsafe:
        _tampered([f"文档路径会写到数据目录以外：{path}" for path in unsafe])
    expected = ({f"tables/{t['name']}.jsonl": t["sha256"] for t in manifest["tables"]}
                | {f"documents/{d['path']}": d["sha256"] for d in manifest["documents"]})
    names = set(archive.namelist()) - {MANIFEST}
    problems = [f"缺少 {name}" for name in sorted(set(expected) - names)]
    problems += [f"清单中没有的文件 {name}" for name in sorted(names - set(expected))]
    problems += [f"{name} 的 SHA-256 与清单不符（已损坏或被改动）" for name, sha256 in sorted(expected.items())
                 if name in names and _member_digest(archive, name) != sha256]
    if problems:
        _tampered(problems)


def _tampered(problems: list[str]) -> NoReturn:
    raise _damaged("备份文件已损坏或被改动，未做任何恢复", "the backup file is damaged or was changed; nothing was "
                   "restored", problems)


def _safe(relative: str) -> bool:
    """A document path that stays inside the data folder it is restored into."""
    path = PurePosixPath(relative)
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts


def _member_digest(archive: zipfile.ZipFile, name: str) -> str | None:
    """The SHA-256 of a member as it reads back; None when it does not read (a CRC error, a bad stream)."""
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            for chunk in iter(lambda: member.read(CHUNK), b""):
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return None
    return digest.hexdigest()


def _file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _refuse_other_documents(manifest: dict, folder: Path) -> None:
    """A file already in the data folder under a document's path must be that document (restoring into
    the folder the backup was taken from finds them all in place)."""
    clashes = [d["path"] for d in manifest["documents"]
               if (folder / d["path"]).exists() and _file_digest(folder / d["path"]) != d["sha256"]]
    if clashes:
        raise _damaged("数据目录中已有同名但内容不同的文件，未做任何恢复", "the data folder already holds other files "
                       "under the backup's document paths; nothing was restored", clashes)


def _refuse_non_empty(conn: Connection) -> None:
    full = {t.name: n for t in SQLModel.metadata.sorted_tables if (n := _count(conn, t))}
    if full:
        listed = "、".join(f"{name}（{n}行）" for name, n in full.items())
        raise InspectionError(f"目标数据库不是空的：{listed}。审计日志不能修改或删除，恢复只能写入空数据库，请换一个新数据库",
                              f"the target database is not empty ({', '.join(full)}); a restore goes into an empty "
                              "database only", tables=list(full))


def _count(conn: Connection, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar()


def _load_tables(archive: zipfile.ZipFile, conn: Connection) -> None:
    """Every table's rows with their own keys, parents before children."""
    for table in SQLModel.metadata.sorted_tables:
        decode = {c.name: _codec(c)[1] for c in table.columns}
        try:
            with archive.open(f"tables/{table.name}.jsonl") as lines:
                while batch := list(islice(lines, BATCH)):
                    conn.execute(table.insert(), [{k: None if v is None else decode[k](v)
                                                   for k, v in json.loads(line).items()} for line in batch])
        except (KeyError, ValueError, TypeError, IntegrityError) as exc:
            raise InspectionError(f"备份中表{table.name}的数据无法写入（{type(exc).__name__}），未做任何恢复",
                                  f"the rows of table {table.name} cannot be restored ({exc}); nothing was restored",
                                  table=table.name) from None


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: each serial key's sequence goes on after the restored ids (the rows came with theirs);
    SQLite takes the next id from the table itself."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer
    for table in SQLModel.metadata.sorted_tables:
        column, name = table.autoincrement_column, quote.format_table(table)
        if column is not None:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                              f"coalesce(max({quote.quote(column.name)}), 0) + 1, false) FROM {name}"),
                         {"table": name, "column": column.name})


def _copy_documents(archive: zipfile.ZipFile, manifest: dict, folder: Path, copied: list[Path]) -> None:
    """Each document into the data folder under a temporary name, then renamed; `copied` lists those
    written, so a restore that fails can take them away again."""
    for document in manifest["documents"]:
        path = folder / document["path"]
        if path.exists():      # the same file: `_refuse_other_documents` compared it
            continue
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"documents/{document['path']}") as member, open(part, "wb") as out:
                shutil.copyfileobj(member, out, CHUNK)
                os.fsync(out.fileno())
            os.replace(part, path)
        except OSError as exc:
            raise InspectionError(f"无法写入文档 {path}：{exc.strerror}，已撤销恢复",
                                  f"cannot write {path}: {exc.strerror}; the restore was undone") from exc
        finally:
            part.unlink(missing_ok=True)
        copied.append(path)


def _verify_restored(conn: Connection, manifest: dict, folder: Path) -> None:
    """The restored database against the manifest and against its own log, before it commits."""
    counts = {t.name: _count(conn, t) for t in SQLModel.metadata.sorted_tables}
    problems = [f"表{t['name']}恢复了{counts[t['name']]}行，备份记录为{t['rows']}行"
                for t in manifest["tables"] if counts[t["name"]] != t["rows"]]
    head = _audit_head(conn)
    if head != manifest["audit_head"]:
        problems.append(f"审计日志的最后一条为{_head_text(head)}，备份记录为{_head_text(manifest['audit_head'])}")
    with Session(bind=conn) as session:
        problems += _log_problems(session)
        problems += _copy_problems(_stored_copies(session), Path(manifest["data_folder"]),
                                   lambda relative: _file_digest(folder / relative))
    if problems:
        raise _damaged("恢复后的校验未通过，已撤销（数据库仍为空）", "the restored database did not verify; the restore "
                       "was undone (the database is still empty)", problems)


def _head_text(head: dict | None) -> str:
    return f"第{head['seq']}条（{head['hash'][:12]}…）" if head else "无"


def _restart_anchor(engine: Engine, manifest: dict, source: Path) -> tuple[Path, Path | None]:
    """Keep the target's old anchor beside it, and start a new one at the restored head (its fourth
    field names the backup: the record of the restore). Returns (anchor, old anchor kept or None)."""
    anchor, kept, head = _anchor_of(engine), None, manifest["audit_head"]
    try:
        if anchor.exists():
            kept = anchor.with_name(f"{anchor.name}.before-restore-{utcnow():%Y%m%dT%H%M%S%fZ}")
            os.rename(anchor, kept)
        if head:
            anchor.parent.mkdir(parents=True, exist_ok=True)
            with open(anchor, "a", encoding="utf-8") as fh:
                fh.write(f"{head['seq']}\t{head['hash']}\t{utcnow().isoformat()}\trestored from {source.name} "
                         f"(backup of {manifest['created_at']})\n")
    except OSError as exc:
        last = f"{head['seq']} {head['hash']}" if head else "—"
        raise InspectionError(f"数据已恢复，但无法更新审计锚点 {anchor}：{exc.strerror}。请手工移开旧锚点，"
                              f"新锚点写入恢复后的最后一条（{last}）", f"restored, but the audit anchor {anchor} could "
                              f"not be updated: {exc.strerror}; move the old one aside and anchor {last} by hand",
                              anchor=str(anchor)) from exc
    return anchor, kept


def _anchor_of(engine: Engine) -> Path:
    """The anchor file of the database, named as the audit module names it when it anchors a commit."""
    return anchor_path(engine.url.render_as_string(hide_password=False)).absolute()
