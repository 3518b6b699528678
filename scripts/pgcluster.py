#!/usr/bin/env python3
"""Throwaway PostgreSQL clusters for tests and benchmarks.

    from pgcluster import throwaway_cluster

    with throwaway_cluster() as database_url:
        ...  # postgres://postgres@127.0.0.1:PORT/samtal

or from the shell (the command's exit code is passed through):

    python scripts/pgcluster.py -- psql "$DATABASE_URL" -c "select version()"
    python scripts/pgcluster.py            # start one, print its URL, wait for Ctrl-C

Each cluster is brand new: initdb into a temporary directory using Debian's server
binaries (/usr/lib/postgresql/<highest version>/bin), started on a free loopback port
with durability switched off (fsync, synchronous_commit, full_page_writes), with the
database `samtal` created. On exit -- also after an exception, Ctrl-C or SIGTERM -- the
server is stopped (immediate mode) and the directory removed. initdb refuses to run as
root, so as root the server commands run as the `postgres` system user (runuser).

Standard library only, so any python3 can run it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")
DB_NAME = "samtal"
SUPERUSER = "postgres"
SYSTEM_USER = "postgres"
INSTALL_HINT = "install the Debian package postgresql: scripts/bootstrap.sh --system"
START_ATTEMPTS = 5

__all__ = ["ClusterError", "find_pg_bin", "throwaway_cluster"]


class ClusterError(RuntimeError):
    """The throwaway cluster could not be created or started."""


def find_pg_bin(root: Path | None = None) -> Path:
    """The bin directory of the highest PostgreSQL version installed under root."""
    root = PG_ROOT if root is None else root
    found = []
    for bin_dir in root.glob("*/bin"):
        version = tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))
        if version and all(
            os.access(bin_dir / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "createdb")
        ):
            found.append((version, bin_dir))
    if not found:
        raise ClusterError(
            f"PostgreSQL server binaries not found ({root}/*/bin/initdb): {INSTALL_HINT}"
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _clean_env() -> dict[str, str]:
    """The environment for the server tools: no PG* variables, a locale that exists."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C.UTF-8"
    return env


def _run(cmd: list[str], what: str, cwd: Path, timeout: float = 120) -> str:
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise ClusterError(f"{what} did not finish within {timeout:.0f} s") from exc
    except FileNotFoundError as exc:
        raise ClusterError(f"{what}: {exc}") from exc
    if proc.returncode != 0:
        raise ClusterError(f"{what} failed (exit {proc.returncode}):\n{proc.stdout.strip()}")
    return proc.stdout


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _user_prefix() -> list[str]:
    """How to run the server tools: directly, or as root via the postgres system user."""
    if os.geteuid() != 0:
        return []
    import pwd

    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise ClusterError(
            f"running as root, but there is no {SYSTEM_USER!r} system user to run the "
            f"server as (initdb refuses root): {INSTALL_HINT}"
        ) from None
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    if not os.access(runuser, os.X_OK):
        raise ClusterError("running as root, but runuser (util-linux) is not available")
    return [runuser, "-u", SYSTEM_USER, "--"]


def _make_base_dir(prefix: list[str]) -> Path:
    """A fresh temporary directory that the server's user owns and can reach."""
    candidates = [None] if not prefix else [None, "/tmp"]
    for parent in candidates:
        base = Path(tempfile.mkdtemp(prefix="samtal-pg-", dir=parent))
        if not prefix:
            return base
        import pwd

        user = pwd.getpwnam(SYSTEM_USER)
        os.chown(base, user.pw_uid, user.pw_gid)
        reachable = subprocess.run(
            [*prefix, "test", "-w", str(base)], cwd="/", stdin=subprocess.DEVNULL
        )
        if reachable.returncode == 0:
            return base
        shutil.rmtree(base, ignore_errors=True)
    raise ClusterError(
        f"the {SYSTEM_USER!r} user cannot reach a temporary directory under "
        f"{tempfile.gettempdir()} or /tmp; set TMPDIR to a world-traversable directory"
    )


