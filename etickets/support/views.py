from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import FileResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from etickets.core.errors import DomainError
from etickets.core.http import client_ip

from . import selectors, services
from .faq import SECTIONS
from .forms import ContactForm, HelpSearchForm, ProblemReportForm
from .models import HelpArticle
from .uploads import ReportUploadLimit


@require_safe
def faq(request):
    return render(request, "support/faq.html", {"sections": SECTIONS})


def _legal_page(request, page, context=None):
    """Legal texts are written once per language, not translated string by string."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    templates = [f"support/legal/{page}.{language}.html", f"support/legal/{page}.fr.html"]
    return render(request, templates, context)


@require_safe
def terms_of_use(request):
    return _legal_page(request, "terms_of_use")


@require_safe
def terms_of_sale(request):
    return _legal_page(request, "terms_of_sale")


@require_safe
def legal_notice(request):
    return _legal_page(request, "legal_notice")


@require_safe
def privacy(request):
    # The retention periods the code keeps (etickets.privacy.retention), said as they are set.
    context = {
        "support_days": settings.SUPPORT_RETENTION_DAYS,
        "login_days": settings.LOGIN_RECORDS_RETENTION_DAYS,
        "scan_days": settings.SCAN_RETENTION_DAYS,
        "export_hours": settings.DATA_EXPORT_HOURS,
        "outbox_days": settings.OUTBOX_KEEP_DAYS,
    }
    return _legal_page(request, "privacy", context)


# --- Help centre ----------------------------------------------------------------------------


def _localised(articles):
    language = get_language() or "fr"
    return [(article, article.in_language(language)) for article in articles]


@require_safe
def help_centre(request):
    form = HelpSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    articles = _localised(
        selectors.search_help(query=query, language=get_language() or settings.LANGUAGE_CODE)
    )
    sections: dict[str, list[tuple]] = {}
    if not query:
        for article, text in articles:
            sections.setdefault(text["section"], []).append((article, text))
    context = {"form": form, "query": query, "results": articles, "sections": sections}
    return render(request, "support/help_centre.html", context)


@require_safe
def help_article(request, slug):
    article = get_object_or_404(HelpArticle, slug=slug)
    text = article.in_language(get_language() or "fr")
    return render(request, "support/help_article.html", {"article": article, "text": text})


# --- Contact --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contact(request):
    user = request.user
    initial = (
        {"name": f"{user.first_name} {user.last_name}", "email": user.email}
        if user.is_authenticated
        else {}
    )
    form = ContactForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.send_contact_message(
                **form.cleaned_data, user=user, client_ip=client_ip(request)
            )
        except DomainError as error:
            form.add_error(None, str(error))
            status = 429
        else:
            messages.success(
                request,
                # Not « see the e-mail we sent »: an address gets one acknowledgement an hour.
                _(
                    "Message envoyé. Votre numéro de dossier est %(case)s : rappelez-le si vous "
                    "nous écrivez de nouveau."
                )
                % {"case": sent.case_number},
            )
            return redirect("support:contact")
    return render(request, "support/contact.html", {"form": form}, status=status)


# --- « Mon compte » > « Assistance » ---------------------------------------------------------


@login_required
@require_safe
def report_list(request):
    reports = selectors.reports_of(request.user)
    return render(request, "support/report_list.html", {"reports": reports})


# Exempt here, checked by _report_create: the CSRF middleware would read the body before the
# upload handler below is in place, and a body past Django's limits would then be a bare 400
# (Django's documented pattern for custom upload handlers).
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    limit = ReportUploadLimit(services.MAX_SCREENSHOTS, services.MAX_REPORT_BYTES, request)
    request.upload_handlers.insert(0, limit)
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 -- read now, where a refused body can still be answered
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError):
            # Nothing was read (or not all of it), not even the CSRF token; nothing is stored.
            form = ProblemReportForm.unreadable()
            return render(request, "support/report_form.html", {"form": form}, status=400)
    return _report_create(request, files_dropped=limit.overflowed)


@csrf_protect
def _report_create(request, *, files_dropped):
    form = ProblemReportForm(
        request.POST or None, request.FILES or None, files_dropped=files_dropped
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.file_problem_report(
                request.user,
                description=form.cleaned_data["description"],
                uploads=form.cleaned_data["screenshots"],
            )
        except services.TooManyReports as error:
            form.add_error(None, str(error))
            status = 429
        except DomainError as error:
            form.add_error("screenshots", str(error))
        else:
            messages.success(
                request,
                _("Merci : votre signalement %(reference)s est enregistré.")
                % {"reference": report.reference},
            )
            return redirect(report)
    return render(request, "support/report_form.html", {"form": form}, status=status)


@login_required
@require_safe
def report_detail(request, reference):
    report = selectors.report_for_owner(request.user, reference=reference)
    return render(request, "support/report_detail.html", {"report": report})


@login_required
@require_safe
def screenshot(request, screenshot_id):
    shot = selectors.screenshot_for(request.user, screenshot_id=screenshot_id)
    response = FileResponse(shot.file.open("rb"), content_type=shot.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
