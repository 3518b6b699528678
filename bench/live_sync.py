#!/usr/bin/env python3
"""Live sync under load: how fast does a change reach every device in the room?

    /work/main/.venv/bin/python bench/live_sync.py [--meetings 20] [--devices 30]
        [--seconds 45] [--interval 0.6] [--write-every 3] [--workers 4]

Starts its own throwaway PostgreSQL (scripts/pgcluster.py), migrates, creates MEETINGS
running meetings with DEVICES devices each (1 projector and 1 note-taker with staff
sessions, the rest participants following the A3 through their personal link), starts
gunicorn (sync workers) on a loopback port, and drives:

- every device: poll /samtal/<id>/live/version?since=N every INTERVAL seconds (204 when
  nothing moved); when it moved, fetch the page's live fragment, like live.js does;
- one writer per meeting: a new entry through the note-taker's POST every WRITE_EVERY
  seconds (jittered).

Propagation = from the moment the writer sent its POST to the moment a device has the
fragment of that version (or a later one) in hand. Prints p50/p95/max propagation,
requests per second, and the CPU used by gunicorn and PostgreSQL. Loopback only; stops
by itself after SECONDS.
"""

import argparse
import asyncio
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from pgcluster import throwaway_cluster  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def machine_ticks():
    """CPU ticks the whole machine spent busy (all processes, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields[:8]) - idle


def children_of(pid):
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                kids.append(int(stat.parent.name))
        except (FileNotFoundError, ValueError, IndexError):
            pass
    return kids


def postgres_pids(port):
    """The postmaster listening on `port` and its backends."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except (FileNotFoundError, PermissionError):
            continue
        if args and args[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(args):
            pid = int(cmdline.parent.name)
            return [pid, *children_of(pid)]
    return []


def make_data(meetings, devices):
    """Create the meetings in-process (Django ORM against the bench database)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from samtal.a3 import live
    from samtal.a3.live_views import poll_key
    from samtal.participants.links import make_token
    from samtal.participants.models import Participation
    from tests.factories import add_participant, make_meeting, make_user

    def session_for(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    plan = []
    for m in range(meetings):
        meeting = make_meeting(theme=f"Bänk {m}", days_from_today=0)
        leader = make_user(f"ledare{m}")
        writer = make_user(f"antecknare{m}")
        add_participant(meeting, f"Ledare {m}", Participation.Role.FACILITATOR, user=leader)
        add_participant(meeting, f"Antecknare {m}", Participation.Role.NOTE_TAKER, user=writer)
        readers = [add_participant(meeting, f"Deltagare {m}-{d}") for d in range(devices - 2)]
        live.start_live(meeting, leader)
        live.move_step(meeting, leader, "next")  # a round step with a speaker
        meeting.refresh_from_db()
        base = f"/samtal/{meeting.pk}/live/"
        plan.append(
            {
                "id": meeting.pk,
                "version": meeting.version,
                "poll": f"{base}version?k={poll_key(meeting)}",
                "projector": (base, session_for(leader)),
                "notes": (f"{base}anteckna/", session_for(writer)),
                "readers": [f"/l/{make_token(p)}/a3/" for p in readers],
                "write": f"{base}anteckning/ny/",
                "writer_session": session_for(writer),
            }
        )
    return plan


class Http:
    """A minimal HTTP/1.1 client over asyncio streams (gunicorn's sync workers close
    every connection, so one request per connection)."""

    def __init__(self, port):
        self.port = port
        self.requests = 0
        self.errors = 0
        self.status = {}
        self.latency = {}

    async def request(self, method, path, headers=None, body=b"", kind="other"):
        started = time.monotonic()
        try:
            return await self._request(method, path, headers, body)
        finally:
            self.latency.setdefault(kind, []).append(time.monotonic() - started)

    async def _request(self, method, path, headers=None, body=b""):
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}")
        if body:
            head.append(f"Content-Length: {len(body)}")
        payload = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(payload)
            data = await reader.read()
            writer.close()
        except OSError:
            self.errors += 1
            return 0, {}, b""
        self.requests += 1
        head_raw, _, content = data.partition(b"\r\n\r\n")
        lines = head_raw.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            self.errors += 1
            return 0, {}, b""
        self.status[status] = self.status.get(status, 0) + 1
        hdrs = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            hdrs[name.strip().lower()] = value.strip()
        return status, hdrs, content


async def device(http, meeting, path, session, interval, deadline, writes, samples):
    version = meeting["version"]
    cookies = {"Cookie": f"sessionid={session}"} if session else {}
    await asyncio.sleep(random.random() * interval)
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, hdrs, body = await http.request(
            "GET", meeting["poll"] + f"&since={version}", kind="poll"
        )
        if status == 200:
            status, hdrs, _ = await http.request(
                "GET", path, {"X-Live-Fragment": "1", **cookies}, kind="fragment"
            )
            got = int(hdrs.get("x-live-version", version))
            now = time.monotonic()
            for v in range(version + 1, got + 1):
                sent = writes.get((meeting["id"], v))
                if sent is not None:
                    samples.append(now - sent)
            version = max(version, got)
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))


async def writer(http, meeting, every, deadline, writes, stop_writes_at):
    csrf = secrets.token_hex(16)
    headers = {
        "Cookie": f"sessionid={meeting['writer_session']}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "X-Live-Fetch": "1",
        "Content-Type": "application/x-www-form-urlencoded",
    }

    def nap(seconds):
        return asyncio.sleep(max(0.0, min(seconds, stop_writes_at - time.monotonic())))

    await nap(random.random() * every)
    n = 0
    while time.monotonic() < stop_writes_at:
        n += 1
        body = f"other=1&text=Anteckning+{n}".encode()
        sent = time.monotonic()
        status, hdrs, _ = await http.request("POST", meeting["write"], headers, body, kind="write")
        if status == 204 and "x-live-version" in hdrs:
            writes[(meeting["id"], int(hdrs["x-live-version"]))] = sent
        await nap(every * random.uniform(0.7, 1.3))


async def drive(port, plan, args):
    http = Http(port)
    writes, samples = {}, []
    start = time.monotonic()
    deadline = start + args.seconds
    stop_writes_at = deadline - 3  # let the last writes propagate
    tasks = []
    for meeting in plan:
        paths = [meeting["projector"], meeting["notes"]] + [(p, None) for p in meeting["readers"]]
        for path, session in paths:
            tasks.append(
                device(http, meeting, path, session, args.interval, deadline, writes, samples)
            )
        tasks.append(writer(http, meeting, args.write_every, deadline, writes, stop_writes_at))
    await asyncio.gather(*tasks)
    return http, writes, samples, time.monotonic() - start


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[index]


def main():
    # A SIGTERM (e.g. from `timeout`) unwinds normally, so gunicorn and PostgreSQL are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=20)
    parser.add_argument("--devices", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--interval", type=float, default=0.6)
    parser.add_argument("--write-every", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with throwaway_cluster() as database_url, tempfile.TemporaryDirectory() as cache_dir:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "samtal.settings",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore",
            "LIVE_CACHE_DIR": cache_dir,
        }
        os.environ.update(env)
        pg_port = int(database_url.rsplit(":", 1)[1].split("/")[0])
        python = sys.executable
        print("migrating…", flush=True)
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        print(f"creating {args.meetings} meetings × {args.devices} devices…", flush=True)
        plan = make_data(args.meetings, args.devices)
        from django.db import connections

        connections.close_all()

        port = free_port()
        gunicorn = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "samtal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(1.0)
            server = [gunicorn.pid, *children_of(gunicorn.pid)]
            database = postgres_pids(pg_port)
            cpu_server, cpu_db = cpu_seconds(server), cpu_seconds(database)
            cpu_client = sum(os.times()[:2])
            machine = [machine_ticks()]
            load_before = os.getloadavg()[0]
            print(
                f"driving {len(plan) * args.devices} devices + {len(plan)} writers for "
                f"{args.seconds:.0f} s (poll every {args.interval * 1000:.0f} ms, "
                f"gunicorn {args.workers} sync workers)…",
                flush=True,
            )
            http, writes, samples, elapsed = asyncio.run(drive(port, plan, args))
            database = postgres_pids(pg_port)  # backends that connected during the run
            cpu_server = cpu_seconds([gunicorn.pid, *children_of(gunicorn.pid)]) - cpu_server
            cpu_db = cpu_seconds(database) - cpu_db
            cpu_client = sum(os.times()[:2]) - cpu_client
            machine_busy = machine_ticks()
        finally:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=20)

    expected = len(writes) * args.devices
    print()
    print(f"meetings {len(plan)}, devices {len(plan) * args.devices}, run {elapsed:.1f} s")
    print(f"writes {len(writes)}, device observations {len(samples)} of {expected} expected")
    print(
        f"propagation p50 {percentile(samples, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(samples, 0.95) * 1000:.0f} ms, "
        f"p99 {percentile(samples, 0.99) * 1000:.0f} ms, "
        f"max {max(samples, default=float('nan')) * 1000:.0f} ms"
        + (f", mean {statistics.mean(samples) * 1000:.0f} ms" if samples else "")
    )
    print(
        f"requests {http.requests} ({http.requests / elapsed:.0f}/s), errors {http.errors}, "
        f"statuses {dict(sorted(http.status.items()))}"
    )
    print(
        f"CPU over the run: gunicorn {cpu_server:.1f} s "
        f"({cpu_server / elapsed * 100:.0f} % of one core), "
        f"PostgreSQL {cpu_db:.1f} s ({cpu_db / elapsed * 100:.0f} %), "
        f"load generator {cpu_client:.1f} s ({cpu_client / elapsed * 100:.0f} %); "
        f"machine has {os.cpu_count()} cores"
    )
    for kind, values in sorted(http.latency.items()):
        print(
            f"  {kind}: {len(values)} requests, latency p50 "
            f"{percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"
        )
    busy = (machine_busy - machine[0]) / CLK_TCK
    print(
        f"whole machine over the run: {busy:.1f} CPU-seconds busy of "
        f"{elapsed * os.cpu_count():.1f} available; of that, others (not this bench) "
        f"{max(busy - cpu_server - cpu_db - cpu_client, 0):.1f} s; "
        "load average before %.2f, after %.2f" % (load_before, os.getloadavg()[0])
    )
    target = percentile(samples, 0.95) < 1.0 if samples else False
    print("p95 < 1 s:", "yes" if target else "NO")


if __name__ == "__main__":
    main()
