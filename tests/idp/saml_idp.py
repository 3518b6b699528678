"""A SAML 2.0 identity provider for the tests, on loopback, built on pysaml2's IdP (Server).

    python tests/idp/saml_idp.py PORT CONFIG.json

CONFIG.json: {"sp_metadata_urls": [...], "users": {"login": {"mail": ..., "givenName": ...,
"sn": ..., "displayName": ..., "groups": [...]}}, "tamper": false}

Endpoints:
    /metadata            the IdP's metadata (signing certificate, SSO and SLO addresses)
    /sso/redirect        HTTP-Redirect AuthnRequest -> a login form (choose a user)
    /sso/login  (POST)   signs an assertion for that user and answers with the HTTP-POST form
                         to the service provider's ACS; with "tamper", the signed assertion's
                         groups are changed afterwards, so its signature no longer holds
    /slo/redirect        HTTP-Redirect LogoutRequest -> LogoutResponse back to the SP's SLS

The SP's metadata is read from its metadata URL at the first request (the app must be
configured by then). A key pair is made at start in a temporary folder; signing uses Debian's
xmlsec1, as pysaml2 does.
"""

import base64
import datetime
import html
import json
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ATTRIBUTE_NAMES = {
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    "givenName": "urn:oid:2.5.4.42",
    "sn": "urn:oid:2.5.4.4",
    "displayName": "urn:oid:2.16.840.1.113730.3.1.241",
    "groups": "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",  # isMemberOf
}


def make_key_pair(folder):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Samtal test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = Path(folder, "idp.key"), Path(folder, "idp.crt")
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class IdP:
    def __init__(self, port, config, folder):
        self.base = f"http://127.0.0.1:{port}"
        self.settings = config
        self.loaded_sp = False
        self.lock = threading.Lock()
        key_file, cert_file = make_key_pair(folder)
        conf = IdPConfig()
        conf.load(
            {
                "entityid": f"{self.base}/metadata",
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "key_file": key_file,
                "cert_file": cert_file,
                "service": {
                    "idp": {
                        "name": "Samtal test IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ],
                            "single_logout_service": [
                                (f"{self.base}/slo/redirect", BINDING_HTTP_REDIRECT)
                            ],
                        },
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 15},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "want_authn_requests_signed": False,
                    }
                },
                "metadata": {},
            }
        )
        self.server = Server(config=conf)

    def load_sp_metadata(self):
        with self.lock:
            if self.loaded_sp:
                return
            for url in self.settings["sp_metadata_urls"]:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
                    self.server.metadata.load("inline", response.read().decode())
            self.loaded_sp = True

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            if path == "/metadata":
                body = create_metadata_string(None, self.server.config, sign=False)
                return reply(start_response, "200 OK", body, "text/xml")
            self.load_sp_metadata()
            if path == "/sso/redirect":
                return self.login_form(start_response, query)
            if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                form = {
                    k: v[0]
                    for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()
                }
                return self.login(start_response, form)
            if path == "/slo/redirect":
                return self.logout(start_response, query)
        except Exception as error:  # the test sees the reason in the page
            return reply(start_response, "400 Bad Request", f"IdP error: {error!r}", "text/plain")
        return reply(start_response, "404 Not Found", "not found", "text/plain")

    def login_form(self, start_response, query):
        request = self.server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        options = "".join(
            f'<option value="{html.escape(login)}">{html.escape(login)}</option>'
            for login in self.settings["users"]
        )
        body = f"""<!DOCTYPE html><html lang="en"><head><title>Test IdP</title></head><body>
<main><h1>Test IdP: sign in</h1>
<form method="post" action="/sso/login">
<input type="hidden" name="SAMLRequest" value="{html.escape(query["SAMLRequest"])}">
<input type="hidden" name="RelayState" value="{html.escape(query.get("RelayState", ""))}">
<label>User <select name="login">{options}</select></label>
<button type="submit">Sign in</button></form>
<p>Request {html.escape(request.message.id)}</p></main></body></html>"""
        return reply(start_response, "200 OK", body, "text/html")

    def login(self, start_response, form):
        request = self.server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
        message = request.message
        sp_entity_id = message.issuer.text
        destination = message.assertion_consumer_service_url
        user = self.settings["users"][form["login"]]
        identity = {ATTRIBUTE_NAMES[k]: v if isinstance(v, list) else [v] for k, v in user.items()}
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=message.id,
            destination=destination,
            sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"persistent-{form['login']}"),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=False,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        response = str(response)
        if self.settings.get("tamper"):
            # The assertion stays signed, but its contents are changed after signing.
            response = response.replace(user["groups"][0], "Samtal-Admin", 1)
        # The HTTP-POST binding's form, with a button (no script): a browser test checks the
        # page before going on, and a test without a browser reads the two fields.
        body = f"""<!DOCTYPE html><html lang="en"><head><title>Test IdP</title></head><body>
<main><h1>Test IdP: signed in</h1>
<form method="post" action="{html.escape(destination)}">
<input type="hidden" name="SAMLResponse" value="{base64.b64encode(response.encode()).decode()}">
<input type="hidden" name="RelayState" value="{html.escape(form.get("RelayState", ""))}">
<button type="submit">Continue to the service</button></form></main></body></html>"""
        return reply(start_response, "200 OK", body, "text/html")

    def logout(self, start_response, query):
        request = self.server.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        response = self.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        args = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            response.destination,
            query.get("RelayState", ""),
            response=True,
        )
        location = dict(args["headers"])["Location"]
        start_response("302 Found", [("Location", location)])
        return [b""]


def reply(start_response, status, body, content_type):
    data = body.encode() if isinstance(body, str) else body
    start_response(status, [("Content-Type", f"{content_type}; charset=utf-8")])
    return [data]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    port, config_path = int(sys.argv[1]), sys.argv[2]
    config = json.loads(Path(config_path).read_text())
    with tempfile.TemporaryDirectory() as folder:
        app = IdP(port, config, folder)
        with make_server("127.0.0.1", port, app, handler_class=QuietHandler) as httpd:
            print(f"saml idp listening on {app.base}", flush=True)
            httpd.serve_forever()


if __name__ == "__main__":
    main()
