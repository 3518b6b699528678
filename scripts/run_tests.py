#!/usr/bin/env python3
"""Run the whole test suite on SQLite, then on PostgreSQL.

    .venv/bin/python scripts/run_tests.py [pytest args...]

Pass 1 (sqlite): DATABASE_URL unset, so the tests get Django's SQLite test database;
tests marked `postgres` are deselected (-m "not postgres").
Pass 2 (postgres): all tests, against a throwaway PostgreSQL cluster (scripts/pgcluster.py).

Extra arguments go to both pytest runs (a -m EXPR is combined with "not postgres" in the
SQLite pass). SAMTAL_TEST_DBS=sqlite or SAMTAL_TEST_DBS=postgres runs only that pass.
Exits non-zero if any pass failed; "no tests collected" (pytest exit 5) counts as failed.

On a machine with two or more cores the two passes run at the same time (each pytest is
single-threaded, so this roughly halves the wall time); every output line is prefixed with its
pass. SAMTAL_TEST_SERIAL=1 runs them one after the other with plain output.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pgcluster import ClusterError, throwaway_cluster  # noqa: E402

PASSES = ("sqlite", "postgres")
PYTEST_EXIT = {
    0: "passed",
    1: "FAILED (tests failed)",
    2: "FAILED (interrupted)",
    3: "FAILED (internal error)",
    4: "FAILED (usage error)",
    5: "FAILED (no tests collected)",
}


def python() -> str:
    venv_python = ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def split_markers(args: list[str]) -> tuple[list[str], list[str]]:
    """Pull every -m EXPR out of args: (other args, marker expressions)."""
    rest, markers = [], []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == "-m" and i + 1 < len(args):
            markers.append(args[i + 1])
            i += 2
            continue
        if arg.startswith("-m") and len(arg) > 2 and not arg.startswith("--"):
            markers.append(arg[2:].removeprefix("="))
        else:
            rest.append(arg)
        i += 1
    return rest, markers


def pytest_args(db: str, extra: list[str]) -> list[str]:
    rest, markers = split_markers(extra)
    if db == "sqlite":
        markers = [*markers, "not postgres"]
    if not markers:
        return rest
    expression = " and ".join(f"({m})" if len(markers) > 1 else m for m in markers)
    return ["-m", expression, *rest]


_children: list[subprocess.Popen] = []  # the running pytests, for on_sigterm


def run_pytest(db: str, extra: list[str], database_url: str | None, prefix: str = "") -> int:
    """Run one pytest; with a prefix its output is read line by line and prefixed."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    cmd = [python(), "-m", "pytest", *pytest_args(db, extra)]
    print(
        f"{prefix}$ {shlex.join(cmd)}"
        + (f"  (DATABASE_URL={database_url})" if database_url else ""),
        flush=True,
    )
    output = subprocess.PIPE if prefix else None
    child = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if prefix else None
    )
    _children.append(child)
    try:
        if prefix:
            for raw in child.stdout:
                sys.stdout.write(prefix + raw.decode(errors="replace"))
                sys.stdout.flush()
        return child.wait()
    except KeyboardInterrupt:
        # pytest got the same Ctrl-C from the terminal: let it finish its report.
        try:
            child.wait(timeout=30)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.kill()
            child.wait()
        raise
    finally:
        _children.remove(child)


def on_sigterm(signum, frame):
    """SIGTERM (e.g. a CI timeout) stops pytest and unwinds like Ctrl-C, removing the cluster."""
    for child in list(_children):
        if child.poll() is None:
            child.terminate()
    raise KeyboardInterrupt


def run_pass(db: str, extra: list[str], prefix: str = "") -> tuple[int, str]:
    if db == "sqlite":
        code = run_pytest(db, extra, None, prefix)
    else:
        try:
            with throwaway_cluster() as database_url:
                code = run_pytest(db, extra, database_url, prefix)
        except ClusterError as exc:
            print(f"run_tests: cannot start PostgreSQL: {exc}", file=sys.stderr)
            return 1, "FAILED (no PostgreSQL cluster)"
    if code < 0:
        return code, f"FAILED (killed by signal {-code})"
    return code, PYTEST_EXIT.get(code, f"FAILED (exit {code})")


def run_passes_together(passes: list[str], extra: list[str]) -> list[tuple[str, int, str, float]]:
    """Run every pass at once in threads; the main thread stays free for signals."""
    results: dict[str, tuple[str, int, str, float]] = {}
    width = max(len(db) for db in passes)

    def one(db: str) -> None:
        started = time.monotonic()
        try:
            code, verdict = run_pass(db, extra, prefix=f"[{db:<{width}}] ")
        except Exception as exc:  # noqa: BLE001 - reported in the summary, never lost
            code, verdict = 1, f"FAILED ({type(exc).__name__}: {exc})"
        results[db] = (db, code, verdict, time.monotonic() - started)

    threads = [threading.Thread(target=one, args=(db,), daemon=True) for db in passes]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    except KeyboardInterrupt:
        # Let each pass stop its pytest and remove its PostgreSQL cluster before we exit.
        for child in list(_children):
            if child.poll() is None:
                child.terminate()
        for thread in threads:
            thread.join(timeout=60)
        raise
    return [results[db] for db in passes]


def run_in_parallel(passes: list[str]) -> bool:
    if len(passes) < 2 or os.environ.get("SAMTAL_TEST_SERIAL", "").strip() not in ("", "0"):
        return False
    return (os.cpu_count() or 1) >= 2


def selected_passes() -> list[str]:
    value = os.environ.get("SAMTAL_TEST_DBS", "").strip().lower()
    if not value or value in ("all", "both"):
        return list(PASSES)
    chosen = [part.strip() for part in value.replace(",", " ").split()]
    unknown = [part for part in chosen if part not in PASSES]
    if unknown:
        raise SystemExit(
            f"run_tests: SAMTAL_TEST_DBS={value!r}: use 'sqlite', 'postgres' or leave it unset"
        )
    return [db for db in PASSES if db in chosen]


def header(text: str) -> None:
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, on_sigterm)
    passes = selected_passes()
    results: list[tuple[str, int, str, float]] = []
    interrupted = False
    if run_in_parallel(passes):
        header(f"Passes {' and '.join(passes)} at the same time (SAMTAL_TEST_SERIAL=1: in turn)")
        try:
            results = run_passes_together(passes, argv)
        except KeyboardInterrupt:
            interrupted = True
    else:
        for number, db in enumerate(passes, 1):
            what = (
                "SQLite (tests marked postgres deselected)"
                if db == "sqlite"
                else "PostgreSQL (throwaway cluster, all tests)"
            )
            header(f"Pass {number}/{len(passes)}: {what}")
            started = time.monotonic()
            try:
                code, verdict = run_pass(db, argv)
            except KeyboardInterrupt:
                code, verdict, interrupted = 130, "INTERRUPTED", True
            results.append((db, code, verdict, time.monotonic() - started))
            if interrupted:
                break

    header("Summary")
    for db, _code, verdict, seconds in results:
        print(f"  {db:<9} {verdict:<36} {seconds:7.1f} s")
    for db in passes[len(results) :]:
        print(f"  {db:<9} {'not run':<36}")
    failed = interrupted or any(code != 0 for _db, code, _verdict, _seconds in results)
    print(
        f"\n{'FAILED' if failed else 'OK'}: "
        f"{sum(code == 0 for _db, code, _v, _s in results)}/{len(passes)} passes succeeded",
        flush=True,
    )
    if interrupted:
        return 130
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
