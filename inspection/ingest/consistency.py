"""Figures that contradict each other across documents (跨文件数据矛盾).

The same school and stage appearing in two documents' tables with a different figure (after unit
conversion) is an `Inconsistency`; the veto scan reports it as a `falsification` finding.
"""

from __future__ import annotations

from itertools import combinations
from typing import Sequence

from inspection.columns import NUMERIC_FIELDS, column
from inspection.ingest.model import Document, Inconsistency
from inspection.standard import STAGE_ZH

RELATIVE = 1e-6


def _index(doc: Document) -> dict[tuple[str, str], int]:
    return {(name, str(stage)): i for i, (name, stage) in enumerate(zip(doc.table.names, doc.table.stages))}


def _where(prov) -> str:
    if prov is None:
        return ""
    return prov.describe()


def cross_document(documents: Sequence[Document]) -> list[Inconsistency]:
    """Every (school, stage, field) whose figure differs between two documents' school tables."""
    tables = [d for d in documents if d.table is not None]
    out = []
    for a, b in combinations(tables, 2):
        rows_b = _index(b)
        for key, i in _index(a).items():
            j = rows_b.get(key)
            if j is None:
                continue
            for f in NUMERIC_FIELDS:
                va, vb = float(a.table.figures[f][i]), float(b.table.figures[f][j])
                if abs(va - vb) <= RELATIVE * max(abs(va), abs(vb), 1.0):
                    continue
                pa, pb = a.table.row_provenance(i, f), b.table.row_provenance(j, f)
                label = f"{key[0]}（{STAGE_ZH.get(key[1], key[1])}）{column(f).bare_header}"
                quote = f"{label}：{a.source.file}为{va:g}，{b.source.file}为{vb:g}"
                out.append(Inconsistency(
                    quote=quote,
                    zh=f"{quote}，两份材料数据相互矛盾（{_where(pa)}；{_where(pb)}）",
                    en=f"{key[0]} ({key[1]}) {f}: {a.source.file} gives {va:g}, {b.source.file} gives {vb:g}",
                    page=pa.page if pa else None, provenance=tuple(p for p in (pa, pb) if p)))
    return out
