"""End-to-end journeys in Debian's Chromium, driven by pytest-playwright against
pytest-django's ``live_server``, with an axe accessibility check on every page visited.

* The browser is ``/usr/bin/chromium`` (Debian's package), never one downloaded by
  Playwright. Without it the journeys are skipped, except on CI (``CI=true``) where they
  fail.
* Every test in this folder is marked ``e2e`` and, through the live server, runs with a
  transactional database (the server's threads must see what the test committed).
* Pages are opened by path: ``page.goto("/auth/login/")``.
* ``check_a11y(page, name)`` saves ``screenshots/<name>.png`` and fails on any axe
  violation or browser console error; ``check_skip_link(page)`` checks the keyboard
  path to the main content.
"""

import os
import weakref
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).parent
SCREENSHOTS = E2E_DIR / "screenshots"

_axe = Axe()
_console_errors: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = f"Chromium absent ({CHROMIUM}): apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),  # --headed still works
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright's sync API drives the browser from an asyncio event loop that stays
    current until the end of the session, so Django's "async unsafe" guard would refuse
    every ORM call made afterwards (by these tests and by any run after them). Lifted
    only once a browser is actually driven: a run without e2e tests keeps the guard."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return playwright


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started once the test database exists: only then do
    its threads share the test's in-memory SQLite connection. Started earlier, each
    request thread opens its own connection, never closed (a ResourceWarning at exit)."""
    return live_server


@pytest.fixture(scope="session")
def base_url(live_server):
    """Defining ``base_url`` here also keeps pytest-playwright's fallback fixture of that
    name from running: it is an instance method, which pytest 9 deprecates with a
    warning that ``filterwarnings = error`` turns into an error."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def page(page):
    """pytest-playwright's page, recording console errors and uncaught exceptions: a
    script or style refused by the Content-Security-Policy shows up there."""
    errors: list[str] = []

    def on_console(message):
        # Sillon has no favicon yet: Chromium's own request for one is not the page's.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    _console_errors[page] = errors
    return page


def check_a11y(page: Page, name: str) -> None:
    """Save a full-page screenshot as ``screenshots/<name>.png``, then fail on any browser
    console error so far and on any axe violation, listing each rule, its help text and
    the offending nodes."""
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    errors = _console_errors.get(page, [])
    assert not errors, f"console errors up to « {name} » ({page.url}):\n" + "\n".join(errors)
    # Playwright evaluates scripts through the DevTools protocol, which the page's
    # Content-Security-Policy (script-src 'self' 'nonce-…') does not govern: axe runs on
    # the page as served, CSP included, without bypass_csp.
    violations = _axe.run(page).response["violations"]
    if violations:
        lines = [f"{len(violations)} axe violation(s) on « {name} » ({page.url}):"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                target = ", ".join(map(str, node["target"]))
                lines.append(f"    * {target}: {node['html'][:200]}")
                if node.get("failureSummary"):
                    lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)


def check_skip_link(page: Page) -> None:
    """On a freshly loaded page, the first Tab stop is the skip link, visible once
    focused, and Enter on it moves the keyboard focus to the main content."""
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Journeys that travel in time (``time_machine``) leave cache entries, such as the
    login rate limit's counters, that expire only in the travelled-to future: each
    journey starts and ends with empty caches."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
