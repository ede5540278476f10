"""Renders on a miss between two /metrics snapshots: only the step's own, per page."""

from __future__ import annotations

from bench.serving_misses import Renders, render_lines, renders_between, snapshot


def page(total: int, recent: list[list[float]]) -> dict:
    return {"total": total, "recent": recent, "count": len(recent)}


def metrics(pages_by_pid: dict[int, dict]) -> dict[int, dict]:
    return {
        pid: {"pid": pid, "answer_cache": {"render_on_miss": pages}}
        for pid, pages in pages_by_pid.items()
    }


class TestRendersBetween:
    def test_only_the_renders_after_the_first_snapshot_count(self):
        before = snapshot(metrics({1: {"/area": page(2, [[900, 80], [800, 70]])}}))
        after = snapshot(
            metrics({1: {"/area": page(4, [[900, 80], [800, 70], [120, 60], [140, 65]])}})
        )
        assert renders_between(before, after) == {"/area": Renders((120, 140), (60, 65))}

    def test_workers_and_pages_are_pooled_per_page(self):
        before = snapshot(metrics({1: {}, 2: {"/metric": page(1, [[50, 40]])}}))
        after = snapshot(
            metrics(
                {
                    1: {"/metric": page(1, [[60, 45]]), "/dtoc": page(1, [[90, 70]])},
                    2: {"/metric": page(2, [[50, 40], [70, 50]])},
                }
            )
        )
        found = renders_between(before, after)
        assert sorted(found["/metric"].wall_ms) == [60, 70]
        assert found["/dtoc"].cpu_ms == (70,)

    def test_a_page_without_new_renders_is_left_out(self):
        same = snapshot(metrics({1: {"/area": page(3, [[1, 1]] * 3)}}))
        assert renders_between(same, same) == {}

    def test_renders_beyond_the_recent_history_are_counted_as_missing(self):
        after = snapshot(metrics({1: {"/area": page(250, [[100, 50]] * 200)}}))
        found = renders_between({}, after)["/area"]
        assert len(found.wall_ms) == 200 and found.missing == 50

    def test_a_worker_without_an_answer_cache_has_no_renders(self):
        assert snapshot({7: {"pid": 7, "answer_cache": None}}) == {7: {}}


class TestRenderLines:
    def test_judged_on_the_wall_p95_of_every_page(self):
        renders = {
            "/area": Renders((100.0, 120.0), (60.0, 70.0)),
            "/dtoc": Renders((100.0, 400.0), (60.0, 90.0)),
        }
        lines, met = render_lines(renders, 150)
        assert not met
        assert lines[1].split()[0] == "/area" and lines[1].endswith("yes")
        assert lines[2].split()[0] == "/dtoc" and lines[2].endswith("NO")

    def test_within_the_limit_everywhere_is_met(self):
        assert render_lines({"/area": Renders((100.0,), (50.0,))}, 150)[1]

    def test_without_a_limit_nothing_is_judged(self):
        lines, met = render_lines({"/area": Renders((100.0,), (50.0,))}, None)
        assert not met and not lines[1].endswith(("yes", "NO"))

    def test_no_renders_is_not_met(self):
        assert render_lines({}, 150) == (["  (no renders on a miss)"], False)
