"""The administration's single sign-on pages, the role mapping's rules, and the login page's
buttons (no identity provider process needed)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samtal.identity import roles
from samtal.identity.models import IdentityProvider
from tests.factories import make_organisation, make_user
from tests.idp.servers import configure_oidc, make_certificate

pytestmark = pytest.mark.django_db

CERT_FREE_SAML = {
    "name": "Sundsvall ADFS",
    "slug": "sundsvall-adfs",
    "is_active": "on",
    "idp_entity_id": "http://adfs.sundsvall.example/adfs/services/trust",
    "idp_sso_url": "https://adfs.sundsvall.example/adfs/ls/",
}


@pytest.fixture
def admin_client(client):
    organisation = make_organisation()
    client.force_login(make_user("anders", organisation=organisation, admin=True))
    return client


def test_the_mapping_reads_groups_roles_comments_and_everyone():
    rules = roles.parse(
        "# Entra ID-grupper\n"
        "6f1c-guid = planerare\n"
        "CN=Ledning,OU=Grupper,DC=kommun,DC=se = Kommunledning, administratör\n"
        "* = planerare\n"
    )
    assert roles.roles_for(rules, ["cn=ledning,ou=grupper,dc=kommun,dc=se"]) == {
        "is_planner": True,
        "is_reviewer": True,
        "is_admin": True,
    }
    assert roles.roles_for(rules[:2], []) == {
        "is_planner": False,
        "is_reviewer": False,
        "is_admin": False,
    }


def test_a_bad_mapping_line_is_named_in_swedish():
    with pytest.raises(ValidationError) as error:
        roles.parse("Samtal-planerare = planerare\nSamtal-chefer = chef\nbara text")
    messages = error.value.messages
    assert "Rad 2: ”chef” är ingen roll." in messages[0]
    assert messages[1].startswith("Rad 3: skriv gruppen, ett likhetstecken och rollen")


def test_an_administrator_connects_openid_connect_and_sees_the_redirect_uri(admin_client):
    page = admin_client.get(reverse("administration:sso"))
    assert "Ingen inloggningstjänst är kopplad ännu" in page.content.decode()
    response = admin_client.post(
        reverse("administration:sso_create", args=["oidc"]),
        {
            "name": "Sundsvalls konto",
            "slug": "sundsvall",
            "is_active": "on",
            "server_url": "https://login.microsoftonline.com/abc-tenant/v2.0",
            "client_id": "11111111-2222",
            "client_secret": "hemlig-nyckel",
            "groups_claim": "groups",
            "role_mapping": "aaaa-bbbb = planerare\ncccc = kommunledning",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Inloggningen ”Sundsvalls konto” är sparad." in text
    assert "http://testserver/sso/oidc/sundsvall/login/callback/" in text
    provider = IdentityProvider.objects.get(slug="sundsvall")
    assert provider.app.provider == "openid_connect"
    assert provider.app.secret == "hemlig-nyckel"
    assert "hemlig-nyckel" not in text  # the secret is never shown again
    assert provider.app.settings["server_url"].endswith("/v2.0")

    # Saved again without a secret: the stored one stays.
    admin_client.post(
        reverse("administration:sso_edit", args=[provider.pk]),
        {
            "name": "Sundsvalls konto",
            "server_url": "https://login.microsoftonline.com/abc-tenant/v2.0",
            "client_id": "11111111-2222",
            "role_mapping": "",
        },
    )
    provider.refresh_from_db()
    provider.app.refresh_from_db()
    assert provider.app.secret == "hemlig-nyckel"
    assert not provider.is_active


def test_bad_settings_are_refused_in_swedish_and_what_was_typed_stays(admin_client):
    response = admin_client.post(
        reverse("administration:sso_create", args=["saml"]),
        {
            "name": "Sundsvall ADFS",
            "slug": "sundsvall-adfs",
            "idp_entity_id": "http://adfs.sundsvall.example/adfs/services/trust",
            "idp_x509cert": "inte ett certifikat",
            "role_mapping": "Samtal-ledning = chef",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Inloggningen är inte sparad." in text
    assert "Det här är inget giltigt certifikat." in text
    assert "Ange metadata-adressen, eller både adressen för inloggning och certifikatet." in text
    assert "Rad 1: ”chef” är ingen roll." in text
    assert "Samtal-ledning = chef" in text
    assert "http://adfs.sundsvall.example/adfs/services/trust" in text
    assert not IdentityProvider.objects.exists()


def test_saml_addresses_for_the_federation(admin_client):
    pem = make_certificate()
    response = admin_client.post(
        reverse("administration:sso_create", args=["saml"]),
        {**CERT_FREE_SAML, "idp_x509cert": pem, "groups_claim": "groups"},
        follow=True,
    )
    text = response.content.decode()
    assert "http://testserver/sso/saml/sundsvall-adfs/acs/" in text
    assert "http://testserver/sso/saml/sundsvall-adfs/metadata/" in text
    assert "http://testserver/sso/saml/sundsvall-adfs/sls/" in text
    app = IdentityProvider.objects.get().app
    assert app.client_id == "sundsvall-adfs"
    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert "BEGIN" not in app.settings["idp"]["x509cert"]
    # python3-saml accepts only full host names (and localhost) in the service's addresses.
    metadata = admin_client.get("/sso/saml/sundsvall-adfs/metadata/", HTTP_HOST="localhost")
    assert metadata.status_code == 200
    assert b"http://localhost/sso/saml/sundsvall-adfs/acs/" in metadata.content


def test_another_organisations_provider_is_not_found(client):
    timra = make_organisation("Timrå kommun")
    provider = configure_oidc(make_organisation(), "https://idp.sundsvall.example")
    client.force_login(make_user("lena", organisation=timra, admin=True))
    assert client.get(reverse("administration:sso_edit", args=[provider.pk])).status_code == 404
    assert "Sundsvalls konto" not in client.get(reverse("administration:sso")).content.decode()


def test_only_administrators_reach_the_sso_pages(client):
    client.force_login(make_user("planerare"))
    assert client.get(reverse("administration:sso")).status_code == 403


def test_the_login_page_offers_active_providers_only(client):
    sundsvall = make_organisation()
    configure_oidc(sundsvall, "https://idp.sundsvall.example")
    hidden = configure_oidc(
        sundsvall, "https://idp2.sundsvall.example", slug="gammal", name="Gamla kontot"
    )
    hidden.is_active = False
    hidden.save()
    text = client.get(reverse("login")).content.decode()
    assert "Logga in med Sundsvalls konto" in text
    assert 'href="/sso/oidc/sundsvall/login/?process=login"' in text
    assert "Gamla kontot" not in text
    assert 'name="username"' in text  # the local form stays
    assert client.get("/sso/oidc/gammal/login/").status_code == 404
