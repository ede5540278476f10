"""Golden answers: what the server returns for every page's callbacks, saved and compared
byte for byte, so a refactor of dashboard/ can show it changed no answer.

For each URL in ``URLS`` (every page; several areas, metrics, explorer views, period types and
a breakdown) the pages router request a browser sends on navigation is posted to
``/_dash-update-component`` through Flask's test client, and the answer body is kept. Then
every other server callback the app declares is sent once, with the values the rendered pages
hold (tests.hostile.forge builds the request a browser could send: downloads with one click,
controls at their rendered values), and the service navigation for each URL. Answers are
keyed by request; ``capture`` writes them to a folder, ``compare`` re-renders and lists every
answer that differs (exit 1 when any does): as JSON, since Dash writes a component's
``aria-labelledby``/``aria-describedby`` through a set (its order follows hash randomisation);
how many are also byte-identical is printed. Every run serves a fresh copy of the published
data (hard links, without the ``answers`` the serving layer stores beside it), so no answer is
replayed from an earlier run.

    .venv/bin/python -m bench.golden_answers capture /tmp/golden --data-dir data/parquet
    .venv/bin/python -m bench.golden_answers compare /tmp/golden --data-dir data/parquet
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from tests.hostile import forge

URLS = (
    "/",
    "/?weights=ea65_rate:2&shortlist=E06000001,E06000002&region=North%20West",
    "/area",
    "/area/E08000026",
    "/area/E06000002?method=default",
    "/metric",
    "/metric/dtoc_rate?area=E08000026",
    "/metric/dtoc_rate?area=E06000002&view=spc",
    "/metric/dtoc_rate?area=E06000002&view=ranking",
    "/metric/dtoc_rate?area=E06000002&view=reviewed",
    "/metric/dtoc_rate?area=E06000002&period=quarter",
    "/metric/dtoc_beds?area=E06000002&breakdown=responsible_org:both",
    "/metric/care_home_beds_per100_65?area=E08000026&breakdown=service_type:nursing_home",
    "/metric/ea65_rate?area=E08000026&view=spc&baseline=first12",
    "/metric/ea65_rate?area=E08000026&view=ranking&limits=none",
    "/metric/nonexistent?area=nowhere",
    "/hospital",
    "/hospital?area=E08000026",
    "/dtoc",
    "/dtoc?area=E06000002&period=quarter",
    "/social-care",
    "/chc",
    "/ratings",
    "/ratings?area=E08000026",
    "/methods",
    "/no-such-page",
    # every fallback with its notice
    "/metric/dtoc_rate?area=E06000002&view=pie&baseline=first99&limits=wild&period=aeon"
    "&at=never&rebase=bad&screen=maybe&method=tea&breakdown=nope&from=x&to=y",
    "/dtoc?area=Atlantis&period=aeon&show=pie&at=x&method=m&rebase=2099-01-01&screen=x",
    "/area/E06000002?spine=moon&method=x",
    "/area/NOWHERE?spine=comparators",
    "/?region=north%20WEST&type=Nope&period=1066&reviewed=maybe&weights=x:9&x=no&map=no",
    "/?region=ALL&type=UNITARY&shortlist=E06000001,nowhere",
)


def _fresh_copy(data_dir: Path, into: Path) -> Path:
    """The published versions and the CURRENT pointer, hard-linked: no stored answers."""
    copy = into / "parquet"
    copy.mkdir()
    shutil.copy2(data_dir / "CURRENT", copy / "CURRENT")
    shutil.copytree(data_dir / "versions", copy / "versions", copy_function=os.link)
    return copy


def _client(data_dir: Path):
    from app import create_app

    client = create_app(data_dir).server.test_client()
    client.get("/")  # Dash registers the pages router on the first request
    return client


def _send(client, body: dict) -> tuple[int, bytes]:
    response = client.post(forge.CALLBACK, json=body, headers={"Accept-Encoding": "identity"})
    return response.status_code, response.data


def _navigation_request(pathname: str, search: str) -> dict:
    return {
        "output": "service-nav-list.children",
        "outputs": {"id": "service-nav-list", "property": "children"},
        "inputs": [
            {"id": "nav-location", "property": "pathname", "value": pathname},
            {"id": "nav-location", "property": "search", "value": search},
        ],
        "changedPropIds": ["nav-location.pathname"],
        "state": [],
    }


def answers(data_dir: Path) -> dict[str, str]:
    """{request description: status and answer body} for every golden request."""
    with tempfile.TemporaryDirectory() as directory:
        return _answers(_fresh_copy(data_dir, Path(directory)))


def _answers(data_dir: Path) -> dict[str, str]:
    client = _client(data_dir)
    result: dict[str, str] = {}
    props: dict[str, dict] = {}

    def keep(key: str, body: dict) -> tuple[int, bytes]:
        status, data = _send(client, body)
        result[key] = f"{status}\n{data.decode()}"
        return status, data

    for url in URLS:
        parts = urlsplit(url)
        search = f"?{parts.query}" if parts.query else ""
        status, data = keep(f"page {url}", forge.router_request(parts.path, search))
        if status == 200:
            forge._collect(json.loads(data), props)
        keep(f"navigation {url}", _navigation_request(parts.path, search))
    dependencies = client.get("/_dash-dependencies").get_json()
    for output, spec in sorted(forge.server_callbacks(dependencies).items()):
        if output == forge.ROUTER_OUTPUT:
            continue
        body = forge.plausible_request(output, spec, props)
        keep(f"callback {output}", body)
        if _clicked(body):
            for concrete in _every_match(body, props):
                keep(f"click {output} {json.dumps(concrete, sort_keys=True)}", body)
    return result


def _clicked(body: dict) -> bool:
    """Press the callback's button (a download): n_clicks 1, unless it renders a PDF."""
    clicks = [item for item in body["inputs"] if item["property"] == "n_clicks"]
    for item in clicks:
        if isinstance(item["id"], str) and item["id"] in forge.EXPENSIVE_BUTTONS:
            return False
        item["value"] = 1
    return bool(clicks)


