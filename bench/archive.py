"""Archive and search speed at municipal scale.

Starts its own throwaway PostgreSQL, migrates, bulk-creates finished meetings as filled as
the demo's Hemtjänst (people, 2A claims said by someone, 2B, step 3, wishes, actions with
owners, reports; Swedish words and names so the search is meaningful), builds the search
index, then measures the archive list, filters, deep pagination, text and person searches,
a person's page and the follow-up board through Django's test client: p50/p95 over N
requests each and the SQL query count.

    .venv/bin/python bench/archive.py [--meetings 50000] [--requests 50]
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNITS = [
    "Barn- och utbildningsnämnden",
    "Vård- och omsorgsnämnden",
    "Individ- och arbetsmarknadsnämnden",
    "Kultur- och fritidsnämnden",
    "Stadsbyggnadsnämnden",
    "Miljönämnden",
    "Överförmyndarnämnden",
    "Ånge Energi AB",
    "Äldreomsorgsförvaltningen",
    "Servicenämnden",
    "Socialnämnden",
    "Tekniska nämnden",
    "Räddningsnämnden",
    "Gymnasienämnden",
    "Byggnadsnämnden",
]
THEMES = [
    "Hemtjänst",
    "Grundskola",
    "Origoparken",
    "Förskola",
    "Äldreboende",
    "Ekonomiskt bistånd",
    "Gymnasieskola",
    "Kollektivtrafik",
    "Bibliotek",
    "Idrottsanläggningar",
    "Vatten och avlopp",
    "Bygglov",
    "Räddningstjänst",
    "Integration",
    "Näringslivsklimat",
    "Avfallshantering",
    "Ungdomsmottagning",
    "Missbruksvård",
    "Särskilt boende",
    "Åtgärder för trygghet",
]
# Words that belong to a theme: most of what is said in a meeting is about its theme.
THEME_WORDS = {
    "Hemtjänst": ["hemtjänsten", "brukarna", "kontinuiteten", "insatserna", "besöken"],
    "Grundskola": ["eleverna", "måluppfyllelsen", "läsförståelsen", "vårdnadshavarna"],
    "Origoparken": ["parken", "besökarna", "belysningen", "skötseln"],
    "Förskola": ["barngrupperna", "förskollärarna", "inskolningen", "vårdnadshavarna"],
    "Äldreboende": ["de boende", "måltiderna", "fallolyckorna", "anhöriga"],
    "Ekonomiskt bistånd": ["hushållen", "handläggningstiden", "självförsörjningen"],
    "Gymnasieskola": ["avhoppen", "examensgraden", "programmen", "praktikplatserna"],
    "Kollektivtrafik": ["resandet", "turtätheten", "punktligheten", "hållplatserna"],
    "Bibliotek": ["utlåningen", "läsfrämjandet", "öppettiderna", "besökarna"],
    "Idrottsanläggningar": ["föreningarna", "bokningarna", "ishallen", "simhallen"],
    "Vatten och avlopp": ["ledningsnätet", "vattenkvaliteten", "läckorna"],
    "Bygglov": ["handläggningstiden", "ansökningarna", "detaljplanerna"],
    "Räddningstjänst": ["insatstiden", "bränderna", "övningarna"],
    "Integration": ["språkundervisningen", "etableringen", "mentorerna"],
    "Näringslivsklimat": ["företagarna", "företagslotsen", "upphandlingarna"],
    "Avfallshantering": ["sorteringen", "matavfallet", "återvinningen"],
    "Ungdomsmottagning": ["ungdomarna", "samtalen", "tillgängligheten"],
    "Missbruksvård": ["behandlingen", "återfallen", "samverkan med regionen"],
    "Särskilt boende": ["de boende", "bemanningen", "måltiderna"],
    "Åtgärder för trygghet": ["tryggheten", "belysningen", "nattvandrarna"],
}
SUBJECTS = [
    "brukarna",
    "eleverna",
    "personalen",
    "hemtjänsten",
    "väntetiderna",
    "sjukfrånvaron",
    "kontinuiteten",
    "måluppfyllelsen",
    "nöjdheten",
    "samverkan",
    "kostnaderna",
    "bemanningen",
    "tryggheten",
    "tillgängligheten",
    "handläggningstiden",
    "medarbetarna",
    "vårdnadshavarna",
    "invånarna",
    "föreningarna",
    "budgeten",
    "kvaliteten",
    "resultaten",
    "insatserna",
]
VERBS = [
    "har förbättrats",
    "har minskat",
    "har ökat",
    "visar på nytta",
    "behöver analyseras",
    "fungerar bra",
    "har stärkts",
    "följs upp",
    "har utvecklats",
    "är stabila",
]
REASONS = [
    "brukarundersökningen visar det",
    "nyckeltalen pekar åt rätt håll",
    "vi har arbetat med det",
    "personalen har fått utbildning",
    "rutinerna har setts över",
    "vi mäter det varje kvartal",
    "samarbetet med regionen har blivit bättre",
    "fler har fått besök av samma personal",
]
# A theme word, two general words (in about a third of all meetings: the broad worst case),
# a two-word query, and a word that is nowhere.
WORDS_FOR_SEARCH = ["hemtjänsten", "väntetid", "resultaten", "trygghet brukarna", "cykelbanor"]


def sentence(rng, theme):
    """Two in three sentences use the theme's own words; the rest general ones."""
    words = THEME_WORDS[theme] if rng.random() < 2 / 3 else SUBJECTS
    subject = rng.choice(words)
    return f"{subject[0].upper()}{subject[1:]} {rng.choice(VERBS)} jämfört med förra året"


