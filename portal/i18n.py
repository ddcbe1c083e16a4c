"""Danish by default, English on request: Flask-Babel with catalogs read from .po files.

The catalogs are compiled in memory when first needed, so there is no build step and no
binary file in the repository. The language choice is a cookie set by a small form.
"""

from __future__ import annotations

import io
from functools import cached_property
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, current_app, redirect, request
from flask_babel import Babel, Domain, get_locale
from werkzeug.wrappers import Response

from portal.auth import safe_next
from portal.settings import LANGUAGES

TRANSLATIONS = Path(__file__).parent / "translations"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
blueprint = Blueprint("i18n", __name__)


def catalog_path(language: str) -> Path:
    """The .po file of a language."""
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


class PoDomain(Domain):
    """A message domain read from .po files, compiled once per language."""

    def __init__(self) -> None:
        super().__init__(domain="messages")
        self._compiled: dict[str, NullTranslations] = {}

    def get_translations(self) -> NullTranslations:
        """The current locale's translations (English needs none: it is the source)."""
        language = str(get_locale() or "en")
        if language not in self._compiled:
            path = catalog_path(language)
            if not path.is_file():
                self._compiled[language] = NullTranslations()
            else:
                with path.open("rb") as po:
                    catalog = read_po(po, locale=language)
                compiled = io.BytesIO()
                write_mo(compiled, catalog)
                compiled.seek(0)
                self._compiled[language] = Translations(compiled)
        return self._compiled[language]


class PortalBabel(Babel):
    """Flask-Babel with :class:`PoDomain`."""

    @cached_property
    def domain_instance(self) -> Domain:
        """The one message domain."""
        return PoDomain()


def select_language() -> str:
    """The language of this request: the cookie's if valid, else the configured default."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]


@blueprint.post("/language")
def set_language() -> Response:
    """Remember the chosen language and go back to the page the form was on."""
    response = redirect(safe_next(request.form.get("next")), 303)
    language = request.form.get("language")
    if language in LANGUAGES:
        response.set_cookie(COOKIE, language, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and the language form."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LANGUAGE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    PortalBabel(app, locale_selector=select_language)
    app.register_blueprint(blueprint)
