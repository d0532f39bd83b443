"""CSV reader: UTF-8 (with or without BOM) or GB18030 (Excel's Chinese export); one grid."""

from __future__ import annotations

import csv
import io

from inspection.ingest.errors import CorruptFileError, FileTooLargeError
from inspection.ingest.limits import Limits
from inspection.ingest.model import Extract, Grid, Source
from inspection.ingest.registry import Probe
from inspection.errors import ReadError


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 — but a file that is UTF-8 save for a few bytes (cut
    short, or a row pasted from elsewhere) is damaged, not GB18030: read as GB18030 it is mojibake."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse_damaged_utf8(data, exc, file)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError(f"{file} 不是UTF-8或GB18030编码的文本文件", f"{file} is not UTF-8 or GB18030 text",
                        file=file) from None


def _refuse_damaged_utf8(data: bytes, exc: UnicodeDecodeError, file: str) -> None:
    """Raise if the bytes are mostly UTF-8: ten times more non-ASCII characters decode than fail (GBK
    text decodes as UTF-8 a few characters in ten, by chance). Counted in C: no Python loop per character."""
    text = data.decode("utf-8-sig", "replace")
    bad = text.count("\ufffd")
    decoded = len(text) - len(text.encode("ascii", "ignore")) - bad
    if decoded > 10 * bad:
        line = data[:exc.start].count(b"\n") + 1
        raise CorruptFileError(f"{file} 是UTF-8编码，但第{line}行起有{bad}处无法识别的字节（文件可能已损坏或上传不完整），"
                               "请重新导出后提交",
                               f"{file} is UTF-8 text with {bad} undecodable byte sequence(s) from line {line} "
                               "(damaged or cut short); export it again", file=file, line=line)


class CsvReader:
    kind = "csv"
    label = "CSV"
    extensions = (".csv", ".txt")

    def score(self, probe: Probe) -> float | None:
        """Text without NUL bytes: the fallback, a little more likely when named .csv."""
        if b"\x00" in probe.head or probe.head.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return None
        return 0.5 if probe.suffix in self.extensions else 0.1

    def read(self, data: bytes, source: Source, limits: Limits) -> Extract:
        if b"\x00" in data:   # anywhere, not only where the probe looked: text never holds NUL bytes
            raise CorruptFileError(f"{source.file} 含有空字符（NUL），不是文本表格；请用 Excel/WPS 另存为 CSV 或 XLSX 后提交",
                                   f"{source.file} contains NUL bytes: it is not a text table", file=source.file)
        text = decode(data, source.file)
        rows, numbers = [], []
        reader = csv.reader(io.StringIO(text))
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append(tuple(row))
                    numbers.append(reader.line_num)
                if len(rows) > limits.max_rows:
                    raise FileTooLargeError(f"{source.file} 超过 {limits.max_rows} 行", 
                                            f"{source.file} has more than {limits.max_rows} rows", file=source.file)
        except csv.Error as exc:
            raise CorruptFileError(f"{source.file} 不是有效的 CSV：{exc}", f"{source.file} is not valid CSV: {exc}",
                                   file=source.file) from exc
        if not rows:
            raise CorruptFileError(f"{source.file} 是空文件", f"{source.file} is empty", file=source.file)
        return Extract(grids=(Grid(tuple(rows), tuple(numbers), index=1),))


READER = CsvReader()
