"""The explorer's chain as bench.dashboard_shape measures it: the dashboard files on the stack
when the explorer URL reaches the URL module, the series query and the trend figure. Issue
16's target is at most 6: the page, its state, the view model, the URL module and the chart
builder with its frame; the panels (which only place built figures) and the page guard (a
plain call, not a wrapper) are off it."""

from __future__ import annotations

from bench import dashboard_shape
from tests.fixtures import publish_fixture


def test_the_explorer_chain_is_the_page_its_state_the_view_urls_and_the_chart(tmp_path):
    publish_fixture(tmp_path)
    _order, _entries, _path, chain = dashboard_shape.crossing(tmp_path)
    assert len(chain) <= 6, sorted(chain)
    assert {
        "dashboard/explore/page.py",
        "dashboard/explore/state.py",
        "dashboard/urls.py",
        "dashboard/charts/time_series.py",
    } <= chain
    assert not chain & {"dashboard/explore/panels.py", "dashboard/ui/page.py"}
