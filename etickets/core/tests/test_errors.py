import pytest
from django.test import override_settings
from django.urls import include, path


def _broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("casse/", _broken_view), path("", include("config.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="etickets.core.tests.test_errors")
def test_server_error_page_is_in_the_site_design(client):
    client.raise_request_exception = False
    response = client.get("/casse/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Un incident technique est survenu" in html
    assert "JO E-Tickets" in html
    assert "boom" not in html


@pytest.mark.django_db
def test_expired_form_gets_a_french_page_not_django_s():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"email": "a@example.fr", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ce formulaire a expiré" in html
    assert "JO E-Tickets" in html


@pytest.mark.django_db
def test_huge_ids_are_404_or_400_not_500(client, make_user):
    client.force_login(make_user())
    huge = "9" * 30
    assert client.get(f"/compte/assistance/captures/{huge}/").status_code == 404
    assert client.post(f"/panier/lignes/{huge}/", {"quantity": "1"}).status_code == 404
    assert client.get(f"/api/v1/offers/{huge}").status_code in (400, 404)
