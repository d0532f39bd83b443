"""XLSX reader (openpyxl, read-only, cached values): one grid per sheet, rows numbered as in Excel."""

from __future__ import annotations

import io

from inspection.ingest.errors import CorruptFileError, FileTooLargeError
from inspection.ingest.limits import Limits
from inspection.ingest.model import Extract, Grid, Source
from inspection.ingest.registry import Probe
from inspection.ingest.safety import check_zip, memory_exhausted
from inspection.ingest.sandbox import read_in_sandbox


MAX_COLUMNS = 1000   # a school table has about 13; anything this wide is not one


class XlsxReader:
    kind = "xlsx"
    label = "Excel（XLSX）"
    extensions = (".xlsx", ".xlsm")

    def score(self, probe: Probe) -> float | None:
        if probe.members and "xl/workbook.xml" in probe.members:
            return 1.0
        return None

    def read(self, data: bytes, source: Source, limits: Limits) -> Extract:
        check_zip(data, source.file, limits)          # bombs and DTDs are refused before any parser runs
        return read_in_sandbox("xlsx", data, source, limits)


def parse_xlsx(data: bytes, source: Source, limits: Limits) -> Extract:
    """The XLSX parse itself (run in the sandbox's child by `office_worker.py`)."""
    import openpyxl

    from inspection.ingest.xlsx_rows import texts_by_row
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        if memory_exhausted(exc):  # over the child's memory limit: the worker says so
            raise MemoryError from exc  # openpyxl raises many types (KeyError, InvalidFileException, …)
        raise CorruptFileError(f"{source.file} 不是有效的 Excel 工作簿：{type(exc).__name__}",
                               f"{source.file} is not a valid XLSX workbook: {exc}", file=source.file) from exc
    grids = []
    try:
        for index, sheet in enumerate(book.worksheets, start=1):
            rows, numbers = [], []
            # The sheet's declared <dimension> is the file's claim, not its content: a crafted
            # "A1:XFD1048576" would have every row padded to 16,384 cells. Read the cells it has.
            sheet.reset_dimensions()
            for number, texts in enumerate(texts_by_row(sheet), start=1):
                if len(texts) > MAX_COLUMNS:
                    raise FileTooLargeError(
                        f"{source.file} 工作表“{sheet.title}”超过 {MAX_COLUMNS} 列，已拒绝",
                        f"{source.file} sheet {sheet.title} is wider than {MAX_COLUMNS} columns; refused",
                        file=source.file)
                if any(t and t.strip() for t in texts):
                    rows.append(texts)
                    numbers.append(number)
                if number > limits.max_rows:
                    raise FileTooLargeError(f"{source.file} 工作表“{sheet.title}”超过 {limits.max_rows} 行",
                                            f"{source.file} sheet {sheet.title} has more than {limits.max_rows} rows",
                                            file=source.file)
            if rows:
                grids.append(Grid(tuple(rows), tuple(numbers), index=index, sheet=sheet.title,
                                  caption=sheet.title))
    finally:
        book.close()
    return Extract(grids=tuple(grids))


READER = XlsxReader()
