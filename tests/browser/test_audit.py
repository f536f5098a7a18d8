"""Every page type of ``tests/tour.py``, for every role, in four setups (a desktop, dark mode,
a 390 px phone, and 320 px: a 1280 px window at 400 % zoom, WCAG's reflow width) passes
axe-core asking for WCAG 2.0, 2.1 and 2.2 A and AA (target size included) and its best
practices, with no horizontal scrolling on the phones."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_accessibility import log_in
from tests.tour import ROLES, build_tour

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}  # fmt: skip

SETUPS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "dark": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "reflow": {"viewport": {"width": 320, "height": 640}},
}
PHONES = {"phone", "reflow"}


@pytest.mark.parametrize("setup", SETUPS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_with_wcag_22(browser, live_server, seeded, settings, role, setup):
    settings.FORUM_FLOOD_SECONDS = 0
    tour = build_tour()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **SETUPS[setup])
    tab = context.new_page()
    if role in tour.members:
        log_in(tab, live_server, tour.members[role])
    axe = Axe()
    found = []
    try:
        for url in tour.pages[role]:
            response = tab.goto(url)
            expected = 404 if url == "/no-such-page/" else 200
            assert (response.status, tab.url) == (expected, live_server.url + url), url
            results = axe.run(tab, options=AXE_OPTIONS)
            for violation in results.response["violations"]:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
                found.append(f"{url} {violation['id']} ({len(targets)}): {targets[:3]}")
            if setup in PHONES:
                overflow = tab.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    found.append(f"{url} scrolls sideways by {overflow} px")
    finally:
        context.close()
    assert found == [], f"{len(found)} problems for the {role} ({setup}):\n" + "\n".join(found)
