import pytest
from django.contrib.auth.models import Group
from django.test import Client

from etickets.gate.models import CONTROLLER_GROUP

from .conftest import verified_client, with_2fa

PAGES = [
    "/backoffice/",
    "/backoffice/export/ventes.csv",
    "/backoffice/export/commandes.csv",
    "/backoffice/export/factures.csv",
    "/backoffice/factures/",
    "/backoffice/epreuves/",
    "/backoffice/epreuves/nouvelle/",
    "/backoffice/commandes/",
    "/backoffice/personnel/",
    "/backoffice/controles/",
    "/backoffice/journal/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_only_verified_administrators_get_in(path, make_user, desk):
    assert Client().get(path).url.startswith("/connexion/?next=")

    customer = Client()
    customer.force_login(make_user())
    assert customer.get(path).status_code == 404

    controller = with_2fa(make_user())
    controller.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    assert verified_client(controller).get(path).status_code == 404

    no_2fa = Client()
    no_2fa.force_login(make_user(is_staff=True, is_superuser=True))
    assert no_2fa.get(path).url == "/compte/securite/"

    assert desk.get(path).status_code == 200


@pytest.mark.django_db
def test_administrators_see_the_back_office_link(desk):
    assert 'href="/backoffice/"' in desk.get("/").content.decode()
