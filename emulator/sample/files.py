"""File makers: real docx, xlsx, pptx and pdf files, and txt, csv, html and md text.

Text comes as *blocks*: ``"# "`` starts a heading, ``"## "`` a subheading, ``"- "`` a bullet,
anything else is a paragraph. Dates inside the files are fixed (``FILE_DATE``) so that the same
input always gives the same bytes; SharePoint's own Created and Modified carry the real dates.
"""

from __future__ import annotations

import csv as csv_module
import functools
import html as html_module
import io
import zipfile
from datetime import UTC, datetime

import docx
import openpyxl
import pptx
from fpdf import FPDF
from openpyxl.styles import Font
from pptx.util import Inches

FILE_DATE = datetime(2025, 1, 2, 8, 0, tzinfo=UTC)
_ZIP_DATE = (2025, 1, 2, 8, 0, 0)
_CORE_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title>'
    "<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    '<cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{date}'
    '</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>'
    "</cp:coreProperties>")
_DOCX_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Title",
                "Title Char", "Heading 1", "Heading 1 Char", "Heading 2", "Heading 2 Char",
                "List Bullet", "Table Grid"}
_LATIN1 = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                         "…": "...", "€": "EUR", "•": "-"})


def _repack(data: bytes, title: str, author: str) -> bytes:
    """Rewrite an Office zip with fixed timestamps and our own core properties."""
    core = _CORE_XML.format(title=html_module.escape(title), author=html_module.escape(author),
                            date=FILE_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = core if info.filename == "docProps/core.xml" else source.read(info)
            media = info.filename.endswith((".jpeg", ".jpg", ".png"))
            target.writestr(zipfile.ZipInfo(info.filename, _ZIP_DATE), body,
                            zipfile.ZIP_STORED if media else zipfile.ZIP_DEFLATED)
    return out.getvalue()


@functools.cache
def _docx_template() -> bytes:
    """python-docx's default template with only the styles used here: much faster to fill."""
    document = docx.Document()
    for style in list(document.styles):
        if style.name not in _DOCX_STYLES:
            style.delete()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_docx(title: str, blocks: list[str], author: str,
              table: list[list[str]] | None = None) -> bytes:
    """A Word document with a title, the blocks and an optional table (first row is a header)."""
    document = docx.Document(io.BytesIO(_docx_template()))
    document.add_heading(title, level=0)
    for block in blocks:
        if block.startswith("## "):
            document.add_heading(block[3:], level=2)
        elif block.startswith("# "):
            document.add_heading(block[2:], level=1)
        elif block.startswith("- "):
            document.add_paragraph(block[2:], style="List Bullet")
        else:
            document.add_paragraph(block)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]), style="Table Grid")
        for row in table:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    return _repack(out.getvalue(), title, author)


def make_xlsx(title: str, sheets: dict[str, list[list]], author: str) -> bytes:
    """An Excel workbook with one sheet per entry; each sheet's first row is a bold header."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
    out = io.BytesIO()
    workbook.save(out)
    return _repack(out.getvalue(), title, author)


def make_pptx(title: str, slides: list[tuple[str, list[str]]], author: str,
              pictures: list[bytes] = ()) -> bytes:
    """A presentation: a title slide, one bullet slide per entry, then one slide per picture."""
    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = author
    for heading, bullets in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = heading
        frame = slide.placeholders[1].text_frame
        frame.text = bullets[0]
        for bullet in bullets[1:]:
            frame.add_paragraph().text = bullet
    for picture in pictures:
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        slide.shapes.add_picture(io.BytesIO(picture), Inches(0.5), Inches(0.5), width=Inches(9))
    out = io.BytesIO()
    deck.save(out)
    return _repack(out.getvalue(), title, author)


def _latin1(text: str) -> str:
    """Text the PDF core fonts can show: Danish letters stay, other characters are replaced."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def make_pdf(title: str, blocks: list[str], author: str, pictures: list[bytes] = ()) -> bytes:
    """A PDF in a core font (Latin-1 text), with optional full-width pictures at the end."""
    pdf = FPDF()
    pdf.set_creation_date(FILE_DATE)
    pdf.set_title(_latin1(title))
    pdf.set_author(_latin1(author))
    pdf.set_margins(20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    for block in blocks:
        pdf.ln(2)
        if block.startswith(("# ", "## ")):
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, _latin1(block.lstrip("# ")), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 5.5, _latin1(block), new_x="LMARGIN", new_y="NEXT")
    for picture in pictures:
        pdf.add_page()
        pdf.image(io.BytesIO(picture), w=170)
    return bytes(pdf.output())


def make_txt(title: str, blocks: list[str]) -> bytes:
    """Plain UTF-8 text: the title underlined, then the blocks."""
    lines = [f"{title}\n{'=' * len(title)}"]
    lines += [b.lstrip("# ").upper() if b.startswith("#") else b for b in blocks]
    return ("\n\n".join(lines) + "\n").encode()


def make_md(title: str, blocks: list[str]) -> bytes:
    """Markdown: the blocks already use its heading and bullet syntax, one level down."""
    lines, previous = [f"# {title}"], ""
    for block in blocks:
        if not (previous.startswith("- ") and block.startswith("- ")):
            lines.append("")
        lines.append("#" + block if block.startswith("#") else block)
        previous = block
    return ("\n".join(lines) + "\n").encode()


def make_html(title: str, blocks: list[str]) -> bytes:
    """A small HTML document; consecutive bullets make one list."""
    body = []
    for block in blocks:
        text = html_module.escape(block.lstrip("#- ") if block.startswith(("#", "- ")) else block)
        if block.startswith("#"):
            body.append(f"<h2>{text}</h2>")
        elif block.startswith("- "):
            if body and body[-1] == "</ul>":
                body.pop()
            else:
                body.append("<ul>")
            body += [f"<li>{text}</li>", "</ul>"]
        else:
            body.append(f"<p>{text}</p>")
    escaped = html_module.escape(title)
    return (f'<!DOCTYPE html>\n<html lang="da">\n<head><meta charset="utf-8">'
            f"<title>{escaped}</title></head>\n<body>\n<h1>{escaped}</h1>\n"
            + "\n".join(body) + "\n</body>\n</html>\n").encode()


def make_csv(rows: list[list]) -> bytes:
    """CSV as Danish Excel writes it: semicolons, and UTF-8 with a byte order mark."""
    out = io.StringIO()
    csv_module.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def truncated(data: bytes) -> bytes:
    """The first half of a file, as an interrupted upload leaves it."""
    return data[: len(data) // 2]
