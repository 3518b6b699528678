"""Archive and search speed at municipal scale.

Starts its own throwaway PostgreSQL, migrates, bulk-creates finished meetings as filled as
the demo's Hemtjänst (people, 2A claims said by someone, 2B, step 3, wishes, actions with
owners, reports; Swedish words and names so the search is meaningful), builds the search
index, then measures the archive list, filters, deep pagination, text and person searches,
a person's page and the follow-up board through Django's test client: p50/p95 over N
requests each and the SQL query count.

    .venv/bin/python bench/archive.py [--sizes 10000,50000] [--requests 50]

It measures at each size (growing the same database) and fails if any page's query count
differs between the sizes. To measure again and again without rebuilding, give it a database
of your own and keep it (migrations still run, so a new index is picked up):

    .venv/bin/python bench/archive.py --database-url postgresql://…/bench --sizes 50000
    .venv/bin/python bench/archive.py --database-url postgresql://…/bench --sizes 50000 --reuse

With --reuse, a database that already holds the bench's meetings is grown to each size it
does not reach yet; sizes below what it holds are skipped.
"""

import argparse
import contextlib
import datetime
import json
import os
import random
import re
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
# A theme word (care meetings), two general words ("resultaten" is in most meetings: the
# broad worst case), a two-word query, and a word that is nowhere.
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


