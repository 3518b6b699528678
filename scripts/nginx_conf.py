#!/usr/bin/env python3
"""Render Samtal's nginx configuration (deploy/nginx/) into a private prefix and check it.

    scripts/nginx_conf.py check            nginx -t on the production site (samtal.conf)

The production files name /srv/samtal; here they point at this checkout. `check` renders the
site with a throwaway self-signed certificate; the smoke test (tests/smoke/) calls
`render_proxy()` for its own listen port and upstream ports around the same locations file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class NginxError(RuntimeError):
    pass


def _localise(text: str, prefix: Path) -> str:
    """Point the production paths at this checkout's copies inside prefix."""
    return text.replace("/srv/samtal/deploy/nginx/", f"{prefix}/")


def _copy_includes(prefix: Path) -> None:
    for name in ("samtal-locations.conf", "samtal-proxy-headers.conf"):
        (prefix / name).write_text(_localise((DEPLOY / name).read_text(), prefix))


def _main_conf(prefix: Path, site: str) -> str:
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
{temp}
{site}
}}
"""


def make_prefix() -> Path:
    prefix = Path(tempfile.mkdtemp(prefix="samtal-nginx-"))
    prefix.chmod(0o755)  # nginx's workers (nobody) read the includes and write temp files
    (prefix / "tmp").mkdir()
    (prefix / "tmp").chmod(0o777)
    return prefix


def self_signed_certificate(prefix: Path, name: str = "samtal.kommun.se") -> None:
    """cert.pem and key.pem in prefix, valid for a day."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={name}", "-keyout", str(prefix / "key.pem"),
         "-out", str(prefix / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


def render_site(prefix: Path) -> Path:
    """The production site (samtal.conf) with a self-signed certificate, for nginx -t."""
    _copy_includes(prefix)
    self_signed_certificate(prefix)
    site = _localise((DEPLOY / "samtal.conf").read_text(), prefix)
    site = site.replace("/etc/ssl/certs/samtal.kommun.se.pem", str(prefix / "cert.pem"))
    site = site.replace("/etc/ssl/private/samtal.kommun.se.key", str(prefix / "key.pem"))
    conf = prefix / "nginx.conf"
    conf.write_text(_main_conf(prefix, site))
    return conf


def render_proxy(prefix: Path, listen: str, upstreams: list[int]) -> Path:
    """nginx with TLS (a self-signed certificate) on `listen` (host:port) in front of app
    servers on 127.0.0.1:upstreams, with the production locations and headers."""
    _copy_includes(prefix)
    self_signed_certificate(prefix, "127.0.0.1")
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in upstreams
    )
    site = f"""    upstream samtal_app {{
{servers}
        keepalive 16;
    }}
    server {{
        listen {listen} ssl;
        server_name _;
        ssl_certificate {prefix}/cert.pem;
        ssl_certificate_key {prefix}/key.pem;
        include {prefix}/samtal-locations.conf;
    }}"""
    conf = prefix / "nginx.conf"
    conf.write_text(_main_conf(prefix, site))
    return conf


def test_config(conf: Path) -> str:
    prefix = conf.parent
    result = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise NginxError(result.stderr.strip())
    return result.stderr.strip()


def main(argv: list[str]) -> int:
    if argv != ["check"]:
        print(__doc__, file=sys.stderr)
        return 2
    prefix = make_prefix()
    try:
        print(test_config(render_site(prefix)))
    except NginxError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
