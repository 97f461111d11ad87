from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("mes-billets/", views.ticket_list, name="list"),
    path("mes-billets/<uuid:ticket_id>/", views.ticket_detail, name="detail"),
    path("mes-billets/<uuid:ticket_id>/pdf/", views.ticket_pdf, name="pdf"),
    path("mes-billets/<uuid:ticket_id>/regenerer/", views.regenerate, name="regenerate"),
    path("mes-billets/<uuid:ticket_id>/cle-du-qr-code/", views.rotating_key, name="rotating_key"),
    path("mes-billets/<uuid:ticket_id>/transferer/", views.transfer, name="transfer"),
    path(
        "mes-billets/transferts/<int:transfer_id>/annuler/",
        views.cancel_transfer,
        name="transfer_cancel",
    ),
    path("billets/transfert/<str:token>/", views.accept_transfer, name="transfer_accept"),
    path("commandes/<str:reference>/billets.pdf", views.order_pdf, name="order_pdf"),
    path("billets/cle-publique.pem", views.public_key, name="public_key"),
]
