"""Browser journeys: the app on a live server, driven by headless Chromium through Playwright.

Every journey checks each page it visits with ``browser.assert_accessible`` (axe-core), and the
``page`` fixture fails a test on any Content-Security-Policy violation or JavaScript error.
"""

import os
import shutil

import pytest

from .browser import authenticator_for

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests and
# the live server are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.e2e


def _system_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    executable = _system_chromium()
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def demo_catalogue(transactional_db, settings):
    """The seeded Paris 2024 catalogue, seen from a day before the opening ceremony."""
    from django.core.management import call_command

    from etickets.catalog.models import Event

    settings.ETICKETS_TODAY = "2024-07-20"
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Static QR codes, which these journeys were written for; test_rotating_codes turns the
    # rotating ones on.
    Event.objects.update(rotating_codes=False)


@pytest.fixture
def administrator(transactional_db, make_user):
    """« direction@example.fr » (the root conftest's PASSWORD), a superuser whose second factor
    is set up: the authenticator the test holds."""
    user = make_user(
        email="direction@example.fr",
        username="direction",
        first_name="Sophie",
        last_name="Durand",
        is_staff=True,
        is_superuser=True,
    )
    return authenticator_for(user)


@pytest.fixture
def page(page):
    """A Playwright page that fails the test on any CSP violation or page error."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    # Say which file and line broke the policy, not only that it was broken.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => console.error("
        "`Content Security Policy: ${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber}"
        ":${e.columnNumber} (${e.sample})`))"
    )
    yield page
    assert not problems, "Browser reported:\n" + "\n".join(problems)
