"""Text from PDF files."""

from collections.abc import Iterator
from io import BytesIO

import pypdf


def read_pdf(data: bytes) -> Iterator[str]:
    """The text of each page. A page that fails is skipped unless every page fails."""
    reader = pypdf.PdfReader(BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("the file is password-protected")
    failure: Exception | None = None
    read_any = False
    for page in reader.pages:
        try:
            text = page.extract_text()
        except Exception as exc:  # one broken page must not lose the others
            failure = failure or exc
            continue
        read_any = True
        yield text
    if failure is not None and not read_any:
        raise failure
