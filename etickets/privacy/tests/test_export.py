import base64
import datetime
import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.api.models import ApiToken
from etickets.privacy import services
from etickets.privacy.export import build_zip
from etickets.privacy.models import DataExport, ExportState
from etickets.support.models import Screenshot
from etickets.tickets.models import Transfer

from .conftest import CONTACT_TEXT, EMAIL, IP, RECIPIENT, REPORT_TEXT


def read_zip(content: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files["donnees.json"]), files


@pytest.mark.django_db
def test_the_archive_holds_the_account_s_data_and_nothing_of_another(populated):
    account, other, other_order = populated
    user, order = account.user, account.order
    user.refresh_from_db()  # as the job loads it: its last login is since the fixture's
    data, files = read_zip(build_zip(user))
    text = files["donnees.json"].decode()

    assert data["compte"]["email"] == EMAIL and data["compte"]["double_authentification"]
    assert data["compte"]["inscrit_le"] and data["compte"]["derniere_connexion"]
    assert [login["adresse_ip"] for login in data["connexions"]] == [IP]
    assert [failure["adresse_ip"] for failure in data["echecs_de_connexion"]] == [IP]
    (exported,) = data["commandes"]
    assert exported["reference"] == order.reference
    assert exported["total_centimes"] == order.total_cents == 2 * 7300
    assert exported["paiement"]["quatre_derniers_chiffres"] == "4242"
    assert exported["paiement"]["carte"] == order.payment.brand
    assert {t["numero"] for t in data["billets"]} == {t.number for t in order.tickets.all()}
    assert {t["etat"] for t in data["billets"]} == {"valid"}
    assert data["transferts_proposes"][0]["destinataire"] == RECIPIENT
    assert data["messages_de_contact"][0]["message"] == CONTACT_TEXT
    (report,) = data["signalements"]
    assert report["description"] == REPORT_TEXT
    (shot_name,) = report["captures"]
    shot = Screenshot.objects.get(report__user=user)
    with shot.file.open("rb") as stored:
        assert files[shot_name] == stored.read()
    assert [token["nom"] for token in data["jetons_api"]] == [account.token_name]
    assert files[f"billets/{order.reference}.pdf"].startswith(b"%PDF")
    # Readable: indented, accents as they are.
    assert "\n  " in text and "Zéphyrine" in text

    # Nothing of the neighbour's.
    for theirs in (other.email, other_order.reference, "Tablette du voisin", "203.0.113.200"):
        assert theirs not in text
    assert not any(other_order.reference in name for name in files)


@pytest.mark.django_db
def test_the_archive_holds_no_secret(populated):
    account, *_ = populated
    user, order = account.user, account.order
    user.refresh_from_db()
    content = build_zip(user)
    _data, files = read_zip(content)
    text = files["donnees.json"].decode()
    device = TOTPDevice.objects.get(user=user)
    secrets = [
        user.password,
        user.password.split("$")[-1],
        bytes(user.account_key).hex(),
        base64.b64encode(bytes(user.account_key)).decode(),
        bytes(order.purchase_key).hex(),
        device.key,
        *ApiToken.objects.filter(user=user).values_list("key_hash", flat=True),
        *ApiToken.objects.filter(user=user).values_list("prefix", flat=True),
        *Transfer.objects.filter(sender=user).values_list("token_hash", flat=True),
        *StaticToken.objects.filter(device__user=user).values_list("token", flat=True),
    ]
    for secret in secrets:
        assert secret and secret not in text, secret
    keys = set(_keys(_data))
    assert not {k for k in keys if re.search(r"passe|password|key|cl[eé]|hash|secret", k)}


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _ask(client):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/compte/donnees/archive/")


@pytest.mark.django_db
def test_asking_e_mails_a_link_only_its_owner_opens_for_a_day(populated, settings):
    account, other, _ = populated
    user = account.user
    client = Client()
    client.force_login(user)
    mail.outbox.clear()
    response = _ask(client)
    assert response.status_code == 302
    export = DataExport.objects.get(user=user)
    assert export.state == ExportState.READY
    assert str(settings.PRIVATE_MEDIA_ROOT) in export.file.path
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+(/compte/donnees/archive/[0-9a-f-]+/)", message.body)
    assert link, message.body
    path = link.group(1)

    download = client.get(path)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    data, _files = read_zip(b"".join(download.streaming_content))
    assert data["compte"]["email"] == EMAIL

    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(path).status_code == 404
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/connexion/" in anonymous.url

    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_one_export_at_a_time(make_user, client):
    user = make_user()
    client.force_login(user)
    services.request_export(user=user)  # its job not run yet (no commit in this test)
    with pytest.raises(services.ExportInProgress):
        services.request_export(user=user)
    response = client.post("/compte/donnees/archive/", follow=True)
    assert "déjà en préparation" in response.content.decode()
    assert DataExport.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_the_sweep_builds_an_export_whose_job_was_lost(make_user):
    user = make_user()
    export = services.request_export(user=user)
    assert services.build_pending_exports() == 0  # its job may still come
    DataExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert services.build_pending_exports() == 1
    export.refresh_from_db()
    assert export.state == ExportState.READY and export.size > 0
    assert services.build_pending_exports() == 0


@pytest.mark.django_db
def test_the_page_offers_both(client, make_user):
    user = make_user()
    client.force_login(user)
    page = client.get("/compte/donnees/").content.decode()
    assert "Télécharger mes données" in page and "Supprimer mon compte" in page
    assert "/compte/donnees/" in client.get("/compte/").content.decode()
