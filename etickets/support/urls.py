from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    path("aide/", views.help_centre, name="help"),
    path("aide/<slug:slug>/", views.help_article, name="help_article"),
    path("contact/", views.contact, name="contact"),
    path("cgu/", views.terms_of_use, name="terms_of_use"),
    path("cgv/", views.terms_of_sale, name="terms_of_sale"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("compte/assistance/", views.report_list, name="reports"),
    path("compte/assistance/signaler/", views.report_create, name="report_create"),
    path("compte/assistance/captures/<id:screenshot_id>/", views.screenshot, name="screenshot"),
    path("compte/assistance/<str:reference>/", views.report_detail, name="report_detail"),
]
