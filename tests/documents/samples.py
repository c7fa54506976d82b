"""Test documents made on the spot: PDFs with a text layer (reportlab), scans rendered from them
(PDFium) and roughened like a scanner's output (Pillow), and the bad files intake refuses."""

from __future__ import annotations

import io
import zipfile

import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

ENGLISH = "Please find enclosed my objection to the decision about my housing allowance."
DUTCH = "Hierbij maak ik bezwaar tegen het besluit over mijn huurtoeslag van vorige maand."


def letter_pdf(
    lines: list[str], *, encrypt_with: str | None = None, owner_password: str | None = None
) -> bytes:
    """A letter with a text layer; ``encrypt_with`` a user password ("" with an owner password:
    anyone may open it, but printing is forbidden)."""
    buffer = io.BytesIO()
    encrypt = None
    if encrypt_with is not None:
        encrypt = pdfencrypt.StandardEncryption(
            encrypt_with, ownerPassword=owner_password, canPrint=0
        )
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    pdf.setFont("Helvetica", 13)
    y = 760
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 24
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scan_image(lines: list[str], *, dpi: int = 300, rotate: int = 0, skew: float = 0.0):
    """A page of the letter as a scanner would give it: grey, slightly blurred, turned."""
    document = pdfium.PdfDocument(letter_pdf(lines))
    image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    document.close()
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if rotate:
        image = image.rotate(rotate, expand=True)
    return image


def encoded(image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def scan_pdf(lines: list[str]) -> bytes:
    """A PDF that holds only a scanned image, no text layer."""
    buffer = io.BytesIO()
    scan_image(lines, dpi=200).convert("RGB").save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


def zip_named_pdf() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoice.txt", "not a PDF")
    return buffer.getvalue()


#: The start of a Windows program (a DOS header's "MZ" and its stub).
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def wide_image(side: int = 20_000) -> bytes:
    return encoded(Image.new("1", (side, 40), 1))


def decompression_bomb(side: int = 9_000) -> bytes:
    """A few kilobytes of PNG that would unpack to 81 million pixels."""
    return encoded(Image.new("1", (side, side), 1))


def corrupt_pdf() -> bytes:
    whole = letter_pdf([ENGLISH])
    return whole[:200] + b"\x00garbage\x00" * 20
