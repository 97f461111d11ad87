"""« Mes données » on a phone: ask for the archive, follow the e-mailed link, then delete the
account (a wrong password first)."""

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import (
    LONG_EMAIL,
    assert_accessible,
    assert_no_horizontal_overflow,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.e2e


def _checked(page, name):
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, name)


def test_download_then_delete_my_account(page, base_url, transactional_db, make_user):
    from etickets.accounts.models import User

    user = make_user(email=LONG_EMAIL, first_name="Anne-Sophie", last_name="Delafontaine")
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, base_url, user.email, PASSWORD)

    page.goto(base_url + "/compte/")
    page.get_by_role("link", name="Mes données").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    _checked(page, "my-data-360")

    mail.outbox.clear()
    page.get_by_role("button", name="Télécharger mes données").click()
    expect(page.get_by_role("status")).to_contain_text("nous préparons l'archive")
    expect(page.get_by_role("link", name=re.compile("Archive du"))).to_be_visible()
    _checked(page, "my-data-asked-360")
    (message,) = mail.outbox
    link = re.search(r"https?://\S+(/compte/donnees/archive/[0-9a-f-]+/)", message.body)
    assert link, message.body
    with page.expect_download() as download:
        page.evaluate("(path) => { window.location.href = path }", link.group(1))
    with open(download.value.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    assert json.loads(archive.read("donnees.json"))["compte"]["email"] == LONG_EMAIL

    page.get_by_role("link", name="Supprimer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    _checked(page, "delete-account-360")
    page.get_by_label("Mot de passe").fill("Pas-le-bon-2024!")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.locator("#id_password_error")).to_contain_text("Mot de passe incorrect.")
    _checked(page, "delete-account-refused-360")

    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre compte est supprimé")
    _checked(page, "account-deleted-360")
    user.refresh_from_db()
    assert user.deleted_at and not User.objects.filter(email=LONG_EMAIL).exists()
