"""Bookmarkable URLs never break a page, and junk URLs cannot grow the answers on disk.

Regression for issue 15 items 4 and 5: ``from=``/``to=`` with a year below 1000 answered 500;
300 junk ``?x=N`` variants of one page made 300 answer files; long junk paths grew the answers
directory without limit.
"""

from __future__ import annotations

import collections
import random

import pytest

from tests.hostile import forge, probe_http
from tests.hostile.conftest import ANSWERS_DISK_MB, FUZZ_SCALE

URL_PROBES = 40 * FUZZ_SCALE
PARAMETERS = (
    "area", "method", "period", "from", "to", "breakdown", "view", "baseline", "at", "show",
    "spine", "region", "type", "reviewed", "weights", "shortlist", "x", "y", "map", "junk",
)  # fmt: skip
VALUES = (
    "", "0999", "0999-04-01", "0001-01", "9999-12-31", "1899/00", "2016/17 Q5", "Apr 999",
    "2017-02-30", "13-2017", "-1", "1e309", "nan", "E06000001", "e06000001", "Halton",
    "none", "all", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
    "%00", "%ZZ", "a,b,,c", "ea65_rate:9", "ea65_rate:x", "x" * 500, "\u202e\u0000",
)  # fmt: skip
PAGES = ("/", "/area/E06000001", "/area", "/metric/dtoc_rate", "/metric/nope", "/dtoc",
         "/hospital", "/social-care", "/chc", "/ratings", "/methods")  # fmt: skip


def random_search(rng: random.Random) -> str:
    pairs = [f"{rng.choice(PARAMETERS)}={rng.choice(VALUES)}" for _ in range(rng.randint(1, 4))]
    return "?" + "&".join(pairs)


def test_every_page_reads_any_query_string_without_failing(server_url):
    """Unknown values fall back to the default with a notice: always a 200 page."""
    rng = random.Random(4)
    tried: collections.Counter = collections.Counter()
    failures = []
    for index in range(URL_PROBES):
        pathname, search = PAGES[index % len(PAGES)], random_search(rng)
        answer = probe_http.post_json(
            server_url, forge.CALLBACK, forge.router_request(pathname, search)
        )
        tried[answer.status] += 1
        if answer.status != 200:
            failures.append((answer.status, pathname, search[:120], answer.body[:200]))
    print(f"URL fuzz: {tried[200]}/{URL_PROBES} pages rendered", dict(tried))
    assert not failures, failures[:5]


@pytest.mark.parametrize(
    "pathname, search",
    [
        ("/dtoc", "?from=0999-04-01"),
        ("/hospital", "?to=0500"),
        ("/metric/dtoc_rate", "?from=0001-01&to=0002-01"),
        ("/social-care", "?from=9999-12"),
    ],
)
def test_a_period_outside_any_data_is_a_notice_not_an_error(server_url, pathname, search):
    answer = probe_http.post_json(
        server_url, forge.CALLBACK, forge.router_request(pathname, search)
    )
    assert answer.status == 200
    assert b"showing all periods" in answer.body  # the notice explains the fallback


def test_junk_parameters_share_one_answer_on_disk(server_url, hostile_data):
    before = answer_files(hostile_data)
    for index in range(40 * FUZZ_SCALE):
        search = f"?x={index}&junk{index}=1&period=quarter"
        answer = probe_http.post_json(
            server_url, forge.CALLBACK, forge.router_request("/chc", search)
        )
        assert answer.status == 200
    assert len(answer_files(hostile_data) - before) <= 1


def test_distinct_junk_views_cannot_fill_the_disk_beyond_the_cap(server_url, hostile_data):
    """Each junk area is its own answer (its notice names it): ~10 KB gzipped, as kept on
    disk; 60 of them are more than twice the cap, which the answers directory keeps to."""
    cap = ANSWERS_DISK_MB * 1024 * 1024
    written = 0
    for index in range(60 * FUZZ_SCALE):
        search = f"?area=junk-{index}-" + "a" * 200
        answer = probe_http.post_json(
            server_url, forge.CALLBACK, forge.router_request("/dtoc", search), gzip=True
        )
        assert answer.status == 200 and answer.headers["content-encoding"] == "gzip"
        written += len(answer.body)
    assert written > 2 * cap  # enough junk to overflow the cap without the trimming
    assert sum(path.stat().st_size for path in answer_files(hostile_data)) <= cap


def answer_files(data_dir) -> set:
    return set((data_dir / "answers").rglob("*.json.gz"))
