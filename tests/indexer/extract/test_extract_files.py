"""extract_text, in process: every format, the encodings, and files it cannot read."""

import io

import pypdf
import pytest

from indexer.extract.files import Extraction, extract_text
from indexer.extract.plain import decode

SURVEY = "medarbejdertilfredshedsundersøgelse"
CARE = "Ældrepleje på Østergården"


def test_docx_paragraphs_tables_headers_and_footers(docx_bytes):
    result = extract_text("Årsrapport.docx", docx_bytes)
    assert result.error is None
    assert f"Resultatet af {SURVEY} er klar." in result.text
    assert CARE in result.text.splitlines()
    assert "Intern – må ikke deles" in result.text
    assert "Sundby Kommune, Rådhuspladsen 1" in result.text
    assert result.text.startswith("Årsrapport for Sundby Kommune")


def test_xlsx_sheet_names_and_cell_values(xlsx_bytes):
    result = extract_text("budget.XLSX", xlsx_bytes)
    assert result.error is None
    lines = result.text.splitlines()
    assert lines[0] == "Budget 2025"
    assert f"{CARE} 1250000" in lines
    assert "Skoler bemærk: æøå" in lines
    assert "Frist 2025-03-01 2025-03-01 12:30:00" in lines
    assert lines[-2:] == ["Bilag", SURVEY]


def test_pptx_slides_tables_and_notes(pptx_bytes):
    result = extract_text("oplæg.pptx", pptx_bytes)
    assert result.error is None
    for text in ("Velkommen til Østergården", "Nyt fra ældreplejen", SURVEY,
                 "Husk at nævne Æblehaven"):
        assert text in result.text


def test_pdf_pages(pdf_bytes):
    result = extract_text("referat.pdf", pdf_bytes)
    assert result.error is None
    assert CARE in result.text
    assert f"Side 2: {SURVEY}" in result.text


def test_password_protected_pdf_is_reported(pdf_bytes):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes)))
    writer.encrypt("hemmeligt", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = extract_text("låst.pdf", buffer.getvalue())
    assert result == Extraction("", "could not read pdf: the file is password-protected")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("filename", ["noter.txt", "liste.csv", "README.md"])
def test_text_files_in_each_encoding(filename, encoding):
    content = f"Navn;Afdeling\r\nJens Ø. Hansen;{CARE}\r\nSøren;Ærø\r\n"
    result = extract_text(filename, content.encode(encoding))
    assert result.error is None
    assert result.text == f"Navn;Afdeling\nJens Ø. Hansen;{CARE}\nSøren;Ærø"


def test_decode_falls_back_to_cp1252_for_bytes_that_are_not_utf8():
    assert decode("æøå ÆØÅ – €".encode("cp1252")) == "æøå ÆØÅ – €"
    assert decode(b"\x81\xe6") == "\ufffdæ"  # 0x81 is undefined in cp1252


def test_html_gives_visible_text_only():
    page = ("<!DOCTYPE html><html><head><title>Nyhed</title><style>p {color: red}</style>"
            "<script>var hemmelig = 'alert(1)';</script></head><body>"
            "<h1>Ældrepleje</h1><p>på&nbsp;<b>Øster</b>gården &amp; omegn</p>"
            "<noscript>Slå JavaScript til</noscript><ul><li>én</li><li>to</li></ul>"
            "<table><tr><td>a</td><td>b</td></tr></table></body></html>")
    for filename in ("nyhed.html", "nyhed.htm"):
        result = extract_text(filename, page.encode("cp1252"))
        assert result.text == "Nyhed\nÆldrepleje\npå Østergården & omegn\nén\nto\na b"


def test_max_chars_keeps_the_start():
    result = extract_text("lang.txt", ("ø" * 99 + "\n").encode() * 1000, max_chars=250)
    assert result.error is None
    assert len(result.text) == 250
    assert result.text.startswith("ø" * 99 + "\n")


def test_text_is_normalised():
    content = "  to\t\tord \x00 her\u200b \n\n\n  a\u030angst  \r\nslut"
    assert extract_text("x.txt", content.encode()).text == "to ord her\nångst\nslut"


@pytest.mark.parametrize(("filename", "data", "error"), [
    ("arkiv.zip", b"PK\x03\x04", "unsupported file type .zip"),
    ("Makefile", b"all:", "unsupported file type (no extension)"),
    ("tom.docx", b"", "file is empty"),
    ("tom.txt", b"", "file is empty"),
    ("ødelagt.docx", b"not a zip", "could not read docx: File is not a zip file"),
    ("ødelagt.xlsx", b"not a zip", "could not read xlsx: File is not a zip file"),
    ("ødelagt.pptx", b"not a zip", "could not read pptx: File is not a zip file"),
])
def test_files_that_cannot_be_read(filename, data, error):
    assert extract_text(filename, data) == Extraction("", error)


def test_truncated_docx_and_pdf_give_a_reason(docx_bytes, pdf_bytes):
    docx_result = extract_text("halv.docx", docx_bytes[: len(docx_bytes) // 2])
    assert docx_result.text == ""
    assert docx_result.error.startswith("could not read docx: ")
    pdf_result = extract_text("halv.pdf", b"%PDF-1.4\n%garbage")
    assert pdf_result.text == ""
    assert pdf_result.error.startswith("could not read pdf: ")


def test_extra_readers_by_extension():
    result = extract_text("x.log", b"linje 1\nlinje 2", readers={".log": _upper})
    assert result == Extraction("LINJE 1\nLINJE 2")


def test_a_reader_that_fails_is_reported_with_a_short_reason():
    result = extract_text("x.log", b"data", readers={".log": _fails})
    assert result == Extraction("", "could not read log: " + "x" * 199 + "…")


def _upper(data: bytes) -> list[str]:
    return data.decode().upper().splitlines()


def _fails(data: bytes) -> list[str]:
    raise ValueError("x" * 500)