FIRST_NAMES = [
    "Helena",
    "Lars",
    "Karin",
    "Johan",
    "Maria",
    "Anders",
    "Eva",
    "Mikael",
    "Sara",
    "Erik",
    "Annika",
    "Per",
    "Jenny",
    "Olof",
    "Åsa",
    "Björn",
    "Ingrid",
    "Mats",
    "Sofia",
    "Göran",
    "Lena",
    "Stefan",
    "Ulla",
    "Peter",
    "Kristina",
    "Magnus",
    "Anna-Karin",
    "Tomas",
    "Linnéa",
    "Håkan",
]
SURNAMES = [
    "Strand",
    "Öberg",
    "Lindqvist",
    "Sjöberg",
    "Ek",
    "Holm",
    "Nordin",
    "Nyberg",
    "Håkansson",
    "Widén",
    "Forsberg",
    "Lundin",
    "Berg",
    "Dahl",
    "Åström",
    "Sundberg",
    "Lindgren",
    "Ström",
    "Hedlund",
    "Björk",
    "Ängström",
    "Wikström",
    "Nilsson",
    "Bergström",
    "Söderberg",
    "Ahlgren",
    "Engström",
    "Falk",
    "Grahn",
    "Östlund",
]
WISHES = [
    "Vi skulle vilja att {s} följs upp varje kvartal",
    "Vi skulle vilja se fler mötesplatser för {s}",
    "Vi skulle vilja samverka mer kring {s}",
]
REPORTS = [
    "Arbetet har påbörjats och {s} följs upp i ledningsgruppen",
    "Analysen av {s} är klar och redovisad för nämnden",
    "Vi väntar på underlag om {s} från ekonomienheten",
]


