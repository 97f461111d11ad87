from django.urls import path

from . import views

app_name = "invoices"

urlpatterns = [
    path("commandes/<str:reference>/facture/", views.order_invoice, name="order_invoice"),
    path("compte/factures/<str:number>/", views.document, name="document"),
]
