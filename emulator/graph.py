"""Placeholder blueprint."""

from flask import Blueprint

blueprint = Blueprint("graph", __name__)
