"""E-mails wait in the outbox: a broker that is down when one is queued, a worker killed while
it sends, a mail server that refuses it — the sweep sends it later, once."""

import datetime
from unittest import mock

import kombu.exceptions
import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from etickets.core.emails import deliver, send_outbox, send_templated_email
from etickets.core.models import OutgoingEmail


class _User:
    first_name = "Camille"


def write_email(to="c@example.fr", attachments=()):
    send_templated_email(
        "accounts/emails/welcome",
        to,
        {"user": _User(), "offers_path": "/"},
        attachments=attachments,
    )
    return OutgoingEmail.objects.latest("pk")


def age(email, seconds):
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


@pytest.mark.django_db
def test_with_the_broker_down_the_email_waits_for_the_sweep(caplog):
    refused = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379")
    pdf = ("billets.pdf", b"%PDF-1.4 ...", "application/pdf")
    with (
        mock.patch("etickets.core.tasks.deliver_email.delay", side_effect=refused),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        email = write_email(attachments=[pdf])
    assert "left to its sweep" in caplog.text
    assert not mail.outbox
    assert send_outbox() == 0  # the job may still be on its way
    age(email, 31)
    assert send_outbox() == 1
    (message,) = mail.outbox
    assert message.to == ["c@example.fr"] and message.subject == "Bienvenue sur JO E-Tickets"
    assert message.attachments == [("billets.pdf", b"%PDF-1.4 ...", "application/pdf")]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert send_outbox() == 0 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_email_is_sent_once_however_often_its_job_runs():
    email = write_email()
    assert deliver(email_id=email.pk) is True
    assert deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_server_error_is_noted_and_the_sweep_tries_again_later():
    refused = ConnectionRefusedError("smtp.example.fr:587")
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=refused
        ),
        TestCase.captureOnCommitCallbacks(execute=True),  # no broker: sent at once, refused
    ):
        email = write_email()  # the request that wrote it does not fail
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert "ConnectionRefusedError" in email.last_error
    assert 25 <= (email.retry_at - timezone.now()).total_seconds() <= 30
    assert send_outbox() == 0  # not before its next try
    OutgoingEmail.objects.update(retry_at=timezone.now())
    assert send_outbox() == 1
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.attempts, email.last_error, email.retry_at) == (2, "", None)


@pytest.mark.django_db
def test_once_sent_its_content_is_blanked(settings):
    email = write_email(attachments=[("billets.pdf", b"%PDF-1.4 ...", "application/pdf")])
    deliver(email_id=email.pk)
    email.refresh_from_db()
    assert (email.text, email.html, email.attachments) == ("", "", [])
    assert email.subject == "Bienvenue sur JO E-Tickets" and email.to == "c@example.fr"


@pytest.mark.django_db
def test_an_email_refused_every_time_is_given_up_after_its_last_try(settings, caplog):
    email = write_email()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=settings.OUTBOX_MAX_ATTEMPTS, retry_at=timezone.now(), last_error="SMTP 550"
    )
    assert send_outbox() == 0
    assert not mail.outbox
    assert f"E-mail {email.pk} to c@example.fr given up after 10 tries: SMTP 550" in caplog.text
    caplog.clear()
    assert send_outbox() == 0
    assert "given up" not in caplog.text  # said once


@pytest.mark.django_db
def test_sent_emails_are_forgotten_after_a_week(settings):
    old, recent = write_email("a@example.fr"), write_email("b@example.fr")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS, minutes=1)
    )
    OutgoingEmail.objects.filter(pk=recent.pk).update(sent_at=timezone.now())
    send_outbox()
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["b@example.fr"]
