"""One benchmark figure: repeated measurements, their median and spread, next to a baseline
measured in the same run, and the ratio between the two."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


def summary(samples: list[float]) -> dict[str, float]:
    """Median, p95, p99, min and max of ``samples`` (at least one)."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"median": statistics.median(ordered), "p95": pick(0.95), "p99": pick(0.99),
            "min": ordered[0], "max": ordered[-1]}


@dataclass
class Figure:
    """A measured figure and, where the issue asks for one, its baseline and target.

    ``ratio`` is value / baseline, computed when both are present. ``met`` is None when the
    figure has no target.
    """

    name: str
    unit: str
    runs: int
    value: float
    spread: dict[str, float] = field(default_factory=dict)
    baseline_name: str | None = None
    baseline: float | None = None
    target: str | None = None
    met: bool | None = None
    notes: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": self.ratio}
