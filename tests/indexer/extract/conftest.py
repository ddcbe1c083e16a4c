"""Real Office and PDF files, built with the libraries that write them, in Danish."""

import io

import docx
import fpdf
import openpyxl
import pptx
import pytest
from pptx.util import Inches

SURVEY = "medarbejdertilfredshedsundersøgelse"
CARE = "Ældrepleje på Østergården"


def make_docx(body: str = SURVEY) -> bytes:
    """A Word document: heading, paragraph, table, header and footer."""
    document = docx.Document()
    document.add_heading("Årsrapport for Sundby Kommune", level=1)
    document.add_paragraph(f"Resultatet af {body} er klar.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Afdeling"
    table.cell(0, 1).text = "Tilfredshed"
    table.cell(1, 0).text = CARE
    table.cell(1, 1).text = "87 %"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Intern – må ikke deles"
    section.footer.paragraphs[0].text = "Sundby Kommune, Rådhuspladsen 1"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    """A workbook with two sheets, text, numbers and an empty cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget 2025"
    sheet.append(["Område", "Beløb"])
    sheet.append([CARE, 1250000.0])
    sheet.append(["Skoler", None, "bemærk: æøå"])
    other = book.create_sheet("Bilag")
    other["B3"] = SURVEY
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_pptx() -> bytes:
    """A deck: a title slide, a slide with a table and speaker notes."""
    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = "Velkommen til Østergården"
    first.placeholders[1].text = "Nyt fra ældreplejen"
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Resultater"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    table.cell(0, 0).text = "Undersøgelse"
    table.cell(1, 0).text = SURVEY
    second.notes_slide.notes_text_frame.text = "Husk at nævne Æblehaven"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def make_pdf(pages: int = 2) -> bytes:
    """A PDF with latin-1 text in a core font, one paragraph per page."""
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        text = CARE if number == 1 else f"Side {number}: {SURVEY}"
        pdf.multi_cell(w=0, text=text)
    return bytes(pdf.output())


@pytest.fixture(scope="session")
def docx_bytes() -> bytes:
    return make_docx()


@pytest.fixture(scope="session")
def xlsx_bytes() -> bytes:
    return make_xlsx()


@pytest.fixture(scope="session")
def pptx_bytes() -> bytes:
    return make_pptx()


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    return make_pdf()
