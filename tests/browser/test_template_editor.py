"""The template editor in a real browser (issue 17): copy the default version, change a
step's minutes and prompt, preview, publish, plan a meeting with it and run it; an empty
version cannot be published; export and import round trip."""

import json
import os
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from samtal.conversation_templates.models import TemplateVersion
from samtal.meetings.models import Meeting
from tests.browser.conftest import log_in
from tests.factories import default_version, make_unit, make_user

SHOTS = os.environ.get("SAMTAL_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def open_editor(page, live_server, assert_accessible):
    default_version()
    make_user("agare", first_name="Petra", last_name="Processägare", is_staff=True)
    log_in(page, live_server, "agare", assert_accessible)
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mallar").click()
    expect(page.get_by_role("heading", name="Samtalsmallar", level=1)).to_be_visible()
    assert_accessible(page)


def sundsvall(page):
    return page.get_by_role("region", name="Samtalsmall – styrkebaserad (Sundsvall)")


def step_fieldset(page, number):
    return page.get_by_role("group", name=re.compile(rf"^Steg {number}\b"))


def test_copy_edit_preview_publish_plan_and_run(page, live_server, assert_accessible):
    make_unit("Vård- och omsorgsnämnden")
    open_editor(page, live_server, assert_accessible)
    sundsvall(page).get_by_role("button", name="Kopiera version 1 till utkast").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("utkast till version 2")
    assert_accessible(page)
    expect(page.get_by_label("Regler för mötet")).to_have_value(
        re.compile(r"^Var förberedd\nBörja i tid")
    )
    total = page.locator("[data-total-minutes]")
    expect(total).to_have_text("110")

    second = step_fieldset(page, 2)
    second.get_by_label("Minuter").fill("25")
    expect(total).to_have_text("115")  # adds up as typed
    second.get_by_label("Instruktion").fill("Vad har gått bra för {invånare} i år?")
    shot(page, "mall-01-redigera")
    page.get_by_role("button", name="Spara utkastet").click()
    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Förhandsvisa projektorn").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nästa steg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bakgrund, beskrivning av nuläge.")
    expect(page.get_by_text("Vad har gått bra för Sundsvallsbon i år?")).to_be_visible()
    expect(page.locator(".timer__value")).to_have_text("25:00")
    assert_accessible(page)
    shot(page, "mall-02-projektor")
    page.get_by_role("link", name="Tillbaka till utkastet").click()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Förhandsvisa PDF:en").click()
    pdf = PdfReader(info.value.path())
    sheet = " ".join(pdf.pages[-1].extract_text().split())
    assert "Vad har gått bra för Sundsvallsbon i år?" in sheet and "(25 min)" in sheet

    page.get_by_role("button", name="Spara och publicera som ny version").click()
    expect(page.get_by_text(re.compile("version 2, är publicerad"))).to_be_visible()
    assert_accessible(page)

    # Plan a meeting: the new version is the one "Nytt samtal" starts with.
    page.get_by_role("link", name="Mina samtal").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nytt samtal").click()
    assert_accessible(page)
    expect(page.get_by_label("Samtalsmall och version")).to_have_value(
        str(TemplateVersion.objects.get(number=2).pk)
    )
    page.get_by_label("Tema").fill("Hemtjänst")
    page.get_by_label("Enhet").select_option(label="Vård- och omsorgsnämnden")
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Starttid").fill("23:00")
    page.get_by_label("Plats").fill("Stadshuset")
    page.get_by_role("button", name="Skapa samtalet").click()
    expect(page.get_by_role("heading", name=re.compile("Planera samtalet"))).to_be_visible()
    assert_accessible(page)
    adding = page.locator("form", has=page.get_by_role("heading", name="Lägg till en person"))
    adding.get_by_label("Namn").fill("Johan Sjöberg")
    adding.get_by_label("E-post").fill("johan@kommun.se")
    adding.get_by_label("Roll").select_option(label="Antecknare")
    adding.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("Johan Sjöberg är tillagd som antecknare.")).to_be_visible()
    assert_accessible(page)
    meeting = Meeting.objects.get(theme="Hemtjänst")
    assert meeting.template_version.number == 2

    # Run it: the projector shows the changed step with its new time.
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/")
    assert_accessible(page)
    page.get_by_role("button", name="Starta samtalet").click()
    expect(
        page.get_by_role("heading", level=1, name="Förutsättningar och medverkande")
    ).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Vad har gått bra för Sundsvallsbon i år?")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text("25:00")
    assert_accessible(page)


def test_an_empty_version_cannot_be_published(page, live_server, assert_accessible):
    open_editor(page, live_server, assert_accessible)
    sundsvall(page).get_by_role("button", name="Kopiera version 1 till utkast").click()
    assert_accessible(page)
    for box in page.get_by_label("Ta bort steget").all():
        box.check()
    expect(page.locator("[data-total-minutes]")).to_have_text("0")
    page.get_by_role("button", name="Spara och publicera som ny version").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Versionen kan inte publiceras")
    expect(alert).to_contain_text("Mallen har inga steg.")
    assert_accessible(page)
    shot(page, "mall-03-tom-version")
    page.get_by_role("link", name="Samtalsmallar").click()
    assert_accessible(page)
    expect(sundsvall(page).get_by_text("Utkast till version 2")).to_be_visible()
    expect(sundsvall(page).get_by_text("Version 2", exact=True)).to_have_count(0)


def test_export_and_import_round_trip(page, live_server, assert_accessible, tmp_path):
    open_editor(page, live_server, assert_accessible)
    with page.expect_download() as info:
        sundsvall(page).get_by_role("link", name="Exportera (fil)").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["version"]["steps"][0]["key"] == "1"
    data["template"]["name"] = "Samtalsmall från Härnösand"
    shared = tmp_path / "mall.json"
    shared.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    broken = tmp_path / "trasig.json"
    broken.write_text("{inte json", encoding="utf-8")

    page.get_by_label("Mallfil (.json)").set_input_files(str(broken))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("alert")).to_contain_text("går inte att läsa som JSON")
    assert_accessible(page)

    page.get_by_label("Mallfil (.json)").set_input_files(str(shared))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Mallen är importerad som ett utkast.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samtalsmall från Härnösand")
    expect(page.locator("[data-total-minutes]")).to_have_text("110")
    assert_accessible(page)
    page.get_by_role("button", name="Spara och publicera som ny version").click()
    expect(page.get_by_text(re.compile("Härnösand, version 1, är publicerad"))).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("region", name="Samtalsmall från Härnösand").get_by_role(
            "link", name="Exportera (fil)"
        ).click()
    again = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert again["version"]["steps"] == data["version"]["steps"]
    assert again["version"]["rules"] == data["version"]["rules"]
