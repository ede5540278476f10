"""The page shell: skip link, header, service navigation, URL notices, the page, the footer.

It stays the same on every page; pages fill ``dash.page_container``. The shell's own Location
is how page callbacks change the URL (and so the page state) without a full reload; the
navigation reads it too, so its links carry the current area and comparator method.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qs, quote, urlencode

import dash
from dash import Input, Output, callback, dcc, html

from dashboard.methods_and_sources import OGL_URL
from dashboard.ui.notice import notice_area

NAV_LOCATION = "nav-location"
NAV_LIST = "service-nav-list"
AREA_PROFILE = "/area"


def shell() -> html.Div:
    """The whole app layout around the current page."""
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="lsr-skip-link"),
            dcc.Location(id=NAV_LOCATION, refresh="callback-nav"),
            header(),
            service_navigation(),
            html.Main(
                [notice_area(), dash.page_container],
                id="main-content",
                tabIndex="-1",
                className="container-xl py-4",
            ),
            footer(),
        ],
        className="lsr-app",
    )


def header() -> html.Header:
    """Black bar with the product name; the page links are on their own row below."""
    return html.Header(
        html.Div(
            [
                # a plain link like the navigation's: a full page load (serving.page_bundles)
                html.A("LSR Explorer", href="/", className="lsr-brand"),
                html.Span(
                    "Health and social care interface metrics for English councils",
                    className="lsr-tagline d-none d-md-inline",
                ),
            ],
            className="container-xl lsr-header-inner",
        ),
        className="lsr-header",
    )


def service_navigation() -> html.Nav:
    """Every page, GOV.UK service-navigation style: one row at desktop widths, wrapping on
    narrow screens. The links are re-drawn from the URL (see ``nav_items``)."""
    return html.Nav(
        html.Div(
            html.Ul(nav_items("/", ""), id=NAV_LIST, className="lsr-service-nav-list"),
            className="container-xl",
        ),
        className="lsr-service-nav",
        **{"aria-label": "Pages"},
    )


def nav_context(pathname: str | None, search: str | None) -> dict[str, str]:
    """The area and comparator method the current URL names (``/area/<code>`` or
    ``?area=``), so the other pages open on the same area."""
    query = parse_qs((search or "").lstrip("?"))
    carried = {key: query[key][0] for key in ("area", "method") if query.get(key)}
    path = pathname or "/"
    if path.startswith(AREA_PROFILE + "/"):
        code = path[len(AREA_PROFILE) + 1 :].strip("/")
        if code:
            carried["area"] = code
    return carried


def nav_links() -> tuple[tuple[str, str], ...]:
    """(name, path) of every page in the navigation, in its order: the pages registered with
    Dash that give an ``order`` (the not-found page gives none)."""
    pages = [page for page in dash.page_registry.values() if page.get("order") is not None]
    return tuple((page["name"], page["path"]) for page in sorted(pages, key=_order))


def area_pages() -> frozenset[str]:
    """Paths of the pages that show one area (registered ``shows_area=True``): their links
    carry ?area= and ?method=."""
    return frozenset(page["path"] for page in dash.page_registry.values() if page.get("shows_area"))


def _order(page: dict) -> int:
    return page["order"]


def nav_href(path: str, carried: dict[str, str]) -> str:
    """A page's link with the carried area and method (pages without an area get none)."""
    if path not in area_pages() or not carried:
        return path
    query = dict(carried)
    if path == AREA_PROFILE and "area" in query:
        path = f"{AREA_PROFILE}/{quote(query.pop('area'), safe='')}"
    return f"{path}?{urlencode(query, quote_via=quote)}" if query else path


def is_active(path: str, pathname: str | None) -> bool:
    current = (pathname or "/").rstrip("/") or "/"
    if path == "/":
        return current == "/"
    return current == path or current.startswith(path + "/")


def nav_items(pathname: str | None, search: str | None) -> list[html.Li]:
    """Plain links (a full page load, as GOV.UK services do) so aria-current can be set."""
    carried = nav_context(pathname, search)
    items = []
    for label, path in nav_links():
        active = is_active(path, pathname)
        current = {"aria-current": "page"} if active else {}
        items.append(
            html.Li(
                html.A(
                    label, href=nav_href(path, carried), className="lsr-service-nav-link", **current
                ),
                className="lsr-service-nav-item"
                + (" lsr-service-nav-item-active" if active else ""),
            )
        )
    return items


@callback(
    Output(NAV_LIST, "children"),
    Input(NAV_LOCATION, "pathname"),
    Input(NAV_LOCATION, "search"),
)
def _update_navigation(pathname: str | None, search: str | None) -> list[html.Li]:
    return list(_remembered_nav_items(pathname, search))


@functools.lru_cache(maxsize=1024)
def _remembered_nav_items(pathname: str | None, search: str | None) -> tuple[html.Li, ...]:
    """The navigation depends on the URL alone and runs on every page load: built once per
    URL (Dash only reads the components when it serialises the answer)."""
    return tuple(nav_items(pathname, search))


def footer() -> html.Footer:
    """Licence attribution and the synthetic-data promise, on every page."""
    return html.Footer(
        html.Div(
            [
                html.P(
                    [
                        "Contains public sector information licensed under the ",
                        html.A("Open Government Licence v3.0", href=OGL_URL, rel="license"),
                        ".",
                    ],
                    className="mb-1",
                ),
                html.P(
                    "Where the data is synthetic (generated demo values, not real figures) it is "
                    "marked as such on every chart, tile and download.",
                    className="mb-0",
                ),
            ],
            className="container-xl",
        ),
        className="lsr-footer",
    )
