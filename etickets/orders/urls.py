from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("paiement/", views.checkout, name="checkout"),
    path("commandes/<str:reference>/", views.order_detail, name="detail"),
    path("compte/commandes/", views.order_list, name="list"),
]
