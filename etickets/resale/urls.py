from django.urls import path

from . import views

app_name = "resale"

urlpatterns = [
    path("mes-billets/<uuid:ticket_id>/revendre/", views.sell, name="sell"),
    path("revente/<id:listing_id>/retirer/", views.withdraw, name="withdraw"),
]
