"""Fault injection (placeholder until the faults module lands)."""

from flask import Flask


class Faults:
    """Faults to inject into responses."""


def install(app: Flask) -> None:
    """Hook fault injection into ``app``."""
