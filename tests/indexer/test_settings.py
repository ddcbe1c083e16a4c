"""The indexer's settings: documented, parsed, and refused when wrong."""

from pathlib import Path

import pytest

from indexer.config import SettingsError
from indexer.settings import SETTINGS, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"
DEMO = {"SHAREPOINT_SITES": "http://127.0.0.1:7070/sites/intranet", "TENANT_ID": "t",
        "CLIENT_ID": "c", "CERTIFICATE_KEY_FILE": "k.pem", "CERTIFICATE_THUMBPRINT": "AB"}


def test_every_setting_is_documented_in_the_readme():
    readme = README.read_text()
    assert [s.env for s in SETTINGS if f"`{s.env}`" not in readme] == []


def test_defaults_and_derived_values():
    settings = load_settings(DEMO)
    assert settings.poll_interval == 60
    assert settings.max_file_bytes == 50 * 1024 * 1024
    assert settings.authority == "https://login.microsoftonline.com/t"
    assert settings.user_agent.startswith("NONISV|Sundby Kommune|IntranetIndexer/")


def test_every_bad_value_is_named_at_once():
    with pytest.raises(SettingsError) as error:
        load_settings(DEMO | {"POLL_INTERVAL": "often", "MAX_FILE_MB": "big"})
    assert "POLL_INTERVAL" in str(error.value) and "MAX_FILE_MB" in str(error.value)


def test_nothing_to_mirror_is_refused():
    with pytest.raises(SettingsError, match="SHAREPOINT_SITES"):
        load_settings(DEMO | {"SHAREPOINT_SITES": ""})


def test_missing_credentials_are_named():
    with pytest.raises(SettingsError, match="CLIENT_ID"):
        load_settings(DEMO | {"CLIENT_ID": ""})
