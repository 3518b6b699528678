"""The journey of issue 3: plan, invite, prepare through a personal link, overview, remind."""

import datetime
import os
import re

import icalendar
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import default_version, make_unit, make_user

SHOTS = os.environ.get("SAMTAL_SCREENSHOTS")  # a folder: save screenshots there when set

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def personal_link_in(message):
    return re.search(r"https?://\S+/l/[^/\s]+/", message.body).group(0)


def test_facilitator_plans_and_invites_a_participant_prepares_and_the_others_are_reminded(
    page, live_server, assert_accessible, new_page, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    default_version()
    make_unit("Vård- och omsorgsnämnden")
    make_user("karin", first_name="Karin", last_name="Lindqvist", email="karin@kommun.se")
    meeting_day = timezone.localdate() + datetime.timedelta(days=10)

    # The facilitator creates the meeting.
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.get_by_role("link", name="Nytt samtal").click()
    expect(page.get_by_role("heading", name="Nytt resultatsamtal")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Syfte")).to_have_value(re.compile("^Syftet med mötet"))
    page.get_by_label("Tema").fill("Hemtjänst")
    page.get_by_label("Enhet").select_option(label="Vård- och omsorgsnämnden")
    page.get_by_label("Datum").fill(meeting_day.isoformat())
    page.get_by_label("Starttid").fill("09:00")
    page.get_by_label("Plats").fill("Stadshuset, sal 3")
    shot(page, "01-nytt-samtal")
    page.get_by_role("button", name="Skapa samtalet").click()

    expect(page.get_by_role("heading", name=re.compile("Planera samtalet"))).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Samtalet behöver minst en antecknare.")).to_be_visible()

    # Three participants: one through the form, two pasted as a list.
    adding = page.locator("form", has=page.get_by_role("heading", name="Lägg till en person"))
    adding.get_by_label("Namn").fill("Johan Sjöberg")
    adding.get_by_label("E-post").fill("johan.sjoberg@kommun.se")
    adding.get_by_label("Roll").select_option(label="Antecknare")
    adding.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("Johan Sjöberg är tillagd som antecknare.")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Samtalet behöver minst en antecknare.")).to_have_count(0)

    page.get_by_label("Klistra in flera").fill(
        "Maria Ek <maria.ek@kommun.se>, deltagare\nOlof Berg <olof.berg@kommun.se>, deltagare"
    )
    page.get_by_role("button", name="Lägg till alla").click()
    expect(page.get_by_text("2 personer är tillagda.")).to_be_visible()
    assert_accessible(page)

    # Two pieces of material: a PDF and a link.
    page.get_by_label("Rubrik").fill("Kvalitetsrapport hemtjänst 2026")
    page.get_by_label("Vad ska läsas?").fill("Läs sammanfattningen på sidan 2.")
    page.get_by_label("Fil").set_input_files(
        files=[{"name": "kvalitet.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Lägg till underlaget").click()
    expect(
        page.get_by_text("Underlaget ”Kvalitetsrapport hemtjänst 2026” är tillagt.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rubrik").fill("Brukarundersökningen")
    page.get_by_label("…eller en länk").fill("https://example.org/brukarundersokning")
    page.get_by_role("button", name="Lägg till underlaget").click()
    expect(page.get_by_text("Underlaget ”Brukarundersökningen” är tillagt.")).to_be_visible()
    assert_accessible(page)

    # Invitations to all four (the facilitator included).
    page.get_by_role("button", name="Skicka kallelse till 4 personer").click()
    expect(page.get_by_text("Kallelsen är skickad till 4 personer.")).to_be_visible()
    assert_accessible(page)
    shot(page, "02-planera")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "johan.sjoberg@kommun.se",
        "karin@kommun.se",
        "maria.ek@kommun.se",
        "olof.berg@kommun.se",
    ]
    to_maria = next(m for m in mailoutbox if m.to == ["maria.ek@kommun.se"])
    assert "Kvalitetsrapport hemtjänst 2026" in to_maria.body
    assert "Var förberedd" in to_maria.body
    name, content, mimetype = to_maria.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("dtstart").date() == meeting_day
    assert str(event["location"]) == "Stadshuset, sal 3"
    link = personal_link_in(to_maria)
    assert link in str(event["description"])

    # Maria prepares on her phone.
    phone = new_page(viewport={"width": 375, "height": 740})
    phone.goto(link)
    expect(phone.get_by_role("heading", name=re.compile("Hemtjänst"), level=1)).to_be_visible()
    assert_accessible(phone)
    expect(phone.get_by_role("link", name="Kvalitetsrapport hemtjänst 2026")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_label("Det här visar på nytta (1)").fill("Fler brukare är nöjda med bemötandet")
    expect(phone.locator("#sparstatus")).to_contain_text("Sparat")
    shot(phone, "03-forberedelse-telefon")

    # She types the reason and closes the tab before it is saved …
    phone.get_by_label("därför att: (1)").press_sequentially("brukarundersökningen visar 92 %")
    phone.close()

    # … and finds the text when she comes back.
    again = phone.context.new_page()
    again.set_default_timeout(10_000)
    again.goto(link)
    assert_accessible(again)
    expect(again.get_by_label("därför att: (1)")).to_have_value("brukarundersökningen visar 92 %")
    expect(again.locator("#sparstatus")).to_contain_text("Sparat")
    again.get_by_role("button", name="Klar").click()
    expect(again.get_by_text("Din förberedelse är klar")).to_be_visible()
    assert_accessible(again)
    shot(again, "04-klar-telefon")

    # The facilitator sees it in the overview and reminds the others.
    page.goto(
        f"{live_server.url}{page.url.split(live_server.url)[1].split('planera')[0]}forberedelser/"
    )
    assert_accessible(page)
    maria = page.locator(".prep-person", has_text="Maria Ek")
    expect(maria).to_contain_text("Klar")
    expect(maria).to_contain_text("brukarundersökningen visar 92 %")
    expect(page.locator(".prep-person", has_text="Olof Berg")).to_contain_text(
        "Har inte öppnat länken"
    )
    shot(page, "05-forberedelser")
    before = len(mailoutbox)
    page.get_by_role("button", name="Påminn").click()
    expect(page.get_by_text(re.compile("En påminnelse är skickad till 2 personer"))).to_be_visible()
    assert_accessible(page)
    reminders = mailoutbox[before:]
    assert sorted(m.to[0] for m in reminders) == ["johan.sjoberg@kommun.se", "olof.berg@kommun.se"]
    assert "Markera förberedelsen som klar" in reminders[0].body


def prepared_meeting_link(live_server, settings):
    from samtal.participants.links import personal_link_url
    from tests.factories import staffed_meeting

    settings.SITE_URL = live_server.url
    default_version()
    meeting, _, _ = staffed_meeting()
    return personal_link_url(meeting.participations.get(person__name="Maria Ek"))


def test_text_typed_without_a_connection_survives_closing_the_tab(
    page, live_server, assert_accessible, settings
):
    link = prepared_meeting_link(live_server, settings)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(link)
    assert_accessible(page)

    page.context.set_offline(True)
    page.get_by_label("Andra resultat jag vill lyfta.. (1)").fill("Sjukfrånvaron har minskat")
    expect(page.locator("#sparstatus")).to_contain_text("Inte sparat – försöker igen")
    assert_accessible(page)
    shot(page, "06-offline")
    page.close()

    page.context.set_offline(False)
    again = page.context.new_page()
    again.goto(link)
    assert_accessible(again)
    expect(again.get_by_label("Andra resultat jag vill lyfta.. (1)")).to_have_value(
        "Sjukfrånvaron har minskat"
    )
    expect(again.locator("#sparstatus")).to_contain_text("Sparat")
    from samtal.participants.models import PreparationAnswer

    assert PreparationAnswer.objects.get().text == "Sjukfrånvaron har minskat"


def test_a_twenty_thousand_character_answer_is_refused_and_stays_in_the_field(
    page, live_server, assert_accessible, settings
):
    link = prepared_meeting_link(live_server, settings)
    page.goto(link)
    assert_accessible(page)
    field = page.get_by_label("Det här visar på nytta (1)")
    page.get_by_label("Andra resultat jag vill lyfta.. (1)").fill("Sjukfrånvaron har minskat")
    expect(page.locator("#sparstatus")).to_contain_text("Sparat")
    field.fill("å" * 20_000)
    expect(page.locator("#sparstatus")).to_contain_text("utom det som är för långt")
    expect(page.get_by_text("Texten är för lång: 20 000 tecken")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.getElementById('sparstatus') !== null")
    assert len(field.input_value()) == 20_000
    assert_accessible(page)
    shot(page, "07-for-lang")

    # The other box was saved all the same; the long text is kept on this device.
    from samtal.participants.models import PreparationAnswer

    assert list(PreparationAnswer.objects.values_list("text", flat=True)) == [
        "Sjukfrånvaron har minskat"
    ]
    stored = page.evaluate("Object.values(localStorage).join('')")
    assert "å" * 20_000 in stored

    field.fill("Nu kortare")
    expect(page.locator("#sparstatus [data-state]")).to_have_attribute("data-state", "saved")
    expect(page.get_by_text("Texten är för lång")).to_have_count(0)


def test_a_row_is_added_with_the_keyboard(page, live_server, assert_accessible, settings):
    link = prepared_meeting_link(live_server, settings)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till en rad – 2A").click()
    expect(page.get_by_label("Det här visar på nytta (2)")).to_be_focused()
    page.keyboard.type("Ett andra påstående")
    expect(page.locator("#sparstatus")).to_contain_text("Sparat")
    page.reload()
    assert_accessible(page)
    # Empty rows are not kept: the one written claim is now the first.
    expect(page.get_by_label("Det här visar på nytta (1)")).to_have_value("Ett andra påstående")


def test_the_meeting_page_leads_to_planning_and_planning_works_on_a_phone(
    page, live_server, assert_accessible, settings
):
    from samtal.participants.models import Participation
    from tests.factories import add_participant, make_meeting

    settings.SITE_URL = live_server.url
    default_version()
    karin = make_user("karin", first_name="Karin", last_name="Lindqvist")
    meeting = make_meeting(location="Stadshuset", created_by=karin)
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=karin)
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("Samtalet behöver minst en antecknare.")).to_be_visible()
    expect(page.get_by_role("button", name="Starta samtalet")).to_have_count(0)
    shot(page, "08-samtal-telefon")
    page.get_by_role("link", name="Planera: medverkande, underlag och kallelse").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Ändra uppgifter om samtalet").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Tema").fill("")
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.get_by_text("Skriv vad samtalet handlar om")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/forberedelser/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/min-forberedelse/")
    expect(page.get_by_role("heading", name="Dina förberedelser")).to_be_visible()
    assert_accessible(page)


def test_a_too_large_file_is_refused_in_the_browser_before_it_is_sent(
    page, live_server, assert_accessible, settings
):
    from samtal.meetings.models import Material
    from samtal.participants.models import Participation
    from tests.factories import add_participant, make_meeting

    settings.MATERIAL_MAX_UPLOAD_BYTES = 1024
    default_version()
    karin = make_user("karin")
    meeting = make_meeting(location="Stadshuset", created_by=karin)
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=karin)
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/planera/")
    assert_accessible(page)
    page.get_by_label("Rubrik").fill("Stor rapport")
    page.get_by_label("Fil").set_input_files(
        files=[{"name": "stor.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * 4096}]
    )
    expect(page.get_by_text("Filen är för stor.")).to_be_visible()
    page.get_by_role("button", name="Lägg till underlaget").click()
    expect(page.get_by_label("Rubrik")).to_have_value("Stor rapport")
    assert_accessible(page)
    assert not Material.objects.exists()


def test_a_planning_error_is_shown_and_focused_at_the_form_that_was_sent(
    page, live_server, assert_accessible, settings
):
    from samtal.participants.models import Participation
    from tests.factories import add_participant, make_meeting

    default_version()
    karin = make_user("karin")
    meeting = make_meeting(location="Stadshuset", created_by=karin)
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=karin)
    for n in range(8):
        add_participant(meeting, f"Person {n}")
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/planera/")
    assert_accessible(page)
    adding = page.locator("#lagg-till")
    adding.get_by_label("Namn").fill("Anna Berg")
    adding.get_by_label("E-post").fill("inte-en-adress")
    adding.get_by_role("button", name="Lägg till").click()
    summary = adding.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert_accessible(page)
    expect(adding.get_by_label("E-post")).to_have_value("inte-en-adress")
    page.get_by_label("Klistra in flera").fill("bara ett namn")
    page.get_by_role("button", name="Lägg till alla").click()
    expect(page.locator("#klistra-in .error-summary")).to_be_focused()
    expect(page.locator("#klistra-in .error-summary")).to_contain_text("Inga rader lades till.")
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till underlaget").click()
    expect(page.locator("#nytt-underlag .error-summary")).to_be_focused()
    expect(page.locator("#nytt-underlag .error-summary")).to_be_in_viewport()
    assert_accessible(page)


def wait_for(condition, tries=50):
    import time

    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_two_devices_never_overwrite_each_others_text_silently(
    page, live_server, assert_accessible, new_page, settings
):
    from samtal.participants.models import Preparation, PreparationAnswer

    link = prepared_meeting_link(live_server, settings)
    page.goto(link)
    assert_accessible(page)
    # Opening the page in a browser (not a link scanner) is recorded by the page's script.
    assert wait_for(lambda: Preparation.objects.filter(opened_at__isnull=False).exists())
    phone = new_page(viewport={"width": 375, "height": 740})
    phone.goto(link)
    assert_accessible(phone)

    page.get_by_label("Andra resultat jag vill lyfta.. (1)").fill("Från datorn")
    expect(page.locator("#sparstatus")).to_contain_text("Sparat")

    # The phone loaded the page before that save: its save is refused and both texts shown.
    phone_field = phone.get_by_label("Andra resultat jag vill lyfta.. (1)")
    phone_field.fill("Från mobilen")
    conflict = phone.locator(".prep-conflict")
    expect(conflict).to_contain_text("Från datorn")
    expect(phone.locator("#sparstatus")).to_contain_text("ändrats på en annan enhet")
    expect(phone_field).to_have_value("Från mobilen")
    assert PreparationAnswer.objects.get().text == "Från datorn"
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "08-konflikt")
    # Typing more does not save over the other device's text until the person chooses.
    phone_field.press_sequentially("!")
    phone.wait_for_timeout(1200)
    assert PreparationAnswer.objects.get().text == "Från datorn"

    phone.get_by_role("button", name="Spara texten i rutorna").click()
    expect(phone.locator("#sparstatus [data-state]")).to_have_attribute("data-state", "saved")
    expect(conflict).to_have_count(0)
    assert wait_for(lambda: PreparationAnswer.objects.get().text == "Från mobilen!")

    # The computer now types on an old revision: it takes the stored text, and keeps its own
    # on the page to copy from.
    page.get_by_label("Andra resultat jag vill lyfta.. (1)").fill("Datorn igen")
    expect(page.locator(".prep-conflict")).to_contain_text("Från mobilen!")
    assert_accessible(page)
    page.get_by_role("button", name="Använd den sparade texten").click()
    expect(page.get_by_label("Andra resultat jag vill lyfta.. (1)")).to_have_value("Från mobilen!")
    expect(page.locator(".prep-local")).to_contain_text("Datorn igen")
    expect(page.locator("#sparstatus [data-state]")).to_have_attribute("data-state", "saved")
    assert_accessible(page)
    shot(page, "09-konflikt-lost")
    assert PreparationAnswer.objects.get().text == "Från mobilen!"


def test_an_old_copy_on_this_device_is_shown_beside_newer_saved_text_not_over_it(
    page, live_server, assert_accessible, settings
):
    from samtal.participants.models import Preparation, PreparationAnswer

    link = prepared_meeting_link(live_server, settings)
    page.goto(link)
    assert_accessible(page)
    page.context.set_offline(True)
    page.get_by_label("Andra resultat jag vill lyfta.. (1)").fill("Skrivet på tåget")
    expect(page.locator("#sparstatus")).to_contain_text("Inte sparat – försöker igen")
    page.close()
    page.context.set_offline(False)

    # Meanwhile the person wrote something else on another device.
    preparation = Preparation.objects.get()
    step = preparation.participation.meeting.template_version.steps.get(key="2B")
    PreparationAnswer.objects.create(preparation=preparation, step=step, text="Skrivet på datorn")
    Preparation.objects.filter(pk=preparation.pk).update(revision=5)

    again = page.context.new_page()
    again.goto(link)
    assert_accessible(again)
    field = again.get_by_label("Andra resultat jag vill lyfta.. (1)")
    expect(field).to_have_value("Skrivet på datorn")
    local = again.locator(".prep-local")
    expect(local).to_contain_text("Osparad text från den här enheten")
    expect(local).to_contain_text("Skrivet på tåget")
    assert_accessible(again)
    shot(again, "10-osparad-lokal-text")
    assert PreparationAnswer.objects.get().text == "Skrivet på datorn"

    local.get_by_role("button", name=re.compile("Använd den här texten")).click()
    expect(field).to_have_value("Skrivet på tåget")
    expect(again.locator("#sparstatus [data-state]")).to_have_attribute("data-state", "saved")
    assert PreparationAnswer.objects.get().text == "Skrivet på tåget"


def test_text_typed_after_the_meeting_started_stays_in_the_field_with_a_message(
    page, live_server, assert_accessible, settings
):
    from samtal.meetings.models import Meeting

    link = prepared_meeting_link(live_server, settings)
    page.goto(link)
    assert_accessible(page)
    Meeting.objects.get().start()
    field = page.get_by_label("Andra resultat jag vill lyfta.. (1)")
    field.fill("Skrivet för sent")
    expect(page.locator("#sparstatus")).to_contain_text("samtalet har startat")
    expect(field).to_have_value("Skrivet för sent")
    assert_accessible(page)
