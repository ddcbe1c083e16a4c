"""Placeholder blueprint."""

from flask import Blueprint

blueprint = Blueprint("sharepoint", __name__)
