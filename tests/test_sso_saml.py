"""Single sign-on through SAML 2.0 against a real identity provider (pysaml2's IdP) started on
loopback: signed assertion → account, membership and mapped role; a changed assertion is
refused in Swedish; logout goes through the provider's single logout and back."""

import pytest
import requests

from samtal.organisations.models import Membership
from tests.factories import make_organisation
from tests.idp.servers import configure_saml, follow, saml_idp, submit

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "sundsvall-saml"
USERS = {
    "karin": {
        "mail": "karin.lind@sundsvall.example",
        "givenName": "Karin",
        "sn": "Lind",
        "displayName": "Karin Lind",
        "groups": ["Samtal-Kommunledning", "Alla"],
    },
}
MAPPING = "Samtal-Kommunledning = kommunledning\nSamtal-Admin = administratör"


def metadata_url(live_server):
    return f"{live_server.url}/sso/saml/{SLUG}/metadata/"


def sign_in(live_server, who="karin"):
    session = requests.Session()
    login_page = session.get(f"{live_server.url}/logga-in/", timeout=30)
    at_idp = follow(session, login_page, "Logga in med Sundsvalls e-legitimation")
    assert "Test IdP: sign in" in at_idp.text, at_idp.text[:500]
    signed = submit(session, at_idp, "Sign in", login=who)
    assert "Test IdP: signed in" in signed.text, signed.text[:500]
    return session, submit(session, signed, "Continue to the service")


@pytest.fixture
def sundsvall():
    return make_organisation()


def test_saml_login_creates_the_account_with_the_mapped_role(live_server, tmp_path, sundsvall):
    with saml_idp(tmp_path, sp_metadata_urls=[metadata_url(live_server)], users=USERS) as idp:
        configure_saml(sundsvall, idp, mapping=MAPPING)
        session, landed = sign_in(live_server)

    assert landed.url == f"{live_server.url}/samtal/"
    assert "Mina samtal" in landed.text
    member = Membership.objects.get(user__email="karin.lind@sundsvall.example")
    assert member.organisation == sundsvall
    assert (member.is_planner, member.is_reviewer, member.is_admin) == (False, True, False)
    assert member.user.get_full_name() == "Karin Lind"
    assert member.user.socialaccount_set.get().uid == "persistent-karin"
    # Kommunledning reads the archive.
    assert session.get(f"{live_server.url}/arkiv/", timeout=30).status_code == 200


def test_a_changed_assertion_is_refused_in_swedish(live_server, tmp_path, sundsvall):
    """The IdP signs the assertion, then its groups are changed (to Samtal-Admin): the
    signature no longer holds, so nobody is signed in and no administrator is made."""
    with saml_idp(
        tmp_path, sp_metadata_urls=[metadata_url(live_server)], users=USERS, tamper=True
    ) as idp:
        configure_saml(sundsvall, idp, mapping=MAPPING)
        session, refused = sign_in(live_server)

    assert refused.status_code == 400
    assert "Inloggningen misslyckades" in refused.text
    assert "inte korrekt signerat" in refused.text
    assert not Membership.objects.filter(user__email="karin.lind@sundsvall.example").exists()
    assert session.get(f"{live_server.url}/samtal/", timeout=30).url.startswith(
        f"{live_server.url}/logga-in/"
    )


def test_logout_goes_through_the_providers_single_logout(live_server, tmp_path, sundsvall):
    with saml_idp(tmp_path, sp_metadata_urls=[metadata_url(live_server)], users=USERS) as idp:
        configure_saml(sundsvall, idp, mapping=MAPPING)
        session, _landed = sign_in(live_server)
        logged_out = session.post(
            f"{live_server.url}/logga-ut/",
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            timeout=30,
        )
        assert "Du är utloggad ur Samtal" in logged_out.text
        assert session.get(f"{live_server.url}/samtal/", timeout=30).url.startswith(
            f"{live_server.url}/logga-in/"
        )
        out = follow(session, logged_out, "Fortsätt till utloggningen")
        hops = [logged_out.url, *(r.url for r in out.history)]

    assert any(url.startswith(f"{idp}/slo/redirect?SAMLRequest=") for url in hops), hops
    assert any(f"/sso/saml/{SLUG}/sls/?SAMLResponse=" in url for url in hops), hops
    assert out.url == f"{live_server.url}/logga-in/"
    assert session.get(f"{live_server.url}/samtal/", timeout=30).url.startswith(
        f"{live_server.url}/logga-in/"
    )


def test_the_service_provider_metadata_names_the_acs(live_server, tmp_path, sundsvall):
    with saml_idp(tmp_path, sp_metadata_urls=[], users=USERS) as idp:
        configure_saml(sundsvall, idp)
        metadata = requests.get(metadata_url(live_server), timeout=30)
    assert metadata.status_code == 200
    assert f'entityID="{metadata_url(live_server)}"' in metadata.text
    assert f'Location="{live_server.url}/sso/saml/{SLUG}/acs/"' in metadata.text
