"""End-to-end journeys in Debian's Chromium, driven by pytest-playwright against
pytest-django's ``live_server``, with an axe accessibility check on every page visited.

* ``chromium`` is ``/usr/bin/chromium`` (Debian's package), never a browser downloaded by
  Playwright. Without it the journeys are skipped locally and fail on CI (``CI=true``).
* Every test here gets the ``e2e`` mark and a transactional database (the live server
  runs in another thread and must see committed rows).
* ``check_a11y(page, name)`` fails on any axe violation and saves a full-page screenshot
  to ``tests/e2e/screenshots/<name>.png``; ``check_skip_link(page)`` checks the first Tab
  stop is the skip link and that it moves the focus to the main content.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

# Playwright's sync API drives the browser from an asyncio event loop that stays current
# for the rest of the session, so Django's "async unsafe" guard would refuse every ORM
# call made by the test (and by later tests in the same run) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
SCREENSHOTS = Path(__file__).parent / "screenshots"
E2E_DIR = Path(__file__).parent

_axe = Axe()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = f"Chromium absent ({CHROMIUM}): apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened by path (``page.goto("/auth/login/")``) on the live server.

    Defining it here also keeps pytest-playwright's fallback ``base_url`` fixture from
    running: it is declared as an instance method, which pytest 9 deprecates with a
    warning that ``filterwarnings = error`` would turn into an error."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture(autouse=True)
def _e2e_live_server(live_server, settings):
    """Every journey runs against the live server, with links in e-mails pointing to it."""
    settings.SITE_URL = live_server.url
    return live_server


def check_a11y(page: Page, name: str) -> None:
    """Save a full-page screenshot as ``screenshots/<name>.png``, then fail on any axe
    violation, listing each rule, its help text and the offending nodes."""
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    # Playwright evaluates scripts through the DevTools protocol, which the page's
    # Content-Security-Policy (script-src 'self' 'nonce-…') does not govern: axe is
    # injected with the CSP on, no bypass_csp needed.
    results = _axe.run(page)
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} axe violation(s) on « {name} » ({page.url}):"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    * {', '.join(map(str, node['target']))}: {node['html'][:200]}")
                if node.get("failureSummary"):
                    lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)


def check_skip_link(page: Page) -> None:
    """From the top of a freshly loaded page, the first Tab stop is the skip link, visible
    when focused, and activating it moves the keyboard focus to the main content."""
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
