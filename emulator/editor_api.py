"""Placeholder blueprint."""

from flask import Blueprint

blueprint = Blueprint("editor_api", __name__)
