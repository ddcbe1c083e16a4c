"""Real Office and PDF files, built with the libraries that write them, in Danish."""

import io
from collections.abc import Callable
from datetime import datetime
from html.parser import HTMLParser

import docx
import fpdf
import openpyxl
import pptx
import pytest
from pptx.util import Inches

from indexer.extract.sanitise import safe_url

VOID_ELEMENTS = frozenset({"br", "hr", "img"})
ALLOWED_TAGS = frozenset(
    "p br h2 h3 h4 strong em u s a ul ol li blockquote table thead tbody tr th td img figure "
    "figcaption span div hr pre code".split())
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "p": {"class"},  # only on the placeholder of a web part, which the canvas writes itself
}
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
    sheet.append(["Frist", datetime(2025, 3, 1), datetime(2025, 3, 1, 12, 30)])
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


class _HtmlCheck(HTMLParser):
    """Checks that every element is closed, in order, and that only the allowlist is used."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, ()), (tag, name)
            if name in ("href", "src"):
                assert safe_url(value) is not None, value
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert tag not in VOID_ELEMENTS and self.stack and self.stack.pop() == tag, tag


def _assert_safe_html(markup: str) -> None:
    checker = _HtmlCheck()
    checker.feed(markup)
    checker.close()
    assert checker.stack == [], markup


@pytest.fixture(scope="session")
def safe_html() -> Callable[[str], None]:
    """Asserts that HTML is well-formed (every element closed, in order) and uses only the
    allowed tags, attributes and URL schemes."""
    return _assert_safe_html
