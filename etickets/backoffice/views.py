from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from etickets.accounts.security import is_administrator, verified_staff_required
from etickets.catalog.models import Event, Offer
from etickets.core.confirmation import ask, confirmed, leave
from etickets.core.csv_export import csv_response
from etickets.core.errors import DomainError
from etickets.core.templatetags.etickets import euros
from etickets.gate.models import Verdict
from etickets.invoices import selectors as invoices
from etickets.invoices.models import DocumentKind
from etickets.invoices.views import pdf_response
from etickets.orders import services as orders
from etickets.support import services as support_services
from etickets.support.forms import ReplyForm
from etickets.support.models import ReportStatus
from etickets.waitingroom.selectors import queue_overview
from etickets.waitlist.selectors import event_lists
from etickets.waitlist.services import run_without_beat

from . import selectors, services
from .charts import bar_chart
from .forms import (
    DateRangeForm,
    EventForm,
    OfferForm,
    OrderSearchForm,
    QueueConfigForm,
    QueuePauseForm,
    QueueRateForm,
    RoleForm,
    SalesFilterForm,
    UserSearchForm,
)

admin_required = verified_staff_required(is_administrator)


def _filters(request):
    form = SalesFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.SalesFilter(data["sport"], data["date_from"], data["date_to"])
    return form, selectors.SalesFilter()


@admin_required
@require_safe
def dashboard(request):
    form, filters = _filters(request)
    days = selectors.sales_over_time(filters)
    context = {
        "form": form,
        "offers": selectors.sales_by_offer(filters),
        "events": selectors.seats_by_event(filters),
        "days": days,
        "chart": bar_chart(days),
        "totals": selectors.sales_totals(filters),
        "query": request.GET.urlencode(),
    }
    return render(request, "backoffice/dashboard.html", context)


@admin_required
@require_safe
def export_sales(request):
    _form, filters = _filters(request)
    header = [
        _("Épreuve"),
        _("Date"),
        _("Offre"),
        _("Prix (€)"),
        _("Commandes"),
        _("Billets vendus"),
        _("Billets remboursés"),
        _("Recette nette (€)"),
    ]
    rows = (
        [
            sales.offer.event.title,
            timezone.localtime(sales.offer.event.starts_at).strftime("%Y-%m-%d %H:%M"),
            sales.offer.get_kind_display(),
            f"{sales.offer.price_cents / 100:.2f}",
            sales.orders,
            sales.tickets,
            sales.refunded_tickets,
            f"{sales.revenue_cents / 100:.2f}",
        ]
        for sales in selectors.sales_by_offer(filters)
    )
    return csv_response(filename="ventes-par-offre.csv", header=header, rows=rows)


@admin_required
@require_safe
def export_orders(request):
    _form, filters = _filters(request)
    header = [
        _("Référence"),
        _("Date"),
        _("Email"),
        _("Prénom"),
        _("Nom"),
        _("Billets"),
        _("Total (€)"),
        _("Remboursé (€)"),
        _("État"),
        _("Carte"),
        _("4 derniers chiffres"),
        _("Référence du paiement"),
    ]
    rows = (
        [
            reference,
            timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M:%S"),
            email,
            first_name,
            last_name,
            tickets,
            f"{total / 100:.2f}",
            f"{refunded / 100:.2f}",
            status,
            brand,
            last4,
            payment_reference,
        ]
        for (
            reference,
            created_at,
            email,
            first_name,
            last_name,
            tickets,
            total,
            refunded,
            status,
            brand,
            last4,
            payment_reference,
        ) in selectors.orders_for_export(filters)
    )
    return csv_response(filename="commandes.csv", header=header, rows=rows)


# --- Invoices -------------------------------------------------------------------------------


def _date_range(request) -> tuple[DateRangeForm, dict]:
    form = DateRangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data
    return form, {}


@admin_required
@require_safe
def invoice_list(request):
    """« Factures et avoirs », newest first, within the days chosen."""
    form, days = _date_range(request)
    documents = invoices.documents(**days).reverse()
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {"form": form, "page": page, "filters": filters.urlencode()}
    return render(request, "backoffice/invoices.html", context)


