"""Links in e-mails point where the site is served."""

import shutil
import subprocess

from django.core.checks import run_checks


def warnings():
    return [message.id for message in run_checks() if message.id == "etickets.W001"]


def test_a_site_url_this_site_does_not_serve_is_warned_of(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["www.jo-etickets.fr"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert warnings() == ["etickets.W001"]
    settings.SITE_URL = "https://www.jo-etickets.fr"
    assert warnings() == []


def test_make_run_points_the_links_at_its_own_port():
    dry_run = subprocess.run(
        [shutil.which("make") or "make", "-n", "run", "PORT=8123"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8123}"' in dry_run
    assert "runserver 127.0.0.1:8123" in dry_run