def demo_corpus():
    """(text, reason) pairs written in the demo's Hemtjänst A3 (fixtures/demo.json): real
    municipal Swedish, of the length people actually write."""
    data = json.loads((ROOT / "fixtures" / "demo.json").read_text(encoding="utf-8"))
    pairs = []

    def walk(node):
        if isinstance(node, dict):
            text = node.get("text")
            if isinstance(text, str) and len(text) > 20:
                pairs.append((text, node.get("reason") or ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data["meetings"])
    return sorted(set(pairs))


CARE_THEMES = {"Hemtjänst", "Äldreboende", "Särskilt boende"}
HEMTJANST = re.compile(r"\b[Hh]emtjänst(?=\w*)")


class Writer:
    """Text for one bench meeting: half the passages from the demo's Hemtjänst A3 (numbers
    changed, "hemtjänst" made the meeting's own theme outside care), half built from
    theme words, so an A3 is as long and as varied as the demo's and a theme word is
    found mostly in its own theme's meetings."""

    def __init__(self, rng):
        self.rng = rng
        self.corpus = demo_corpus()

    def pair(self, theme, with_reason=True):
        rng = self.rng
        if rng.random() < 0.5:
            text, reason = rng.choice(self.corpus)
            text = re.sub(r"\d+", lambda m: str(rng.randrange(2, 99)), text)
            if theme not in CARE_THEMES:
                word = THEME_WORDS[theme][0]
                text = HEMTJANST.sub(word, text)
                reason = HEMTJANST.sub(word, reason)
        else:
            text = f"{sentence(rng, theme)}, från {rng.randrange(5, 95)} till "
            text += f"{rng.randrange(5, 95)} procent. {sentence(rng, theme)}."
            reason = f"{rng.choice(REASONS)}, och {rng.choice(REASONS)}"
        return text, (reason if with_reason else "")


def build(loader, n_meetings, version, steps, org_units, people, rng, chunk=5000):
    """Finished meetings as filled as the demo's Hemtjänst (about 7 KB of text): eight
    people, ten 2A claims with reasons (each said by someone), four in 2B, twelve notes in
    3, five wishes (three agreed), five actions with two owners each, reports on most of
    them; and each meeting's search document in the shape index_meeting() builds. Written
    with COPY in chunks, so 50,000 meetings take minutes."""
    from samtal.a3.models import Entry, Wish
    from samtal.actions.models import ActionItem, FollowUp
    from samtal.archive.models import SearchDocument
    from samtal.meetings.models import Meeting
    from samtal.participants.models import Participation

    Owner = ActionItem.owners.through
    writer = Writer(rng)
    names = {p.id: p.name for p in people}
    person_ids = list(names)
    today = datetime.date(2026, 11, 1)
    roles = ["samtalsledare", "antecknare", *["deltagare"] * 5, "observator"]
    purpose = "Skapa tydlighet kring resultat, utmaningar och förväntningar."
    counts = {"entries": 0, "actions": 0, "reports": 0}
    for done in range(0, n_meetings, chunk):
        n = min(chunk, n_meetings - done)
        meeting_ids = loader.ids(Meeting, n)
        meetings, participations, entries, wishes = [], [], [], []
        actions, owners, reports, documents = [], [], [], []
        participation_ids = iter(loader.ids(Participation, n * 8))
        entry_ids = iter(loader.ids(Entry, n * 26))
        wish_ids = iter(loader.ids(Wish, n * 5))
        action_ids = iter(loader.ids(ActionItem, n * 5))
        owner_ids = iter(loader.ids(Owner, n * 10))
        document_ids = iter(loader.ids(SearchDocument, n))
        for meeting_id in meeting_ids:
            unit = rng.choice(org_units)
            theme = rng.choice(THEMES)
            date = today - datetime.timedelta(days=rng.randrange(0, 365 * 8))
            meetings.append(
                (
                    meeting_id,
                    unit.id,
                    theme,
                    date,
                    datetime.time(9, 0),
                    version.id,
                    "avslutad",
                    purpose,
                )
            )
            chosen = rng.sample(person_ids, 8)
            people_here = []
            for pos, (person_id, role) in enumerate(zip(chosen, roles, strict=True)):
                pid = next(participation_ids)
                participations.append((pid, meeting_id, person_id, role, pos))
                people_here.append((pid, person_id))
            lines = [unit.name, purpose, ", ".join(names[p] for _, p in people_here)]
            speakers = people_here[2:7]
            position = 0
            for key, count in (("2A", 10), ("2B", 4), ("3", 12)):
                for index in range(count):
                    speaker = speakers[index % 5] if key == "2A" else None
                    text, reason = writer.pair(theme, with_reason=key == "2A")
                    entries.append(
                        (
                            next(entry_ids),
                            meeting_id,
                            steps[key].id,
                            speaker[0] if speaker else None,
                            index % 3 if key == "3" else None,
                            text,
                            reason,
                            position,
                        )
                    )
                    said = " – ".join(p for p in (text, reason) if p)
                    lines.append(f"{names[speaker[1]]}: {said}" if speaker else said)
                    position += 1
            for index, speaker in enumerate(speakers):
                text = rng.choice(WISHES).format(s=rng.choice(SUBJECTS))
                reason = writer.pair(theme)[1]
                wishes.append(
                    (
                        next(wish_ids),
                        meeting_id,
                        steps["4A"].id,
                        speaker[0],
                        text,
                        reason,
                        index + 1 if index < 3 else None,
                        index,
                    )
                )
                said = " – ".join(p for p in (text, reason) if p)
                lines.append(f"{names[speaker[1]]}: {said}")
            for position in range(5):
                action_id = next(action_ids)
                what = f"Analysera {rng.choice(SUBJECTS)} och återrapportera till nämnden"
                due = date + datetime.timedelta(days=rng.randrange(30, 200))
                actions.append(
                    (
                        action_id,
                        meeting_id,
                        steps["4B"].id,
                        what,
                        due,
                        rng.choice(["ej_paborjad", "pagar", "klar", "struken"]),
                        position,
                    )
                )
                chosen_owners = sorted(rng.sample(people_here[2:], 2))
                for pid, _person in chosen_owners:
                    owners.append((next(owner_ids), action_id, pid))
                lines.append(" – ".join([what, ", ".join(names[p] for _, p in chosen_owners)]))
                said = []
                for k in range(rng.choice([0, 1, 1, 2])):
                    text = rng.choice(REPORTS).format(s=rng.choice(SUBJECTS))
                    reporter = chosen_owners[k % 2][1]
                    reports.append(
                        (action_id, text, "pagar", due - datetime.timedelta(days=10 - k), reporter)
                    )
                    said.append(f"{names[reporter]} – {text}")
                lines.extend(reversed(said))  # the latest report first, as FollowUp orders
            documents.append((next(document_ids), meeting_id, theme, "\n".join(lines)))
        report_ids = loader.ids(FollowUp, len(reports))
        loader.copy(
            Meeting,
            ["unit", "theme", "date", "start_time", "template_version", "status", "purpose"],
            meetings,
        )
        loader.copy(Participation, ["meeting", "person", "role", "position"], participations)
        loader.copy(
            Entry,
            ["meeting", "step", "participation", "question_index", "text", "reason", "position"],
            entries,
        )
        loader.copy(
            Wish,
            ["meeting", "step", "participation", "text", "reason", "agreed_rank", "position"],
            wishes,
        )
        loader.copy(
            ActionItem, ["meeting", "step", "what", "due_date", "status", "position"], actions
        )
        loader.copy(Owner, ["actionitem", "participation"], owners)
        loader.copy(
            FollowUp,
            ["action_item", "text", "status", "reported_on", "reporter"],
            [(i, *r) for i, r in zip(report_ids, reports, strict=True)],
        )
        loader.copy(SearchDocument, ["meeting", "title", "body"], documents)
        counts["entries"] += len(entries) + len(wishes)
        counts["actions"] += len(actions)
        counts["reports"] += len(reports)
    loader.reset_sequences()
    return counts


def setup_world(rng, n_people):
    """The organisation, its units, the people and kommunledning's account."""
    from django.contrib.auth.models import User

    from samtal.conversation_templates.models import ConversationTemplate
    from samtal.meetings.models import Unit, rank_units
    from samtal.organisations.models import Membership, Organisation
    from samtal.participants.models import Person, name_key

    version = ConversationTemplate.objects.get(
        name__startswith="Samtalsmall"
    ).latest_active_version()
    steps = {s.key: s for s in version.steps.all()}
    org = Organisation.objects.create(name="Benchkommun", resident_term="invånaren")
    units = Unit.objects.bulk_create([Unit(organisation=org, name=n) for n in UNITS])
    rank_units(org.pk)
    names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(n_people)]
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org, name=name, name_key=name_key(name), email=f"p{i}@bench.example"
            )
            for i, name in enumerate(names)
        ],
        batch_size=5000,
    )
    user = User.objects.create_user("bench", password="bench-lösenord-123")
    Membership.objects.create(user=user, organisation=org, is_reviewer=True)
    return user, version, steps, units, people


