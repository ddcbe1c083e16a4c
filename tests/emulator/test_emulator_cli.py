"""``python -m emulator publish-news``: an editor's post from the command line, as in the demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import editing
from emulator.__main__ import main
from emulator.server import Emulator


def _run(emulator: Emulator, data_dir: Path, *args: str) -> int:
    return main(["publish-news", "--url", emulator.sharepoint_url,
                 "--data-dir", str(data_dir), *args])


def test_publish_news_puts_a_published_post_on_the_site(
        emulator: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(emulator, emulator.data_dir, "--title", "Kantinen holder lukket fredag",
                "--text", "Vi gør rent.", "--site", "hr")

    pages = editing.site_pages(emulator.tenant.site_by_url(
        next(url for url in emulator.tenant.sites if url.endswith("/hr"))))
    posted = [page for page in pages.items.values()
              if page.fields["Title"] == "Kantinen holder lukket fredag"]
    assert code == 0 and len(posted) == 1 and posted[0].current.label == "1.0"
    assert capsys.readouterr().out == f"Published {posted[0].file_ref}\n"


def test_without_the_editor_key_it_says_where_it_looked(
        emulator: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(emulator, tmp_path / "elsewhere", "--title", "X") == 2
    assert f"No editor key in {tmp_path / 'elsewhere' / 'credentials' / 'editor-key.txt'}" \
        in capsys.readouterr().err


def test_an_unknown_site_is_refused_with_the_emulators_reason(
        emulator: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(emulator, emulator.data_dir, "--title", "X", "--site", "findes-ikke") == 1
    assert capsys.readouterr().err.startswith("The emulator refused the post: 4")
