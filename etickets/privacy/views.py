from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from etickets.accounts import security
from etickets.accounts.views import locked_out

from . import forms, selectors, services


@login_required
@require_safe
def my_data(request):
    context = {
        "exports": selectors.exports_of(request.user)[:3],
        "export_hours": settings.DATA_EXPORT_HOURS,
        "future_tickets": selectors.valid_future_tickets(request.user),
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_POST
def request_export(request):
    try:
        services.request_export(user=request.user)
    except (services.ExportInProgress, services.TooManyExports) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "C'est noté : nous préparons l'archive de vos données. Nous vous enverrons un "
                "email à %(email)s avec un lien de téléchargement valable %(hours)s heures."
            )
            % {"email": request.user.email, "hours": settings.DATA_EXPORT_HOURS},
        )
    return redirect("privacy:my_data")


@never_cache
@login_required
@require_safe
def download_export(request, export_id):
    """The archive, to its owner only, until it expires; a 404 for anyone else."""
    export = selectors.export_for_owner(user=request.user, export_id=str(export_id))
    if export is None:
        raise Http404
    try:
        archive = export.file.open("rb")
    except FileNotFoundError as error:  # the file went missing (a restored disk): not a 500
        raise Http404 from error
    return FileResponse(
        archive,
        as_attachment=True,
        filename=_("mes-donnees-jo-etickets.zip"),
        content_type="application/zip",
    )


@sensitive_post_parameters("password", "code")
@never_cache  # a refused form may show what was typed
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    refusal = services.deletion_refusal(request.user)
    form = forms.DeleteAccountForm(request, request.POST or None)
    if refusal is None and request.method == "POST" and form.is_valid():
        if "code" in form.fields:
            try:
                device = security.check_second_factor(
                    request=request, user=request.user, code=form.cleaned_data["code"]
                )
            except security.LockedOut:
                return locked_out(request)
            if device is None:
                form.add_error("code", _("Code incorrect ou déjà utilisé."))
        if form.is_valid():
            try:
                services.delete_account(user=request.user)
            except services.TicketsStillValid as error:
                refusal = error
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Votre compte est supprimé : vos données personnelles sont effacées et "
                        "vous êtes déconnecté partout. Merci d'avoir utilisé JO E-Tickets."
                    ),
                )
                return redirect("catalog:home")
    context = {"form": form, "refusal": refusal}
    return render(request, "privacy/delete_account.html", context, status=409 if refusal else 200)