def _postmaster_pid(data: Path) -> int | None:
    try:
        return int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _stop(pg_bin: Path, data: Path, base: Path, prefix: list[str]) -> None:
    if not (data / "postmaster.pid").exists():
        return
    try:
        _run(
            [*prefix, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
             "-t", "30", "stop"],
            "pg_ctl stop",
            cwd=base,
            timeout=60,
        )
        return
    except ClusterError as exc:
        error = exc
    # pg_ctl could not stop it: kill the postmaster; its children follow.
    pid = _postmaster_pid(data)
    if pid:
        for sig, wait in ((signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            except PermissionError:
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.05)
    print(f"pgcluster: warning: could not stop the server in {data}: {error}", file=sys.stderr)


@contextlib.contextmanager
def _deferred_signals() -> Iterator[None]:
    """Hold off SIGINT/SIGTERM while cleaning up; deliver them afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: received.append(signum))
                for sig in watched}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(received):
            signal.raise_signal(sig)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the cluster lives, SIGTERM unwinds (so cleanup runs) instead of killing."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def throwaway_cluster(db_name: str = DB_NAME) -> Iterator[str]:
    """Start a brand-new PostgreSQL cluster; yield its DATABASE_URL; destroy it on exit."""
    pg_bin = find_pg_bin()
    prefix = _user_prefix()
    base: Path | None = None
    data = Path()
    with _sigterm_raises():
        try:
            base = _make_base_dir(prefix)
            data, sockdir, log = base / "data", base / "sock", base / "server.log"
            _run(
                [*prefix, str(pg_bin / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A",
                 "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                "initdb",
                cwd=base,
            )
            _run([*prefix, "mkdir", "-m", "700", str(sockdir)], "mkdir", cwd=base)
            for attempt in range(1, START_ATTEMPTS + 1):
                port = _free_port()
                options = (
                    f"-p {port} -k {shlex.quote(str(sockdir))} -c listen_addresses=127.0.0.1"
                    " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                )
                try:
                    _run(
                        [*prefix, str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(log),
                         "-w", "-t", "60", "-o", options, "start"],
                        "pg_ctl start",
                        cwd=base,
                    )
                    break
                except ClusterError as exc:
                    server_log = _tail(log)
                    _stop(pg_bin, data, base, prefix)
                    port_taken = "already in use" in server_log
                    if not port_taken or attempt == START_ATTEMPTS:
                        raise ClusterError(f"{exc}\nserver log:\n{server_log}") from None
            _run(
                [str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER,
                 db_name],
                "createdb",
                cwd=base,
            )
            yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/{db_name}"
        finally:
            with _deferred_signals():
                if base is not None:
                    _stop(pg_bin, data, base, prefix)
                    shutil.rmtree(base, ignore_errors=True)
                    if base.exists():
                        print(f"pgcluster: warning: could not remove {base}", file=sys.stderr)


USAGE = """\
usage: pgcluster.py [-- CMD [ARGS...]]

Start a throwaway PostgreSQL cluster and run CMD with DATABASE_URL pointing at its
database `samtal`; exit with CMD's exit code. Without CMD, print the URL and keep the
cluster until Ctrl-C.
"""


def _run_child(cmd: list[str], database_url: str) -> int:
    env = {**os.environ, "DATABASE_URL": database_url}
    try:
        child = subprocess.Popen(cmd, env=env)
    except OSError as exc:
        print(f"pgcluster: cannot run {cmd[0]}: {exc}", file=sys.stderr)
        return 127

    def forward(signum, frame):
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    # Ctrl-C reaches the child straight from the terminal; the cluster stays up until
    # the child has exited. Termination signals sent to us are passed on to it.
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, forward if sig != signal.SIGINT else signal.SIG_IGN)
                for sig in handled}
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0
    if argv and argv[0] == "--":
        argv = argv[1:]
    try:
        with throwaway_cluster() as database_url:
            if argv:
                return _run_child(argv, database_url)
            print(database_url, flush=True)
            print("pgcluster: cluster running; Ctrl-C stops and removes it", file=sys.stderr)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
    except ClusterError as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pgcluster: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
