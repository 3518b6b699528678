"""Single sign-on in a real browser, through each test identity provider started on loopback
(node-oidc-provider, pysaml2's IdP): the login page's button, the provider's login, back on
Mina samtal with the role the provider's groups map to. axe checks every page on the way
(the providers' own pages too, since the browser loads them)."""

import re

from playwright.sync_api import expect

from samtal.organisations.models import Membership
from tests.factories import default_version, make_organisation
from tests.idp.servers import configure_oidc, configure_saml, oidc_provider, saml_idp


def test_oidc_login_lands_on_mina_samtal_as_planner(page, live_server, tmp_path, assert_accessible):
    default_version()
    sundsvall = make_organisation()
    accounts = {
        "anna": {
            "email": "anna.berg@sundsvall.example",
            "name": "Anna Berg",
            "groups": ["Samtal-Planerare"],
        }
    }
    callback = f"{live_server.url}/sso/oidc/sundsvall/login/callback/"
    with oidc_provider(tmp_path, redirect_uris=[callback], accounts=accounts) as issuer:
        configure_oidc(sundsvall, issuer, mapping="Samtal-Planerare = planerare")
        page.goto(f"{live_server.url}/logga-in/")
        assert_accessible(page)
        page.get_by_role("link", name="Logga in med Sundsvalls konto").click()
        expect(page.get_by_role("heading", name="Test OpenID Provider: sign in")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("User").select_option("anna")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Mina samtal", level=1)).to_be_visible()
        assert_accessible(page)

    assert page.url == f"{live_server.url}/samtal/"
    expect(page.get_by_text("Anna Berg")).to_be_visible()
    expect(page.get_by_role("link", name="Nytt samtal")).to_be_visible()  # the planner's
    member = Membership.objects.get(user__email="anna.berg@sundsvall.example")
    assert member.is_planner and not member.is_reviewer and member.roles_from_sso

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    assert_accessible(page)


def test_saml_login_lands_on_mina_samtal_as_kommunledning(
    page, live_server, tmp_path, assert_accessible
):
    default_version()
    sundsvall = make_organisation()
    users = {
        "karin": {
            "mail": "karin.lind@sundsvall.example",
            "givenName": "Karin",
            "sn": "Lind",
            "displayName": "Karin Lind",
            "groups": ["Samtal-Kommunledning"],
        }
    }
    metadata = f"{live_server.url}/sso/saml/sundsvall-saml/metadata/"
    with saml_idp(tmp_path, sp_metadata_urls=[metadata], users=users) as idp:
        configure_saml(sundsvall, idp, mapping="Samtal-Kommunledning = kommunledning")
        page.goto(f"{live_server.url}/logga-in/")
        assert_accessible(page)
        page.get_by_role("link", name="Logga in med Sundsvalls e-legitimation").click()
        expect(page.get_by_role("heading", name="Test IdP: sign in")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Test IdP: signed in")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Continue to the service").click()
        expect(page.get_by_role("heading", name="Mina samtal", level=1)).to_be_visible()
        assert_accessible(page)

        nav = page.get_by_role("navigation", name="Huvudmeny")
        expect(nav.get_by_role("link", name="Arkiv")).to_be_visible()  # kommunledning's
        expect(page.get_by_role("link", name="Nytt samtal")).to_have_count(0)
        nav.get_by_role("link", name="Arkiv").click()
        expect(page.get_by_role("heading", name=re.compile("Arkiv"), level=1)).to_be_visible()
        assert_accessible(page)

        # Logging out goes through the provider's single logout and back to the login page.
        # The page between ("Du är utloggad ur Samtal") moves on by itself (a meta refresh);
        # here it is served without the refresh, so axe checks it before its link is followed.
        served = {}

        def without_refresh(route):
            response = route.fetch()
            served["html"] = response.text()
            route.fulfill(
                response=response,
                body=re.sub(r"<meta http-equiv=\"refresh\"[^>]*>", "", served["html"]),
            )

        page.route(re.compile(r"/logga-ut/$"), without_refresh)
        page.get_by_role("button", name="Logga ut").click()
        expect(page.get_by_role("heading", name="Du är utloggad ur Samtal")).to_be_visible()
        assert_accessible(page)
        assert re.search(
            r'<meta http-equiv="refresh" content="0;url=http://127\.0\.0\.1:\d+/slo/',
            served["html"],
        )
        with page.expect_request(re.compile(r"/sso/saml/sundsvall-saml/sls/\?SAMLResponse=")):
            page.get_by_role("link", name="Fortsätt till utloggningen").click()
        expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
        assert_accessible(page)
    member = Membership.objects.get(user__email="karin.lind@sundsvall.example")
    assert member.is_reviewer and not member.is_planner
