from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/ventes.csv", views.export_sales, name="export_sales"),
    path("export/commandes.csv", views.export_orders, name="export_orders"),
    path("export/factures.csv", views.export_invoices, name="export_invoices"),
    path("factures/", views.invoice_list, name="invoice_list"),
    path("factures/<str:number>/", views.invoice_pdf, name="invoice_pdf"),
    path("epreuves/", views.event_list, name="event_list"),
    path("epreuves/nouvelle/", views.event_edit, name="event_create"),
    path("epreuves/<id:event_id>/", views.event_edit, name="event_edit"),
    path("epreuves/<id:event_id>/offres/nouvelle/", views.offer_edit, name="offer_create"),
    path("epreuves/<id:event_id>/offres/<id:offer_id>/", views.offer_edit, name="offer_edit"),
    path(
        "epreuves/<id:event_id>/offres/<id:offer_id>/supprimer/",
        views.offer_delete,
        name="offer_delete",
    ),
    path("epreuves/<id:event_id>/file-attente/", views.queue, name="queue"),
    path(
        "epreuves/<id:event_id>/file-attente/chiffres/", views.queue_figures, name="queue_figures"
    ),
    path("epreuves/<id:event_id>/file-attente/pause/", views.queue_pause, name="queue_pause"),
    path("epreuves/<id:event_id>/file-attente/debit/", views.queue_rate, name="queue_rate"),
    path("epreuves/<id:event_id>/listes-attente/", views.waiting_lists, name="waiting_lists"),
    path("commandes/", views.order_search, name="order_search"),
    path("commandes/<str:reference>/", views.order_detail, name="order_detail"),
    path("commandes/<str:reference>/rembourser/", views.refund, name="refund_order"),
    path(
        "commandes/<str:reference>/billets/<uuid:ticket_id>/rembourser/",
        views.refund,
        name="refund_ticket",
    ),
    path("personnel/", views.staff, name="staff"),
    path("controles/", views.scans, name="scans"),
    path("journal/", views.audit_log, name="audit"),
    path("paiements/", views.payments, name="payments"),
    path("assistance/", views.support_inbox, name="support"),
    path("assistance/<str:reference>/", views.support_report, name="support_report"),
]
