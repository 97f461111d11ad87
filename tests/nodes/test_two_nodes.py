"""Two application servers behind HAProxy, sharing PostgreSQL and Redis, as `WEB_NODES=2
make prod` runs them: nothing a request needs lives in one node's memory."""

import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from html import unescape
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from conftest import IN_CI, PASSWORD, TEST_CARD

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str) -> None:
    for _ in range(120):
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def nodes(transactional_db, tmp_path):
    """Two gunicorn nodes on this test's database and Redis, and HAProxy in front: their URLs
    (node 1, node 2, HAProxy)."""
    haproxy = shutil.which("haproxy")
    missing = [
        need
        for need, ok in [
            ("PostgreSQL", connection.vendor == "postgresql"),
            ("Redis", bool(settings.REDIS_URL)),
            ("HAProxy", bool(haproxy)),
        ]
        if not ok
    ]
    if missing:
        if IN_CI:
            pytest.fail(f"CI=true: the two-node test needs {', '.join(missing)}")
        pytest.skip(f"needs {', '.join(missing)} (CI runs it)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SIGNUP_RATE_LIMIT": "2",
        "TRUSTED_PROXY_COUNT": "1",
    }
    env.pop("ETICKETS_TODAY", None)
    ports = [_free_port() for _ in range(3)]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--control-socket",
                str(tmp_path / f"gunicorn-{port}.ctl"),
            ],
            cwd=ROOT,
            env=env,
            stdout=(tmp_path / f"node-{port}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for port in ports[:2]
    ]
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        "defaults\n  mode http\n  option forwardfor\n  timeout connect 5s\n"
        "  timeout client 30s\n  timeout server 30s\n"
        f"frontend web\n  bind 127.0.0.1:{ports[2]}\n  default_backend nodes\n"
        "backend nodes\n  balance roundrobin\n"
        + "".join(f"  server node{n} 127.0.0.1:{port}\n" for n, port in enumerate(ports[:2]))
    )
    try:
        for port in ports[:2]:
            _wait_until_up(f"http://127.0.0.1:{port}/healthz")
        processes.append(subprocess.Popen([haproxy, "-db", "-f", str(config)]))
        _wait_until_up(f"http://127.0.0.1:{ports[2]}/healthz")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "a page without its CSRF token"
    return match.group(1)


def _post(browser: requests.Session, url: str, data: dict) -> requests.Response:
    """A form's POST, with the CSRF token of the page it is on."""
    return browser.post(url, {"csrfmiddlewaretoken": _token(browser.get(url).text), **data})


def _buy_two(browser, offer, *, add_on, pay_on):
    """Two tickets of ``offer`` added to the cart on one node, paid on another."""
    offer_page = browser.get(f"{add_on}/offres/{offer.slug}/").text
    browser.post(
        f"{add_on}/panier/ajouter/{offer.slug}/",
        {"csrfmiddlewaretoken": _token(offer_page), "quantity": "2"},
    )
    checkout = browser.get(f"{pay_on}/paiement/").text
    assert "Paiement sécurisé" in checkout
    key = re.search(r'name="idempotency_key" value="([^"]+)"', checkout).group(1)
    response = browser.post(
        f"{pay_on}/paiement/",
        {
            "csrfmiddlewaretoken": _token(checkout),
            "idempotency_key": key,
            "number": TEST_CARD,
            "expiry": "08/30",
            "cvv": "123",
        },
    )
    assert "Confirmation de commande" in response.text


def test_a_buyer_moves_between_nodes(nodes, make_user, make_offer):
    """Logged in on one node, adds to the cart on the other, pays on the first; and through
    HAProxy, every request landing on either node."""
    node1, node2, proxy = nodes
    user = make_user()
    offer = make_offer()
    for first, second in [(node1, node2), (proxy, proxy)]:
        browser = requests.Session()
        response = _post(
            browser, f"{first}/connexion/", {"email": user.email, "password": PASSWORD}
        )
        assert "Bonjour" in response.text
        _buy_two(browser, offer, add_on=second, pay_on=first)
    assert user.orders.count() == 2