@admin_required
@require_safe
def export_invoices(request):
    """The accountants' CSV: a credit note's amounts are negative, so that a column adds up
    to the period's net sales."""
    form, days = _date_range(request)
    if form.is_bound and not form.is_valid():  # never all the documents for a wrong period
        return redirect(f"{reverse('backoffice:invoice_list')}?{request.GET.urlencode()}")
    header = [
        _("Numéro"),
        _("Date"),
        _("Commande"),
        _("Client"),
        _("HT (€)"),
        _("TVA (€)"),
        _("TTC (€)"),
        _("Type"),
        _("Taux de TVA (%)"),
        _("Facture d'origine"),
    ]
    labels = dict(DocumentKind.choices)
    rows = (
        [
            number,
            timezone.localtime(issued_at).strftime("%Y-%m-%d %H:%M:%S"),
            reference,
            buyer,
            *(
                f"{(-cents if kind == DocumentKind.CREDIT_NOTE else cents) / 100:.2f}"
                for cents in (before_tax, vat, with_tax)
            ),
            labels[kind],
            f"{rate / 100:g}",
            credited or "",
        ]
        for (
            number,
            issued_at,
            reference,
            buyer,
            before_tax,
            vat,
            with_tax,
            kind,
            rate,
            credited,
        ) in invoices.documents_for_export(**days)
    )
    return csv_response(filename="factures-et-avoirs.csv", header=header, rows=rows)


@admin_required
@require_safe
def invoice_pdf(request, number):
    return pdf_response(invoices.document_for_desk(number))


# --- Events and offers ----------------------------------------------------------------------


