"""Build one school table as real CSV, XLSX, DOCX and PDF files, in many layouts.

`TableSpec.of(rows, layout)` turns school rows (from `tests.factories.school`) into header and body
rows of spanning cells; `write_csv`, `write_xlsx`, `write_docx`, `write_pdf` render that one spec,
so every format carries the same figures and a test can compare their evaluations.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from pathlib import Path

from inspection.columns import canonical_columns

STAGE_ZH = {"primary": "小学", "junior": "初中"}
FIELDS = [c.field for c in canonical_columns()]
CANONICAL = {c.field: c.header for c in canonical_columns()}
RENAMED = {"name": "学校", "stage": "学段", "students": "学生数（人）", "classes": "班级数（个）",
           "qualified_teachers": "高于规定学历教师（人）", "backbone_teachers": "县级及以上骨干教师",
           "pe_teachers": "体育专任教师", "art_teachers": "艺术（音乐、美术）专任教师",
           "teaching_area": "教学及辅助用房面积（㎡）", "sports_area": "体育运动场馆面积(m²)",
           "equipment_value": "教学仪器设备值（万元）", "multimedia_rooms": "网络多媒体教室（间）"}
NARRATIVE = ["一、基本情况", "我县共有义务教育学校若干所。全县所有学校均未设置重点班。",
             "二、招生情况", "我县严禁以考试方式招生，全面落实免试就近入学。"]


@dataclass(frozen=True)
class Layout:
    order: tuple[str, ...] = tuple(FIELDS)
    headers: dict = field(default_factory=lambda: dict(CANONICAL))
    equipment_unit: str = "万元"          # 万元 or 元; "" leaves it to a unit note
    unit_note: str = ""                   # a line above the table, e.g. "金额单位：万元"
    title: str = ""                       # a title row inside the table
    totals: bool = False
    group_teachers: bool = False          # two-row header: 专任教师 over the teacher columns
    combined_pe_art: bool = False
    thousands: bool = False
    fullwidth: bool = False
    sections: bool = False                # no stage column; 小学 / 初中 section rows
    merge_nine_year: bool = False         # a nine-year school's name cell spans its two rows
    long_name: int | None = None          # row whose name wraps over many lines (breaks across pages)
    font_size: int = 11
    borderless: bool = False              # no cell borders (an Excel sheet printed without gridlines)
    repeat_header: bool = True            # PDF: header rows repeated on every page (a <thead>)


def renamed(**changes) -> Layout:
    order = ("students", "name", "stage", "equipment_value", "classes", "art_teachers", "pe_teachers",
             "qualified_teachers", "backbone_teachers", "sports_area", "teaching_area", "multimedia_rooms")
    return replace(Layout(order=order, headers=dict(RENAMED)), **changes)


def _header_text(layout: Layout, f: str) -> str:
    text = layout.headers.get(f, CANONICAL[f])
    if f == "equipment_value":
        base = text.split("（")[0].split("(")[0]
        return base + (f"（{layout.equipment_unit}）" if layout.equipment_unit else "")
    return text


def _number(value: float, decimals: int, layout: Layout) -> str:
    text = f"{value:,.{decimals}f}" if layout.thousands else f"{value:.{decimals}f}"
    if layout.fullwidth:
        text = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    return text


def cell_values(row: dict, layout: Layout) -> dict[str, str]:
    """Every figure as text, rounded once, so all formats (and the CSV baseline) agree."""
    out = {"name": row["name"], "stage": STAGE_ZH[row["stage"]]}
    for f in FIELDS[2:]:
        value = row.get(f, "")
        if value == "" or value is None:
            out[f] = str(value or "")
            continue
        if f == "equipment_value":
            wan = round(float(value) / 10000, 4)
            out[f] = _number(wan, 4, layout) if layout.equipment_unit != "元" else _number(wan * 10000, 2, layout)
        elif f == "students":
            out[f] = _number(float(value), 0, layout)
        else:
            out[f] = _number(round(float(value), 2), 2, layout)
    return out


@dataclass
class TableSpec:
    """Header rows and body rows of (text, colspan, rowspan) cells; None marks a covered position."""

    width: int
    header: list[list]
    body: list[list]
    caption: list[str]

    @classmethod
    def of(cls, rows: list[dict], layout: Layout) -> "TableSpec":
        order = [f for f in layout.order if not (layout.sections and f == "stage")]
        if layout.combined_pe_art:
            order = [f for f in order if f != "art_teachers"]
        width = len(order)
        heads = {f: _header_text(layout, f) for f in order}
        if layout.combined_pe_art:
            heads["pe_teachers"] = "体育、艺术专任教师"
        header: list[list] = []
        if layout.title:
            header.append([(layout.title, width, 1)] + [None] * (width - 1))
        if layout.group_teachers:
            teachers = [f for f in order if f.endswith("teachers")]
            top, bottom, j = [], [], 0
            while j < width:
                f = order[j]
                if f in teachers and (j == 0 or order[j - 1] not in teachers):
                    span = len([g for g in order[j:j + len(teachers)] if g in teachers])
                    top += [("专任教师", span, 1)] + [None] * (span - 1)
                    bottom += [(heads[g].replace("专任教师", "").replace("教师", "") or heads[g], 1, 1)
                               for g in order[j:j + span]]
                    j += span
                else:
                    top.append((heads[f], 1, 2))
                    bottom.append(None)
                    j += 1
            header += [top, bottom]
        else:
            header.append([(heads[f], 1, 1) for f in order])
        body: list[list] = []
        ordered = rows
        if layout.sections:
            ordered = [r for r in rows if r["stage"] == "primary"] + [r for r in rows if r["stage"] == "junior"]
        current = None
        for i, row in enumerate(ordered):
            if layout.sections and row["stage"] != current:
                current = row["stage"]
                body.append([(STAGE_ZH[current], width, 1)] + [None] * (width - 1))
            values = cell_values(row, layout)
            if layout.combined_pe_art:
                pe, art = row["pe_teachers"], row["art_teachers"]
                values["pe_teachers"] = _number(round(float(pe), 2) + round(float(art), 2), 2, layout)
            if layout.long_name == i:
                values["name"] = values["name"] + "".join(f"\n（校区{k}）" for k in range(1, 13))
            cells = [(values[f], 1, 1) for f in order]
            prev = ordered[i - 1] if i else None
            if layout.merge_nine_year and prev is not None and prev["name"] == row["name"] and body:
                body[-1][order.index("name")] = (values["name"], 1, 2)
                cells[order.index("name")] = None
            body.append(cells)
        if layout.totals:
            totals = ["合计" if f == "name" else "" for f in order]
            for j, f in enumerate(order):
                if f in ("students", "classes"):
                    total = sum(float(cell_values(r, replace(layout, thousands=False, fullwidth=False))[f])
                                for r in rows)
                    totals[j] = _number(total, 0 if f == "students" else 2, layout)
            body.append([(t, 1, 1) for t in totals])
        caption = [layout.unit_note] if layout.unit_note else []
        return cls(width, header, body, caption)

    def flat(self) -> list[list[str]]:
        """Rows of plain cells (spans become empty cells), for CSV."""
        out = []
        for row in self.header + self.body:
            out.append(["" if c is None else c[0] for c in row])
        return out


def write_csv(path: Path, spec: TableSpec) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for line in spec.caption:
            writer.writerow([line])
        writer.writerows(spec.flat())
    return path


def write_xlsx(path: Path, spec: TableSpec, *, numbers_as_numbers: bool = True) -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "学校数据"
    r0 = 1
    for line in spec.caption:
        sheet.cell(r0, 1, line)
        r0 += 1
    for i, row in enumerate(spec.header + spec.body):
        for j, cell in enumerate(row):
            if cell is None:
                continue
            text, colspan, rowspan = cell
            value: object = text
            if numbers_as_numbers and i >= len(spec.header):
                try:
                    value = float(text) if "." in text else int(text)
                except ValueError:
                    value = text
            sheet.cell(r0 + i, j + 1, value)
            if colspan > 1 or rowspan > 1:
                sheet.merge_cells(start_row=r0 + i, start_column=j + 1, end_row=r0 + i + rowspan - 1,
                                  end_column=j + colspan)
    book.create_sheet("填表说明").cell(1, 1, "请按学校和学段逐行填写。")
    book.save(path)
    return path


def write_docx(path: Path, spec: TableSpec, narrative: list[str] = NARRATIVE) -> Path:
    import docx
    document = docx.Document()
    half = len(narrative) // 2
    for text in narrative[:half]:
        document.add_paragraph(text)
    for line in spec.caption:
        document.add_paragraph(line)
    rows = spec.header + spec.body
    table = document.add_table(rows=len(rows), cols=spec.width)
    table.style = "Table Grid"  # ruled, as county tables are; a PDF export needs the lines
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if cell is None:
                continue
            text, colspan, rowspan = cell
            target = table.cell(i, j)
            if colspan > 1 or rowspan > 1:
                target = target.merge(table.cell(i + rowspan - 1, j + colspan - 1))
            target.text = text
    for text in narrative[half:]:
        document.add_paragraph(text)
    document.save(path)
    return path


def spec_html(spec: TableSpec, narrative: list[str], layout: Layout) -> str:
    def render(row, tag):
        cells = []
        for cell in row:
            if cell is None:
                continue
            text, colspan, rowspan = cell
            cells.append(f'<{tag} colspan="{colspan}" rowspan="{rowspan}">{text.replace(chr(10), "<br>")}</{tag}>')
        return "<tr>" + "".join(cells) + "</tr>"

    half = len(narrative) // 2
    border = "none" if layout.borderless else "0.8pt solid #000"
    nowrap = "td { white-space: nowrap }" if layout.borderless else ""  # a printed sheet's rows stay one line
    paras = lambda items: "".join(f"<p>{t}</p>" for t in items)  # noqa: E731
    head = "".join(render(r, "th") for r in spec.header)
    body = "".join(render(r, "td") for r in spec.body)
    table = f"<table><thead>{head}</thead><tbody>{body}</tbody></table>" if layout.repeat_header \
        else f"<table><tbody>{head}{body}</tbody></table>"
    return f"""<html><head><meta charset="utf-8"><style>
      @page {{ size: A4 landscape; margin: 15mm }}
      body {{ font-family: 'AR PL UMing CN', 'Noto Serif CJK SC'; font-size: {layout.font_size}pt }}
      p {{ text-indent: 2em; margin: 0 0 4pt 0 }}
      table {{ border-collapse: collapse; width: 100% }}
      td, th {{ border: {border}; padding: 2pt 3pt; font-weight: normal }} {nowrap}
      tr {{ break-inside: auto }}
    </style></head><body>{paras(narrative[:half])}{paras(spec.caption)}
    {table}{paras(narrative[half:])}</body></html>"""


def write_pdf(path: Path, spec: TableSpec, layout: Layout, narrative: list[str] = NARRATIVE) -> Path:
    from weasyprint import HTML

    def refuse(url, *args, **kwargs):
        raise ValueError(f"no remote resources in tests: {url}")

    HTML(string=spec_html(spec, narrative, layout), url_fetcher=refuse).write_pdf(path)
    return path


def narrative_pdf(path: Path, paragraphs: list[str], pages: int = 1) -> Path:
    """A text-only PDF: `paragraphs` on `pages` pages (page breaks between equal shares)."""
    from weasyprint import HTML
    per = max(1, -(-len(paragraphs) // pages))
    chunks = [paragraphs[i:i + per] for i in range(0, len(paragraphs), per)]
    body = '<div style="break-after: page"></div>'.join("".join(f"<p>{t}</p>" for t in c) for c in chunks)
    HTML(string=f"""<html><head><meta charset="utf-8"><style>@page {{ size: A4; margin: 20mm }}
      body {{ font-family: 'AR PL UMing CN'; font-size: 12pt }} p {{ text-indent: 2em }}</style></head>
      <body>{body}</body></html>""").write_pdf(path)
    return path