def build(n_meetings, entries_per_meeting, seed=1):
    """Meetings as filled as the demo's Hemtjänst: eight people, ten claims with reasons in
    2A (each said by someone), four in 2B, twelve notes in 3, five wishes (three agreed),
    five actions with two owners each, and reports on most of them; the search text is
    what index_meeting() builds (names, who said what, owners, reports)."""
    from django.contrib.auth.models import User

    from samtal.a3.models import Entry, Wish
    from samtal.actions.models import ActionItem, FollowUp
    from samtal.archive.models import SearchDocument
    from samtal.archive.search import document_text, refresh_vectors
    from samtal.conversation_templates.models import ConversationTemplate
    from samtal.meetings.models import Meeting, Unit
    from samtal.organisations.models import Membership, Organisation
    from samtal.participants.models import Participation, Person

    rng = random.Random(seed)
    version = ConversationTemplate.objects.get(
        name__startswith="Samtalsmall"
    ).latest_active_version()
    steps = {s.key: s for s in version.steps.all()}
    org = Organisation.objects.create(name="Benchkommun", resident_term="invånaren")
    units = Unit.objects.bulk_create([Unit(organisation=org, name=n) for n in UNITS])
    n_people = max(300, n_meetings // 15)
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                email=f"p{i}@bench.example",
            )
            for i in range(n_people)
        ],
        batch_size=5000,
    )
    today = datetime.date(2026, 11, 1)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                unit=rng.choice(units),
                theme=rng.choice(THEMES),
                date=today - datetime.timedelta(days=rng.randrange(0, 365 * 8)),
                start_time=datetime.time(9, 0),
                template_version=version,
                status=Meeting.Status.FINISHED,
                purpose="Skapa tydlighet kring resultat, utmaningar och förväntningar.",
            )
            for _ in range(n_meetings)
        ],
        batch_size=2000,
    )
    participations = []
    for meeting in meetings:
        chosen = rng.sample(people, 8)
        roles = ["samtalsledare", "antecknare", *["deltagare"] * 5, "observator"]
        for pos, (person, role) in enumerate(zip(chosen, roles, strict=True)):
            participations.append(
                Participation(meeting=meeting, person=person, role=role, position=pos)
            )
    participations = Participation.objects.bulk_create(participations, batch_size=5000)
    by_meeting_people = {}
    for p in participations:
        by_meeting_people.setdefault(p.meeting_id, []).append(p)
    names = {p.id: p.name for p in people}

    entries, wishes, texts = [], [], {}
    per_step = {"2A": 10, "2B": 4, "3": 12}
    scale = entries_per_meeting / 26
    for meeting in meetings:
        speakers = by_meeting_people[meeting.id][2:7]
        lines = texts.setdefault(
            meeting.id, [", ".join(names[p.person_id] for p in by_meeting_people[meeting.id])]
        )
        position = 0
        for key, count in per_step.items():
            for index in range(max(1, round(count * scale))):
                speaker = speakers[index % len(speakers)] if key == "2A" else None
                text = sentence(rng, meeting.theme)
                reason = rng.choice(REASONS) if key == "2A" else ""
                entries.append(
                    Entry(
                        meeting=meeting,
                        step=steps[key],
                        participation=speaker,
                        question_index=index % 3 if key == "3" else None,
                        text=text,
                        reason=reason,
                        position=position,
                    )
                )
                said = " – ".join(p for p in (text, reason) if p)
                lines.append(f"{names[speaker.person_id]}: {said}" if speaker else said)
                position += 1
        for index, speaker in enumerate(speakers):
            text = rng.choice(WISHES).format(s=rng.choice(SUBJECTS))
            wishes.append(
                Wish(
                    meeting=meeting,
                    step=steps["4A"],
                    participation=speaker,
                    text=text,
                    reason=rng.choice(REASONS),
                    agreed_rank=index + 1 if index < 3 else None,
                    position=index,
                )
            )
            lines.append(f"{names[speaker.person_id]}: {text}")
    Entry.objects.bulk_create(entries, batch_size=5000)
    Wish.objects.bulk_create(wishes, batch_size=5000)

    actions = []
    for meeting in meetings:
        for position in range(5):
            actions.append(
                ActionItem(
                    meeting=meeting,
                    step=steps["4B"],
                    what=f"Analysera {rng.choice(SUBJECTS)} och återrapportera",
                    due_date=meeting.date + datetime.timedelta(days=rng.randrange(30, 200)),
                    status=rng.choice(["ej_paborjad", "pagar", "klar", "struken"]),
                    position=position,
                )
            )
    actions = ActionItem.objects.bulk_create(actions, batch_size=5000)
    Owner = ActionItem.owners.through
    owners, reports = [], []
    for item in actions:
        chosen = rng.sample(by_meeting_people[item.meeting_id][2:], 2)
        owners.extend(Owner(actionitem_id=item.id, participation_id=p.id) for p in chosen)
        line = [item.what, ", ".join(names[p.person_id] for p in chosen)]
        texts[item.meeting_id].append(" – ".join(line))
        for n in range(rng.choice([0, 1, 1, 2])):
            text = rng.choice(REPORTS).format(s=rng.choice(SUBJECTS))
            reporter = chosen[n % 2]
            reports.append(
                FollowUp(
                    action_item=item,
                    text=text,
                    status="pagar",
                    reported_on=item.due_date - datetime.timedelta(days=10 - n),
                    reporter_id=reporter.person_id,
                )
            )
            texts[item.meeting_id].append(f"{names[reporter.person_id]} – {text}")
    Owner.objects.bulk_create(owners, batch_size=5000)
    FollowUp.objects.bulk_create(reports, batch_size=5000)

    # Search documents: the same text index_meeting() builds, made in bulk.
    unit_names = {u.id: u.name for u in units}
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                meeting=m,
                title=m.theme,
                body="\n".join([unit_names[m.unit_id], m.purpose, *texts[m.id]]),
            )
            for m in meetings
        ],
        batch_size=2000,
    )
    refresh_vectors()
    sample = meetings[0]
    assert document_text(sample).count("\n") + 1 == len(
        SearchDocument.objects.get(meeting=sample).body.split("\n")
    ), "the bench's search text has the shape of index_meeting()'s"

    user = User.objects.create_user("bench", password="bench-lösenord-123")
    Membership.objects.create(user=user, organisation=org, is_reviewer=True)
    return user, len(entries) + len(wishes), len(actions), len(reports), people


