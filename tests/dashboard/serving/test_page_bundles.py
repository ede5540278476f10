"""Bundles only some pages use are left out of the other pages' shell, and the browser is told
which pages need which bundle."""

import json
import re

from dashboard.serving.page_bundles import (
    CONFIG_ID,
    PAGE_BUNDLES,
    config_script,
    trim_scripts,
    unused_packages,
)

SHELL_SCRIPTS = (
    '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>\n'
    '<script src="/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35_3_0m1.min.js"></script>\n'
    '<script src="/assets/page-bundles.js?m=1"></script>\n'
)


def test_the_grid_bundle_is_only_in_the_select_areas_shell():
    assert "dash_ag_grid" not in trim_scripts(SHELL_SCRIPTS, "/hospital")
    assert trim_scripts(SHELL_SCRIPTS, "/") == SHELL_SCRIPTS
    kept = trim_scripts(SHELL_SCRIPTS, "/area/E08000012")
    assert "deps/react@" in kept and "page-bundles.js" in kept
    assert unused_packages("/") == []


def test_the_browser_gets_the_same_map_as_json():
    script = config_script()
    assert f'id="{CONFIG_ID}"' in script and 'type="application/json"' in script
    body = re.search(r">(.*)</script>", script).group(1)
    assert {name: tuple(pages) for name, pages in json.loads(body).items()} == PAGE_BUNDLES