@admin_required
@require_safe
def event_list(request):
    return render(
        request,
        "backoffice/event_list.html",
        {"events": selectors.seats_by_event(selectors.SalesFilter())},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def event_edit(request, event_id=None):
    event = get_object_or_404(Event, pk=event_id) if event_id is not None else None
    form = EventForm(request.POST or None, request.FILES or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_event(form.save(commit=False), actor=request.user)
        except DomainError as error:
            form.add_error("capacity", str(error))
        else:
            messages.success(
                request, _("Épreuve « %(title)s » enregistrée.") % {"title": saved.title}
            )
            return redirect("backoffice:event_edit", event_id=saved.pk)
    context = {
        "form": form,
        "event": event,
        "offers": event.offers.order_by("price_cents") if event else [],
        "offer_form": OfferForm(event=event, prefix="offer") if event else None,
    }
    return render(request, "backoffice/event_form.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, event_id, offer_id=None):
    event = get_object_or_404(Event, pk=event_id)
    offer = get_object_or_404(Offer, pk=offer_id, event=event) if offer_id is not None else None
    form = OfferForm(request.POST or None, instance=offer, event=event, prefix="offer")
    if request.method == "POST" and form.is_valid():
        saved = services.save_offer(form.save(commit=False), actor=request.user)
        messages.success(request, _("Offre « %(title)s » enregistrée.") % {"title": saved.title})
        return redirect("backoffice:event_edit", event_id=event.pk)
    return render(
        request, "backoffice/offer_form.html", {"form": form, "event": event, "offer": offer}
    )


@admin_required
@require_POST
def offer_delete(request, event_id, offer_id):
    offer = get_object_or_404(Offer, pk=offer_id, event_id=event_id)
    try:
        services.delete_offer(offer, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Offre supprimée."))
    return redirect("backoffice:event_edit", event_id=event_id)


# --- Waiting rooms -------------------------------------------------------------------------


def _queue_page(request, event, *, form=None, rate_form=None):
    """The event's waiting room: its live figures, its controls and its settings. A form
    given is shown as submitted, with its errors."""
    overview = queue_overview(event=event, now=timezone.now())
    if form is None:
        initial: dict[str, object] = {"enabled": True}
        if overview is not None:
            initial = {
                "enabled": overview.enabled,
                "opens_at": overview.opens_at,
                "admission_rate": overview.admission_rate,
            }
        form = QueueConfigForm(initial=initial)
    if rate_form is None and overview is not None:
        rate = overview.admission_rate
        rate_form = QueueRateForm(prefix="rate", initial={"admission_rate": rate})
    context = {"event": event, "overview": overview, "form": form, "rate_form": rate_form}
    return render(request, "backoffice/queue.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def queue(request, event_id):
    event = get_object_or_404(Event, pk=event_id)
    if request.method == "GET":
        return _queue_page(request, event)
    current = queue_overview(event=event, now=timezone.now())
    form = QueueConfigForm(request.POST, opens_at=current.opens_at if current else None)
    if form.is_valid():
        try:
            services.configure_queue(event=event, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error("opens_at", str(error))
        else:
            messages.success(request, _("File d'attente enregistrée."))
            return redirect("backoffice:queue", event_id=event.pk)
    return _queue_page(request, event, form=form)


@admin_required
@require_safe
def waiting_lists(request, event_id):
    """The waiting list of each offer of the event, in order, and the seats kept for them."""
    run_without_beat(now=timezone.now())
    event = get_object_or_404(Event, pk=event_id)
    context = {"event": event, "lists": event_lists(event=event)}
    return render(request, "backoffice/waiting_lists.html", context)


@admin_required
@require_safe
def queue_figures(request, event_id):
    """The live figures alone, which the page polls for."""
    event = get_object_or_404(Event, pk=event_id)
    overview = queue_overview(event=event, now=timezone.now())
    return render(
        request, "backoffice/_queue_figures.html", {"overview": overview, "status_oob": True}
    )


@admin_required
@require_POST
def queue_pause(request, event_id):
    event = get_object_or_404(Event, pk=event_id)
    form = QueuePauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Demande invalide : rechargez la page et recommencez."))
        return redirect("backoffice:queue", event_id=event.pk)
    paused = form.cleaned_data["paused"]
    try:
        services.set_queue_paused(event=event, paused=paused, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Admissions suspendues.") if paused else _("Admissions reprises.")
        )
    return redirect("backoffice:queue", event_id=event.pk)


@admin_required
@require_POST
def queue_rate(request, event_id):
    event = get_object_or_404(Event, pk=event_id)
    rate_form = QueueRateForm(request.POST, prefix="rate")
    if not rate_form.is_valid():
        return _queue_page(request, event, rate_form=rate_form)
    rate = rate_form.cleaned_data["admission_rate"]
    try:
        services.set_queue_rate(event=event, admission_rate=rate, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "Débit changé : %(rate)s acheteur admis par minute.",
                "Débit changé : %(rate)s acheteurs admis par minute.",
                rate,
            )
            % {"rate": rate},
        )
    return redirect("backoffice:queue", event_id=event.pk)


# --- Order desk -----------------------------------------------------------------------------


@admin_required
@require_safe
def order_search(request):
    form = OrderSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.search_orders(query), 50).get_page(request.GET.get("page"))
    return render(
        request, "backoffice/order_search.html", {"form": form, "page": page, "query": query}
    )


@admin_required
@require_safe
def order_detail(request, reference):
    order = selectors.order_for_desk(reference)
    audit = selectors.audit_entries(order.reference)
    return render(request, "backoffice/order_detail.html", {"order": order, "audit": audit})


@admin_required
@require_http_methods(["GET", "POST"])
def refund(request, reference, ticket_id=None):
    order, tickets = selectors.order_to_refund(reference=reference, ticket_id=ticket_id)
    try:
        plan = orders.plan_refund(tickets=tickets)
        # Another administrator may have refunded some of them since the question was asked.
        answer = f"{plan.amount_cents}:" + ",".join(str(ticket.pk) for ticket in plan.tickets)
        if not confirmed(request, answer=answer):
            return _ask_refund(request, order, plan, answer, whole_order=ticket_id is None)
        refunded = services.refund_tickets(order=order, tickets=tickets, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        amount = {"amount": euros(refunded.amount_cents)}
        if refunded.paid:
            messages.success(
                request,
                _("Remboursement de %(amount)s effectué ; le client est prévenu par email.")
                % amount,
            )
        else:
            messages.warning(
                request,
                _(
                    "Billets annulés ; la banque n'a pas encore accepté le remboursement de "
                    "%(amount)s : il lui sera renvoyé automatiquement. Le client est prévenu "
                    "par email."
                )
                % amount,
            )
    return leave(request, reverse("backoffice:order_detail", kwargs={"reference": reference}))


def _ask_refund(request, order, plan, answer, *, whole_order):
    """The refund's question: the tickets cancelled, the amount, the card it goes back to."""
    count, amount = len(plan.tickets), euros(plan.amount_cents)
    if whole_order:
        title = _("Rembourser la commande %(reference)s ?") % {"reference": order.reference}
    else:
        title = _("Rembourser le billet %(number)s ?") % {"number": plan.tickets[0].number}
    consequences = [
        ngettext(
            "%(count)s billet sera annulé : il ne permettra plus d'entrer et ses places seront "
            "remises en vente.",
            "%(count)s billets seront annulés : ils ne permettront plus d'entrer et leurs places "
            "seront remises en vente.",
            count,
        )
        % {"count": count},
        _("%(amount)s seront remboursés sur la carte %(brand)s •••• %(last4)s.")
        % {"amount": amount, "brand": order.payment.brand, "last4": order.payment.last4},
        _("Le client en est informé par email (%(email)s). Cette action est définitive.")
        % {"email": order.user.email},
    ]
    items = [
        _("Billet %(number)s — %(offer)s — %(price)s")
        % {
            "number": ticket.number,
            "offer": ticket.order_line.offer.title,
            "price": euros(ticket.order_line.unit_price_cents),
        }
        for ticket in plan.tickets
    ]
    return ask(
        request,
        title=title,
        consequences=consequences,
        items=items,
        confirm_label=_("Annuler les billets et rembourser %(amount)s") % {"amount": amount},
        cancel_label=_("Ne pas rembourser"),
        cancel_url=reverse("backoffice:order_detail", kwargs={"reference": order.reference}),
        page_template="backoffice/confirm.html",
        answer=answer,
    )


# --- Staff and gate -------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def staff(request):
    if request.method == "POST":
        form = RoleForm(request.POST)
        if form.is_valid():
            person = form.cleaned_data["user"]
            try:
                services.set_role(
                    person,
                    role=form.cleaned_data["role"],
                    granted=form.cleaned_data["grant"],
                    actor=request.user,
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Rôles de %(email)s mis à jour.") % {"email": person.email}
                )
        else:
            messages.error(request, _("Demande invalide : rechargez la page et recommencez."))
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    search = UserSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(selectors.staff_members(query), 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/staff.html", {"form": search, "page": page, "query": query})


def _row_id(value) -> int | None:
    """A filter's row id from the query string; None for anything no row can have."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2_147_483_647 else None


@admin_required
@require_safe
def scans(request):
    event_id = _row_id(request.GET.get("epreuve"))
    verdict = request.GET.get("verdict", "")
    if verdict not in Verdict.values:
        verdict = ""
    page = Paginator(selectors.recent_scans(event_id=event_id, verdict=verdict), 100).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "events": Event.objects.order_by("starts_at"),
        "verdicts": Verdict.choices,
        "selected_event": event_id,
        "selected_verdict": verdict,
        "conflicts": selectors.recent_scans(verdict=Verdict.CONFLICT)[:50],
    }
    return render(request, "backoffice/scans.html", context)


@admin_required
@require_safe
def audit_log(request):
    page = Paginator(selectors.audit_entries(), 100).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit.html", {"page": page})


@admin_required
@require_safe
def payments(request):
    """« Paiements »: what the reconciliation of payments has in hand."""
    return render(
        request, "backoffice/payments.html", {"reconciliation": selectors.reconciliation()}
    )


# --- Support --------------------------------------------------------------------------------


@admin_required
@require_safe
def support_inbox(request):
    status = request.GET.get("etat", "")
    context = {
        "reports": Paginator(selectors.problem_reports(status), 50).get_page(
            request.GET.get("page")
        ),
        "contacts": selectors.recent_contact_messages(),
        "statuses": ReportStatus.choices,
        "selected_status": status,
    }
    return render(request, "backoffice/support_inbox.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def support_report(request, reference):
    report = selectors.problem_report(reference)
    form = ReplyForm(request.POST or None, initial={"status": report.status})
    if request.method == "POST" and form.is_valid():
        support_services.reply_to_report(
            report,
            author=request.user,
            body=form.cleaned_data["body"],
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("Réponse enregistrée ; l'utilisateur est prévenu par email."))
        return redirect("backoffice:support_report", reference=reference)
    return render(request, "backoffice/support_report.html", {"report": report, "form": form})
