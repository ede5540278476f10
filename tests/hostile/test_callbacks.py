"""Forged callback requests answer 4xx quickly, never 500, and are logged in one short line.

Regression for issue 15 items 1 and 2: on the old code ~30% of forged requests answered 500
(StopIteration, float(), date(year), RecursionError on deep JSON) and a 100 KB metric id
went through difflib's close-match search for seconds.
"""

from __future__ import annotations

import collections
import json
import logging

import pytest

from queries.catalogue import Catalogue
from tests.hostile import forge
from tests.hostile.conftest import FUZZ_SCALE

FORGERIES = 400 * FUZZ_SCALE


@pytest.fixture(scope="module")
def props(client):
    return forge.rendered_props(client)


def post(client, forgery: forge.Forgery):
    if forgery.raw is not None:
        return client.post(forge.CALLBACK, data=forgery.raw, content_type="application/json")
    return client.post(forge.CALLBACK, json=forgery.body)


def test_every_server_callback_accepts_the_request_a_browser_sends(hostile_app, client, props):
    # Given the request each callback would get from a rendered page
    callbacks = forge.server_callbacks(hostile_app.callback_map)
    assert forge.ROUTER_OUTPUT in callbacks
    for output, spec in callbacks.items():
        request = forge.plausible_request(output, spec, props)
        # Then the guard lets it through (the callback may still decide there is nothing to do)
        answer = client.post(forge.CALLBACK, json=request)
        assert answer.status_code in (200, 204), (output, answer.get_data(as_text=True)[:300])


def test_forged_callbacks_answer_4xx_never_5xx(hostile_app, client, props):
    tried: collections.Counter = collections.Counter()
    handled: collections.Counter = collections.Counter()
    failures = []
    for forgery in forge.forgeries(hostile_app.callback_map, props, FORGERIES, seed=15):
        answer = post(client, forgery)
        tried[forgery.family] += 1
        if answer.status_code < 500 and len(answer.get_data()) < 2_000_000:
            handled[forgery.family] += 1
        else:
            failures.append((answer.status_code, json.dumps(forgery.body)[:300]))
    print({family: f"{handled[family]}/{count}" for family, count in sorted(tried.items())})
    assert not failures, failures[:5]
    assert sum(tried.values()) == FORGERIES


def explorer_navigate(hostile_app) -> tuple[str, dict]:
    return next(
        (output, spec)
        for output, spec in forge.server_callbacks(hostile_app.callback_map).items()
        if spec["inputs"][0]["id"] == "explorer-metric"
    )


def test_a_huge_metric_id_is_refused_before_any_close_match_search(
    hostile_app, client, props, monkeypatch
):
    def no_search(*_args, **_kwargs):
        raise AssertionError("difflib search ran on a forged metric id")

    monkeypatch.setattr(Catalogue, "suggest", no_search)
    output, spec = explorer_navigate(hostile_app)
    request = forge.plausible_request(output, spec, props)
    request["inputs"][0]["value"] = "dtoc_rate" * 11_000  # ~100 KB
    answer = client.post(forge.CALLBACK, json=request)
    assert answer.status_code == 400
    assert len(answer.get_data()) < 500


def test_an_unknown_metric_id_of_the_right_shape_is_refused(hostile_app, client, props):
    output, spec = explorer_navigate(hostile_app)
    request = forge.plausible_request(output, spec, props)
    request["inputs"][0]["value"] = "no_such_metric"
    assert client.post(forge.CALLBACK, json=request).status_code == 400


def test_a_megabyte_of_notices_is_not_echoed_back(hostile_app, client):
    output = "url-notice.children"
    spec = hostile_app.callback_map[output]
    request = forge.plausible_request(output, spec, {})
    request["inputs"][0]["value"] = "n" * 900_000  # each character became a notice
    answer = client.post(forge.CALLBACK, json=request)
    assert answer.status_code == 400 and len(answer.get_data()) < 500
    request["inputs"][0]["value"] = ["notice"] * 10_000
    answer = client.post(forge.CALLBACK, json=request)
    assert answer.status_code == 400 and len(answer.get_data()) < 500


def test_json_nested_deeper_than_the_parser_goes_is_a_400(client):
    body = b"[" * 100_000 + b"]" * 100_000
    answer = client.post(forge.CALLBACK, data=body, content_type="application/json")
    assert answer.status_code == 400


@pytest.mark.parametrize(
    "field, value",
    [
        ("family", "nope"),
        ("period_from", "not a date"),  # _iso in the family state
        ("period_from", 17),
        ("at", "0001-01-01"),
    ],
)
def test_a_forged_family_state_is_a_400_not_a_500(hostile_app, client, props, field, value):
    output, spec = next(
        (output, spec)
        for output, spec in forge.server_callbacks(hostile_app.callback_map).items()
        if "family-download" in output
    )
    request = forge.plausible_request(output, spec, props)
    request["state"][0]["value"] = {**request["state"][0]["value"], field: value}
    answer = client.post(forge.CALLBACK, json=request)
    assert answer.status_code < 500


@pytest.mark.parametrize("year", ["1e309", "nan", "-5", "999999", "abc", None])
def test_a_forged_selection_state_is_a_400_not_a_500(hostile_app, client, props, year):
    output, spec = next(
        (output, spec)
        for output, spec in forge.server_callbacks(hostile_app.callback_map).items()
        if output == "select-table-download.data"
    )
    request = forge.plausible_request(output, spec, props)
    request["inputs"][0]["value"] = 1
    state = request["state"][1]["value"]
    request["state"][1]["value"] = {**state, "year": year, "weights": [["ea65_rate", "x"]]}
    answer = client.post(forge.CALLBACK, json=request)
    assert 400 <= answer.status_code < 500


def test_a_rejection_is_logged_as_one_short_line_without_traceback(client, caplog):
    body = {"output": "nope" + "x" * 3000, "inputs": [], "state": []}
    with caplog.at_level(logging.WARNING, logger="lsr.rejected"):
        client.post(forge.CALLBACK + "x" * 5000, json=body)
        client.post(forge.CALLBACK, json=body)
    records = [r for r in caplog.records if r.name == "lsr.rejected"]
    assert records
    for record in records:
        message = record.getMessage()
        assert "\n" not in message and len(message) < 600 and record.exc_info is None
