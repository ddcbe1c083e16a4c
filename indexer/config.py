"""Settings from environment variables: one table maps each variable to a typed setting.

Both packages declare their settings as tables of :class:`Setting`; :func:`load` reads them
from a mapping (the environment, merged over a ``.env`` file) and reports every bad value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv import dotenv_values


class SettingsError(ValueError):
    """One or more settings are missing or malformed; the message names each one."""


def as_bool(raw: str) -> bool:
    """Parse yes/no style booleans."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def as_list(raw: str) -> list[str]:
    """Parse a comma-separated list, dropping blanks."""
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class Setting:
    """One environment variable: its attribute name, default, parser and meaning."""

    env: str
    default: str
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False
    required_in_production: bool = False

    @property
    def attribute(self) -> str:
        """The attribute name on the settings object (the variable in lower case)."""
        return self.env.lower()


def environment(env_file: str | os.PathLike | None = ".env") -> dict[str, str]:
    """The process environment merged over a ``.env`` file, if one exists."""
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        values.update({k: v or "" for k, v in dotenv_values(env_file).items()})
    values.update(os.environ)
    return values


def load(table: tuple[Setting, ...], values: Mapping[str, str]) -> dict[str, Any]:
    """Parse every setting in ``table`` from ``values``; raise one error naming all bad ones."""
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for setting in table:
        raw = values.get(setting.env, setting.default)
        try:
            parsed[setting.attribute] = setting.parse(str(raw))
        except ValueError as exc:
            problems.append(f"{setting.env}: {exc}")
    if problems:
        raise SettingsError("invalid settings: " + "; ".join(problems))
    return parsed


def missing_secrets(table: tuple[Setting, ...], parsed: Mapping[str, Any]) -> list[str]:
    """Names of settings needed in production that are empty."""
    return [s.env for s in table if s.required_in_production and not parsed[s.attribute]]
