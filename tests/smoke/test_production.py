"""Samtal as production runs it, driven through nginx (see stack.py): a meeting from planning
to kommunledning's archive, and the login lock-out with clients on different addresses."""

import datetime
import http.client
import io
import re
import ssl
import urllib.parse

import icalendar
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.smoke.stack import access_log_requests

PASSWORD = "samtal-demo-2026"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def log_in(page, stack, username, check, password=PASSWORD):
    page.goto(f"{stack.url}/logga-in/")
    check(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("load")
    check(page)


def big_pdf(path, size):
    head = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    tail = b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    with open(path, "wb") as handle:
        handle.write(head)
        line = b"%" + b"x" * 1022 + b"\n"
        remaining = size - len(head) - len(tail)
        handle.write(line * (remaining // len(line)))
        handle.write(b"%" * (remaining % len(line)))
        handle.write(tail)


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_meeting_from_planning_to_the_archive(production, device, a11y, tmp_path):
    stack = production
    check = a11y.check
    today = datetime.date.today()

    # The facilitator plans a meeting for today.
    leader = device(viewport={"width": 1440, "height": 900})
    log_in(leader, stack, "samtalsledare", check)
    leader.get_by_role("link", name="Nytt samtal").click()
    check(leader)
    leader.get_by_label("Tema").fill("Äldreomsorgen i rök")
    leader.get_by_label("Enhet").select_option(label="Vård- och omsorgsnämnden")
    leader.get_by_label("Datum").fill(today.isoformat())
    leader.get_by_label("Starttid").fill("09:00")
    leader.get_by_label("Plats").fill("Stadshuset, sal 3")
    leader.get_by_role("button", name="Skapa samtalet").click()
    expect(leader.get_by_role("heading", name=re.compile("Planera samtalet"))).to_be_visible()
    check(leader)
    meeting_id = int(re.search(r"/samtal/(\d+)/", leader.url).group(1))

    adding = leader.locator("form", has=leader.get_by_role("heading", name="Lägg till en person"))
    adding.get_by_label("Namn").fill("Johan Sjöberg")
    adding.get_by_label("E-post").fill("johan.sjoberg@sundsvall.example")
    adding.get_by_label("Roll").select_option(label="Antecknare")
    adding.get_by_role("button", name="Lägg till").click()
    expect(leader.get_by_text("Johan Sjöberg är tillagd som antecknare.")).to_be_visible()
    check(leader)
    leader.get_by_label("Klistra in flera").fill("Maria Ek <maria.ek@sundsvall.example>, deltagare")
    leader.get_by_role("button", name="Lägg till alla").click()
    added = re.compile("Maria Ek är tillagd|1 person är tillagd")
    expect(leader.get_by_text(added)).to_be_visible()
    check(leader)

    # A 20 MB report, through nginx's body limit, to object storage.
    report = tmp_path / "kvalitetsrapport.pdf"
    big_pdf(report, 20 * MB)
    leader.get_by_label("Rubrik").fill("Kvalitetsrapport 2026")
    leader.get_by_label("Fil").set_input_files(str(report))
    leader.get_by_role("button", name="Lägg till underlaget").click()
    expect(leader.get_by_text("Underlaget ”Kvalitetsrapport 2026” är tillagt.")).to_be_visible(
        timeout=60_000
    )
    check(leader)
    assert 20 * MB in stack.s3_objects().values(), stack.s3_objects()

    # Invitations reach the SMTP server, with working links and the calendar event.
    leader.get_by_role("button", name=re.compile(r"Skicka kallelse till 3 personer")).click()
    # The request only queues them; the worker sends them (one SMTP connection).
    expect(
        leader.locator(".message", has_text="E-post till 3 personer skickas nu.")
    ).to_be_visible()
    check(leader)
    messages = stack.sink.wait_for(3, timeout=60)
    recipients = sorted(m["To"] for m in messages)
    assert recipients == [
        "johan.sjoberg@sundsvall.example",
        "karin.lindqvist@sundsvall.example",
        "maria.ek@sundsvall.example",
    ], stack.diagnostics()
    to_maria = next(m for m in messages if m["To"] == "maria.ek@sundsvall.example")
    assert to_maria["From"] == "Samtal Sundsvall <samtal@sundsvall.example>"
    link = re.search(rf"{re.escape(stack.url)}/l/[^/\s]+/", text_of(to_maria)).group(0)
    ics = next(p for p in to_maria.iter_attachments() if p.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart").date() == today
    assert str(event["organizer"]) == "mailto:samtal@sundsvall.example"
    assert link in str(event["description"])

    leader.reload()
    expect(leader.get_by_text("Kallelse skickad", exact=False)).to_have_count(3)
    expect(leader.get_by_text("väntar på att skickas")).to_have_count(0)
    check(leader)

    # Maria opens her link on her phone and reads the report (served by either app server).
    phone = device(viewport={"width": 375, "height": 740})
    phone.goto(link)
    expect(phone.get_by_role("heading", name=re.compile("Äldreomsorgen"), level=1)).to_be_visible()
    check(phone)
    material = phone.get_by_role("link", name="Kvalitetsrapport 2026")
    download = phone.request.get(urllib.parse.urljoin(link, material.get_attribute("href")))
    assert download.status == 200
    assert len(download.body()) == 20 * MB

    # The live meeting: the projector and the note-taker's laptop.
    leader.goto(f"{stack.url}/samtal/{meeting_id}/")
    check(leader)
    leader.get_by_role("button", name="Starta samtalet").click()
    expect(
        leader.get_by_role("heading", level=1, name="Förutsättningar och medverkande")
    ).to_be_visible()
    check(leader)
    notes = device(viewport={"width": 1366, "height": 900})
    log_in(notes, stack, "antecknare", check)
    notes.goto(f"{stack.url}/samtal/{meeting_id}/live/anteckna/")
    check(notes)
    leader.keyboard.press("ArrowRight")
    expect(
        leader.get_by_role("heading", level=1, name="Bakgrund, beskrivning av nuläge")
    ).to_be_visible()
    expect(notes.get_by_role("heading", name="Bakgrund, beskrivning av nuläge")).to_be_visible()
    claim = notes.locator("[id^=new-][id$=-text]").first
    claim.fill("Tryggheten i hemtjänsten har ökat")
    claim.press("Enter")
    expect(leader.get_by_text("Tryggheten i hemtjänsten har ökat")).to_be_visible()
    check(leader)
    check(notes)
    phone.goto(link + "a3/")
    a3 = phone.get_by_role("region", name="A3:an")
    expect(a3.get_by_text("Tryggheten i hemtjänsten har ökat")).to_be_visible()
    check(phone)

    # Finishing locks the A3; its PDF is archived.
    leader.goto(f"{stack.url}/samtal/{meeting_id}/live/anteckna/")
    check(leader)
    leader.get_by_role("link", name="Granska och avsluta").click()
    expect(leader.get_by_role("heading", level=1, name="Avsluta samtalet")).to_be_visible()
    check(leader)
    leader.get_by_role("button", name="Avsluta samtalet").click()
    expect(leader.get_by_text("Samtalet är avslutat och A3:an är låst.").first).to_be_visible()
    check(leader)
    # The worker archives the PDF/A in object storage and asks everyone for a reflection.
    reflections = [m for m in stack.sink.wait_for(6, timeout=60) if m not in messages]
    assert sorted(m["To"] for m in reflections) == recipients, stack.diagnostics()
    assert all("Utvärdering" in m["Subject"] for m in reflections)
    assert stack.wait_for_s3(lambda key: key.startswith("a3-arkiv/")), stack.s3_objects()
    pdf = leader.request.get(f"{stack.url}/samtal/{meeting_id}/a3.pdf", timeout=60_000)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Tryggheten i hemtjänsten har ökat" in text

    # Kommunledning finds it in the archive.
    reviewer = device(viewport={"width": 1280, "height": 900})
    log_in(reviewer, stack, "kommunledning", check)
    reviewer.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arkiv").click()
    expect(reviewer.get_by_role("heading", name=re.compile("Arkiv"), level=1)).to_be_visible()
    check(reviewer)
    reviewer.get_by_role("link", name=re.compile("Äldreomsorgen i rök")).first.click()
    expect(reviewer.get_by_text("Tryggheten i hemtjänsten har ökat")).to_be_visible()
    check(reviewer)

    # Both app servers behind nginx answered requests of this journey.
    served = [access_log_requests(stack, port) for port in stack.app_ports]
    assert all(count > 5 for count in served), served


class Client:
    """A browser-less client connecting from a chosen loopback address (nginx sees it as
    $remote_addr and appends it to X-Forwarded-For)."""

    def __init__(self, stack, source):
        self.stack, self.source = stack, source
        self.context = ssl._create_unverified_context()

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.stack.nginx_port,
            source_address=(self.source, 0),
            context=self.context,
            timeout=30,
        )
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()

    def log_in(self, username, password):
        status, headers, html = self.request("GET", "/logga-in/")
        assert status == 200
        cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
        csrf = cookie.split(";")[0].split("=", 1)[1]
        form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": form, "username": username, "password": password}
        )
        status, _, _ = self.request(
            "POST",
            "/logga-in/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
                "Referer": f"{self.stack.url}/logga-in/",
            },
        )
        return status


def test_five_failures_lock_the_attackers_address_and_the_account_not_everyone(production):
    attacker = Client(production, "127.0.0.2")
    colleague = Client(production, "127.0.0.3")
    statuses = [attacker.log_in("deltagare", f"gissning-{attempt}") for attempt in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert attacker.log_in("deltagare", PASSWORD) == 429
    assert attacker.log_in("admin", PASSWORD) == 429  # the address is locked
    assert colleague.log_in("deltagare", PASSWORD) == 429  # so is the attacked account
    assert colleague.log_in("kommunledning", PASSWORD) == 302  # everyone else logs in
