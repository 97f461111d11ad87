from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from . import errors
from .gate import router as gate_router
from .queue import queue_router
from .resale import resale_router
from .shop import auth_router, cart_router, offers_router, orders_router
from .transfers import transfers_router
from .waitlist import waitlist_router

api = NinjaAPI(
    title="JO E-Tickets API",
    version="1",
    description="The e-ticketing platform of the Paris 2024 Olympic Games.",
    urls_namespace="api",
    docs_url=None,  # django-ninja's page loads Swagger UI from a CDN: ours is vendored
)
api.add_router("/auth", auth_router)
api.add_router("/offers", offers_router)
api.add_router("/cart", cart_router)
api.add_router("/waiting-list", waitlist_router)
api.add_router("", orders_router)
api.add_router("", transfers_router)
api.add_router("/gate", gate_router)
api.add_router("/events", queue_router)
api.add_router("/resale", resale_router)
errors.install(api)


@require_safe
def docs(request):
    """The interactive documentation of the API, with Swagger UI served from this site."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:openapi-json")})
