"""Text from Office Open XML files: Word (.docx), Excel (.xlsx) and PowerPoint (.pptx)."""

from collections.abc import Iterator
from datetime import datetime, time
from io import BytesIO

import docx
import openpyxl
import pptx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from pptx.shapes.group import GroupShape

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_T, _W_TAB, _W_BR, _W_CR = (f"{_W}{tag}" for tag in ("p", "t", "tab", "br", "cr"))
_W_TEXT_BOX = f"{_W}txbxContent"
# A drawing is stored twice, as DrawingML and as a VML fallback: read only the first.
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WORD_PARTS = (RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES)


def read_docx(data: bytes) -> Iterator[str]:
    """The paragraphs of a Word document (tables, text boxes and content controls included),
    then those of its headers, footers, footnotes and endnotes."""
    document = docx.Document(BytesIO(data))
    yield from _word_lines(document.element.body)
    for rel in document.part.rels.values():
        if rel.reltype in _WORD_PARTS and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)  # python-docx leaves footnotes unparsed
            yield from _word_lines(parse_xml(part.blob) if element is None else element)


def _word_lines(element) -> Iterator[str]:
    """One line per paragraph below ``element``; a text box follows its paragraph."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag == _MC_FALLBACK:
            continue
        if child.tag == _W_P:
            pieces: list[str] = []
            boxes: list = []
            _runs(child, pieces, boxes)
            yield "".join(pieces)
            for box in boxes:
                yield from _word_lines(box)
        else:
            yield from _word_lines(child)


def _runs(element, pieces: list[str], boxes: list) -> None:
    """Collect the text of one paragraph; deleted text and field codes are not ``w:t``."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag == _MC_FALLBACK:
            continue
        if tag == _W_T:
            pieces.append(child.text or "")
        elif tag == _W_TAB:
            pieces.append("\t")
        elif tag in (_W_BR, _W_CR):
            pieces.append("\n")
        elif tag == _W_TEXT_BOX:
            boxes.append(child)
        else:
            _runs(child, pieces, boxes)


def read_xlsx(data: bytes) -> Iterator[str]:
    """Each sheet's name, then one line per row of its cell values (formula results)."""
    book = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield sheet.title
            sheet.reset_dimensions()  # the stored dimensions can be wrong; read every row
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in row if value is not None]
                if any(cells):
                    yield "\t".join(cells)
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    return str(value)


def read_pptx(data: bytes) -> Iterator[str]:
    """Slide by slide: the text of every shape (groups and tables included), then the notes."""
    presentation = pptx.Presentation(BytesIO(data))
    for slide in presentation.slides:
        for shape in slide.shapes:
            yield from _shape_lines(shape)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                yield notes.text


def _shape_lines(shape) -> Iterator[str]:
    if isinstance(shape, GroupShape):
        for member in shape.shapes:
            yield from _shape_lines(member)
    elif shape.has_text_frame:
        yield shape.text_frame.text
    elif shape.has_table:
        for row in shape.table.rows:
            yield "\t".join(cell.text for cell in row.cells)
