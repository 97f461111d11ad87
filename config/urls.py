from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from etickets.accounts.views import admin_login, switch_language
from etickets.api.v1 import api, docs
from etickets.core.converters import RowIdConverter
from etickets.core.views import healthz

register_converter(RowIdConverter, "id")

handler500 = "etickets.core.views.server_error"

urlpatterns = [
    # First, so that the API's and the load balancer's calls are resolved without trying every
    # page's pattern before.
    path("api/v1/docs", docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    # The waiting room's polls, the busiest request of an on-sale, before the pages' patterns.
    path("", include("etickets.waitingroom.urls")),
    path("", include("etickets.catalog.urls")),
    path("", include("etickets.accounts.urls")),
    path("", include("etickets.privacy.urls")),
    path("", include("etickets.cart.urls")),
    path("", include("etickets.waitlist.urls")),
    path("", include("etickets.orders.urls")),
    path("", include("etickets.invoices.urls")),
    path("", include("etickets.tickets.urls")),
    path("", include("etickets.resale.urls")),
    path("", include("etickets.gate.urls")),
    path("backoffice/", include("etickets.backoffice.urls")),
    path("", include("etickets.support.urls")),
    path("langue/", switch_language, name="set_language"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
