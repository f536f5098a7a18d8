"""Every reader-facing page passes axe-core's checks (WCAG A/AA: contrast, labels, landmarks)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/forums/forum/guides/",
    "/forums/topic/do-hip-thrusts-work-the-lower-back/",
    "/forums/users/admin/",
    "/guides/",
    "/guides/do-hip-thrusts-work-the-lower-back/",
    "/no-such-page/",
]


@pytest.fixture
def axe_tab(browser, live_server, seeded):
    # axe is injected as a script, which the site's own CSP rightly blocks; only this tab skips it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_accessibility_violations(axe_tab, url):
    axe_tab.goto(url)
    results = Axe().run(axe_tab)
    assert results.violations_count == 0, results.generate_report()
