"""Placeholder blueprint."""

from flask import Blueprint

blueprint = Blueprint("entra", __name__)