def backend_cpu_seconds(pid):
    """CPU time the PostgreSQL backend serving us has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client, url, n):
    """Wall-clock p50/p95/min per request, plus CPU per request (Django + PostgreSQL), which
    a busy shared machine disturbs far less than wall-clock time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    times = []
    cpu_start, pg_start = time.process_time(), backend_cpu_seconds(pid)
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / n
    pg_ms = (backend_cpu_seconds(pid) - pg_start) * 1000 / n
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    if os.environ.get("BENCH_SQL"):
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")
    return {
        "p50": statistics.median(times),
        "p95": p95,
        "min": times[0],
        "cpu": cpu_ms,
        "pg": pg_ms,
        "queries": len(ctx.captured_queries),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--entries-per-meeting", type=int, default=26)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    from scripts.pgcluster import throwaway_cluster

    with throwaway_cluster("samtal_bench") as url:
        os.environ["DATABASE_URL"] = url
        # Production-like: DEBUG off (cached templates, no query log), plain HTTP.
        os.environ.pop("DEBUG", None)
        os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
        os.environ["SECURE_SSL_REDIRECT"] = "false"
        # Production settings refuse to start without SMTP; the bench sends no email.
        os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtal.settings")
        os.environ["CONN_MAX_AGE"] = "600"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        settings.LOGGING_CONFIG = None
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        user, n_entries, n_actions, n_reports, people = build(
            args.meetings, args.entries_per_meeting
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"data: {args.meetings} finished meetings, {n_entries} entries, "
            f"{n_actions} action items, {n_reports} reports, {len(people)} people "
            f"(built in {time.perf_counter() - t0:.1f} s)"
        )
        client = Client()
        client.force_login(user)
        pages = [
            ("archive list, page 1", "/arkiv/"),
            ("archive list, page 200", "/arkiv/?sida=200"),
            ("archive, unit+year filter", "/arkiv/?enhet=2&ar=2024"),
            ("archive, sorted by unit (sv)", "/arkiv/?sortering=enhet"),
            *[(f"search '{w}'", f"/arkiv/?q={w}") for w in WORDS_FOR_SEARCH],
            ("search + filter", "/arkiv/?q=väntetiderna&enhet=3"),
            ("search person 'Helena Strand'", "/arkiv/?q=Helena+Strand"),
            ("search person 'Öberg'", "/arkiv/?q=Öberg"),
            (f"person page ({people[0].name})", f"/arkiv/person/{people[0].pk}/"),
            ("follow-up board", "/uppfoljning/"),
            ("follow-up board, unit+period", "/uppfoljning/?enhet=2&period=kvartal"),
            ("follow-up board, overdue", "/uppfoljning/?status=forsenade"),
        ]
        print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        header = (
            f"{'page':32} {'p50':>6} {'p95':>6} {'min':>6} {'CPU py':>7} {'CPU pg':>7} "
            f"{'queries':>7}"
        )
        print(f"{header}   (ms; {args.requests} requests each)")
        worst = worst_cpu = 0.0
        for name, page_url in pages:
            r = measure(client, page_url, args.requests)
            if name.startswith(("archive", "search", "person", "follow")):
                worst = max(worst, r["p95"])
                worst_cpu = max(worst_cpu, r["cpu"] + r["pg"])
            print(
                f"{name:32} {r['p50']:6.1f} {r['p95']:6.1f} {r['min']:6.1f} {r['cpu']:7.1f} "
                f"{r['pg']:7.1f} {r['queries']:7d}"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        verdict = "meets" if worst < 50 else "MISSES"
        print(f"worst p95 (archive, search, person, board): {worst:.1f} ms ({verdict} 50 ms)")
        print(f"worst archive/search CPU per request (Django + PostgreSQL): {worst_cpu:.1f} ms")
        connection.close()


if __name__ == "__main__":
    main()