def test_a_buyer_queues_on_one_node_and_buys_on_the_other(nodes, make_user, make_offer):
    """The waiting room lives in Redis and the pass in the session: joined on one node, let in
    (the test admits, as Celery beat does), the pass taken on that node, the cart filled on the
    other, paid on the first."""
    from django.utils import timezone

    from etickets.waitingroom import services, store

    node1, node2, _proxy = nodes
    user = make_user(email_verified_at=timezone.now())
    offer = make_offer()
    event = offer.event
    # One a minute, opened a second ago: nobody is let in before the test says so.
    services.configure_queue(
        event=event,
        opens_at=timezone.now() - datetime.timedelta(seconds=1),
        admission_rate=1,
        enabled=True,
    )
    queue = store.queue_store()
    assert isinstance(queue, store.RedisQueueStore)
    queue.join(event.pk, "first-fan", timezone.now())  # arrived first: one ahead
    browser = requests.Session()
    _post(browser, f"{node1}/connexion/", {"email": user.email, "password": PASSWORD})
    # Adding to the cart before one's turn sends to the queue.
    offer_page = browser.get(f"{node2}/offres/{offer.slug}/")
    assert offer_page.url == f"{node2}/file-attente/{event.slug}/"
    page = _post(browser, f"{node1}/file-attente/{event.slug}/", {}).text
    poll = f"{node2}" + re.search(r'hx-get="(/file-attente/\d+/etat/[0-9a-f]{32}/)"', page)[1]

    services.admit_due(event=event, now=timezone.now())  # the line is made, nobody let in
    answer = requests.get(poll, timeout=10)
    assert "1 personne devant vous." in unescape(answer.text)
    services.admit_due(event=event, now=timezone.now() + datetime.timedelta(minutes=2))
    answer = requests.get(poll, timeout=10)
    assert answer.headers["HX-Redirect"] == f"/file-attente/{event.pk}/entrer/"

    response = browser.get(f"{node1}{answer.headers['HX-Redirect']}")
    assert response.url == f"{node1}{offer.get_absolute_url()}"
    _buy_two(browser, offer, add_on=node2, pay_on=node1)
    assert user.orders.get().lines.get().quantity == 2
    # The pass, in Redis, still runs: it buys until it expires, within the account's limits.
    entry = queue.current_entry(event.pk, str(user.pk))
    assert queue.pass_expiry(event.pk, entry) > timezone.now()


def test_lockouts_limits_and_revoked_tokens_hold_on_every_node(nodes, make_user):
    node1, node2, proxy = nodes
    from etickets.api import services as api

    # Five wrong passwords on one node lock the account on the other.
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(requests.Session(), f"{node1}/connexion/", {"email": user.email, "password": "x"})
    response = _post(
        requests.Session(), f"{node2}/connexion/", {"email": user.email, "password": PASSWORD}
    )
    assert "Bonjour" not in response.text and "bloqué" in response.text

    # Sign-ups per client address (2 here), counted in Redis whichever node answers.
    answers = []
    for _ in range(3):
        name = uuid.uuid4().hex[:10]
        answers.append(
            _post(
                requests.Session(),
                f"{proxy}/inscription/",
                {
                    "username": name,
                    "email": f"{name}@example.fr",
                    "last_name": "Martin",
                    "first_name": "Camille",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "accept_terms": "on",
                },
            )
        )
    refused = ["Trop d'inscriptions" in unescape(answer.text) for answer in answers]
    assert refused == [False, False, True]

    # A token revoked is refused by both nodes, though each had it in memory.
    _token_row, secret = api.issue_token(user=make_user(), name="Téléphone")
    bearer = {"Authorization": f"Bearer {secret}"}
    for node in (node1, node2):
        assert requests.get(f"{node}/api/v1/orders", headers=bearer, timeout=10).status_code == 200
    api.revoke_all_tokens(user=_token_row.user)
    for node in (node1, node2):
        assert requests.get(f"{node}/api/v1/orders", headers=bearer, timeout=10).status_code == 401
