"""Backup and restore: `inspection backup PATH` and `inspection restore PATH` (inspection.services.backup).

    inspection backup /mnt/backup/junheng-2026-12-01.zip     the database and the document store, checked
    inspection restore /mnt/backup/junheng-2026-12-01.zip    into an empty database and the data folder

Both use the database and data folder of the environment (INSPECTION_DATABASE_URL, INSPECTION_DATA_DIR).
"""

from __future__ import annotations

from pathlib import Path

import typer

from inspection.cli.common import app, fail
from inspection.errors import InspectionError


@app.command("backup")
def backup_cmd(path: Path = typer.Argument(..., help="备份文件（ZIP），不能是已有的文件")) -> None:
    """备份数据库与文档库到一个文件（先校验审计日志与存档文件的哈希）。Back up the database and the document store."""
    from inspection.db import data_dir, database_url, shown_url
    from inspection.services.backup import backup
    try:
        manifest = backup(database_url(), data_dir(), path)
    except InspectionError as exc:
        fail(exc)
    tables, documents = manifest["tables"], manifest["documents"]
    typer.echo(f"已备份 backed up {shown_url()} 与文档库 and {data_dir()} → {path}")
    typer.echo(f"  数据 rows：{len(tables)} 个表 tables，{sum(t['rows'] for t in tables)} 行 rows")
    typer.echo(f"  文档 documents：{len(documents)} 个 files，{sum(d['size'] for d in documents) / 1e6:.1f} MB；"
               f"备份文件 archive {path.stat().st_size / 1e6:.1f} MB")
    typer.echo(f"  审计日志 audit head：{_head(manifest['audit_head'])}")


@app.command("restore")
def restore_cmd(path: Path = typer.Argument(..., help="inspection backup 写出的备份文件")) -> None:
    """从备份恢复到空数据库与数据目录（先核对备份文件，恢复后校验审计日志）。Restore a backup into an empty database."""
    from inspection.db import data_dir, database_url
    from inspection.services.backup import restore
    try:
        report = restore(path, database_url(), data_dir())
    except InspectionError as exc:
        fail(exc)
    typer.echo(f"已恢复 restored {path}（备份于 backed up at {report['backup_created_at']}）→ {report['database']}")
    typer.echo(f"  数据 rows：{report['tables']} 个表 tables，{report['rows']} 行 rows")
    typer.echo(f"  文档 documents：{report['documents']} 个 files → {report['data_folder']}"
               f"（新写入 written {report['copied']}）")
    typer.echo(f"  审计日志 audit head：{_head(report['audit_head'])}，已校验 verified")
    typer.echo(f"  审计锚点 audit anchor：{report['anchor']}")
    if report["previous_anchor"]:
        typer.echo(f"  原锚点已保留 previous anchor kept：{report['previous_anchor']}")


def _head(head: dict | None) -> str:
    return f"第 {head['seq']} 条 event {head['seq']}，{head['hash'][:16]}…" if head else "无 none"