def existing_world():
    """The world setup_world() built in an earlier run of the bench (for --reuse)."""
    from django.contrib.auth.models import User

    from samtal.conversation_templates.models import ConversationTemplate
    from samtal.meetings.models import Unit
    from samtal.participants.models import Person

    user = User.objects.filter(username="bench").first()
    if user is None:
        return None
    version = ConversationTemplate.objects.get(
        name__startswith="Samtalsmall"
    ).latest_active_version()
    steps = {s.key: s for s in version.steps.all()}
    organisation = user.memberships.get().organisation
    units = list(Unit.objects.filter(organisation=organisation).order_by("pk"))
    people = list(Person.objects.filter(organisation=organisation).order_by("pk"))
    return user, version, steps, units, people


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


def prepare_django(url):
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

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LOGGING_CONFIG = None


def pages(people):
    return [
        ("archive list, page 1", "/arkiv/"),
        ("archive list, page 200", "/arkiv/?sida=200"),
        ("archive, unit+year filter", "/arkiv/?enhet=2&ar=2024"),
        ("archive, sorted by unit (sv)", "/arkiv/?sortering=enhet"),
        *[(f"search '{w}'", f"/arkiv/?q={w}") for w in WORDS_FOR_SEARCH],
        ("search + filter", "/arkiv/?q=väntetiderna&enhet=3"),
        ("search, page 20", "/arkiv/?q=resultaten&sida=20"),
        ("search person 'Helena Strand'", "/arkiv/?q=Helena+Strand"),
        ("search person 'Öberg'", "/arkiv/?q=Öberg"),
        (f"person page ({people[0].name})", f"/arkiv/person/{people[0].pk}/"),
        ("follow-up board", "/uppfoljning/"),
        ("follow-up board, page 50", "/uppfoljning/?sida=50"),
        ("follow-up board, unit+period", "/uppfoljning/?enhet=2&period=kvartal"),
        ("follow-up board, overdue", "/uppfoljning/?status=forsenade"),
        ("follow-up board, owner", f"/uppfoljning/?ansvarig={people[1].pk}"),
    ]


