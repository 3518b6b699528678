"""Single sign-on through OpenID Connect against a real OpenID Provider (node-oidc-provider)
started on loopback: first sign-in makes the account and the membership, groups map to roles
at every sign-in, logout ends the session, a spoiled state or ID token signature is refused
with a Swedish message."""

import re

import pytest
import requests

from samtal.organisations.models import Membership
from tests.factories import make_organisation, make_user
from tests.idp.servers import configure_oidc, follow, oidc_provider, submit

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {
    "anna": {
        "email": "anna.berg@sundsvall.example",
        "name": "Anna Berg",
        "given_name": "Anna",
        "family_name": "Berg",
        "groups": ["3f2c9a1e-planerare", "Alla anställda"],
    },
    "bo": {
        "email": "bo.ek@sundsvall.example",
        "name": "Bo Ek",
        "given_name": "Bo",
        "family_name": "Ek",
        "groups": ["Ledningsgruppen"],
    },
}
MAPPING = "3f2c9a1e-planerare = planerare\nLedningsgruppen = kommunledning, administratör"


def callback_url(live_server, slug="sundsvall"):
    return f"{live_server.url}/sso/oidc/{slug}/login/callback/"


def sign_in(live_server, who, session=None):
    """From the login page's button through the provider's login form, back to Samtal."""
    session = session or requests.Session()
    login_page = session.get(f"{live_server.url}/logga-in/", timeout=30)
    assert "Logga in med Sundsvalls konto" in login_page.text
    at_provider = follow(session, login_page, "Logga in med Sundsvalls konto")
    if at_provider.url.startswith(live_server.url):
        return session, at_provider  # still signed in at the provider: straight back
    back = submit(session, at_provider, "Sign in", login=who)
    return session, back


@pytest.fixture
def sundsvall():
    return make_organisation()


def test_first_login_creates_the_account_with_a_membership_and_mapped_roles(
    live_server, tmp_path, sundsvall
):
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS
    ) as issuer:
        configure_oidc(sundsvall, issuer, mapping=MAPPING)
        session, landed = sign_in(live_server, "anna")

    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/samtal/"
    assert "Mina samtal" in landed.text
    assert "Anna Berg" in landed.text
    member = Membership.objects.get(user__email="anna.berg@sundsvall.example")
    assert member.organisation == sundsvall
    assert (member.is_planner, member.is_reviewer, member.is_admin) == (True, False, False)
    assert member.roles_from_sso
    assert member.user.get_full_name() == "Anna Berg"
    assert not member.user.has_usable_password()
    # A planner may create meetings; the page offers it.
    assert session.get(f"{live_server.url}/samtal/nytt/", timeout=30).status_code == 200


def test_groups_are_mapped_again_at_every_login(live_server, tmp_path, sundsvall):
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS
    ) as issuer:
        provider = configure_oidc(sundsvall, issuer, mapping=MAPPING)
        session, _landed = sign_in(live_server, "bo")
        member = Membership.objects.get(user__email="bo.ek@sundsvall.example")
        assert (member.is_planner, member.is_reviewer, member.is_admin) == (False, True, True)
        assert "Administration" in session.get(f"{live_server.url}/samtal/", timeout=30).text

        # The administrator changes the mapping; Bo's next sign-in takes it.
        provider.role_mapping = "Ledningsgruppen = planerare"
        provider.save()
        session.post(
            f"{live_server.url}/logga-ut/",
            headers={"X-CSRFToken": session.cookies["csrftoken"]},
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            timeout=30,
        )
        _session, again = sign_in(live_server, "bo", session=session)
        assert "Mina samtal" in again.text

    member.refresh_from_db()
    assert (member.is_planner, member.is_reviewer, member.is_admin) == (True, False, False)
    assert Membership.objects.filter(user__email="bo.ek@sundsvall.example").count() == 1


def test_an_account_added_by_the_administrator_is_signed_in_not_duplicated(
    live_server, tmp_path, sundsvall
):
    anna = make_user(
        "anna", organisation=sundsvall, planner=False, email="Anna.Berg@sundsvall.example"
    )
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS
    ) as issuer:
        configure_oidc(sundsvall, issuer, mapping=MAPPING)
        _session, landed = sign_in(live_server, "anna")
    assert "Mina samtal" in landed.text
    assert anna.socialaccount_set.get().uid == "anna"
    assert Membership.objects.get(user=anna).is_planner


def test_an_account_of_another_organisation_is_not_taken_over(live_server, tmp_path, sundsvall):
    timra = make_organisation("Timrå kommun")
    make_user("anna", organisation=timra, email="anna.berg@sundsvall.example")
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS
    ) as issuer:
        configure_oidc(sundsvall, issuer, mapping=MAPPING)
        _session, refused = sign_in(live_server, "anna")
    assert refused.status_code == 403
    assert "som inte hör till Sundsvalls kommun" in refused.text
    assert not Membership.objects.filter(organisation=sundsvall, user__username="anna").exists()


def test_logout_ends_the_session(live_server, tmp_path, sundsvall):
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS
    ) as issuer:
        configure_oidc(sundsvall, issuer, mapping=MAPPING)
        session, _landed = sign_in(live_server, "anna")
    out = session.post(
        f"{live_server.url}/logga-ut/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=30,
    )
    assert out.url == f"{live_server.url}/logga-in/"
    again = session.get(f"{live_server.url}/samtal/", timeout=30)
    assert again.url.startswith(f"{live_server.url}/logga-in/")


def test_a_changed_state_is_refused_in_swedish(live_server, tmp_path, sundsvall):
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS
    ) as issuer:
        configure_oidc(sundsvall, issuer, mapping=MAPPING)
        session = requests.Session()
        login_page = session.get(f"{live_server.url}/logga-in/", timeout=30)
        at_provider = follow(session, login_page, "Logga in med Sundsvalls konto")
        finished = submit(session, at_provider, "Sign in", login="anna", allow_redirects=False)
        # Follow the provider's redirects by hand up to Samtal's callback, then spoil it.
        response = finished
        while not response.headers["Location"].startswith(callback_url(live_server)):
            response = session.get(response.headers["Location"], allow_redirects=False, timeout=30)
        spoiled = re.sub(r"state=[^&]+", "state=forfalskad", response.headers["Location"])
        refused = session.get(spoiled, timeout=30)
    assert refused.status_code == 400
    assert "Inloggningen misslyckades" in refused.text
    assert "Du är inte inloggad" in refused.text
    assert not Membership.objects.filter(user__email="anna.berg@sundsvall.example").exists()


def test_an_id_token_with_a_bad_signature_is_refused_in_swedish(live_server, tmp_path, sundsvall):
    with oidc_provider(
        tmp_path, redirect_uris=[callback_url(live_server)], accounts=ACCOUNTS, tamper=True
    ) as issuer:
        configure_oidc(sundsvall, issuer, mapping=MAPPING)
        session, refused = sign_in(live_server, "anna")
    assert refused.status_code == 400
    assert "dess signatur är fel" in refused.text
    assert not Membership.objects.filter(user__email="anna.berg@sundsvall.example").exists()
    assert session.get(f"{live_server.url}/samtal/", timeout=30).url.startswith(
        f"{live_server.url}/logga-in/"
    )
