"""Checks every browser journey runs on the pages it visits."""

from pathlib import Path

import pyotp
from playwright.sync_api import expect

# Realistic long values that the 360 px checks are made with: an e-mail address with nowhere
# to break a line (44 characters) and an event title as long as the Games' longest.
LONG_EMAIL = "annesophie.delafontaine.paris2024@exemple.fr"
LONG_TITLE = (
    "Gymnastique artistique — Finales par appareils : sol, cheval d'arçons, anneaux, saut, "
    "barres parallèles et barre fixe"
)

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def assert_accessible(page):
    """Run axe-core on the current page; fail on any serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() is not subject to the page's CSP, unlike an injected <script> tag.
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"axe-core found on {page.url}:\n{report}"


def assert_no_horizontal_overflow(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    # What sticks out, or holds text that does (a word too long for its box).
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => !e.closest('.table-scroll') && (
                e.getBoundingClientRect().right > document.documentElement.clientWidth
                || (e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX === 'visible'
                    && e.clientWidth > 0)))
            .slice(0, 5).map((e) => e.tagName + '.' + e.className)"""
    )
    assert overflow <= 0, f"{page.url} scrolls horizontally by {overflow}px: {culprits}"


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page, base_url, email, password, authenticator=None):
    """Through the login page, and its second step when ``authenticator`` (a pyotp.TOTP)."""
    page.goto(base_url + "/connexion/")
    page.get_by_label("Adresse email").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if authenticator:
        page.get_by_label("Code de vérification").fill(authenticator.now())
        page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("status")).to_contain_text("Bonjour")


def authenticator_for(user) -> pyotp.TOTP:
    """``user``'s second factor set up and confirmed: the authenticator the test holds."""
    from etickets.accounts import services

    device = services.totp_device_in_setup(user)
    device.confirmed = True
    device.save()
    return pyotp.TOTP(services.totp_secret_for_display(device).replace(" ", ""))