def _every_match(body: dict, props: dict[str, dict]):
    """For a pattern-matched button, every rendered button it matches (each chart's CSV);
    otherwise the one button. ``body`` is changed in place for each."""
    first = body["inputs"][0]["id"]
    if not isinstance(first, dict):
        yield first
        return
    fixed = {key: value for key, value in first.items() if key != "chart"}
    for key in sorted(props):
        if key.startswith("{"):
            rendered = json.loads(key)
            if set(rendered) == set(first) and fixed.items() <= rendered.items():
                for item in body["inputs"]:
                    if isinstance(item["id"], dict):
                        item["id"] = rendered
                for item in body["outputs"] if isinstance(body["outputs"], list) else []:
                    if isinstance(item["id"], dict):
                        item["id"] = {**item["id"], "chart": rendered["chart"]}
                if isinstance(body["outputs"], dict) and isinstance(body["outputs"]["id"], dict):
                    body["outputs"]["id"] = {**body["outputs"]["id"], "chart": rendered["chart"]}
                yield rendered


def _filename(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16] + ".txt"


def capture(folder: Path, data_dir: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    found = answers(data_dir)
    index = {}
    for key, text in found.items():
        (folder / _filename(key)).write_text(text)
        index[key] = _filename(key)
    (folder / "index.json").write_text(json.dumps(index, indent=1))
    print(f"{len(found)} answers written to {folder}")
    return 0


def compare(folder: Path, data_dir: Path) -> int:
    index = json.loads((folder / "index.json").read_text())
    found = answers(data_dir)
    differ, same_bytes = [], 0
    for key, name in index.items():
        golden = (folder / name).read_text()
        if found.get(key) == golden:
            same_bytes += 1
        elif found.get(key) is None or _as_json(found[key]) != _as_json(golden):
            differ.append(key)
    missing = sorted(set(found) ^ set(index))
    for key in differ:
        print(f"DIFFERS  {key}")
    for key in missing:
        print(f"ONLY ONE SIDE  {key}")
    print(
        f"{len(index)} golden answers, {len(differ)} differ as JSON, {same_bytes} byte-identical,"
        f" {len(missing)} on one side only"
    )
    return 1 if differ or missing else 0


def _as_json(text: str) -> tuple[str, object]:
    status, _, body = text.partition("\n")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("capture", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path("data/parquet"))
    args = parser.parse_args(argv)
    run = capture if args.action == "capture" else compare
    return run(args.folder, args.data_dir)


if __name__ == "__main__":
    raise SystemExit(main())