def measure_all(client, people, n_meetings, requests):
    print(
        f"\n== {n_meetings} meetings; load average {os.getloadavg()[0]:.1f} "
        f"({os.cpu_count()} cores)"
    )
    header = (
        f"{'page':32} {'p50':>6} {'p95':>6} {'min':>6} {'CPU py':>7} {'CPU pg':>7} {'queries':>7}"
    )
    print(f"{header}   (ms; {requests} requests each)")
    results = {}
    for name, page_url in pages(people):
        r = measure(client, page_url, requests)
        results[name] = r
        print(
            f"{name:32} {r['p50']:6.1f} {r['p95']:6.1f} {r['min']:6.1f} {r['cpu']:7.1f} "
            f"{r['pg']:7.1f} {r['queries']:7d}",
            flush=True,
        )
    worst = max(r["p95"] for r in results.values())
    worst_cpu = max(r["cpu"] + r["pg"] for r in results.values())
    verdict = "meets" if worst <= 50 else "MISSES"
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(
        f"worst p95: {worst:.1f} ms ({verdict} 50 ms); "
        f"worst CPU per request (Django + PostgreSQL): {worst_cpu:.1f} ms"
    )
    return results


def grow(loader, target, have, world, rng):
    from django.db import connection

    from samtal.archive.search import refresh_vectors

    user, version, steps, units, people = world
    t0 = time.perf_counter()
    counts = build(loader, target - have, version, steps, units, people, rng)
    t1 = time.perf_counter()
    refresh_vectors()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"data: +{target - have} finished meetings ({target} in all), "
        f"+{counts['entries']} entries and wishes, +{counts['actions']} action items, "
        f"+{counts['reports']} reports, {len(people)} people "
        f"(rows {t1 - t0:.0f} s, search index {time.perf_counter() - t1:.0f} s)",
        flush=True,
    )


def check_search_text_shape():
    """The bench's search documents have the shape index_meeting() gives a meeting."""
    from samtal.archive.models import SearchDocument
    from samtal.archive.search import document_text
    from samtal.meetings.models import Meeting

    for sample in Meeting.objects.finished().select_related("unit")[:50]:
        check_one(sample, SearchDocument.objects.get(meeting=sample).body, document_text(sample))


def check_one(sample, built, expected):
    if expected != built:
        import difflib

        diff = difflib.unified_diff(built.split("\n"), expected.split("\n"), lineterm="", n=0)
        print("\n".join(line[:160] for line in diff))
        raise AssertionError("the bench's search text differs from index_meeting()'s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes", default="10000,50000", help="meeting counts to measure at, comma-separated"
    )
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use (kept)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --database-url: measure the meetings an earlier run left there",
    )
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.sizes.split(","))

    from scripts.pgcluster import throwaway_cluster

    with contextlib.ExitStack() as stack:
        url = args.database_url or stack.enter_context(throwaway_cluster("samtal_bench"))
        prepare_django(url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from bench.bulkload import Loader
        from samtal.meetings.models import Meeting

        call_command("migrate", verbosity=0)
        rng = random.Random(1)
        world = existing_world() if args.reuse else None
        have = Meeting.objects.finished().count() if world else 0
        if world:
            print(f"reusing {have} finished meetings, {len(world[4])} people")
        else:
            world = setup_world(rng, max(300, sizes[-1] // 15))
        loader = Loader()
        client = Client()
        client.force_login(world[0])
        by_size = {}
        for size in sizes:
            if size < have:
                print(f"\n== {size} meetings: skipped (the database holds {have})")
                continue
            if size > have:
                grow(loader, size, have, world, rng)
                have = size
            if size == sizes[0]:
                check_search_text_shape()
            by_size[size] = measure_all(client, world[4], size, args.requests)
        if len(by_size) > 1:
            first, last = by_size[min(by_size)], by_size[max(by_size)]
            changed = [n for n in first if first[n]["queries"] != last[n]["queries"]]
            print(
                "query counts: "
                + ("the same at every size" if not changed else f"CHANGE for {changed}")
            )
            assert not changed, "a page's query count depends on the data size"
        connection.close()


if __name__ == "__main__":
    main()
