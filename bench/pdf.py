"""Bench: how long the A3 PDF takes to render, and to serve once archived.

    python bench/pdf.py [--runs 7]
    python bench/pdf.py --stress [--out DIR]

--stress: the issue-17 case instead: 100 entries of up to 20,000 characters (Swedish, emoji,
long unbroken words, a URL) in every step, rendered once; prints the time, the pages and what
tests/a3_stress.check_pdf finds (nothing missing, nothing over the footer, no page nearly
empty). With --out the PDF and its pages as PNG (pdftoppm) are written there to look at.

Builds its own data in a throwaway test database (SQLite in memory unless DATABASE_URL is
set), then prints medians for: a fully filled A3, the heavy one (40 claims of 500
characters), the empty form, and a finished meeting's stored PDF served through the
download view.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtal.test_settings")


def median_seconds(func, runs):
    """Median, min and max wall-clock seconds, and the median CPU seconds of this process
    (less disturbed when other work shares the machine)."""
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(timings), min(timings), max(timings), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stress", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    import tempfile

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        if args.stress:
            return stress(args.out)
        from samtal.a3.pdf import render_pdf
        from samtal.archive.models import ArchivedA3
        from samtal.meetings.models import Meeting
        from tests.a3_fill import fill_a3
        from tests.factories import add_participant, make_meeting, staffed_meeting

        full, facilitator, _ = staffed_meeting(theme="Hemtjänst", days_from_today=-7)
        fill_a3(full)
        heavy = make_meeting(theme="Tung A3", days_from_today=-6)
        for participation in full.participations.all():
            add_participant(
                heavy,
                participation.person.name,
                participation.role,
                email=participation.person.email,
            )
        fill_a3(heavy, claims=40, claim_chars=500, reason_chars=200)

        render_pdf(full)  # warm up: imports, fonts
        rows = []
        for label, func in [
            ("fully filled A3", lambda: render_pdf(full)),
            ("heavy A3 (40 claims x 500 chars)", lambda: render_pdf(heavy)),
            ("empty form", lambda: render_pdf(full, blank=True)),
        ]:
            rows.append((label, *median_seconds(func, args.runs)))

        Meeting.objects.filter(pk=full.pk).update(status=Meeting.Status.FINISHED)
        client = Client()
        client.force_login(facilitator)
        url = f"/samtal/{full.pk}/a3.pdf"
        first = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - first
        assert response.status_code == 200 and ArchivedA3.objects.filter(meeting=full).exists()
        rows.append(("finished: first download (renders, stores)", first, first, first, None))

        def serve():
            assert client.get(url).status_code == 200

        rows.append(("finished: stored PDF served by the view", *median_seconds(serve, args.runs)))

        print(f"WeasyPrint PDF bench, {args.runs} runs each, seconds")
        print(f"  {'':<45} {'median':>7}  {'min':>7}  {'max':>7}  {'cpu med':>7}")
        for label, med, low, high, cpu in rows:
            cpu_text = f"{cpu:7.3f}" if cpu is not None else "      –"
            print(f"  {label:<45} {med:7.3f}  {low:7.3f}  {high:7.3f}  {cpu_text}")
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        sizes = {
            "fully filled": len(render_pdf(full)),
            "heavy": len(render_pdf(heavy)),
        }
        print("  sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sizes.items()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def stress(out):
    import subprocess

    from samtal.a3.pdf import render_pdf
    from tests.a3_stress import check_pdf, fill_stress, footer_words, headings_of, pdf_words
    from tests.factories import staffed_meeting

    meeting, *_ = staffed_meeting(theme="Hemtjänst", days_from_today=-7)
    texts = fill_stress(meeting, entries=100)
    start, start_cpu = time.perf_counter(), time.process_time()
    data = render_pdf(meeting)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    pages = pdf_words(data)
    print(
        f"stress A3: {len(texts)} texts, {sum(map(len, texts)):,} characters, "
        f"{len(pages)} pages, {len(data) / 1024:.0f} KiB"
    )
    print(f"  render: {wall:.1f} s wall, {cpu:.1f} s CPU (load {os.getloadavg()[0]:.1f})")
    problems = check_pdf(data, texts, footer_words(meeting), headings=headings_of(meeting))
    print(
        "  check: "
        + (
            "all texts present, nothing over the footer, no page nearly empty"
            if not problems
            else "; ".join(problems)
        )
    )
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "stress.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(out / "stress.pdf"), str(out / "p")])
        print(f"  written: {out}/stress.pdf and {out}/p-*.png")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
