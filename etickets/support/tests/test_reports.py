import datetime
import io
import os
from html import unescape
from unittest import mock

import kombu.exceptions
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from PIL import Image, ImageFile

from etickets.accounts import services as accounts
from etickets.support.models import ProblemReport, ReportStatus, Screenshot
from etickets.support.tasks import clean_pending_screenshots, clean_screenshots

DESCRIPTION = "Le bouton Télécharger ne fait rien sur mon téléphone Android."


def picture(fmt="JPEG", size=(40, 30), exif=None, name=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[fmt]
    return SimpleUploadedFile(
        name or f"capture.{extension}", buffer.getvalue(), f"image/{extension}"
    )


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Fabricant du téléphone"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPS
    return exif


@pytest.fixture
def author(client, make_user):
    user = make_user()
    client.force_login(user)
    return user


def send(client, *files, description=DESCRIPTION):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/compte/assistance/signaler/", {"description": description, "screenshots": list(files)}
        )


@pytest.mark.django_db
def test_report_with_screenshots(client, author):
    html = unescape(client.get("/compte/assistance/").content.decode())
    assert "Signaler un problème" in html
    response = send(client, picture("PNG"), picture("WEBP"))
    report = ProblemReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == ReportStatus.NEW and report.screenshots.count() == 2
    listing = unescape(client.get("/compte/assistance/").content.decode())
    assert report.reference in listing and "Nouveau" in listing
    detail = unescape(client.get(report.get_absolute_url()).content.decode())
    assert DESCRIPTION in detail
    shot = report.screenshots.first()
    served = client.get(f"/compte/assistance/captures/{shot.pk}/")
    assert served.status_code == 200 and served["Content-Type"].startswith("image/")
    assert mail.outbox[-1].to == [author.email]


@pytest.mark.django_db
def test_exif_and_gps_are_removed(client, author):
    original = picture("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original.read())).getexif()
    original.seek(0)
    send(client, original)
    stored = Screenshot.objects.get()
    with stored.file.open("rb") as file:
        cleaned = Image.open(io.BytesIO(file.read()))
        assert not cleaned.getexif()
        assert "exif" not in cleaned.info
    assert not stored.file.name.endswith("capture.jpg")  # a random name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "exif"),
    [("PNG", b"\x00\x01\x02garbage"), ("WEBP", b"junkjunk"), ("WEBP", b"Exif\x00\x00junkjunk")],
)
def test_a_corrupt_exif_block_is_dropped_with_the_rest(client, author, fmt, exif):
    """Pillow cannot read it to turn the picture upright: the picture is kept as it is."""
    response = send(client, picture(fmt, exif=exif))
    assert response.status_code == 302
    stored = Screenshot.objects.get()
    with stored.file.open("rb") as file:
        cleaned = Image.open(io.BytesIO(file.read()))
        assert cleaned.size == (40, 30) and "exif" not in cleaned.info


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("script.png", b"#!/bin/sh\nrm -rf /\n", "image/png"),
            "n'est pas une image",
        ),
        (SimpleUploadedFile("vide.jpg", b"", "image/jpeg"), "vide"),
        ("gif", "n'est pas une image PNG, JPEG ou WebP"),
        ("big", "dépasse 5 Mo"),
        ("bomb", "démesurée"),
    ],
)
def test_bad_files_are_refused_and_the_text_is_kept(client, author, upload, message):
    if upload == "gif":
        upload = picture("GIF")
    elif upload == "big":
        upload = SimpleUploadedFile(
            "enorme.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10), "image/png"
        )
    elif upload == "bomb":
        upload = picture("PNG", size=(10000, 10000))
    response = send(client, upload)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert message in html
    assert DESCRIPTION in html
    assert not ProblemReport.objects.exists() and not Screenshot.objects.exists()


@pytest.mark.django_db
def test_at_most_five_screenshots(client, author):
    html = unescape(send(client, *[picture() for _ in range(6)]).content.decode())
    assert "au plus 5 captures" in html


