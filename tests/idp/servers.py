"""Start the test identity providers on loopback, as real processes:

- an OpenID Provider: node-oidc-provider (tests/idp/oidc_provider.mjs; `npm ci` in tests/idp,
  which `make test` does through scripts/bootstrap.sh),
- a SAML 2.0 IdP: pysaml2's Server (tests/idp/saml_idp.py, signing with Debian's xmlsec1).

And configure an organisation to use them, through the administration's form, so the tests
go through the same settings an administrator writes.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from samtal.identity.forms import IdentityProviderForm
from samtal.identity.models import IdentityProvider

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(reason):
    """Without Node or xmlsec1 these tests cannot run: skipped on a developer's machine,
    a failure under CI=true (scripts/bootstrap.sh --system installs them)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def running(command, ready_url, log_path):
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=HERE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(ready_url, timeout=1)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{command[0]} did not start: {Path(log_path).read_text()[-2000:]}"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oidc_provider(tmp_path, *, redirect_uris, accounts, tamper=False, client_secret="hemligt"):
    """Yields the issuer URL of a running node-oidc-provider with one client, "samtal"."""
    node = shutil.which("node")
    if not node:
        missing("Node.js is missing: sudo apt-get install nodejs npm (or bootstrap.sh --system)")
    if not (NODE_MODULES / "oidc-provider").is_dir():
        missing("tests/idp/node_modules is missing: run 'npm ci' in tests/idp (make test does)")
    port = free_port()
    config = {
        "clients": [
            {"client_id": "samtal", "client_secret": client_secret, "redirect_uris": redirect_uris}
        ],
        "accounts": accounts,
        "tamper": tamper,
    }
    config_path = tmp_path / f"oidc-{port}.json"
    config_path.write_text(json.dumps(config))
    issuer = f"http://127.0.0.1:{port}"
    command = [node, str(HERE / "oidc_provider.mjs"), str(port), str(config_path)]
    with running(command, f"{issuer}/.well-known/openid-configuration", tmp_path / "oidc.log"):
        yield issuer


@contextmanager
def saml_idp(tmp_path, *, sp_metadata_urls, users, tamper=False):
    """Yields the base URL of a running pysaml2 IdP (metadata at <base>/metadata)."""
    if not shutil.which("xmlsec1"):
        missing("xmlsec1 is missing: sudo apt-get install xmlsec1 (or bootstrap.sh --system)")
    port = free_port()
    config_path = tmp_path / f"saml-{port}.json"
    config_path.write_text(
        json.dumps({"sp_metadata_urls": sp_metadata_urls, "users": users, "tamper": tamper})
    )
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(HERE / "saml_idp.py"), str(port), str(config_path)]
    with running(command, f"{base}/metadata", tmp_path / "saml.log"):
        yield base


def make_certificate():
    """A self-signed certificate (PEM), for a SAML provider that is never called."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "adfs")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def route_world_providers(organisation):
    """The route matrix's identity providers: OIDC at a port nobody listens on (so starting a
    sign-in meets a provider that does not answer) and SAML with its addresses and
    certificate (no network needed). Their URL arguments for the matrix."""
    oidc = configure_oidc(organisation, "http://127.0.0.1:9", slug="matris-oidc")
    saml = configure(
        organisation,
        IdentityProvider.Protocol.SAML,
        name="Matrisens SAML",
        slug="matris-saml",
        idp_entity_id="https://adfs.matris.example/adfs/services/trust",
        idp_sso_url="https://adfs.matris.example/adfs/ls/",
        idp_x509cert=make_certificate(),
    )
    # The matrix's test client calls itself "testserver", a host name without a dot.
    saml.app.settings["advanced"]["allow_single_label_domains"] = True
    saml.app.save()
    return {
        "provider_id": oidc.slug,
        "organization_slug": saml.slug,
        "protocol": "oidc",
        "identity_provider_id": oidc.pk,
    }


def configure(organisation, protocol, **fields):
    """An identity provider of the organisation, saved through the administration's form."""
    data = {"is_active": "on", **fields}
    form = IdentityProviderForm(data, organisation=organisation, protocol=protocol)
    assert form.is_valid(), form.errors
    return form.save()


def configure_oidc(organisation, issuer, slug="sundsvall", mapping="", **fields):
    return configure(
        organisation,
        IdentityProvider.Protocol.OIDC,
        name=fields.pop("name", "Sundsvalls konto"),
        slug=slug,
        server_url=issuer,
        client_id="samtal",
        client_secret="hemligt",
        extra_scopes="groups",
        groups_claim="groups",
        role_mapping=mapping,
        **fields,
    )


def configure_saml(organisation, idp_base, slug="sundsvall-saml", mapping="", **fields):
    return configure(
        organisation,
        IdentityProvider.Protocol.SAML,
        name=fields.pop("name", "Sundsvalls e-legitimation"),
        slug=slug,
        idp_entity_id=f"{idp_base}/metadata",
        idp_metadata_url=f"{idp_base}/metadata",
        groups_claim="urn:oid:1.3.6.1.4.1.5923.1.5.1.1",
        role_mapping=mapping,
        **fields,
    )


class Forms(HTMLParser):
    """The forms of a page: [(action, method, {name: value}, [button labels])]."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.in_button = False
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                [attrs.get("action") or "", (attrs.get("method") or "get").lower(), {}, []]
            )
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1][2].setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "select" and self.forms:
            self.select = attrs.get("name")
        elif tag == "option" and self.select:
            self.forms[-1][2].setdefault(self.select, attrs.get("value") or "")
        elif tag == "button" and self.forms:
            self.in_button = True
            self.forms[-1][3].append("")

    def handle_endtag(self, tag):
        if tag == "button":
            self.in_button = False
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.in_button:
            self.forms[-1][3][-1] += data.strip()


def forms_of(response):
    parser = Forms()
    parser.feed(response.text)
    return parser.forms


def submit(session, response, button=None, allow_redirects=True, **values):
    """Submits the page's form (the one with that button), with values set."""
    for action, method, fields, buttons in forms_of(response):
        if button is None or any(button in label for label in buttons):
            url = urljoin(response.url, action or response.url)
            data = {**fields, **values}
            if method == "post":
                return session.post(url, data=data, timeout=30, allow_redirects=allow_redirects)
            return session.get(url, params=data, timeout=30, allow_redirects=allow_redirects)
    raise AssertionError(f"no form with {button!r} on {response.url}:\n{response.text[:2000]}")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.href = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.href = dict(attrs).get("href")
            self.links.append([self.href, ""])

    def handle_endtag(self, tag):
        if tag == "a":
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.links[-1][1] += data.strip()


def follow(session, response, text, allow_redirects=True):
    """Follows the page's link whose text contains `text`."""
    parser = Links()
    parser.feed(response.text)
    for href, label in parser.links:
        if text in label:
            return session.get(
                urljoin(response.url, href), timeout=30, allow_redirects=allow_redirects
            )
    raise AssertionError(f"no link {text!r} on {response.url}:\n{response.text[:2000]}")
