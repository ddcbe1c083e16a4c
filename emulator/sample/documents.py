"""Uploading the sample's documents: folders on the way, authors, dates and later edits."""

from __future__ import annotations

from emulator import editing
from emulator.sample import files
from emulator.sample.context import Sample
from emulator.tenant import ListItem

EDIT_SHARE = 0.35  # about a third of the documents have been edited since they were uploaded
FOLDER_AGE = 380  # days; folders were set up before any of the documents


def upload(s: Sample, site_url: str, library: str, path: str, content: bytes, author: str,
           days: float | None = None, title: str | None = None,
           publish: bool = True) -> ListItem:
    """Upload ``content`` to ``path`` (relative to the library), creating folders on the way.

    Without ``days`` the file was created some time in the past year. Some files get a later
    major version, so that Modified differs from Created.
    """
    site, lst = s.site(site_url), s.library(site_url, library)
    folder, _, name = path.rpartition("/")
    parts = folder.split("/") if folder else []
    for depth in range(1, len(parts) + 1):
        sub = "/".join(parts[:depth])
        if lst.item_by_url(f"{lst.root_url}/{sub}") is None:
            editing.add_folder(s.tenant, site, lst, sub, s.user(author), s.ago(FOLDER_AGE))
    age = days if days is not None else s.rng.uniform(3, 360)
    fields = {"Title": title} if title else None
    item = editing.add_file(s.tenant, site, lst, folder, name, content, s.user(author),
                            fields=fields, when=s.ago(age), publish=publish)
    if publish and s.rng.random() < EDIT_SHARE:
        editing.save_version(s.tenant, site, lst, item, s.user(author),
                             when=s.ago(s.rng.uniform(0, age)))
    return item


def put(s: Sample, site_url: str, library: str, path: str, author: str,
        blocks: list[str] = (), *, table: list[list[str]] | None = None,
        sheets: dict[str, list[list]] | None = None,
        slides: list[tuple[str, list[str]]] | None = None, rows: list[list] | None = None,
        pictures: list[bytes] = (), days: float | None = None, title: str | None = None,
        publish: bool = True) -> ListItem:
    """Make a file of the type its name says, from blocks, sheets, slides or rows, and upload it.

    The file's own title is ``title`` or the file name without its extension.
    """
    stem, _, extension = path.rsplit("/", 1)[-1].rpartition(".")
    heading, by = title or stem, s.user(author).name
    makers = {
        "docx": lambda: files.make_docx(heading, list(blocks), by, table),
        "xlsx": lambda: files.make_xlsx(heading, sheets or {}, by),
        "pptx": lambda: files.make_pptx(heading, slides or [], by, pictures),
        "pdf": lambda: files.make_pdf(heading, list(blocks), by, pictures),
        "txt": lambda: files.make_txt(heading, list(blocks)),
        "md": lambda: files.make_md(heading, list(blocks)),
        "html": lambda: files.make_html(heading, list(blocks)),
        "csv": lambda: files.make_csv(rows or []),
    }
    return upload(s, site_url, library, path, makers[extension](), author, days, title, publish)
