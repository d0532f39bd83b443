"""Files built to fail: encrypted, scanned, truncated, bombs, liars. Plain functions writing real bytes."""

from __future__ import annotations

import base64
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path


def minimal_pdf(extra_trailer: str = "", objects: list[str] | None = None) -> bytes:
    """A one-page PDF written by hand (correct xref offsets)."""
    objs = objects or ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R {extra_trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf(path: Path) -> Path:
    """Standard security handler with an owner/user hash no empty password opens."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            f"<< /Filter /Standard /V 1 /R 2 /O <{'ab' * 32}> /U <{'cd' * 32}> /P -4 >>"]
    path.write_bytes(minimal_pdf(f"/Encrypt 4 0 R /ID [<{'01' * 16}> <{'01' * 16}>]", objs))
    return path


def scanned_pdf(path: Path) -> Path:
    """A page that is only an image (a scan): WeasyPrint with an inline PNG and no text."""
    from PIL import Image
    from weasyprint import HTML
    buf = io.BytesIO()
    Image.new("L", (400, 560), 200).save(buf, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    HTML(string=f'<html><body style="margin:0"><img src="{src}" style="width:100%"></body></html>').write_pdf(path)
    return path


def zip_bomb_docx(path: Path, unpacked_mb: int = 30) -> Path:
    """A DOCX whose document.xml inflates to `unpacked_mb` MB of zeros (about 1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"0" * (1 << 20)
            for _ in range(unpacked_mb):
                member.write(block)
    return path


def entity_bomb_docx(path: Path) -> Path:
    """A DOCX whose document.xml declares nested entities (billion laughs)."""
    xml = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return path


def ole_file(path: Path, encrypted: bool = False) -> Path:
    """The first bytes of an OLE compound file: an old .doc/.xls, or an encrypted OOXML package."""
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    if encrypted:
        body += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100
    path.write_bytes(body + b"\x00" * 1024)
    return path


def truncated(source: Path, path: Path, fraction: float = 0.5) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def _rewrite(source: Path, path: Path, part: str, change) -> Path:
    """A copy of an Office file with one part's bytes changed by `change(bytes) -> bytes`."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == part else data)
    return path


def grid_span_docx(source: Path, path: Path, value: str) -> Path:
    """The first table cell of a DOCX claims to span `value` columns (absurd, or not a number)."""
    return _rewrite(source, path, "word/document.xml",
                    lambda d: d.replace(b"<w:tc>", f'<w:tc><w:tcPr><w:gridSpan w:val="{value}"/></w:tcPr>'.encode(), 1))


def dtd_after_padding_docx(source: Path, path: Path) -> Path:
    """A DTD (entity declarations) hidden after 70 KB of whitespace, past the first chunk read."""
    return _rewrite(source, path, "word/document.xml",
                    lambda d: d.replace(b"?>", b"?>" + b" " * 70_000 + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', 1))


def huge_dimension_xlsx(source: Path, path: Path) -> Path:
    """A real workbook whose sheets declare the largest possible range (A1:XFD1048576)."""
    import re
    with zipfile.ZipFile(source) as zin:
        sheets = [n for n in zin.namelist() if n.startswith("xl/worksheets/sheet")]
    for n in sheets:
        target = path.with_suffix(".tmp.xlsx")
        _rewrite(source, target, n, lambda d: re.sub(rb'<dimension ref="[^"]*"\s*/>',
                                                      b'<dimension ref="A1:XFD1048576"/>', d))
        source = target.replace(path)
    return path


def nul_after_4k_csv(source: Path, path: Path) -> Path:
    """A CSV with NUL bytes after the first 4 KB (where the format probe does not look)."""
    path.write_bytes(source.read_bytes() + b"\n" + b"x" * 5000 + b"\x00\n")
    return path


def active_pdf(path: Path) -> Path:
    """A one-page PDF that runs JavaScript when opened and carries an embedded file."""
    objs = ["<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /EmbeddedFiles 5 0 R >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 7 0 R"
            " /Resources << /Font << /F1 8 0 R >> >> >>",
            "<< /S /JavaScript /JS (app.alert('x')) >>",
            "<< /Names [(run.exe) 6 0 R] >>",
            "<< /Type /Filespec /F (run.exe) /EF << /F 9 0 R >> >>",
            "<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 100 Td (xuexiao) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"]
    path.write_bytes(minimal_pdf(objects=objs))
    return path


def empty(path: Path) -> Path:
    """A 0-byte upload (an interrupted copy, a placeholder): whatever its extension says."""
    path.write_bytes(b"")
    return path


def _zeros(member, megabytes: int) -> None:
    block = b"0" * (1 << 20)
    for _ in range(megabytes):
        member.write(block)


def zip_bomb_xlsx(path: Path, unpacked_mb: int = 30) -> Path:
    """An XLSX (it has xl/workbook.xml) whose sheet XML inflates to `unpacked_mb` MB (about 1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            _zeros(member, unpacked_mb)
    return path


def entity_xlsx(source: Path, path: Path) -> Path:
    """A real workbook whose first sheet declares an entity for its first header (学校名称) and uses it:
    read with entities expanded it would be a good table, so only the DTD itself can refuse it."""
    head = "".join(f"&#{ord(c)};" for c in "学校名称").encode()
    return _rewrite(source, path, "xl/worksheets/sheet1.xml",
                    lambda d: d.replace(head, b"&head;", 1)
                    .replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY head "' + head + b'">]><worksheet', 1))


def _stream(data: bytes, attrs: str = "") -> str:
    """A PDF stream object body (latin-1 keeps every byte as it is)."""
    return f"<< /Length {len(data)} {attrs} >>\nstream\n" + data.decode("latin-1") + "\nendstream"


def _page_pdf(page: str, *extra: str) -> bytes:
    """Catalog, a one-page Pages node, the page `page` (object 3), then `extra` objects (4, 5, …)."""
    return minimal_pdf(objects=["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                page, *extra])


def _deflated(megabytes: int) -> bytes:
    """`megabytes` MB of spaces deflated, fed to the compressor 1 MB at a time (no 500 MB buffer)."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def _checksum_broken(deflated: bytes) -> bytes:
    return deflated[:-4] + bytes(4)    # the Adler-32 at the end


def deflate_bomb_pdf(path: Path, unpacked_mb: int = 30, bad_checksum: bool = False) -> Path:
    """A page whose content stream is `unpacked_mb` MB of spaces: deflated twice (500 MB is 1 KB on
    disk), or once with a wrong checksum (pdfminer retried those a byte at a time, in quadratic time)."""
    once = _deflated(unpacked_mb)
    data, filters = (_checksum_broken(once), "/FlateDecode") if bad_checksum else \
        (zlib.compress(once, 9), "[/FlateDecode /FlateDecode]")
    path.write_bytes(_page_pdf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
                               _stream(data, f"/Filter {filters}")))
    return path


def deep_array_pdf(path: Path, depth: int = 100_000) -> Path:
    """A page dictionary carrying an array nested `depth` deep ([[[…]]])."""
    path.write_bytes(_page_pdf(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Deep {'[' * depth}{']' * depth} >>"))
    return path


def deep_pages_pdf(path: Path, depth: int = 10_000) -> Path:
    """A page tree `depth` Pages nodes deep, each the only kid of the one above, the page at the bottom."""
    nodes = [f"<< /Type /Pages /Kids [{n + 3} 0 R] /Count 1 >>" for n in range(depth)]   # objects 2 … depth+1
    page = f"<< /Type /Page /Parent {depth + 1} 0 R /MediaBox [0 0 200 200] >>"
    path.write_bytes(minimal_pdf(objects=["<< /Type /Catalog /Pages 2 0 R >>", *nodes, page]))
    return path


def page_pdf(path: Path, side: int = 200, text: str = "", bad_checksum: bool = False) -> Path:
    """One page `side` × `side` pt (PDF's own limit is 14,400) with a line of ASCII `text` (none: an
    empty page), its content stream deflated — with a wrong checksum if `bad_checksum`."""
    content = zlib.compress(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode() if text else b"")
    content = _checksum_broken(content) if bad_checksum else content
    path.write_bytes(_page_pdf(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side} {side}] /Contents 4 0 R"
                               " /Resources << /Font << /F1 5 0 R >> >> >>", _stream(content, "/Filter /FlateDecode"),
                               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
    return path


TINY_TABLE = (b'<w:tbl><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>'
              b'</w:tc></w:tr></w:tbl><w:p/>')


def many_tables_docx(source: Path, path: Path, tables: int = 10_000) -> Path:
    """A real DOCX with `tables` one-cell tables before its school table (about 1 MB of XML, 30 KB zipped)."""
    return _rewrite(source, path, "word/document.xml", lambda d: d.replace(b"<w:tbl>", TINY_TABLE * tables + b"<w:tbl>", 1))


def vmerge_docx(source: Path, path: Path, rows: int = 5_000, header: bool = False) -> Path:
    """A real DOCX whose table's every cell says "merged with the cell above" (vMerge continue) — but
    the header's with `header` — with `rows` more such rows appended. Without the header no merge
    has a start; with it every school row is covered by the header."""
    import re

    def change(xml: bytes) -> bytes:
        rows_xml = re.findall(rb"<w:tr>.*?</w:tr>", xml, re.DOTALL)
        merged = [r.replace(b"<w:tcPr>", b"<w:tcPr><w:vMerge/>") for r in rows_xml]
        for old, new in list(zip(rows_xml, merged))[1 if header else 0:]:
            xml = xml.replace(old, new, 1)
        return xml.replace(b"</w:tbl>", merged[-1] * rows + b"</w:tbl>", 1)
    return _rewrite(source, path, "word/document.xml", change)


def _filler(first: int, count: int, row) -> Iterator[bytes]:
    """`count` rows numbered from `first`, as `row(n)` renders one, in blocks of 10,000 (streamed to disk)."""
    for start in range(first, first + count, 10_000):
        yield b"".join(row(n) for n in range(start, min(start + 10_000, first + count)))


def many_rows_csv(source: Path, path: Path, rows: int = 1_000_000) -> Path:
    """A real CSV followed by `rows` one-school rows (about 10 bytes each: 1,000,000 is 10 MB, under the size limit)."""
    with path.open("wb") as out:
        out.write(source.read_bytes())
        for block in _filler(1, rows, lambda n: b"x%d,1\n" % n):
            out.write(block)
    return path


def many_rows_xlsx(source: Path, path: Path, rows: int = 1_000_000) -> Path:
    """A real workbook whose first sheet goes on for `rows` more rows of one number (1,000,000: 5 MB zipped)."""
    import re
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            first = max(int(n) for n in re.findall(rb'<row r="(\d+)"', head)) + 1
            with zout.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                for block in _filler(first, rows, lambda n: b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)):
                    member.write(block)
                member.write(b"</sheetData>" + tail)
    return path


def garbage_pdf(path: Path) -> Path:
    """A PDF header and end marker around bytes that are no PDF at all."""
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    return path


def blob(path: Path) -> Path:
    """Binary bytes no reader claims."""
    path.write_bytes(b"\x00\x01\x02" * 100)
    return path


def copy_named(source: Path, path: Path) -> Path:
    """`source`'s bytes under another name (an extension that lies about the content)."""
    path.write_bytes(source.read_bytes())
    return path


def cut_mid_character(source: Path, path: Path) -> Path:
    """A UTF-8 CSV cut short inside its last Chinese character (an interrupted upload)."""
    data = source.read_bytes()
    end = max(i for i in range(len(data)) if data[i] >= 0xE0)    # the lead byte of the last 3-byte character
    path.write_bytes(data[:end + 1])
    return path


def latin1_csv(path: Path) -> Path:
    """Text that is neither UTF-8 nor GB18030 (0xFF and 0x80 begin no character in either)."""
    path.write_bytes("学校,学段\n".encode() + b"\xff\x80,\x80\xff\n")
    return path


def rewritten_csv(source: Path, path: Path, encoding: str = "utf-8", cells: dict[str, str] | None = None) -> Path:
    """`source` (a UTF-8 CSV) with whole cells replaced (`cells`), saved in `encoding` ("gbk": Excel's
    Chinese CSV, "utf-8-sig": with a BOM)."""
    import csv
    rows = [[(cells or {}).get(c, c) for c in row] for row in csv.reader(io.StringIO(source.read_text("utf-8")))]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path
