"""Chart figures before and after a change: a pytest plugin that records every figure a chart
builder returns while the tests run (per test, in call order), and a comparison of two such
records, so a refactor of dashboard/charts/ can show which figures it changed and how.

    .venv/bin/python -m pytest -p bench.chart_figures tests/dashboard -q   # writes $CHART_FIGURES
    .venv/bin/python -m bench.chart_figures before.jsonl after.jsonl

Run the first line in each tree (``CHART_FIGURES=/tmp/before.jsonl``, then ``…/after.jsonl``
with the other checkout first on ``PYTHONPATH``). Figures are compared as JSON with sorted
keys (the order plotly writes keys in follows the order they were set, which says nothing
about the figure), and again without the source note's name, the one difference issue 16's
frame made on purpose.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys

MODULES = ("time_series", "breakdown", "stacked", "spc", "ranking", "funnel", "small_multiples")
MODULES += ("spine", "hexmap", "scatter")
_records: list[dict] = []
_test = {"id": "", "calls": 0}


def _recorded(function):
    def record(*args, **kwargs):
        result = function(*args, **kwargs)
        _test["calls"] += 1
        text = result if isinstance(result, str) else result.to_json()
        _records.append({"test": _test["id"], "call": _test["calls"], "text": text})
        return result

    return record


def pytest_configure(config) -> None:
    """Wrap every registered builder (or, before the registry, each module's ``build``)."""
    try:
        registry = importlib.import_module("dashboard.charts.registry")
    except ImportError:
        builders = [importlib.import_module(f"dashboard.charts.{name}").build for name in MODULES]
        kinds = []
    else:
        kinds = list(registry.KINDS.values())
        builders = [kind.build for kind in kinds]
    builders.append(importlib.import_module("dashboard.charts.sparkline").svg)
    wrapped = {}
    for builder in builders:
        wrapped[builder] = _recorded(builder)
        setattr(sys.modules[builder.__module__], builder.__name__, wrapped[builder])
    for kind in kinds:
        object.__setattr__(kind, "build", wrapped[kind.build])


def pytest_runtest_setup(item) -> None:
    _test.update(id=item.nodeid, calls=0)


def pytest_unconfigure(config) -> None:
    with open(os.environ.get("CHART_FIGURES", "chart_figures.jsonl"), "w") as out:
        out.writelines(json.dumps(record) + "\n" for record in _records)


def _digest(text: str, *, drop_source_name: bool) -> str:
    if text.startswith("<svg"):
        return text
    figure = json.loads(text)
    if drop_source_name:
        for note in figure.get("layout", {}).get("annotations", []):
            if note.get("name") == "lsr-source":
                del note["name"]
    return hashlib.sha256(json.dumps(figure, sort_keys=True).encode()).hexdigest()


def _load(path: str) -> dict[tuple[str, int], str]:
    with open(path) as lines:
        return {(r["test"], r["call"]): r["text"] for r in map(json.loads, lines)}


def compare(before: str, after: str) -> dict[str, int]:
    """Counts of figures recorded by both runs: byte-identical, equal as JSON, and equal
    once the source note's name is left out."""
    old, new = _load(before), _load(after)
    both = old.keys() & new.keys()
    return {
        "both runs": len(both),
        "only one run": len(old.keys() ^ new.keys()),
        "byte-identical": sum(old[k] == new[k] for k in both),
        "same JSON": sum(
            _digest(old[k], drop_source_name=False) == _digest(new[k], drop_source_name=False)
            for k in both
        ),
        "same JSON but the source note's name": sum(
            _digest(old[k], drop_source_name=True) == _digest(new[k], drop_source_name=True)
            for k in both
        ),
    }


if __name__ == "__main__":
    for label, count in compare(*sys.argv[1:3]).items():
        print(f"{count:5d}  {label}")
