"""Issue 7's journeys: a participant's reflection, the four-perspective split with the live
chart on the projector, an anonymous survey answer, and kommunledning reading the results."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from samtal.participants.links import make_token
from tests.browser.conftest import log_in
from tests.evaluation_helpers import (
    add_responses,
    builtin,
    finished_meeting,
    make_round,
    participant,
    running_meeting,
)
from tests.factories import make_reviewer, make_unit


def test_a_participant_answers_the_reflection_through_their_personal_link(
    page, live_server, assert_accessible
):
    meeting, *_ = finished_meeting()
    maria = participant(meeting)
    page.goto(live_server.url + reverse("participants:evaluation", args=[make_token(maria)]))
    expect(page.get_by_role("heading", name="Individuell slutreflektion")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Din roll").fill("Ordförande i nämnden")
    page.get_by_label("Fick alla komma till tals?").fill("Ja, laget runt fungerade.")
    page.get_by_label("Övriga kommentarer").fill("Tack för ett bra samtal.")
    page.get_by_role("button", name="Skicka utvärderingen").click()

    expect(page.get_by_role("status")).to_contain_text("Din utvärdering är sparad")
    assert_accessible(page)
    expect(page.get_by_label("Din roll")).to_have_value("Ordförande i nämnden")
    expect(page.get_by_role("button", name="Spara ändringarna")).to_be_visible()


def test_a_split_that_is_not_100_is_refused_and_a_right_one_reaches_the_projector_chart(
    page, live_server, assert_accessible, new_page
):
    meeting, facilitator, note_taker = running_meeting()
    projector = new_page()
    log_in(projector, live_server, "karin", assert_accessible)
    assert_accessible(projector)
    projector.goto(live_server.url + reverse("evaluations:projector", args=[meeting.pk]))
    expect(projector.get_by_text("0 av 4 har svarat")).to_be_visible()
    expect(projector.get_by_text("när den första fördelningen är sparad")).to_be_visible()
    expect(projector.get_by_role("button", name="Logga ut")).to_have_count(0)
    assert_accessible(projector)

    maria = participant(meeting)
    url = reverse("participants:perspective_split", args=[make_token(maria)])
    page.goto(live_server.url + url)
    assert_accessible(page)
    page.get_by_label("Medborgare/brukare").fill("50")
    page.get_by_label("Medarbetare").fill("20")
    page.get_by_label("Process & verksamhet").fill("20")
    page.get_by_label("Ekonomi").fill("15")
    page.get_by_label("Annat", exact=True).fill("5")
    page.get_by_label("Annat – vad?").fill("Lokalfrågor")
    total = page.locator("#split-total")
    expect(total).to_contain_text("Summa: 110 %")
    expect(total).to_contain_text("måste bli 100 %")
    page.get_by_role("button", name="Spara fördelningen").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Fördelningen blir 110 %. Den måste bli exakt 100 %."
    )
    assert_accessible(page)
    expect(page.get_by_label("Medborgare/brukare")).to_have_value("50")
    expect(page.get_by_label("Annat – vad?")).to_have_value("Lokalfrågor")

    page.get_by_label("Medborgare/brukare").fill("40")
    expect(total).to_contain_text("Summa: 100 % (stämmer)")
    page.get_by_role("button", name="Spara fördelningen").click()
    expect(page.get_by_role("status")).to_contain_text("Fördelningen är sparad")
    assert_accessible(page)
    chart = page.get_by_role("img", name=re.compile("Fördelning av tiden"))
    expect(chart).to_contain_text("40 %")

    # The projector updates by itself (htmx polls every 2 s).
    live = projector.get_by_role("img", name=re.compile("Fördelning av tiden"))
    expect(live).to_contain_text("Medborgare/brukare", timeout=8000)
    expect(live).to_contain_text("40 %")
    expect(projector.get_by_text("Genomsnitt av 1 svar.")).to_be_visible()
    assert_accessible(projector)


def test_an_anonymous_respondent_answers_a_survey_round_once(page, live_server, assert_accessible):
    instrument = builtin("forbattringsarbete")
    round = make_round(instrument, name="Före", unit=make_unit())
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("surveys:answer", args=[round.token]))
    expect(page.get_by_role("heading", name=instrument.name)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_label("Din funktion").select_option("Stöd")
    statements = list(instrument.statements.all())
    for statement in statements[:-1]:
        group = page.get_by_role("group", name=f"{statement.number}. {statement.text}")
        group.get_by_role("radio", name=re.compile(r"^5")).check()
    page.get_by_role("button", name="Skicka svaren").click()

    # The last statement was left out: asked for, the rest kept.
    expect(page.get_by_role("alert")).to_contain_text("1 svar saknas")
    assert_accessible(page)
    last = page.get_by_role("group", name=f"{statements[-1].number}. {statements[-1].text}")
    expect(last).to_contain_text("Välj ett värde från 1 till 7.")
    first = page.get_by_role("group", name=f"1. {statements[0].text}")
    expect(first.get_by_role("radio", name=re.compile(r"^5"))).to_be_checked()
    last.get_by_role("radio", name=re.compile(r"^7")).check()
    page.get_by_role("button", name="Skicka svaren").click()

    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + reverse("surveys:answer", args=[round.token]))
    expect(page.get_by_role("heading", name="Du har redan svarat")).to_be_visible()
    assert_accessible(page)


def test_kommunledning_reads_the_survey_results_and_charts_and_a_units_evaluations(
    page, live_server, assert_accessible
):
    meeting, *_ = finished_meeting()
    from samtal.evaluations.models import Evaluation, PerspectiveSplit

    Evaluation.objects.create(participation=participant(meeting), role="Ordförande")
    PerspectiveSplit.objects.create(
        meeting=meeting, is_group_entry=True, citizens=50, employees=20, process=20, economy=10
    )
    instrument = builtin("forbattringsarbete")
    before = make_round(instrument, name="Före", unit=meeting.unit, days_ago=100)
    after = make_round(instrument, name="Efter", unit=meeting.unit, days_ago=5)
    add_responses(before, 5, values={1: 3})
    add_responses(after, 6, values={1: 5}, function="stod")
    add_responses(after, 2, function="politik")
    make_reviewer()

    log_in(page, live_server, "kommunledning", assert_accessible)
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Utvärdering").click()
    expect(page.get_by_role("heading", name="Utvärdering", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Omgångar, länkar att dela och ny omgång").click()
    expect(page.get_by_role("heading", name="Omgångar av självskattningar")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("row", name=re.compile("Efter"))).to_contain_text(after.token)
    page.get_by_role("link", name="Utvärdering", exact=True).first.click()
    assert_accessible(page)

    page.get_by_role("link", name=instrument.name).click()
    expect(page.get_by_role("heading", name=re.compile("Självskattning"))).to_be_visible()
    assert_accessible(page)
    chart = page.get_by_role("img", name=re.compile("Genomsnitt per påstående och omgång"))
    expect(chart).to_be_visible()
    table = page.locator(
        "section", has=page.get_by_role("heading", name="Genomsnitt och förändring")
    )
    row = table.get_by_role("row", name=re.compile("Ledningsfunktionen lägger tillräckligt"))
    expect(row).to_contain_text("3,00")
    expect(row).to_contain_text("4,75")  # 6 × 5 and 2 × 4: small groups count in the total
    expect(row).to_contain_text("+1,75")
    expect(page.get_by_role("region", name="Per funktion", exact=True)).to_contain_text("visas ej")

    page.goto(live_server.url + reverse("evaluations:unit", args=[meeting.unit.pk]))
    expect(page.get_by_role("heading", name=re.compile(meeting.unit.name), level=1)).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Gruppens överenskomna").first).to_be_visible()
    # One reflection: its role would tell who wrote it, so it is not shown.
    expect(page.locator("summary", has_text="Ordförande")).to_have_count(0)
    page.locator("summary", has_text="Svar (rollen visas inte)").click()
    expect(page.locator("details[open]")).to_contain_text(
        "visas inte (färre än fem med samma roll)"
    )
    expect(page.get_by_role("img", name=re.compile("Fördelning av tiden"))).to_contain_text("50 %")
    assert_accessible(page)


def test_the_facilitator_sends_the_reflection_and_enters_the_groups_split(
    page, live_server, assert_accessible
):
    from django.core import mail

    meeting, *_ = finished_meeting()
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    assert_accessible(page)
    page.get_by_role("link", name="Utvärdering och fyra perspektiv").click()
    expect(page.get_by_role("heading", name=re.compile("Utvärdering: Hemtjänst"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Skicka utvärderingen till 4 medverkande").click()
    expect(page.get_by_role("status")).to_contain_text("Utvärderingen skickas till 4")
    assert_accessible(page)
    assert len(mail.outbox) == 4


def test_the_facilitator_opens_the_group_reflection_enters_the_groups_split_and_closes_it(
    page, live_server, assert_accessible
):
    meeting, *_ = running_meeting(open_split=False)
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    assert_accessible(page)
    page.get_by_role("link", name="Utvärdering och fyra perspektiv").click()
    assert_accessible(page)

    page.get_by_role("button", name="Öppna gruppreflektionen").click()
    expect(page.get_by_role("status")).to_contain_text("Gruppreflektionen är öppen")
    assert_accessible(page)

    page.get_by_role("link", name="Lägg in gruppens överenskomna fördelning").click()
    assert_accessible(page)
    for label, value in [
        ("Medborgare/brukare", "30"),
        ("Medarbetare", "30"),
        ("Process & verksamhet", "20"),
        ("Ekonomi", "20"),
    ]:
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Spara fördelningen").click()
    expect(page.get_by_role("status")).to_contain_text("Fördelningen är sparad")
    assert_accessible(page)
    expect(
        page.get_by_text("Gruppens överenskomna fördelning (inlagd av samtalsledaren).")
    ).to_be_visible()

    page.get_by_role("link", name="Utvärdering", exact=True).last.click()
    assert_accessible(page)
    page.get_by_role("button", name="Stäng gruppreflektionen").click()
    expect(page.get_by_role("status")).to_contain_text("Gruppreflektionen är stängd.")
    assert_accessible(page)
    page.goto(live_server.url + reverse("evaluations:group_split", args=[meeting.pk]))
    expect(page.get_by_text("Samtalsledaren har stängt gruppreflektionen.")).to_be_visible()
    expect(page.get_by_role("button", name="Spara fördelningen")).to_have_count(0)
    assert_accessible(page)


def test_a_closed_survey_round_says_so(page, live_server, assert_accessible):
    import datetime

    from django.utils import timezone

    round = make_round(closes_on=timezone.localdate() - datetime.timedelta(days=1), days_ago=20)
    page.goto(live_server.url + reverse("surveys:answer", args=[round.token]))
    expect(page.get_by_role("heading", name="Enkäten är inte öppen")).to_be_visible()
    assert_accessible(page)


def test_a_double_click_on_a_survey_or_a_first_reflection_saves_one_answer(
    page, live_server, assert_accessible
):
    from samtal.evaluations.models import Evaluation
    from samtal.surveys.models import Response

    instrument = builtin("styrmodell")
    round = make_round(instrument, name="Före", unit=make_unit())
    page.goto(live_server.url + reverse("surveys:answer", args=[round.token]))
    assert_accessible(page)
    page.get_by_label("Din funktion").select_option("Stöd")
    for radio in page.locator("input[type=radio][value='4']").all():
        radio.check()
    page.get_by_role("button", name="Skicka svaren").dblclick()
    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    assert_accessible(page)
    assert Response.objects.count() == 1

    meeting, *_ = finished_meeting()
    token = make_token(participant(meeting))
    page.goto(live_server.url + reverse("participants:evaluation", args=[token]))
    assert_accessible(page)
    page.get_by_label("Din roll").fill("Controller")
    page.get_by_label("Övriga kommentarer").fill("Bra mall.")
    page.get_by_role("button", name="Skicka utvärderingen").dblclick()
    expect(page.get_by_role("status")).to_contain_text("Din utvärdering är sparad")
    assert_accessible(page)
    assert Evaluation.objects.get().role == "Controller"


def test_a_blank_reflection_is_refused_and_the_role_typed_stays(
    page, live_server, assert_accessible
):
    from samtal.evaluations.models import Evaluation

    meeting, *_ = finished_meeting()
    token = make_token(participant(meeting))
    page.goto(live_server.url + reverse("participants:evaluation", args=[token]))
    assert_accessible(page)
    page.get_by_label("Din roll").fill("Controller")
    page.get_by_role("button", name="Skicka utvärderingen").click()
    expect(page.get_by_role("alert")).to_contain_text("Svara på minst en av frågorna")
    assert_accessible(page)
    expect(page.get_by_label("Din roll")).to_have_value("Controller")
    assert not Evaluation.objects.exists()


def test_kommunledning_copies_a_rounds_share_link(page, live_server, assert_accessible):
    make_reviewer("eva")
    round = make_round(name="Löpande")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, live_server, "eva", assert_accessible)
    assert_accessible(page)
    page.goto(live_server.url + reverse("surveys:rounds"))
    assert_accessible(page)
    expect(page.get_by_text("från ", exact=False).first).to_be_visible()
    page.get_by_role("button", name=re.compile("Kopiera länk")).click()
    expect(page.get_by_role("status").filter(has_text="Kopierad")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").endswith(round.token + "/")


def test_the_perspective_chart_has_readable_labels_on_a_phone(page, live_server, assert_accessible):
    meeting, facilitator, _ = running_meeting()
    from samtal.evaluations.models import PerspectiveSplit

    PerspectiveSplit.objects.create(
        meeting=meeting,
        participation=participant(meeting),
        citizens=40,
        employees=20,
        process=20,
        economy=15,
        other=5,
    )
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(live_server.url + reverse("evaluations:projector", args=[meeting.pk]))
    assert_accessible(page)
    label = page.locator(".perspective-bars__label").first
    expect(label).to_have_text("Medborgare/brukare")
    size = label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    expect(page.locator(".perspective-chart > svg")).to_be_hidden()
