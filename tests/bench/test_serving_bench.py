"""The serving benchmark's pure helpers: statistics, the ratio table, the version check and
the names it gives callbacks and pages. No server, no browser."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from bench.serving import capacity_line, group_cpu_seconds
from bench.serving_browser import callback_name, page_key
from bench.serving_stats import (
    Response,
    Summary,
    check_versions,
    percentile,
    ratio_table,
    summarise,
)


class TestPercentile:
    @pytest.mark.parametrize("q", [0, 25, 50, 90, 95, 99, 100])
    def test_matches_numpy_linear(self, q):
        values = [0.3, 12.0, 5.5, 7.25, 1.0, 99.0, 42.0]
        assert percentile(values, q) == pytest.approx(np.percentile(values, q))

    def test_one_value_is_every_percentile(self):
        assert percentile([4.0], 95) == 4.0

    def test_no_values_is_nan(self):
        assert math.isnan(percentile([], 50))

    def test_rejects_out_of_range(self):
        with pytest.raises(ValueError, match="between 0 and 100"):
            percentile([1.0], 101)


class TestSummarise:
    def test_reports_milliseconds(self):
        summary = summarise([0.010, 0.020, 0.030])
        assert summary == Summary(count=3, p50_ms=20.0, p95_ms=pytest.approx(29.0), max_ms=30.0)


class TestRatioTable:
    def test_ratio_to_baseline_and_verdict(self):
        baseline = Summary(count=10, p50_ms=5.0, p95_ms=10.0, max_ms=12.0)
        rows = [
            ("/ cheap (update)", Summary(10, 12.0, 25.0, 30.0)),
            ("/metric heavy (update)", Summary(10, 80.0, 150.0, 200.0)),
        ]
        table = ratio_table(rows, baseline, target_ms=100, target_ratio=3).splitlines()
        assert table[0].split() == ["callback", "n", "p50", "ms", "p95", "ms", "×base", "ok"]
        assert table[1].split()[-2:] == ["2.5", "yes"]
        assert table[2].split()[-2:] == ["15.0", "NO"]

    def test_fast_but_many_times_the_baseline_misses(self):
        baseline = Summary(count=10, p50_ms=1.0, p95_ms=2.0, max_ms=2.0)
        table = ratio_table(
            [("x", Summary(5, 9.0, 9.0, 9.0))], baseline, target_ms=100, target_ratio=3
        )
        assert table.splitlines()[1].endswith("NO")


class TestCheckVersions:
    def test_old_then_new_is_consistent(self):
        responses = [Response(1.0, 200, "v1"), Response(2.0, 204, "v1"), Response(5.0, 200, "v2")]
        check = check_versions(responses, old="v1", new="v2", switched_at=4.0)
        assert check.ok
        assert check.counts == {"v1": 2, "v2": 1}

    def test_in_flight_old_version_before_switch_is_fine(self):
        check = check_versions(
            [Response(3.9, 200, "v1"), Response(3.95, 200, "v2")],
            old="v1",
            new="v2",
            switched_at=4.0,
        )
        assert check.ok

    def test_missing_header_fails(self):
        check = check_versions([Response(1.0, 200, None)], old="v1", new="v2", switched_at=None)
        assert not check.ok
        assert check.missing == 1

    def test_failed_request_fails(self):
        responses = [Response(1.0, 500, "v1"), Response(1.1, 0, None)]
        check = check_versions(responses, old="v1", new="v2", switched_at=None)
        assert check.failed == 2
        assert check.missing == 0  # no answer is a failure, not an answer without the header
        assert not check.ok

    def test_third_version_fails(self):
        check = check_versions([Response(1.0, 200, "v0")], old="v1", new="v2", switched_at=None)
        assert check.unexpected == {"v0": 1}
        assert not check.ok

    def test_old_version_after_switch_fails(self):
        check = check_versions([Response(6.0, 200, "v1")], old="v1", new="v2", switched_at=4.0)
        assert check.stale_after_switch == 1
        assert "old version after the switch: 1" in check.lines()[1]


class TestCallbackName:
    def test_multi_output_joined(self):
        assert (
            callback_name(".._pages_content.children..._pages_store.data..")
            == "_pages_content.children+_pages_store.data"
        )

    def test_duplicate_output_hash_dropped(self):
        assert callback_name("nav-location.href@e37b97bf") == "nav-location.href"

    def test_single_output_kept(self):
        assert callback_name("url-notice.children") == "url-notice.children"


class TestPageKey:
    @pytest.mark.parametrize(
        ("href", "key"),
        [
            ("/", "/"),
            ("/?area=E08000012", "/"),
            ("/area/E08000012?method=oflog-nn", "/area"),
            ("/dtoc?area=E08000012", "/dtoc"),
            ("/metric/dtoc_rate", "/metric"),
        ],
    )
    def test_first_path_segment(self, href, key):
        assert page_key(href) == key


class TestPageLoadVerdicts:
    """Page loads are judged on the slowest round, first visit and repeat view apart."""

    @staticmethod
    def load(href, first, repeat):
        from bench.serving_browser import PageLoad

        return PageLoad(href, tuple(first), tuple(repeat), charts=3, first_visit_bytes=4096)

    def test_one_slow_first_visit_misses_only_that_verdict(self):
        from bench.serving import page_load_lines

        lines, repeat_met, first_met = page_load_lines(
            [self.load("/", [0.9, 2.4, 1.0], [0.4, 0.5, 0.4]), self.load("/area", [1], [1])]
        )
        assert (repeat_met, first_met) == (True, False)
        row = lines[1].split()
        assert row[:2] == ["/", "3"]
        assert row[2:5] == ["1.00", "/", "2.40"]  # median / worst of the first visits
        assert row[-1] == "4"  # KiB over the wire

    def test_a_page_never_drawn_misses(self):
        from bench.serving import page_load_lines, worst

        assert math.isnan(worst((0.5, math.nan)))
        _, repeat_met, first_met = page_load_lines([self.load("/", [0.5], [math.nan])])
        assert (repeat_met, first_met) == (False, True)


def test_busy_cores_spin_for_the_block_and_stop_after_it():
    from bench.serving import busy_cores

    with busy_cores(2) as spinners:
        assert len(spinners) == 2
        assert all(spinner.poll() is None for spinner in spinners)
    assert all(spinner.poll() is not None for spinner in spinners)


def test_group_cpu_seconds_counts_the_cpu_of_a_process_group():
    spinner = subprocess.Popen(
        [sys.executable, "-c", SPIN_THEN_SLEEP],
        start_new_session=True,  # its own process group, as the benchmark's server
    )
    try:
        deadline = time.monotonic() + 20
        while group_cpu_seconds(spinner.pid) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_cpu_seconds(spinner.pid) >= 0.3
    finally:
        spinner.kill()
        spinner.wait()
    assert group_cpu_seconds(spinner.pid) == 0.0  # no live process left in the group


SPIN_THEN_SLEEP = """
import time
end = time.process_time() + 0.3
while time.process_time() < end:
    pass
time.sleep(30)
"""


def test_capacity_line_gives_the_cpu_per_view_and_the_views_a_second():
    line = capacity_line(cpu_seconds=15.0, views=100)
    assert "150 ms" in line and f"{os.cpu_count() / 0.15:.1f} new views a second" in line
    assert capacity_line(0.0, 0).endswith("not measured")
