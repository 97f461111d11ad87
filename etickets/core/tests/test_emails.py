from unittest import mock

import pytest
from django.core import mail
from django.test import TestCase

from etickets.core.emails import send_templated_email
from etickets.core.models import OutgoingEmail


class _User:
    first_name = "Camille"


@pytest.mark.django_db
def test_email_is_written_to_the_outbox_and_queued_only_after_commit():
    with mock.patch("etickets.core.tasks.deliver_email.delay") as delay:
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            send_templated_email(
                "accounts/emails/welcome", "c@example.fr", {"user": _User(), "offers_path": "/"}
            )
            assert not delay.called  # still inside the transaction
        assert len(callbacks) == 1
    email = OutgoingEmail.objects.get()
    assert delay.call_args.args == (email.pk,)
    assert email.subject == "Bienvenue sur JO E-Tickets"
    assert "Bonjour Camille" in email.text and "<html" in email.html
    assert (email.to, email.attachments, email.sent_at) == ("c@example.fr", [], None)


@pytest.mark.django_db
def test_email_is_rendered_in_the_recipients_language():
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_templated_email(
            "accounts/emails/welcome",
            "c@example.fr",
            {"user": _User(), "offers_path": "/"},
            language="en",
        )
    (message,) = mail.outbox
    assert message.subject == "Welcome to JO E-Tickets"
    assert '<html lang="en">' in message.alternatives[0][0]


@pytest.mark.django_db
def test_plain_text_and_subject_are_not_html_escaped():
    class Quoted:
        first_name = "Zoë O'Brien <3"

    with TestCase.captureOnCommitCallbacks(execute=True):
        send_templated_email(
            "accounts/emails/welcome", "z@example.fr", {"user": Quoted(), "offers_path": "/"}
        )
    (message,) = mail.outbox
    assert "Bonjour Zoë O'Brien <3," in message.body
    assert "O&#x27;Brien &lt;3" in message.alternatives[0][0]  # the HTML part stays escaped
