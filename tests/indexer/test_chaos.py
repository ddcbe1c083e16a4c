"""Chaos runs of the indexer: after seeded faults and editor changes, one clean pass gives the
index that a full sync gives, with no item lost or duplicated.

The suite runs ``SEEDS`` seeds; ``CHAOS_SEEDS=500`` (or ``make chaos``) runs more. With
``CHAOS_REPORT=<file>`` each seed appends one JSON line: its faults and its item count.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from chaos_support import chaos_run

from emulator.faults import KINDS
from emulator.server import Emulator
from emulator.tenant import Tenant
from indexer.extract import Extractor

SEEDS = int(os.environ.get("CHAOS_SEEDS", "20"))
TOTALS: Counter[str] = Counter()


@pytest.mark.parametrize("seed", range(1, SEEDS + 1))
def test_after_chaos_one_clean_pass_equals_a_full_sync(
        seed: int, serve: Callable[[Tenant], Emulator], tmp_path: Path, extractor: Extractor):
    result = chaos_run(seed, serve, tmp_path, extractor)
    assert sum(result.injected.values()) > 0, "no fault was injected"
    ids = [doc.id for doc in result.chaotic]
    assert len(ids) == len(set(ids)), "an item is duplicated"
    assert {d.id for d in result.full} - set(ids) == set(), "items lost"
    assert result.chaotic == result.full
    TOTALS.update(result.injected)
    if report := os.environ.get("CHAOS_REPORT"):
        with open(report, "a", encoding="utf-8") as lines:
            lines.write(json.dumps({"seed": seed, "items": len(ids),
                                    "faults": dict(result.injected)}) + "\n")


def test_over_the_seeds_every_kind_of_fault_was_injected():
    if len(TOTALS) == 0:
        pytest.skip("run together with the chaos seeds")
    assert set(TOTALS) == set(KINDS), dict(TOTALS)
