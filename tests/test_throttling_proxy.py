"""Login throttling behind the documented reverse proxy (PROXY_COUNT=1, nginx in front).

Every request reaches the app from the proxy's address; the client is the last entry of
X-Forwarded-For. Five failures from one client lock that client and the attacked account,
not everyone behind the proxy.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from samtal.core.client_ip import client_ip
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.5"
COLLEAGUE = "198.51.100.7"
PASSWORD = "rätt-lösenord-123"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def login(client, username, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_failures_from_one_address_lock_that_address_and_account_only(client):
    make_user("karin")
    make_user("maria")
    for attempt in range(5):
        login(client, "karin", f"fel{attempt}", ATTACKER)

    # The attacker's address is locked, even for another account with the right password.
    assert login(client, "maria", PASSWORD, ATTACKER).status_code == 429
    # The attacked account is locked from everywhere.
    assert login(client, "karin", PASSWORD, COLLEAGUE).status_code == 429
    # Another user from another address behind the same proxy logs in.
    response = login(client, "maria", PASSWORD, COLLEAGUE)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:mine")


def test_a_client_cannot_dodge_the_lock_by_writing_its_own_forwarded_for(client):
    make_user("karin")
    make_user("maria")
    for attempt in range(5):
        # nginx appends the real address after whatever the client sent.
        login(client, f"gissning{attempt}", "fel", f"10.9.9.{attempt}, {ATTACKER}")
    assert login(client, "maria", PASSWORD, f"192.0.2.1, {ATTACKER}").status_code == 429
    assert login(client, "maria", PASSWORD, COLLEAGUE).status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", PROXY),  # no proxy: the header is the client's own claim
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # load balancer + nginx
        (2, "203.0.113.5", PROXY),  # shorter than the proxy chain: not trusted
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_client_ip_reads_forwarded_for_from_the_right(settings, count, forwarded, expected):
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
