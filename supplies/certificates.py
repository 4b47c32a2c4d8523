"""Honour certificates (荣誉证书) as PDF, rendered offline.

Font: reportlab's built-in CID font STSong-Light (Adobe-GB1). It needs no font file and no network; the
PDF names the font and every reader (Acrobat, pdf.js, poppler, Foxit) supplies a Song face for it. Text is
written as UCS-2 code points, so it can be searched, copied and extracted. See docs/supplies.md.
"""

import base64
import io
import re
import zlib

import segno
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
RED = colors.HexColor("#b3121b")
GOLD = colors.HexColor("#c8a14a")


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _wrap(text, font, size, width):
    """Chinese has no spaces: wrap by measured width, one character at a time."""
    lines, current = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(current + ch, font, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines


def render_pdf(certificate, verify_url):
    """PDF bytes for a certificate; verify_url is printed and encoded in the QR code."""
    font = _font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"荣誉证书 {certificate.code}")
    pdf.setAuthor(certificate.issuer)
    pdf.setSubject(certificate.donor_name)

    # Double red-and-gold frame, the look of a printed 荣誉证书.
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(6)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1.5)
    pdf.rect(17 * mm, 17 * mm, width - 34 * mm, height - 34 * mm)

    pdf.setFillColor(RED)
    pdf.setFont(font, 44)
    pdf.drawCentredString(width / 2, height - 55 * mm, "荣 誉 证 书")

    pdf.setFillColor(colors.black)
    pdf.setFont(font, 22)
    left = 40 * mm
    pdf.drawString(left, height - 80 * mm, f"{certificate.donor_name}:")
    size, text_width = 17, width - 2 * left
    y = height - 96 * mm
    for line in _wrap("　　" + certificate.citation, font, size, text_width):
        pdf.setFont(font, size)
        pdf.drawString(left, y, line)
        y -= size * 1.8

    issued = timezone.localtime(certificate.issued_at)
    pdf.setFont(font, 16)
    pdf.drawRightString(width - left, 48 * mm, certificate.issuer)
    pdf.drawRightString(width - left, 38 * mm, f"{issued.year}年{issued.month}月{issued.day}日")

    qr = segno.make(verify_url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6, border=1)
    png.seek(0)
    pdf.drawImage(ImageReader(png), left, 26 * mm, 30 * mm, 30 * mm)
    pdf.setFont(font, 10)
    pdf.setFillColor(colors.HexColor("#555555"))
    pdf.drawString(left + 33 * mm, 40 * mm, f"验证码:{certificate.code}")
    pdf.drawString(left + 33 * mm, 33 * mm, "扫码或访问以下网址核验真伪:")
    pdf.drawString(left + 33 * mm, 27 * mm, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


_OBJECT = re.compile(rb"\d+ 0 obj\s*<<(.*?)>>\s*(?:endobj|stream\r?\n(.*?)endstream)", re.S)
_TOKENS = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|<([0-9A-Fa-f\s]*)>\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal):
    def one(match):
        esc = match.group(1)
        if esc[:1].isdigit():
            return bytes([int(esc, 8) & 0xFF])
        return _ESCAPES.get(esc, esc)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def extract_text(pdf_bytes):
    """The text drawn in a reportlab PDF, independent of reportlab: decode the content streams (ASCII85,
    Flate) and the Tj strings — UCS-2 big-endian under a Type0 (CID) font, Latin-1 under the others.
    Enough for our own certificates; tests use it to prove the Chinese text is really in the PDF."""
    objects = _OBJECT.findall(pdf_bytes)
    cid_fonts = set()
    for head, _stream in objects:
        name = re.search(rb"/Name\s*/(\w+)", head)
        if name and b"/Type0" in head:
            cid_fonts.add(name.group(1))
    lines = []
    for head, stream in objects:
        if not stream or b"/Type /XObject" in head or b"/Subtype /Image" in head:
            continue
        data = stream.strip()
        try:
            if b"ASCII85Decode" in head:
                data = base64.a85decode(data, adobe=True)
            if b"FlateDecode" in head:
                data = zlib.decompress(data)
        except (ValueError, zlib.error):
            continue
        font = None
        for match in _TOKENS.finditer(data):
            if match.group(1):
                font = match.group(1)
                continue
            raw = _unescape(match.group(2)) if match.group(2) is not None else bytes.fromhex(
                re.sub(rb"\s", b"", match.group(3)).decode())
            lines.append(raw.decode("utf-16-be", "replace") if font in cid_fonts else raw.decode("latin-1"))
    return "\n".join(lines)
