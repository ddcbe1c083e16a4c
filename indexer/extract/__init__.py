"""Text from files and modern pages: plain text for the index, sanitised HTML for display.

Files go through :class:`Extractor`, which parses them in a separate worker process so that a
hostile or broken file can neither crash nor hang the indexer. Page canvases are parsed in
process by :func:`parse_canvas`.
"""

from indexer.extract.canvas import Canvas, parse_canvas
from indexer.extract.files import Extraction, extract_text
from indexer.extract.sanitise import html_to_text, safe_url, sanitise_html
from indexer.extract.worker import Extractor

__all__ = [
    "Canvas",
    "Extraction",
    "Extractor",
    "extract_text",
    "html_to_text",
    "parse_canvas",
    "safe_url",
    "sanitise_html",
]
