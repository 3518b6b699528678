"""Key figures from Kolada in a real browser: the facilitator adds two with Riket as the
comparison, a participant reads the charts on a phone, the projector shows them at step 2,
and the PDF's "Underlag för samtal" has them with "Källa: Kolada". Against the fake Kolada on
loopback; every page passes axe."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from samtal.participants.links import make_token
from tests.browser.conftest import log_in
from tests.factories import staffed_meeting
from tests.fake_kolada import fake_kolada_fixture  # noqa: F401

BRUKAR = "Brukarbedömning hemtjänst, helhetssyn, andel (%) – testdata"
KOSTNAD = "Kostnad hemtjänst, kr/brukare – testdata"


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def add_key_figure(page, assert_accessible, title):
    search = page.get_by_role("search")
    search.get_by_label("Sök nyckeltal i Kolada").fill("hemtjänst")
    search.get_by_role("button", name="Sök").click()
    results = page.locator("#sokresultat")
    expect(results.get_by_role("heading", name="2 träffar på ”hemtjänst”")).to_be_visible()
    assert_accessible(page)
    results.locator("li", has_text=title).get_by_role("link", name=re.compile("Välj")).click()
    form = results.locator("form", has=page.get_by_role("button", name="Lägg till i underlaget"))
    expect(form.get_by_label("Riket")).to_be_checked()
    assert_accessible(page)
    form.get_by_role("button", name="Lägg till i underlaget").click()
    expect(page.get_by_text(f"”{title}” är tillagt.")).to_be_visible()
    assert_accessible(page)


def test_key_figures_from_planning_to_phone_projector_and_pdf(
    page, live_server, new_page, assert_accessible, fake_kolada, tmp_path
):
    meeting, facilitator, _ = staffed_meeting(days_from_today=0)
    organisation = meeting.unit.organisation
    organisation.kolada_municipality_id = "2281"
    organisation.save()
    maria = meeting.participations.get(person__name="Maria Ek")

    # The facilitator finds the key figures page from the meeting page and adds two.
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Nyckeltal", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Nyckeltal från Kolada"))
    ).to_be_visible()
    assert_accessible(page)
    add_key_figure(page, assert_accessible, BRUKAR)
    add_key_figure(page, assert_accessible, KOSTNAD)
    chosen = page.get_by_role("region", name="Valda nyckeltal")
    expect(chosen.get_by_text("jämfört med Riket")).to_have_count(2)
    expect(chosen.get_by_text(re.compile("Hämtat från Kolada"))).to_have_count(2)

    # A participant reads them on a phone, from the personal link.
    phone = new_page(viewport={"width": 375, "height": 740})
    phone.goto(f"{live_server.url}/l/{make_token(maria)}/")
    assert_accessible(phone)
    figures = phone.get_by_role("region", name="Nyckeltal")
    expect(figures.get_by_role("heading", level=3)).to_have_text([BRUKAR, KOSTNAD])
    charts = figures.locator("svg.kf__svg--compact")
    expect(charts).to_have_count(2)
    expect(charts.first).to_be_visible()
    expect(figures.locator("svg.kf__svg--normal").first).to_be_hidden()
    expect(figures.get_by_text(re.compile("^Källa: Kolada"))).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    figures.get_by_text("Visa siffrorna som tabell").first.click()
    table = figures.get_by_role("table").first
    expect(table.get_by_role("row", name=re.compile("^2019"))).to_contain_text("–")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # the table scrolls
    assert_accessible(phone)
    phone.screenshot(path=tmp_path / "telefon.png", full_page=True)

    # The projector shows them at step 2, one at a time, by key.
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/")
    assert_accessible(page)
    page.get_by_role("button", name="Starta samtalet").click()
    expect(
        page.get_by_role("heading", level=1, name="Förutsättningar och medverkande")
    ).to_be_visible()
    expect(page.get_by_text("Underlaget har 2 nyckeltal från Kolada.")).to_have_count(0)
    assert_accessible(page)
    page.keyboard.press("ArrowRight")
    expect(
        page.get_by_role("heading", level=1, name="Bakgrund, beskrivning av nuläge")
    ).to_be_visible()
    expect(page.get_by_text("Underlaget har 2 nyckeltal från Kolada.")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("PageDown")
    expect(page.get_by_text("Nyckeltal 1 av 2")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=BRUKAR)).to_be_visible()
    expect(page.locator(".kf-slide svg.kf__svg--large")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "projektor.png")
    page.keyboard.press("PageDown")
    expect(page.get_by_text("Nyckeltal 2 av 2")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=KOSTNAD)).to_be_visible()
    expect(page.get_by_text(re.compile("^Källa: Kolada"))).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.get_by_text("Underlaget har 2 nyckeltal från Kolada.")).to_be_visible()
    assert_accessible(page)

    # The PDF with the Underlag: the key figures with their source, as the room saw them.
    response = page.request.get(
        f"{live_server.url}/samtal/{meeting.pk}/a3.pdf?underlag=1", timeout=120_000
    )
    assert response.ok
    pdf = tmp_path / "a3.pdf"
    pdf.write_bytes(response.body())
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    underlag = [text for text in pages if "Underlag för samtal" in text]
    assert len(underlag) == 2, "the Underlag page and its key figures page"
    figures_page = underlag[1]
    assert "Underlag för samtal – nyckeltal" in figures_page
    assert figures_page.count("Källa: Kolada") == 2
    assert "Brukarbedömning hemtjänst" in figures_page and "Kostnad hemtjänst" in figures_page
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "pdf")], check=True)
