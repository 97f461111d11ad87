from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("paiement/", views.checkout, name="checkout"),
]