@pytest.mark.django_db
def test_other_users_get_404_and_staff_see_it(client, author, make_user):
    send(client, picture())
    report, shot = ProblemReport.objects.get(), Screenshot.objects.get()
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(report.get_absolute_url()).status_code == 404
    assert stranger.get(f"/compte/assistance/captures/{shot.pk}/").status_code == 404
    assert Client().get(f"/compte/assistance/captures/{shot.pk}/").status_code == 302

    admin = make_user(is_staff=True, is_superuser=True)
    device = accounts.totp_device_in_setup(admin)
    device.confirmed = True
    device.save()
    desk = Client()
    desk.force_login(admin)
    session = desk.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert desk.get(f"/compte/assistance/captures/{shot.pk}/").status_code == 200
    assert report.reference in desk.get("/backoffice/assistance/").content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        desk.post(
            f"/backoffice/assistance/{report.reference}/",
            {"body": "Corrigé : mettez l'application à jour.", "status": "resolved"},
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    sent = len(mail.outbox)
    # Neither a reply nor a new status: refused, nobody told.
    html = unescape(
        desk.post(
            f"/backoffice/assistance/{report.reference}/", {"body": " ", "status": "resolved"}
        ).content.decode()
    )
    assert "Écrivez une réponse ou changez l'état du signalement." in html
    assert len(mail.outbox) == sent and report.replies.count() == 1
    reply_email = mail.outbox[-1]
    assert reply_email.to == [author.email] and "Corrigé" in reply_email.body
    html = unescape(client.get(report.get_absolute_url()).content.decode())
    assert "Corrigé : mettez l'application à jour." in html and "Résolu" in html


def csrf_client(user):
    """A browser-like client: the CSRF middleware reads the body, as it does in production
    (the default test client skips that read)."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/compte/assistance/signaler/")
    return browser, browser.cookies["csrftoken"].value


@pytest.mark.django_db
def test_too_many_files_for_django_get_the_form_back_with_the_text(make_user):
    """101 files trip DATA_UPLOAD_MAX_NUMBER_FILES, a bare 400 until the upload was cut short
    after the fifth file."""
    browser, token = csrf_client(make_user())
    files = [SimpleUploadedFile(f"capture-{n}.png", b"x", "image/png") for n in range(101)]
    response = browser.post(
        "/compte/assistance/signaler/",
        {"csrfmiddlewaretoken": token, "description": DESCRIPTION, "screenshots": files},
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Joignez au plus 5 captures d'écran." in html
    assert DESCRIPTION in html  # the description, sent before the files, is kept
    assert 'aria-invalid="true"' in html
    assert not ProblemReport.objects.exists() and not Screenshot.objects.exists()


@pytest.mark.django_db
def test_six_files_are_refused_even_though_only_five_are_read(make_user):
    browser, token = csrf_client(make_user())
    response = browser.post(
        "/compte/assistance/signaler/",
        {
            "csrfmiddlewaretoken": token,
            "description": DESCRIPTION,
            "screenshots": [picture() for _ in range(6)],
        },
    )
    html = unescape(response.content.decode())
    assert "Joignez au plus 5 captures d'écran." in html and DESCRIPTION in html
    assert not ProblemReport.objects.exists()


@pytest.mark.django_db
def test_a_body_too_big_to_read_gets_the_form_and_says_the_text_is_lost(make_user):
    """A field over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) raises RequestDataTooBig."""
    browser, token = csrf_client(make_user())
    huge = "x" * (3 * 1024 * 1024)
    for content_type in ("multipart", "urlencoded"):
        data = {"csrfmiddlewaretoken": token, "description": huge}
        if content_type == "multipart":
            response = browser.post("/compte/assistance/signaler/", data)
        else:
            response = browser.post(
                "/compte/assistance/signaler/",
                f"csrfmiddlewaretoken={token}&description={huge}",
                content_type="application/x-www-form-urlencoded",
            )
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert 'name="description"' in html and 'aria-invalid="true"' in html
        assert "votre description n'a pas pu être conservée" in html
        assert "obligatoire" not in html
    assert not ProblemReport.objects.exists()


@pytest.mark.django_db
def test_the_report_form_still_needs_the_csrf_token(make_user):
    browser, token = csrf_client(make_user())
    refused = browser.post("/compte/assistance/signaler/", {"description": DESCRIPTION})
    assert refused.status_code == 403
    assert not ProblemReport.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        accepted = browser.post(
            "/compte/assistance/signaler/",
            {"csrfmiddlewaretoken": token, "description": DESCRIPTION, "screenshots": [picture()]},
        )
    assert accepted.status_code == 302 and ProblemReport.objects.get().screenshots.count() == 1


@pytest.mark.django_db
def test_the_file_input_carries_the_limit_for_the_script(client, author):
    html = unescape(client.get("/compte/assistance/signaler/").content.decode())
    assert 'data-max-files="5"' in html
    assert 'data-max-files-message="Joignez au plus 5 captures d\'écran."' in html
    assert "support/report-form.js" in html


class Body(io.BytesIO):
    """A request body that notes whether Django read any of it."""

    touched = False

    def read(self, *args):
        self.touched = True
        return super().read(*args)


@pytest.mark.django_db
def test_a_body_past_five_screenshots_is_refused_before_any_of_it_is_read(client, author):
    """The attack: hundreds of MB sent as screenshots were read to disk before the size
    check. Content-Length bounds what Django reads, so it is checked first."""
    body = Body(b"--B\r\n")
    response = client.generic(
        "POST",
        "/compte/assistance/signaler/",
        **{
            "CONTENT_TYPE": "multipart/form-data; boundary=B",
            "CONTENT_LENGTH": str(5 * 5 * 1024 * 1024 + 1024 * 1024 + 1),
            "wsgi.input": body,
        },
    )
    assert response.status_code == 400 and not body.touched
    html = unescape(response.content.decode())
    assert "avec 5 captures d'écran de 5 Mo au plus" in html
    assert not ProblemReport.objects.exists()


@pytest.mark.django_db
def test_declared_dimensions_are_refused_before_any_pixel_is_decoded(client, author):
    """20 megapixels of one bit: 12 KB to send, 80 MB to decode (RGBA) and seconds to
    re-encode. Pillow reads only the header to know its size."""
    buffer = io.BytesIO()
    Image.new("1", (5000, 4000)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("vaste.png", buffer.getvalue(), "image/png")
    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")):
        response = send(client, upload)
    assert "« vaste.png » est une image démesurée" in unescape(response.content.decode())
    assert not ProblemReport.objects.exists()


@pytest.mark.django_db
def test_screenshots_are_decoded_by_the_job_and_not_served_before(client, author):
    original = picture("JPEG", exif=gps_exif())
    truncated = picture("JPEG", size=(400, 300), name="coupee.jpg")
    truncated = SimpleUploadedFile("coupee.jpg", truncated.read()[:700], "image/jpeg")
    with TestCase.captureOnCommitCallbacks() as jobs:
        response = client.post(
            "/compte/assistance/signaler/",
            {"description": DESCRIPTION, "screenshots": [original, truncated]},
        )
    report = ProblemReport.objects.get()
    assert response.url == report.get_absolute_url()
    shots = list(report.screenshots.all())
    assert [shot.pending for shot in shots] == [True, True]
    # As uploaded (GPS and all): never served, shown as waiting.
    assert client.get(f"/compte/assistance/captures/{shots[0].pk}/").status_code == 404
    detail = unescape(client.get(report.get_absolute_url()).content.decode())
    assert "Capture d'écran en cours de traitement…" in detail
    uploaded = [shot.file.path for shot in shots]

    with mock.patch("etickets.support.tasks.clean_screenshots.delay") as delay:
        for job in jobs:
            job()
    delay.assert_called_once_with(report.pk)
    clean_screenshots.apply(args=[report.pk])  # as the worker runs it
    (shot,) = report.screenshots.all()  # the one whose pixels do not decode is gone
    assert not shot.pending
    served = client.get(f"/compte/assistance/captures/{shot.pk}/")
    assert served.status_code == 200
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()
    assert not any(os.path.exists(path) for path in uploaded)


@pytest.mark.django_db
def test_problem_reports_are_rate_limited_per_account(client, author, settings, make_user):
    settings.PROBLEM_REPORT_RATE_LIMIT = 2
    assert send(client).status_code == send(client).status_code == 302
    refused = send(client, picture())
    assert refused.status_code == 429
    html = unescape(refused.content.decode())
    assert "beaucoup de signalements en peu de temps" in html and DESCRIPTION in html
    assert ProblemReport.objects.count() == 2
    client.force_login(make_user())
    assert send(client).status_code == 302


@pytest.mark.django_db
def test_screenshots_whose_job_was_lost_are_cleaned_by_the_sweep(client, author):
    refused = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379")
    with (
        mock.patch("etickets.support.tasks.clean_screenshots.delay", side_effect=refused),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(
            "/compte/assistance/signaler/",
            {"description": DESCRIPTION, "screenshots": [picture("JPEG", exif=gps_exif())]},
        )
    assert response.status_code == 302  # the report is kept, whatever the broker
    report = ProblemReport.objects.get()
    assert clean_pending_screenshots.apply().get() == 0  # its job may still come
    ProblemReport.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert clean_pending_screenshots.apply().get() == 1
    (shot,) = report.screenshots.all()
    assert not shot.pending
    assert clean_pending_screenshots.apply().get() == 0


@pytest.mark.django_db
def test_a_screenshot_whose_file_is_gone_does_not_hold_up_the_sweep(client, author):
    with mock.patch("etickets.support.tasks.clean_screenshots.delay"):
        send(client, picture())
        send(client, picture())
    first, second = Screenshot.objects.order_by("pk")
    os.remove(first.file.path)  # lost with a disk, say
    ProblemReport.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert clean_pending_screenshots.apply().get() == 2
    assert list(Screenshot.objects.values_list("pk", "pending")) == [(second.pk, False)]
