"""Personal data erased once past its time (docs/ARCHITECTURE.md, « Personal data »): Celery
beat runs ``erase_expired_data`` hourly, or the management command of the same name from cron.
Each part logs what it erased, in counts.

- a resolved problem report's text, replies and screenshots: SUPPORT_RETENTION_DAYS after it
  was resolved;
- a contact message's sender, subject and text: SUPPORT_RETENTION_DAYS after it was received;
- login records (django-axes) and their IP addresses: LOGIN_RECORDS_RETENTION_DAYS;
- the gates' scan logs: SCAN_RETENTION_DAYS after the event (calendar clock);
- « Télécharger mes données » archives: DATA_EXPORT_HOURS after they were made.
"""

import datetime
import logging

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from etickets.core.clock import calendar_now
from etickets.gate.models import Scan
from etickets.support.models import ContactMessage, ProblemReport, ReportStatus

from .models import DataExport, ExportState
from .services import delete_export, erase_contact_messages, erase_report

logger = logging.getLogger(__name__)


def erase_closed_support_cases(now: datetime.datetime) -> dict[str, int]:
    cutoff = now - datetime.timedelta(days=settings.SUPPORT_RETENTION_DAYS)
    reports = ProblemReport.objects.filter(
        status=ReportStatus.RESOLVED, closed_at__lte=cutoff, erased_at__isnull=True
    )
    erased_reports = screenshots = 0
    for report in reports:
        screenshots += erase_report(report, now=now)
        erased_reports += 1
    messages = erase_contact_messages(
        ContactMessage.objects.filter(created_at__lte=cutoff), now=now
    )
    logger.info(
        "Retention: %s problem report(s) erased with %s screenshot(s), %s contact message(s) "
        "erased",
        erased_reports,
        screenshots,
        messages,
    )
    return {"reports": erased_reports, "screenshots": screenshots, "contact_messages": messages}


def delete_login_records(now: datetime.datetime) -> dict[str, int]:
    cutoff = now - datetime.timedelta(days=settings.LOGIN_RECORDS_RETENTION_DAYS)
    counts = {
        "login_failures": AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "login_failure_logs": AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "logins": AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
    }
    logger.info(
        "Retention: %(login_failures)s login failure record(s), %(login_failure_logs)s "
        "failure log(s) and %(logins)s login record(s) deleted, with their IP addresses",
        counts,
    )
    return counts


def delete_old_scans() -> dict[str, int]:
    cutoff = calendar_now() - datetime.timedelta(days=settings.SCAN_RETENTION_DAYS)
    deleted = Scan.objects.filter(event__starts_at__lt=cutoff).delete()[0]
    logger.info("Retention: %s scan log(s) of events past deleted", deleted)
    return {"scans": deleted}


def delete_expired_exports(now: datetime.datetime) -> dict[str, int]:
    lifetime = datetime.timedelta(hours=settings.DATA_EXPORT_HOURS)
    expired = DataExport.objects.filter(
        Q(state=ExportState.READY, expires_at__lte=now)
        # One never built (its job failing every time) goes too.
        | Q(state=ExportState.PENDING, created_at__lte=now - lifetime)
    )
    deleted = 0
    for export in expired:
        delete_export(export)
        deleted += 1
    logger.info("Retention: %s data export(s) deleted", deleted)
    return {"exports": deleted}


def erase_expired_data() -> dict[str, int]:
    now = timezone.now()
    return {
        **erase_closed_support_cases(now),
        **delete_login_records(now),
        **delete_old_scans(),
        **delete_expired_exports(now),
    }
