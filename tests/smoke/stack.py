"""Samtal started the way production runs it, on loopback ports of this machine.

- PostgreSQL: a throwaway cluster (scripts/pgcluster.py);
- two app servers: the ExecStart of deploy/systemd/samtal-web@.service (uvicorn, ASGI,
  production settings with DEBUG off), one per port;
- the worker: the ExecStart of deploy/systemd/samtal-worker.service;
- nginx with TLS in front, with deploy/nginx/'s locations and headers (scripts/nginx_conf.py);
- an SMTP sink (aiosmtpd) that keeps every message;
- S3-compatible object storage for media (moto's server), through django-storages.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import nginx_conf  # noqa: E402
from pgcluster import throwaway_cluster  # noqa: E402

SYSTEMD = ROOT / "deploy" / "systemd"
BUCKET = "samtal-media"
START_TIMEOUT = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unit_command(unit: str, env: dict[str, str], instance: str = "") -> list[str]:
    """The ExecStart of a systemd unit, as systemd would run it here: /srv/samtal is this
    checkout, %i the instance, ${VAR} from the unit's Environment= defaults and env."""
    text = (SYSTEMD / unit).read_text()
    defaults = dict(re.findall(r"^Environment=(\w+)=(.*)$", text, re.M))
    line = re.search(r"^ExecStart=(.*)$", text, re.M).group(1)
    line = line.replace("/srv/samtal", str(ROOT)).replace("%i", instance)
    values = {**defaults, **env}
    return [
        re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], part) for part in shlex.split(line)
    ]


class SmtpSink:
    """Every message delivered to 127.0.0.1:port, parsed."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.messages)


class Stack:
    def __init__(self, base: Path):
        self.base = base
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.nginx_port = free_port()
        self.app_ports = [free_port(), free_port()]
        self.url = f"https://127.0.0.1:{self.nginx_port}"
        self.sink = SmtpSink()
        self.env: dict[str, str] = {}
        self.s3 = None

    # --- processes ---------------------------------------------------------------------
    def start(self, name: str, command: list[str], env=None) -> None:
        log = self.base / f"{name}.log"
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.logs.get(name)
        if not path or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def diagnostics(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.log_tail(name)}" for name in self.logs)

    def wait_healthy(self, url: str, name: str) -> None:
        import ssl

        context = ssl._create_unverified_context()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            process = self.processes[name]
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.log_tail(name)}")
            try:
                request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})
                with urllib.request.urlopen(request, timeout=2, context=context) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {url}:\n{self.log_tail(name)}")

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    # --- object storage ----------------------------------------------------------------
    def start_s3(self) -> dict[str, str]:
        """moto's S3 server on a loopback port with an empty bucket; its settings."""
        from moto.server import ThreadedMotoServer

        port = free_port()
        self.s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.s3.start()
        settings = {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_S3_REGION_NAME": "eu-north-1",
            "AWS_ACCESS_KEY_ID": "smoke-test",
            "AWS_SECRET_ACCESS_KEY": secrets.token_hex(16),
        }
        self.s3_client().create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        return settings

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.s3._port}",
            region_name="eu-north-1",
            aws_access_key_id="smoke-test",
            aws_secret_access_key="x",
        )

    def wait_for_s3(self, wanted, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(wanted(key) for key in self.s3_objects()):
                return True
            time.sleep(0.3)
        return False

    def s3_objects(self) -> dict[str, int]:
        listing = self.s3_client().list_objects_v2(Bucket=BUCKET)
        return {item["Key"]: item["Size"] for item in listing.get("Contents", [])}


@contextlib.contextmanager
def production_stack():
    base = Path(tempfile.mkdtemp(prefix="samtal-smoke-"))
    base.chmod(0o755)
    stack = Stack(base)
    started = time.monotonic()
    try:
        with throwaway_cluster() as database_url:
            stack.sink.controller.start()
            dropped = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SECRET_KEY"}
            stack.env = {
                **{k: v for k, v in os.environ.items() if k not in dropped},
                "DJANGO_SETTINGS_MODULE": "samtal.settings",
                "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
                "DATABASE_URL": database_url,
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "CSRF_TRUSTED_ORIGINS": stack.url,
                "SITE_URL": stack.url,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(stack.sink.port),
                "DEFAULT_FROM_EMAIL": "Samtal Sundsvall <samtal@sundsvall.example>",
                "PROXY_COUNT": "1",
                "FORWARDED_ALLOW_IPS": "127.0.0.1",
                "WEB_CONCURRENCY": "1",
                "STATIC_ROOT": str(base / "static"),
                "MEDIA_ROOT": str(base / "media"),
                "LIVE_CACHE_DIR": str(base / "live-cache"),
                "LOG_LEVEL": "INFO",
            }
            stack.env.update(stack.start_s3())
            stack.manage("migrate", "--noinput", "-v", "0")
            stack.manage("collectstatic", "--noinput", "-v", "0")
            stack.manage("seed_demo")
            for port in stack.app_ports:
                stack.start(
                    f"web-{port}", unit_command("samtal-web@.service", stack.env, str(port))
                )
            stack.start("worker", unit_command("samtal-worker.service", stack.env))
            nginx_dir = nginx_conf.make_prefix()
            conf = nginx_conf.render_proxy(
                nginx_dir, f"127.0.0.1:{stack.nginx_port}", stack.app_ports
            )
            nginx_conf.test_config(conf)
            stack.logs["nginx-error"] = nginx_dir / "error.log"
            stack.start(
                "nginx",
                [nginx_conf.NGINX, "-p", str(nginx_dir), "-c", str(conf),
                 "-e", str(nginx_dir / "error.log"), "-g", "daemon off;"],
            )  # fmt: skip
            for port in stack.app_ports:
                stack.wait_healthy(f"http://127.0.0.1:{port}/healthz", f"web-{port}")
            stack.wait_healthy(f"{stack.url}/healthz", "nginx")
            stack.startup_seconds = time.monotonic() - started
            try:
                yield stack
            finally:
                stack.stop_all()
                stack.sink.controller.stop()
                if stack.s3:
                    stack.s3.stop()
                shutil.rmtree(nginx_dir, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def access_log_requests(stack: Stack, port: int) -> int:
    """How many requests uvicorn on port logged (its access log goes to its output)."""
    text = stack.logs[f"web-{port}"].read_text(errors="replace")
    return len(re.findall(r'"(GET|POST) ', text))
