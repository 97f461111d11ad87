"""Every API error is JSON ``{code, message}`` with its status: one place maps them all."""

import logging
from typing import Annotated

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import AuthenticationError, HttpError, ValidationError

from etickets.core.errors import DomainError
from etickets.core.unavailable import is_unavailable, unavailable_response

logger = logging.getLogger(__name__)

# An id as the database stores it: larger numbers are invalid input (400), not a crash.
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class ApiError(HttpError):
    def __init__(self, status_code: int, code: str, message: str):
        super().__init__(status_code, message)
        self.code = code


def install(api) -> None:
    def respond(request, status, code, message, **extra):
        return api.create_response(
            request, {"code": code, "message": str(message), **extra}, status=status
        )

    @api.exception_handler(DomainError)
    def domain_error(request, error):
        response = respond(request, error.status, error.code, error, **error.details())
        if error.code == "busy":
            response["Retry-After"] = "1"
        return response

    @api.exception_handler(ValidationError)
    def invalid(request, error):
        errors = [
            {
                "field": ".".join(str(part) for part in item.get("loc", [])[1:]),
                "message": item.get("msg", ""),
            }
            for item in error.errors
        ]
        return respond(
            request, 400, "invalid", _("Requête invalide : vérifiez les champs."), errors=errors
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        return respond(
            request, 401, "unauthorized", _("Authentification requise : envoyez un jeton valide.")
        )

    @api.exception_handler(HttpError)
    def http_error(request, error):
        code = getattr(error, "code", "error")
        return respond(request, error.status_code, code, error)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, error):
        return respond(
            request,
            413,
            "too_large",
            _("Requête trop volumineuse : envoyez-la en plusieurs fois."),
        )

    @api.exception_handler(Http404)
    def not_found(request, error):
        return respond(request, 404, "not_found", _("Introuvable."))

    @api.exception_handler(Exception)
    def unexpected(request, error):
        if is_unavailable(error):
            logger.warning("API call on %s: %r", request.path, error)
            return unavailable_response(request)
        logger.exception("API error on %s", request.path)
        return respond(request, 500, "server_error", _("Erreur interne : réessayez plus tard."))
