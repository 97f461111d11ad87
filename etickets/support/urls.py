from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    path("cgu/", views.terms_of_use, name="terms_of_use"),
    path("cgv/", views.terms_of_sale, name="terms_of_sale"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
]
