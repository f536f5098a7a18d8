"""Playwright driving Debian's Chromium against pytest-django's live server.

In CI the browser tests must run, so a missing Chromium fails them; elsewhere they skip with
a message saying how to install it.
"""

import os
import shutil

import pytest

from guides.services import seed_source_guide

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install Debian's package with `apt-get install -y chromium`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # here are ordinary blocking calls, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def seeded(transactional_db):
    """Live-server tests run in transactions that are flushed afterwards: seed the guide again."""
    seed_source_guide()


@pytest.fixture
def page(browser, live_server, seeded):
    """A fresh browser tab; the test fails on any console error (CSP violations included)."""
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert problems == [], f"browser reported errors: {problems}"
