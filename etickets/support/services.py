"""Help centre, contact form and problem reports."""

import datetime
import hashlib
import logging
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.core import ratelimit
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.core.jobs import queue_on_commit

from . import tasks
from .help_content import ARTICLES
from .images import MAX_BYTES, BadScreenshot, clean_screenshot, inspect_screenshot, random_name
from .models import (
    ContactMessage,
    HelpArticle,
    ProblemReport,
    ReportReply,
    ReportStatus,
    Screenshot,
    new_case_number,
)

logger = logging.getLogger(__name__)

MAX_SCREENSHOTS = 5
# A report's request body: its screenshots and a megabyte for the text and the multipart
# framing. Past it, nothing is read (uploads.ReportUploadLimit).
MAX_REPORT_BYTES = MAX_SCREENSHOTS * MAX_BYTES + 1024 * 1024


class TooManyMessages(DomainError):
    message = _(
        "Vous avez envoyé beaucoup de messages en peu de temps. Réessayez dans une heure, ou "
        "écrivez à support@jo-etickets.fr."
    )
    code = "rate_limited"
    status = 429


class TooManyReports(DomainError):
    message = _(
        "Vous avez envoyé beaucoup de signalements en peu de temps. Réessayez dans une heure, "
        "ou écrivez à support@jo-etickets.fr."
    )
    code = "rate_limited"
    status = 429


def sync_help_articles() -> None:
    """Make the database's articles match help_content.py (run after every migration)."""
    slugs = []
    for position, article in enumerate(ARTICLES):
        slugs.append(article["slug"])
        HelpArticle.objects.update_or_create(
            slug=article["slug"],
            defaults={"position": position, **{k: v for k, v in article.items() if k != "slug"}},
        )
    HelpArticle.objects.exclude(slug__in=slugs).delete()


def send_contact_message(
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    user: User | AnonymousUser | None,
    client_ip: str,
) -> ContactMessage:
    """Store the message, e-mail it to the support team, acknowledge it to the sender.

    Anyone may type anyone's address: the acknowledgement is fixed text with the case number
    (nothing the sender wrote), and an address gets at most one an hour, so that the form is
    no relay for spam or phishing. Every message is still stored and sent to the team."""
    # Anyone may post it and it e-mails the team: uncounted (Redis down), it waits (503).
    if not ratelimit.allow(
        scope="contact",
        key=client_ip,
        limit=settings.CONTACT_RATE_LIMIT,
        window_seconds=3600,
        fail_open=False,
    ):
        raise TooManyMessages()
    with transaction.atomic():
        contact = ContactMessage.objects.create(
            case_number=new_case_number("C"),
            name=name,
            email=email,
            subject=subject,
            message=message,
            user=user if user and user.is_authenticated else None,
        )
        context = {"contact": contact}
        send_templated_email(
            "support/emails/contact_support", settings.SUPPORT_EMAIL, context, "fr"
        )
        address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        # add() is atomic (Redis SET NX): of two simultaneous messages, one acknowledgement.
        if cache.add(f"contact-ack:{address}", 1, timeout=3600):
            send_templated_email("support/emails/contact_ack", email, context)
    return contact


@transaction.atomic
def file_problem_report(
    user: User, *, description: str, uploads: Sequence[UploadedFile]
) -> ProblemReport:
    """« Signaler un problème », at most PROBLEM_REPORT_RATE_LIMIT an hour per account
    (TooManyReports). Every screenshot's header is checked before anything is stored
    (BadScreenshot otherwise); they are stored as uploaded, and the job clean_screenshots
    re-encodes them."""
    if not ratelimit.allow(
        scope="report",
        key=str(user.pk),
        limit=settings.PROBLEM_REPORT_RATE_LIMIT,
        window_seconds=3600,
        # A known account's report, stored: one in trouble during an outage gets through.
        fail_open=True,
    ):
        raise TooManyReports()
    checked = [(upload, inspect_screenshot(upload)) for upload in uploads[:MAX_SCREENSHOTS]]
    report = ProblemReport.objects.create(
        reference=new_case_number("S"), user=user, description=description
    )
    for upload, picture in checked:
        Screenshot.objects.create(
            report=report,
            file=File(upload, name=random_name(picture.extension)),
            content_type=picture.content_type,
            width=picture.width,
            height=picture.height,
            pending=True,
        )
    if checked:
        # Stored under PRIVATE_MEDIA_ROOT, where the worker reads them once this commits.
        queue_on_commit(tasks.clean_screenshots, report.pk)
    send_templated_email(
        "support/emails/report_received", user.email, {"report": report}, user.language
    )
    return report


def clean_screenshots(*, report_id: int) -> None:
    """The job's half of file_problem_report: each screenshot still as uploaded is decoded and
    written anew without metadata, then served. One whose header passed but whose pixels do not
    decode is deleted (the report keeps its other screenshots). A screenshot another run is
    cleaning is skipped (the job and its sweep may meet)."""
    for shot_id in Screenshot.objects.filter(report_id=report_id, pending=True).values_list(
        "pk", flat=True
    ):
        _clean_screenshot(shot_id)


def clean_pending_screenshots() -> int:
    """The sweep of clean_screenshots: the screenshots left as uploaded for more than a
    minute (their job lost with the broker, or with a worker). How many it cleaned."""
    stale = timezone.now() - datetime.timedelta(minutes=1)
    pending = Screenshot.objects.filter(pending=True, report__created_at__lte=stale)
    cleaned = 0
    for shot_id in pending.values_list("pk", flat=True):
        try:
            cleaned += _clean_screenshot(shot_id)
        except Exception:  # one that fails must not hold up the others
            logger.exception("Screenshot %s not cleaned, tried again at the next sweep", shot_id)
    return cleaned


def _clean_screenshot(shot_id: int) -> bool:
    with transaction.atomic():
        shot = (
            Screenshot.objects.select_for_update(skip_locked=True)
            .filter(pk=shot_id, pending=True)
            .first()
        )
        if shot is None:
            return False
        uploaded = shot.file.name
        try:
            with shot.file.open("rb") as file:
                content, width, height = clean_screenshot(file)
        except (BadScreenshot, FileNotFoundError):
            logger.warning(
                "Screenshot %s of report %s does not decode, or is gone: deleted",
                shot.pk,
                shot.report_id,
            )
            shot.delete()
        else:
            shot.file.save(content.name, content, save=False)
            shot.width, shot.height, shot.pending = width, height, False
            shot.save(update_fields=["file", "width", "height", "pending"])
    shot.file.storage.delete(uploaded)
    return True


@transaction.atomic
def reply_to_report(
    report: ProblemReport, *, author: User, body: str, status: str
) -> ReportReply | None:
    """A staff member answers (and/or changes the status); the user is told by e-mail."""
    reply = None
    if body.strip():
        reply = ReportReply.objects.create(report=report, author=author, body=body.strip())
    changed = status in ReportStatus.values and status != report.status
    if changed:
        report.status = status
        # The case is closed while resolved: its contents are erased some time after.
        report.closed_at = timezone.now() if status == ReportStatus.RESOLVED else None
        report.save(update_fields=["status", "closed_at", "updated_at"])
    if reply or changed:
        send_templated_email(
            "support/emails/report_reply",
            report.user.email,
            {"report": report, "reply": reply},
            report.user.language,
        )
    return reply
