#!/usr/bin/env python3
"""Live sync under load: how fast does a change reach every device in the room?

    .venv/bin/python bench/live_sync.py [--meetings 20] [--devices 30] [--seconds 30]
        [--write-every 3] [--idle-seconds 20] [--held 3000] [--poll-interval 1]

Starts its own throwaway PostgreSQL (scripts/pgcluster.py), migrates, creates MEETINGS
running meetings with DEVICES devices each (1 projector, 1 note-taker, the rest participants
following the A3), and starts TWO uvicorn app servers (samtal.asgi, one process each) on that
one database. Then, in one run:

1. Push: every device holds the event stream (/live/strom) of its kind of view, alternately
   on server A and B; one writer per meeting adds an entry through the note-taker's real POST
   every WRITE_EVERY seconds (jittered), alternately on A and B. Propagation = from the moment
   the writer's POST is sent to the moment a device has the `live` event of that version (or
   a later one) in hand, i.e. the content the app rendered for its kind of viewer, which is
   checked to contain the written text. Changes cross between the servers (LISTEN/NOTIFY):
   both directions are counted and printed separately.
2. Idle: the same devices stay connected while nobody writes; the servers' CPU is measured.
3. Fallback: the same devices poll instead (/live/hamta with If-None-Match, through the
   normal Django stack; the server holds the answer until the version moves or 20 s pass,
   and a device asks again at most every POLL_INTERVAL), with the same writes; printed
   beside the push figures.
4. Held: HELD devices hold streams on server A alone; its memory and errors are printed, and
   a few writes are timed at that load.

Loopback only; everything is stopped at the end.
"""

import argparse
import asyncio
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
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


def proc_stat(pid):
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            fields = proc_stat(pid)
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def machine_ticks():
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]) - fields[3] - fields[4]


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def threads_of(pid):
    return int(proc_stat(pid)[17])


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
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except (FileNotFoundError, PermissionError):
            continue
        if args and args[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(args):
            pid = int(cmdline.parent.name)
            return [pid, *children_of(pid)]
    return []


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def ms(value):
    return f"{value * 1000:.0f} ms" if value == value else "–"


# --- Data ---------------------------------------------------------------------------------


def make_data(meetings, devices):
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from samtal.a3 import live
    from samtal.a3.live_feed import live_key
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
        for d in range(devices - 2):
            add_participant(meeting, f"Deltagare {m}-{d}")
        live.start_live(meeting, leader)
        live.move_step(meeting, leader, "next")  # a round step with a speaker
        meeting.refresh_from_db()
        base = f"/samtal/{meeting.pk}/live/"
        kinds = ["projector", "notes"] + ["overview"] * (devices - 2)
        # The projector and the note-taker's laptop are logged in; the participants follow
        # through their personal links.
        people = [{"u": leader.pk}, {"u": writer.pk}] + [
            {"p": p.pk, "g": p.link_generation}
            for p in meeting.participations.filter(role=Participation.Role.PARTICIPANT)
        ]
        plan.append(
            {
                "id": meeting.pk,
                "version": meeting.version,
                "devices": [
                    (
                        f"{base}strom?k={live_key(meeting, kind, who)}",
                        f"{base}hamta?k={live_key(meeting, kind, who)}",
                    )
                    for kind, who in zip(kinds, people, strict=True)
                ],
                "write": f"{base}anteckning/ny/",
                "writer_session": session_for(writer),
            }
        )
    return plan


# --- Clients ------------------------------------------------------------------------------


class Counters:
    def __init__(self):
        self.errors = 0
        self.status = {}
        self.connected = 0
        self.held = 0  # streams whose first event (hello) has come


async def read_head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return status, headers


class Run:
    """One phase's bookkeeping: when each version was written, what each device saw."""

    def __init__(self):
        self.writes = {}  # (meeting id, version) -> (sent at, answered at, text, server)
        self.samples = []  # (seconds from POST sent, seconds from POST answered, crossed?)
        self.missing_text = 0
        self.post_times = []
        self.active = True

    def observe(self, meeting_id, old, new, html, server):
        now = time.monotonic()
        for v in range(old + 1, new + 1):
            written = self.writes.get((meeting_id, v))
            if written is None:
                continue
            sent, answered, text, writer_server = written
            if text not in html:
                self.missing_text += 1
            self.samples.append((now - sent, now - answered, writer_server != server))


async def stream_device(port, server, path, meeting, run_ref, counters, stop):
    """Hold one event stream; decode chunked SSE; record when each version arrives."""
    version = meeting["version"]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**22)
        writer.write(
            f"GET {path}&v={version} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        status, headers = await read_head(reader)
        counters.status[status] = counters.status.get(status, 0) + 1
        if status != 200:
            counters.errors += 1
            writer.close()
            return
        counters.connected += 1
        hello = False
        buffer = b""
        while not stop.is_set():
            size_line = await reader.readline()
            if not size_line:
                break
            size = int(size_line.strip() or b"0", 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            buffer += chunk[:-2]
            while b"\n\n" in buffer:
                raw, buffer = buffer.split(b"\n\n", 1)
                name, event_id, data = "", None, []
                for line in raw.decode().split("\n"):
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("id: "):
                        event_id = int(line[4:])
                    elif line.startswith("data: "):
                        data.append(line[6:])
                if name == "hello" and not hello:
                    hello = True
                    counters.held += 1
                if name == "live" and event_id is not None and event_id > version:
                    run = run_ref[0]
                    if run is not None and run.active:
                        run.observe(meeting["id"], version, event_id, "\n".join(data), server)
                    version = event_id
        writer.close()
    except (OSError, asyncio.IncompleteReadError, ValueError):
        counters.errors += 1
    finally:
        pass


async def poll_device(port, server, path, meeting, run, counters, interval, deadline):
    version = meeting["version"]
    reader = writer = None
    await asyncio.sleep(random.random() * interval)
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**22)
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f'If-None-Match: "{version}"\r\n\r\n'.encode()
            )
            status, headers = await read_head(reader)
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            counters.status[status] = counters.status.get(status, 0) + 1
            if status == 200:
                got = int(headers["etag"].strip('"'))
                if got > version:
                    run.observe(meeting["id"], version, got, body.decode(), server)
                    version = got
            elif status != 304:
                counters.errors += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            counters.errors += 1
            writer = None
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))
    if writer is not None:
        writer.close()


