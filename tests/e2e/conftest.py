import os

import pytest
from playwright.sync_api import expect

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# An assertion waits up to 15 s for the page (Playwright's default is 5 s): the
# suite runs on two processes, and on a busy machine signing an order (a PDF
# rendered in the live server) took longer than 5 s. A passing check waits no
# longer than before.
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium (STACK.md); Playwright's own download is blocked here.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Europe/Moscow"}


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(page):
    """Every browser test also checks that the pages it walked broke no rule
    of the Content-Security-Policy: Chromium reports each script or style it
    blocked («Refused to execute inline script…») on the console."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield
    assert violations == []
