"""Each retention job erases what is past its time and nothing else: times are set on the
rows, never waited for."""

import datetime
import logging
import os

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from etickets.gate.models import Scan, Verdict
from etickets.privacy import retention
from etickets.privacy.models import DataExport, ExportState
from etickets.support import services as support
from etickets.support.models import ContactMessage, ProblemReport, ReportStatus, Screenshot

from .conftest import png

DAY = datetime.timedelta(days=1)


def _report(user, *, resolved_days_ago=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = support.file_problem_report(user, description="Écran figé.", uploads=[png()])
    if resolved_days_ago is not None:
        ProblemReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.RESOLVED, closed_at=timezone.now() - resolved_days_ago * DAY
        )
    return report


@pytest.mark.django_db
def test_closed_support_cases_are_erased_after_the_setting(make_user, settings, caplog):
    settings.SUPPORT_RETENTION_DAYS = 180
    user = make_user()
    old = _report(user, resolved_days_ago=181)
    recent = _report(user, resolved_days_ago=179)
    still_open = _report(user)
    ProblemReport.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - 400 * DAY)
    old_path = Screenshot.objects.get(report=old).file.path
    support.reply_to_report(recent, author=user, body="Merci, c'est réglé.", status="resolved")
    messages = [
        ContactMessage.objects.create(
            case_number=f"C-TEST000{n}",
            name="Yolande Ferrandière",
            email="y@example.fr",
            subject="Question",
            message="Où est mon billet ?",
        )
        for n in (1, 2)
    ]
    ContactMessage.objects.filter(pk=messages[0].pk).update(created_at=timezone.now() - 181 * DAY)

    with (
        caplog.at_level(logging.INFO, logger="etickets.privacy.retention"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        counts = retention.erase_closed_support_cases(timezone.now())

    assert counts == {"reports": 1, "screenshots": 1, "contact_messages": 1}
    assert "1 problem report(s) erased with 1 screenshot(s), 1 contact message(s)" in caplog.text
    old.refresh_from_db()
    assert old.description == "" and old.erased_at and old.reference
    assert not Screenshot.objects.filter(report=old).exists() and not os.path.exists(old_path)
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.description and kept.erased_at is None
        assert Screenshot.objects.filter(report=kept).exists()
    erased, fresh = (ContactMessage.objects.get(pk=m.pk) for m in messages)
    assert (erased.name, erased.email, erased.message, erased.case_number) == (
        "",
        "",
        "",
        "C-TEST0001",
    )
    assert fresh.message == "Où est mon billet ?" and fresh.erased_at is None
    # Once erased, not counted again.
    assert retention.erase_closed_support_cases(timezone.now())["reports"] == 0


@pytest.mark.django_db
def test_resolving_dates_the_closure_and_reopening_clears_it(make_user):
    user = make_user()
    report = _report(user)
    support.reply_to_report(report, author=user, body="", status="resolved")
    report.refresh_from_db()
    assert report.closed_at is not None
    support.reply_to_report(report, author=user, body="", status="in_progress")
    report.refresh_from_db()
    assert report.closed_at is None


def _login_record(model, *, days_ago, username, **fields):
    record = model.objects.create(
        username=username,
        ip_address="192.0.2.10",
        user_agent="UA",
        http_accept="*/*",
        path_info="/connexion/",
        **fields,
    )
    model.objects.filter(pk=record.pk).update(attempt_time=timezone.now() - days_ago * DAY)
    return record


@pytest.mark.django_db
def test_login_records_and_their_addresses_go_after_30_days(settings, caplog):
    settings.LOGIN_RECORDS_RETENTION_DAYS = 30
    attempts = {"get_data": "", "post_data": "", "failures_since_start": 1}
    old_attempt = _login_record(AccessAttempt, days_ago=31, username="a@example.fr", **attempts)
    new_attempt = _login_record(AccessAttempt, days_ago=29, username="b@example.fr", **attempts)
    old_log = _login_record(AccessLog, days_ago=31, username="a@example.fr")
    new_log = _login_record(AccessLog, days_ago=29, username="a@example.fr")
    with caplog.at_level(logging.INFO, logger="etickets.privacy.retention"):
        counts = retention.delete_login_records(timezone.now())
    assert counts == {"login_failures": 1, "login_failure_logs": 0, "logins": 1}
    assert "1 login failure record(s), 0 failure log(s) and 1 login record(s)" in caplog.text
    assert set(AccessAttempt.objects.values_list("pk", flat=True)) == {new_attempt.pk}
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {new_log.pk}
    assert old_attempt.pk != new_attempt.pk and old_log.pk != new_log.pk


@pytest.mark.django_db
def test_scan_logs_go_a_year_after_their_event(make_user, make_event, settings):
    settings.SCAN_RETENTION_DAYS = 365
    controller = make_user()
    long_ago = make_event(starts_at=timezone.now() - 366 * DAY)
    last_year = make_event(starts_at=timezone.now() - 364 * DAY)
    for event in (long_ago, long_ago, last_year):
        Scan.objects.create(
            event=event,
            verdict=Verdict.INVALID,
            reason="malformed",
            controller=controller,
            gate="Porte A",
            scanned_at=event.starts_at,
        )
    assert retention.delete_old_scans() == {"scans": 2}
    assert list(Scan.objects.values_list("event_id", flat=True)) == [last_year.pk]


@pytest.mark.django_db
def test_exports_go_when_their_link_expires(make_user):
    user = make_user()
    now = timezone.now()
    exports = []
    for hours_left in (-1, 1):
        export = DataExport.objects.create(
            user=user,
            state=ExportState.READY,
            ready_at=now,
            expires_at=now + hours_left * 3600 * datetime.timedelta(seconds=1),
        )
        export.file.save("archive.zip", ContentFile(b"PK"), save=True)
        exports.append(export)
    never_built = DataExport.objects.create(user=user)
    DataExport.objects.filter(pk=never_built.pk).update(created_at=now - 2 * DAY)
    expired_path = exports[0].file.path
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert retention.delete_expired_exports(now) == {"exports": 2}
    assert list(DataExport.objects.values_list("pk", flat=True)) == [exports[1].pk]
    assert not os.path.exists(expired_path) and os.path.exists(exports[1].file.path)


@pytest.mark.django_db
def test_the_command_runs_every_job(capsys):
    call_command("erase_expired_data")
    out = capsys.readouterr().out
    for name in ("reports", "contact_messages", "logins", "scans", "exports"):
        assert f"{name}: 0" in out


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_privacy_page_says_the_periods_the_settings_set(client, settings, language):
    settings.SUPPORT_RETENTION_DAYS = 91
    settings.LOGIN_RECORDS_RETENTION_DAYS = 29
    settings.SCAN_RETENTION_DAYS = 400
    settings.DATA_EXPORT_HOURS = 12
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/confidentialite/").content.decode()
    days, hours = ("jours", "heures") if language == "fr" else ("days", "hours")
    for period in (f"91 {days}", f"29 {days}", f"400 {days}", f"12 {hours}"):
        assert period in page, period