async def post_entry(port, meeting, text):
    csrf = secrets.token_hex(16)
    # No step: the entry goes to the current step, which every kind of viewer shows.
    body = f"text={text.replace(' ', '+')}&client_key={secrets.token_hex(12)}".encode()
    head = (
        f"POST {meeting['write']} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: sessionid={meeting['writer_session']}; csrftoken={csrf}\r\n"
        f"X-CSRFToken: {csrf}\r\nX-Live-Fetch: 1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head.encode() + body)
    status, headers = await read_head(reader)
    writer.close()
    return status, int(headers.get("x-live-version", "0"))


async def writers(plan, ports, run, every, seconds, failures):
    """One writer per meeting, alternately on server A and B."""

    async def one(index, meeting):
        server = index % 2
        stop_at = time.monotonic() + seconds
        await asyncio.sleep(random.random() * every)
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            text = f"Bänkrad {meeting['id']}-{n}-{secrets.token_hex(3)}"
            sent = time.monotonic()
            try:
                status, version = await post_entry(ports[server], meeting, text)
            except OSError:
                status, version = 0, 0
            if status == 204 and version:
                run.writes[(meeting["id"], version)] = (sent, time.monotonic(), text, server)
                run.post_times.append(time.monotonic() - sent)
            else:
                failures.append(status)
            await asyncio.sleep(every * random.uniform(0.7, 1.3))

    await asyncio.gather(*(one(i, m) for i, m in enumerate(plan)))


def summary(run):
    values = [s for s, _, _ in run.samples]
    after_answer = [a for _, a, _ in run.samples]
    crossed = [s for s, _, c in run.samples if c]
    same = [s for s, _, c in run.samples if not c]
    return {
        "post_p50": percentile(run.post_times, 0.5),
        "post_p95": percentile(run.post_times, 0.95),
        "answered_p95": percentile(after_answer, 0.95),
        "n": len(values),
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "max": max(values, default=float("nan")),
        "cross_n": len(crossed),
        "cross_p95": percentile(crossed, 0.95),
        "same_p95": percentile(same, 0.95),
    }


# --- The run ------------------------------------------------------------------------------


def start_server(env, port):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "samtal.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--backlog",
            "4096",
            "--timeout-graceful-shutdown",
            "1",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no server on {port}")


async def bench(plan, ports, pids, args):
    counters = Counters()
    devices = [
        (m, stream, poll, i % 2) for m in plan for i, (stream, poll) in enumerate(m["devices"])
    ]
    report = {}

    # 1. Push.
    run_ref = [None]
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(
            stream_device(ports[server], server, stream, m, run_ref, counters, stop)
        )
        for m, stream, _poll, server in devices
    ]
    for _ in range(600):
        if counters.held + counters.errors >= len(devices):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    push = Run()
    run_ref[0] = push
    failures = []
    cpu0 = cpu_seconds(pids["servers"]), cpu_seconds(pids["db"]()), time.monotonic()
    busy0 = machine_ticks()
    client0 = time.process_time()
    await writers(plan, ports, push, args.write_every, args.seconds, failures)
    await asyncio.sleep(1.5)
    push.active = False
    cpu1 = cpu_seconds(pids["servers"]), cpu_seconds(pids["db"]()), time.monotonic()
    busy = (machine_ticks() - busy0) / CLK_TCK / (cpu1[2] - cpu0[2])
    client = (time.process_time() - client0) / (cpu1[2] - cpu0[2])
    report["machine"] = (
        f"{busy:.2f} of {os.cpu_count()} cores busy during the push phase (all processes, "
        f"including other jobs on this shared machine); the bench's own devices {client:.2f}"
    )
    report["push"] = summary(push)
    report["push_cpu"] = (
        (cpu1[0] - cpu0[0]) / (cpu1[2] - cpu0[2]),
        (cpu1[1] - cpu0[1]) / (cpu1[2] - cpu0[2]),
    )
    report["push_expected"] = len(push.writes) * args.devices
    report["push_missing_text"] = push.missing_text
    report["write_failures"] = len(failures)
    report["stream_errors"] = counters.errors
    report["streams"] = counters.connected

    # 2. Idle.
    await asyncio.sleep(2)
    idle0 = cpu_seconds(pids["servers"]), time.monotonic()
    await asyncio.sleep(args.idle_seconds)
    idle1 = cpu_seconds(pids["servers"]), time.monotonic()
    report["idle_cpu"] = (idle1[0] - idle0[0]) / (idle1[1] - idle0[1])
    report["rss_600"] = [rss_mb(p) for p in pids["servers"]]
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(2)

    # 3. The fallback poll, same devices, same writes.
    poll_counters = Counters()
    poll_run = Run()
    deadline = time.monotonic() + args.seconds + 2
    cpu0 = cpu_seconds(pids["servers"]), cpu_seconds(pids["db"]()), time.monotonic()
    poll_tasks = [
        asyncio.create_task(
            poll_device(
                ports[server],
                server,
                poll,
                m,
                poll_run,
                poll_counters,
                args.poll_interval,
                deadline,
            )
        )
        for m, _stream, poll, server in devices
    ]
    await asyncio.sleep(1)
    await writers(plan, ports, poll_run, args.write_every, args.seconds, failures)
    await asyncio.sleep(1.5)
    for task in poll_tasks:  # a poll waiting for the next change is not needed any more
        task.cancel()
    await asyncio.gather(*poll_tasks, return_exceptions=True)
    cpu1 = cpu_seconds(pids["servers"]), cpu_seconds(pids["db"]()), time.monotonic()
    report["poll"] = summary(poll_run)
    report["poll_cpu"] = (
        (cpu1[0] - cpu0[0]) / (cpu1[2] - cpu0[2]),
        (cpu1[1] - cpu0[1]) / (cpu1[2] - cpu0[2]),
    )
    report["poll_expected"] = len(poll_run.writes) * args.devices
    report["poll_errors"] = poll_counters.errors
    report["poll_status"] = poll_counters.status
    await asyncio.sleep(2)

    # 4. HELD streams on server A alone.
    held_counters = Counters()
    held_ref = [None]
    held_stop = asyncio.Event()
    rss_before = rss_mb(pids["servers"][0])
    connect_started = time.monotonic()
    held_tasks = []
    for i in range(args.held):
        m = plan[i % len(plan)]
        stream = m["devices"][i % len(m["devices"])][0]
        held_tasks.append(
            asyncio.create_task(
                stream_device(ports[0], 0, stream, m, held_ref, held_counters, held_stop)
            )
        )
        if i % 200 == 199:
            await asyncio.sleep(0.2)
    # Every stream holds (its hello came) before the writes start: a whole building
    # connecting in the same second is not what is measured here.
    for _ in range(1800):
        if held_counters.held + held_counters.errors >= args.held:
            break
        await asyncio.sleep(0.1)
    report["held_connect_seconds"] = time.monotonic() - connect_started
    await asyncio.sleep(2)
    held = Run()
    held_ref[0] = held
    await writers(plan, [ports[0], ports[0]], held, args.write_every, 9, failures)
    await asyncio.sleep(1.5)
    held.active = False
    idle0 = cpu_seconds(pids["servers"][:1]), time.monotonic()
    await asyncio.sleep(10)
    idle1 = cpu_seconds(pids["servers"][:1]), time.monotonic()
    report["held"] = summary(held)
    report["held_connected"] = held_counters.held
    report["held_errors"] = held_counters.errors
    report["held_rss"] = (rss_before, rss_mb(pids["servers"][0]))
    report["held_threads"] = threads_of(pids["servers"][0])
    report["held_idle_cpu"] = (idle1[0] - idle0[0]) / (idle1[1] - idle0[1])
    held_stop.set()
    for task in held_tasks:
        task.cancel()
    await asyncio.gather(*held_tasks, return_exceptions=True)
    return report


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=20)
    parser.add_argument("--devices", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--write-every", type=float, default=3.0)
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--held", type=int, default=3000)
    parser.add_argument("--poll-interval", type=float, default=1.0)
    args = parser.parse_args()

    with throwaway_cluster() as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "samtal.settings",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore",
            # Production settings refuse to start without SMTP; the bench sends no email.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        os.environ.update(env)
        pg_port = int(database_url.rsplit(":", 1)[1].split("/")[0])
        print("migrating…", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        print(f"creating {args.meetings} meetings × {args.devices} devices…", flush=True)
        plan = make_data(args.meetings, args.devices)
        from django.db import connections

        connections.close_all()
        ports = [free_port(), free_port()]
        servers = [start_server(env, port) for port in ports]
        try:
            for port in ports:
                wait_for(port)
            time.sleep(1)
            pids = {
                "servers": [s.pid for s in servers],
                "db": lambda: postgres_pids(pg_port),
            }
            print(
                f"two uvicorn servers (one process each) on one PostgreSQL; "
                f"{args.meetings * args.devices} devices, a write per meeting every "
                f"{args.write_every:.0f} s for {args.seconds:.0f} s per phase…",
                flush=True,
            )
            load_before = os.getloadavg()[0]
            report = asyncio.run(bench(plan, ports, pids, args))
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
            for server in servers:
                server.wait(timeout=20)

    push, poll, held = report["push"], report["poll"], report["held"]
    print()
    print(f"{'':34}{'push (SSE)':>18}{'fallback poll':>18}")
    rows = [
        (
            "device observations",
            f"{push['n']}/{report['push_expected']}",
            f"{poll['n']}/{report['poll_expected']}",
        ),
        ("propagation p50", ms(push["p50"]), ms(poll["p50"])),
        ("propagation p95", ms(push["p95"]), ms(poll["p95"])),
        ("propagation max", ms(push["max"]), ms(poll["max"])),
        (
            "  crossing servers: n / p95",
            f"{push['cross_n']} / {ms(push['cross_p95'])}",
            f"{poll['cross_n']} / {ms(poll['cross_p95'])}",
        ),
        ("  same server: p95", ms(push["same_p95"]), ms(poll["same_p95"])),
        ("  p95 after the POST's answer", ms(push["answered_p95"]), ms(poll["answered_p95"])),
        (
            "the POST itself: p50 / p95",
            f"{ms(push['post_p50'])} / {ms(push['post_p95'])}",
            f"{ms(poll['post_p50'])} / {ms(poll['post_p95'])}",
        ),
        (
            "app servers CPU (% of one core)",
            f"{report['push_cpu'][0] * 100:.0f} %",
            f"{report['poll_cpu'][0] * 100:.0f} %",
        ),
        (
            "PostgreSQL CPU (% of one core)",
            f"{report['push_cpu'][1] * 100:.0f} %",
            f"{report['poll_cpu'][1] * 100:.0f} %",
        ),
        ("errors", f"{report['stream_errors']}", f"{report['poll_errors']}"),
    ]
    for label, a, b in rows:
        print(f"{label:34}{a:>18}{b:>18}")
    print(f"content without the written text: push {report['push_missing_text']}")
    print(
        f"poll statuses: {dict(sorted(report['poll_status'].items()))}; "
        f"write failures {report['write_failures']}"
    )
    print(
        f"idle: {report['streams']} connected devices, nobody writing: app servers "
        f"{report['idle_cpu'] * 100:.1f} % of one core; RSS A {report['rss_600'][0]:.0f} MB, "
        f"B {report['rss_600'][1]:.0f} MB"
    )
    print(
        f"held: {report['held_connected']} of {args.held} streams on server A "
        f"(all connected in {report['held_connect_seconds']:.0f} s), "
        f"{report['held_errors']} errors; RSS {report['held_rss'][0]:.0f} → "
        f"{report['held_rss'][1]:.0f} MB ({report['held_threads']} threads); idle CPU "
        f"{report['held_idle_cpu'] * 100:.1f} % of one core; writes at that load: "
        f"{held['n']} observations, p95 {ms(held['p95'])}, max {ms(held['max'])}"
    )
    print(f"machine: {report['machine']}")
    print(
        f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}; "
        f"{os.cpu_count()} cores"
    )
    ok = push["p95"] <= 0.1 and push["max"] <= 1.0 and report["idle_cpu"] <= 0.05
    print("targets (p95 ≤ 100 ms, max ≤ 1 s, idle ≤ 5 % of a core):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
