"""``python -m bench [--items N] [--quick] [--out DIR]``: measure, write latest.json/.md, print."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench import judged, pg_pages, pg_search, soak
from bench.corpus import build_index
from bench.figures import Figure
from bench.index_build import measure_build
from bench.indexing import measure_indexing
from bench.pages import measure_pages
from bench.search import measure_search

QUICK_ITEMS = 2000
T = TypeVar("T")
CACHE = Path("var/bench")  # cached corpora, ignored by git


def main(argv: list[str] | None = None) -> int:
    """Run every figure and write the results; 0 unless the benchmark itself failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--items", type=int, default=10_000, help="synthetic tenant size")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_ITEMS:,} items and fewer rounds (under 5 minutes)")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    items = QUICK_ITEMS if args.quick else args.items
    report = Report(args.out, items, args.quick)
    report.add(_timed("index build", measure_build, items, args.quick))
    index_dir = _timed("cached index", build_index, items, CACHE)
    report.add(_timed("search", measure_search, index_dir, items, args.quick))
    with (tempfile.TemporaryDirectory(prefix="bench-") as temp,
          pg_search.database(empty=False) as url):
        report.add(_timed("postgres search", pg_search.figures, items, url, args.quick))
        report.add(_timed("indexer", measure_indexing, items, Path(temp) / "indexing",
                          args.quick))
        report.add(_timed("pages", measure_pages, items, index_dir, Path(temp) / "pages",
                          args.quick))
        report.add(_timed("postgres pages", pg_pages.figures, items, index_dir, url,
                          Path(temp) / "pg-pages", args.quick))
    if not args.quick:  # the sample tenant's sync twice: about a minute
        report.add(_timed("judged queries", judged.figures))
    report.add(_timed("soak", soak.figures, args.quick))
    sys.stdout.write(report.write(complete=True))
    return 0


class Report:
    """The figures so far, written to ``latest.json`` and ``latest.md`` after every stage, so
    a stage that fails leaves the figures of those before it (marked incomplete)."""

    def __init__(self, out: Path, items: int, quick: bool) -> None:
        self.out, self.items, self.quick = out, items, quick
        self.date = datetime.now(UTC).isoformat(timespec="seconds")
        self.figures: list[Figure] = []

    def add(self, figures: list[Figure]) -> None:
        """Keep a stage's figures and write what there is."""
        self.figures += figures
        self.write(complete=False)

    def write(self, complete: bool) -> str:
        """Write both files; returns the Markdown table and notes."""
        table = markdown(self.figures) + notes(self.figures)
        self.out.mkdir(parents=True, exist_ok=True)
        report = {"date": self.date, "items": self.items, "quick": self.quick,
                  "complete": complete, "machine": machine(),
                  "figures": [f.as_json() for f in self.figures]}
        (self.out / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
        state = "" if complete else " (incomplete: a stage is still running or failed)"
        (self.out / "latest.md").write_text(f"{self.items:,} items, {self.date}, "
                                            f"{report['machine']['summary']}{state}\n\n{table}")
        return table


def _timed(stage: str, measure: Callable[..., T], *args: Any) -> T:
    """``measure(*args)``, saying on stderr how long it took."""
    started = time.perf_counter()
    result = measure(*args)
    sys.stderr.write(f"bench: {stage} took {time.perf_counter() - started:.0f} s\n")
    sys.stderr.flush()
    return result


def machine() -> dict[str, str | int | None]:
    """What the figures ran on."""
    cpus = os.cpu_count()
    model = cpu_model()
    summary = (f"{model or platform.machine()}, {cpus} CPUs, "
               f"Python {platform.python_version()}")
    return {"summary": summary, "platform": platform.platform(), "cpus": cpus,
            "processor": model, "python": sys.version.split()[0]}


def cpu_model() -> str | None:
    """The processor's model name as ``lscpu`` shows it (Linux), or None."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    names = [line.split(":", 1)[1].strip() for line in info.splitlines()
             if line.startswith("model name")]
    return names[0] if names else None


def markdown(figures: list[Figure]) -> str:
    """The results as a Markdown table."""
    rows = ["| Figure | Runs | Value | Median | p95 spread | Baseline | Ratio | Target | Met |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |"]
    for f in figures:
        baseline = "—" if f.baseline is None else f"{f.baseline_name}: {f.baseline:.3g} {f.unit}"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        met = {None: "—", True: "yes", False: "**no**"}[f.met]
        rows.append(f"| {f.name} | {f.runs} | {f.value:.3g} {f.unit} | "
                    f"{f.spread.get('median', f.value):.3g} | "
                    f"{f.spread.get('p95', f.value):.3g} | {baseline} | {ratio} | "
                    f"{f.target or '—'} | {met} |")
    return "\n".join(rows) + "\n"


def notes(figures: list[Figure]) -> str:
    """How each figure was measured, as a Markdown list under the table."""
    return "\n" + "".join(f"- **{f.name}**: {f.notes}\n" for f in figures if f.notes)


if __name__ == "__main__":
    sys.exit(main())
