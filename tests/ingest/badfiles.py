"""Files built to fail: encrypted, scanned, truncated, bombs, liars. Plain functions writing real bytes."""

from __future__ import annotations

import base64
import io
import zipfile
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
