"""The settings table: parsing, production checks, and the README section it generates."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from indexer.config import SettingsError
from portal import create_app
from portal.settings import SETTINGS, load_config, readme_section

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_serve_the_demo():
    config = load_config({"TESTING": True})
    assert config["KIOSK_IDLE_MINUTES"] == 10
    assert config["PERSONAL_IDLE_HOURS"] == 8
    assert config["KIOSK_DEFAULT"] is False
    assert config["DEFAULT_LANGUAGE"] == "da"
    assert config["INDEX_DIR"] == Path("var/index")


def test_values_are_parsed():
    config = load_config({"TESTING": True, "KIOSK_IP_RANGES": "10.0.0.0/8, 192.168.1.7",
                          "QUICK_LINKS": "Løn|https://løn.example; Nyheder|/news",
                          "KIOSK_DEFAULT": "yes", "PINNED_NEWS": "a, b"})
    assert config["KIOSK_IP_RANGES"] == [ipaddress.ip_network("10.0.0.0/8"),
                                         ipaddress.ip_network("192.168.1.7/32")]
    assert config["QUICK_LINKS"] == [("Løn", "https://løn.example"), ("Nyheder", "/news")]
    assert config["KIOSK_DEFAULT"] is True
    assert config["PINNED_NEWS"] == ["a", "b"]


@pytest.mark.parametrize(("name", "value"), [
    ("KIOSK_IP_RANGES", "10.0.0.0/33"), ("QUICK_LINKS", "Ond|javascript:alert(1)"),
    ("QUICK_LINKS", "no separator"), ("KIOSK_IDLE_MINUTES", "0"),
    ("PERSONAL_IDLE_HOURS", "many"), ("DEFAULT_LANGUAGE", "de"), ("KIOSK_DEFAULT", "maybe"),
])
def test_bad_values_are_named(name, value):
    with pytest.raises(SettingsError, match=name):
        load_config({"TESTING": True, name: value})


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    with pytest.raises(SettingsError, match="SECRET_KEY") as error:
        create_app({"CLIENT_ID": "x"})
    assert "Portal settings" in str(error.value)
    assert "CLIENT_SECRET" in str(error.value)


def test_every_setting_is_documented_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    assert "## Portal settings" in readme
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env


def test_readme_table_is_the_generated_one():
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## Portal settings", 1)[1]
    assert readme_section() in section


def test_secrets_have_no_default():
    assert all(not s.default for s in SETTINGS if s.secret)
