"""Key figures from Kolada as a meeting's material: choosing, fetching (in the background job,
immediate in tests), refreshing, freezing at the start, failures, and the pages that show them.
All against the fake Kolada on loopback (tests/fake_kolada.py)."""

import re

import pytest
from django.urls import reverse

from samtal.a3 import live
from samtal.keyfigures.choosing import add_key_figure
from samtal.keyfigures.fetching import Outcome, fetch_key_figure
from samtal.keyfigures.models import Comparison, Favourite, KeyFigure, KeyFigureValue
from samtal.keyfigures.tasks import enqueue_refresh
from samtal.participants.links import make_token
from samtal.participants.models import Participation
from tests.factories import add_participant, make_meeting, make_user, staffed_meeting

from .fake_kolada import fake_kolada_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(fake_kolada):
    meeting, facilitator, note_taker = staffed_meeting()
    organisation = meeting.unit.organisation
    organisation.kolada_municipality_id = "2281"
    organisation.save()
    meeting.facilitator_user = facilitator
    return meeting


def riket_choice(kpi_id="N99001", title="Brukarbedömning – testdata", divided=True):
    return {
        "kpi_id": kpi_id,
        "title": title,
        "description": "",
        "is_divided_by_gender": divided,
        "comparison": Comparison.RIKET,
        "comparison_ids": ["0000"],
        "comparison_titles": ["Riket"],
    }


def values_of(key_figure, area="2281", gender="T"):
    return {
        v.year: v.value
        for v in KeyFigureValue.objects.filter(key_figure=key_figure, area_id=area, gender=gender)
    }


def manage_url(meeting):
    return reverse("keyfigures:manage", args=[meeting.pk])


# --- Fetching ------------------------------------------------------------------------------


def test_choosing_fetches_the_values_with_paging_and_keeps_nulls(meeting, fake_kolada):
    fake_kolada.page_size = 5
    key_figure = add_key_figure(meeting, riket_choice())
    key_figure.refresh_from_db()
    assert key_figure.fetched_at is not None
    assert key_figure.last_error == ""
    own = values_of(key_figure)
    assert own[2018] == 83.0
    assert own[2019] is None  # missing in Kolada: kept as null, never 0
    assert values_of(key_figure, "0000")[2020] == 84.5
    assert values_of(key_figure, gender="K")[2020] == 87.0
    # Title and description come from Kolada's metadata.
    assert key_figure.title.startswith("Brukarbedömning hemtjänst")
    pages = [q.get("page") for p, q in fake_kolada.requests if p.startswith("/v3/data/")]
    assert "2" in pages  # the next-page link was followed


def test_a_group_comparison_is_the_mean_of_its_members(meeting):
    choice = riket_choice("N99002", "Kostnad – testdata", divided=False)
    choice.update(
        comparison=Comparison.GROUP,
        comparison_ids=["2262", "2280"],
        comparison_titles=["Timrå", "Härnösand"],
        comparison_group_id="G99001",
        comparison_group_title="Liknande kommuner",
    )
    key_figure = add_key_figure(meeting, choice)
    group = values_of(key_figure, "G99001")
    assert group[2021] == 255000.0
    assert group[2020] == 240000.0  # Härnösand's null is left out, not counted as 0


def test_an_organisational_units_values_come_from_oudata(meeting):
    choice = riket_choice("N99003", "Behöriga – testdata")
    choice.update(ou_id="V99TEST001", ou_title="Testskolan 7–9")
    key_figure = add_key_figure(meeting, choice)
    assert values_of(key_figure, "V99TEST001")[2021] == 72.0
    assert values_of(key_figure, "0000")[2021] == 85.5
    assert key_figure.area_title == "Testskolan 7–9"


def test_refresh_replaces_the_values_until_the_meeting_starts(meeting, fake_kolada):
    key_figure = add_key_figure(meeting, riket_choice())
    fake_kolada.data[("N99001", "2281", 2024)][0]["value"] = 91.5
    assert enqueue_refresh(meeting, only_stale=False) == 1
    assert values_of(key_figure)[2024] == 91.5
    # Fresh values are not fetched again by the periodic refresh.
    assert enqueue_refresh(meeting) == 0


def test_values_are_frozen_when_the_meeting_starts(meeting, fake_kolada):
    key_figure = add_key_figure(meeting, riket_choice())
    before = values_of(key_figure)
    live.start_live(meeting, meeting.facilitator_user)
    fake_kolada.data[("N99001", "2281", 2024)][0]["value"] = 12.0
    assert fetch_key_figure(key_figure.pk) == Outcome.FROZEN
    assert enqueue_refresh(only_stale=False) == 0
    assert values_of(key_figure) == before
    fake_kolada.fail("500")
    assert fetch_key_figure(key_figure.pk) == Outcome.FROZEN
    key_figure.refresh_from_db()
    assert key_figure.last_error == ""


@pytest.mark.parametrize(
    "failure, message",
    [
        ("timeout", "svarade inte inom"),
        ("500", "tekniskt fel just nu (felkod 500)"),
        ("429", "för många frågor just nu"),
        ("malformed", "inte går att läsa"),
        ("empty", "Kolada svarade tomt"),
        ("shape", "oväntat format"),
    ],
)
def test_a_failed_refresh_keeps_the_last_good_values_and_says_why(
    client,
    meeting,
    fake_kolada,
    settings,
    failure,
    message,
):
    settings.KOLADA_TIMEOUT = 0.3
    fake_kolada.delay = 1.0
    key_figure = add_key_figure(meeting, riket_choice())
    good = values_of(key_figure)
    fetched_at = KeyFigure.objects.get(pk=key_figure.pk).fetched_at
    fake_kolada.fail(failure)
    assert fetch_key_figure(key_figure.pk) == Outcome.FAILED
    key_figure.refresh_from_db()
    assert message in key_figure.last_error
    assert key_figure.fetched_at == fetched_at
    assert values_of(key_figure) == good
    client.force_login(meeting.facilitator_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nya värden kunde inte hämtas från Kolada" in text
    assert "Värdena nedan är från den senaste lyckade hämtningen." in text
    fake_kolada.heal()
    assert fetch_key_figure(key_figure.pk) == Outcome.FETCHED
    key_figure.refresh_from_db()
    assert key_figure.last_error == ""


def test_a_first_fetch_that_fails_shows_the_reason_not_zeros(client, meeting, fake_kolada):
    fake_kolada.fail("500")
    key_figure = add_key_figure(meeting, riket_choice())
    assert not key_figure.values.exists()
    client.force_login(meeting.facilitator_user)
    text = client.get(manage_url(meeting)).content.decode()
    assert "Senaste hämtningen misslyckades" in text
    assert "felkod 500" in text


# --- Favourites ----------------------------------------------------------------------------


def test_the_next_meeting_of_the_unit_starts_with_last_times_key_figures(meeting):
    add_key_figure(meeting, riket_choice())
    assert Favourite.objects.filter(unit=meeting.unit, kpi_id="N99001").exists()
    next_meeting = make_meeting(theme="Hemtjänst 2027", unit=meeting.unit, days_from_today=90)
    (carried,) = next_meeting.key_figures.all()
    assert carried.kpi_id == "N99001"
    assert carried.comparison == Comparison.RIKET
    assert carried.values.exists()  # fetched for the new meeting as well


def test_a_favourite_can_be_added_and_dropped(client, meeting):
    favourite = Favourite.objects.create(unit=meeting.unit, **riket_choice("N99002", "Kostnad"))
    client.force_login(meeting.facilitator_user)
    assert "Favoriter för" in client.get(manage_url(meeting)).content.decode()
    client.post(reverse("keyfigures:favourite_add", args=[meeting.pk, favourite.pk]))
    assert meeting.key_figures.filter(kpi_id="N99002").exists()
    client.post(reverse("keyfigures:favourite_remove", args=[meeting.pk, favourite.pk]))
    assert not Favourite.objects.filter(pk=favourite.pk).exists()
    assert meeting.key_figures.filter(kpi_id="N99002").exists()


# --- Choosing (views) ----------------------------------------------------------------------


def test_the_facilitator_searches_by_swedish_words(client, meeting):
    client.force_login(meeting.facilitator_user)
    response = client.get(manage_url(meeting), {"q": "hemtjänst"})
    text = response.content.decode()
    assert "2 träffar på ”hemtjänst”" in text
    assert "Kostnad hemtjänst, kr/brukare – testdata" in text
    assert "andel brukare som är nöjda" in text  # the description


def test_an_htmx_search_answers_with_the_results_only(client, meeting):
    client.force_login(meeting.facilitator_user)
    response = client.get(
        manage_url(meeting),
        {"q": "skola"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="sokresultat",
    )
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="sokresultat"')
    assert "<html" not in text


def test_a_failed_search_says_why_in_swedish(client, meeting, fake_kolada):
    fake_kolada.fail("429")
    client.force_login(meeting.facilitator_user)
    response = client.get(manage_url(meeting), {"q": "hemtjänst"})
    assert response.status_code == 200
    assert "Sökningen gick inte att göra: Kolada tar emot för många frågor" in (
        response.content.decode()
    )


def test_choosing_shows_the_description_then_adds_with_riket(client, meeting):
    client.force_login(meeting.facilitator_user)
    url = reverse("keyfigures:choose", args=[meeting.pk, "N99001"])
    page = client.get(url).content.decode()
    assert "andel brukare som är nöjda" in page
    assert "uppdelat på kön" in page
    response = client.post(url, {"comparison": "riket", "keep_as_favourite": "on"})
    assert response.status_code == 302
    key_figure = meeting.key_figures.get()
    assert (key_figure.kpi_id, key_figure.comparison_label) == ("N99001", "Riket")
    assert key_figure.values.exists()


def test_choosing_municipalities_by_name_or_code(client, meeting):
    client.force_login(meeting.facilitator_user)
    url = reverse("keyfigures:choose", args=[meeting.pk, "N99002"])
    client.post(url, {"comparison": "kommuner", "municipalities": "Timrå, 2280"})
    key_figure = meeting.key_figures.get()
    assert key_figure.comparison_ids == ["2262", "2280"]
    assert key_figure.comparison_label == "Timrå, Härnösand"
    assert values_of(key_figure, "2280")[2020] is None
    assert values_of(key_figure, "2262")[2020] == 240000.0


def test_an_unknown_municipality_is_explained_and_the_text_kept(client, meeting):
    client.force_login(meeting.facilitator_user)
    url = reverse("keyfigures:choose", args=[meeting.pk, "N99002"])
    response = client.post(url, {"comparison": "kommuner", "municipalities": "Timrå, Atlantis"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Kolada har ingen kommun eller region som heter ”Atlantis”." in text
    assert 'value="Timrå, Atlantis"' in text
    assert not meeting.key_figures.exists()


def test_a_group_is_found_by_its_name(client, meeting):
    client.force_login(meeting.facilitator_user)
    url = reverse("keyfigures:choose", args=[meeting.pk, "N99002"])
    response = client.post(url, {"comparison": "grupp", "group": "liknande kommuner"})
    assert "Flera kommungrupper matchar" in response.content.decode()
    client.post(url, {"comparison": "grupp", "group": "hemtjänst"})
    key_figure = meeting.key_figures.get()
    assert key_figure.comparison_group_id == "G99001"
    assert key_figure.comparison_ids == ["2262", "2280"]


def test_kolada_failing_while_choosing_keeps_what_was_typed(client, meeting, fake_kolada):
    client.force_login(meeting.facilitator_user)
    url = reverse("keyfigures:choose", args=[meeting.pk, "N99002"])
    fake_kolada.fail("500", only="municipality")  # the key figure answers, the look-up fails
    response = client.post(url, {"comparison": "kommuner", "municipalities": "Timrå"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Kolada kunde inte fråga just nu: Kolada har ett tekniskt fel" in text
    assert 'value="Timrå"' in text
    assert not meeting.key_figures.exists()


def test_removing_a_key_figure(client, meeting):
    key_figure = add_key_figure(meeting, riket_choice())
    client.force_login(meeting.facilitator_user)
    client.post(reverse("keyfigures:remove", args=[meeting.pk, key_figure.pk]))
    assert not meeting.key_figures.exists()


def test_nothing_changes_after_the_start(client, meeting):
    key_figure = add_key_figure(meeting, riket_choice())
    live.start_live(meeting, meeting.facilitator_user)
    client.force_login(meeting.facilitator_user)
    response = client.post(
        reverse("keyfigures:remove", args=[meeting.pk, key_figure.pk]), follow=True
    )
    assert "Nyckeltalen är låsta" in response.content.decode()
    assert meeting.key_figures.exists()
    client.post(reverse("keyfigures:choose", args=[meeting.pk, "N99002"]), {"comparison": "riket"})
    assert meeting.key_figures.count() == 1


def test_only_who_may_plan_chooses_key_figures(client, meeting):
    participant = make_user("deltagare")
    add_participant(meeting, "Deltagare Ett", user=participant)
    outsider = make_user("utomstaende")
    urls = [
        ("get", manage_url(meeting)),
        ("get", reverse("keyfigures:choose", args=[meeting.pk, "N99001"])),
        ("post", reverse("keyfigures:refresh", args=[meeting.pk])),
    ]
    for user in (participant, outsider):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403
    client.logout()
    assert client.get(manage_url(meeting)).status_code == 302


def test_a_missing_municipality_code_is_explained(client, meeting):
    organisation = meeting.unit.organisation
    organisation.kolada_municipality_id = ""
    organisation.save()
    client.force_login(meeting.facilitator_user)
    text = client.get(manage_url(meeting)).content.decode()
    assert "saknar kommunkod för Kolada" in text
    assert "Sök nyckeltal i Kolada" not in text


# --- Display -------------------------------------------------------------------------------


def test_the_preparation_page_shows_chart_table_and_source(client, meeting):
    add_key_figure(meeting, riket_choice())
    participation = meeting.participations.get(person__name="Maria Ek")
    text = client.get(
        reverse("participants:preparation", args=[make_token(participation)])
    ).content.decode()
    assert "Brukarbedömning hemtjänst, helhetssyn, andel (%) – testdata" in text
    assert 'role="img"' in text and "<desc" in text
    assert "Källa: Kolada" in text and "hämtat" in text
    # The table: the missing year is a dash, never 0.
    row_2019 = re.search(r"<th scope=\"row\">2019</th>(.*?)</tr>", text).group(1)
    assert '<td class="num">–</td>' in row_2019
    assert "värdet saknas i Kolada" in text
    assert "Sundsvalls kommun, kvinnor" in text and "Sundsvalls kommun, män" in text


def test_the_chart_leaves_a_gap_for_a_missing_year(meeting):
    from samtal.keyfigures.charts import line_chart

    key_figure = add_key_figure(meeting, riket_choice())
    chart = line_chart(KeyFigure.objects.get(pk=key_figure.pk))
    own = chart["drawings"][0]["lines"][0]
    assert len(own["segments"]) == 2  # broken at 2019
    assert 2019 not in [p["year"] for p in own["points"]]
    assert chart["years"][-1] == 2025 and len(chart["years"]) == 10


def test_the_meeting_page_shows_the_key_figures(client, meeting):
    add_key_figure(meeting, riket_choice())
    client.force_login(meeting.facilitator_user)
    text = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Nyckeltal" in text and "Källa: Kolada" in text


def test_the_projector_shows_one_key_figure_at_a_time_in_step_2(client, meeting):
    add_key_figure(meeting, riket_choice())
    add_key_figure(meeting, riket_choice("N99002", "Kostnad", divided=False))
    live.start_live(meeting, meeting.facilitator_user)
    client.force_login(meeting.facilitator_user)
    projector = reverse("a3_live:projector", args=[meeting.pk])
    assert "Visa nyckeltalen" not in client.get(projector).content.decode()  # step 1
    live.move_step(meeting, meeting.facilitator_user, direction="next")
    text = client.get(projector).content.decode()
    assert "Underlaget har 2 nyckeltal från Kolada." in text
    text = client.get(projector, {"nyckeltal": "2"}).content.decode()
    assert "Nyckeltal 2 av 2" in text
    assert "Kostnad hemtjänst, kr/brukare – testdata" in text
    assert "Brukarbedömning hemtjänst" not in text
    assert "Källa: Kolada" in text
    assert "data-keyfigure-prev" in text and "data-keyfigure-next" not in text


def test_example_values_are_marked_as_such(client, meeting):
    key_figure = add_key_figure(meeting, riket_choice())
    KeyFigure.objects.filter(pk=key_figure.pk).update(is_example=True)
    client.force_login(meeting.facilitator_user)
    text = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Exempelvärden" in text and "inte Koladas" in text
    assert "Källa: Kolada" not in text


def test_the_pdfs_underlag_page_has_the_key_figures(client, meeting):
    import io

    from pypdf import PdfReader

    add_key_figure(meeting, riket_choice())
    client.force_login(meeting.facilitator_user)
    response = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]), {"underlag": "1"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(body))
    first, second = (reader.pages[i].extract_text() for i in (0, 1))
    assert "Underlag för samtal" in first
    # The key figures follow on a page of their own within the Underlag section.
    assert "Underlag för samtal – nyckeltal" in second
    assert "Källa: Kolada" in second
    assert "Brukarbedömning hemtjänst" in second
    assert "Samtalsmall" in reader.pages[2].extract_text()


def test_a_participant_without_a_planners_rights_sees_no_choose_link(client, meeting):
    add_key_figure(meeting, riket_choice())
    reader = make_user("maria2")
    add_participant(meeting, "Maria Två", Participation.Role.PARTICIPANT, user=reader)
    client.force_login(reader)
    text = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Källa: Kolada" in text
    assert manage_url(meeting) not in text


# --- Demo and the refresh command -------------------------------------------------------


def load_demo_meetings():
    from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file

    load_demo(read_demo_file())


def test_the_demo_ships_example_values_marked_as_such_and_works_offline(client, settings):
    settings.KOLADA_BASE_URL = "http://127.0.0.1:9/v3/"  # nothing listens there
    from samtal.demo.keyfigures import fetch_demo_live

    load_demo_meetings()
    assert "demon visar exempelvärden" in fetch_demo_live()
    figures = KeyFigure.objects.all()
    assert figures.count() == 4
    assert all(f.is_example and f.last_error == "" for f in figures)
    hemtjanst = KeyFigure.objects.filter(meeting__theme="Hemtjänst").first()
    assert values_of(hemtjanst).get(hemtjanst.values.order_by("year").first().year + 3) is None
    client.force_login(hemtjanst.meeting.created_by or make_user("admin2", is_superuser=True))
    text = client.get(reverse("meetings:detail", args=[hemtjanst.meeting.pk])).content.decode()
    assert "Exempelvärden" in text


def test_the_demo_uses_live_kolada_when_it_answers(fake_kolada):
    from samtal.demo.keyfigures import fetch_demo_live

    for kpi_id in ("N15501", "N17457"):
        fake_kolada.kpis.append(
            {"id": kpi_id, "title": f"{kpi_id} – testdata", "is_divided_by_gender": 0}
        )
        fake_kolada.data[(kpi_id, "2281", 2024)] = [{"gender": "T", "value": 1.5}]
    load_demo_meetings()
    assert fetch_demo_live() == "Nyckeltalen för de planerade samtalen är hämtade från Kolada."
    school = KeyFigure.objects.get(meeting__theme="Grundskola", kpi_id="N15501")
    assert not school.is_example
    assert values_of(school) == {2024: 1.5}
    # The finished meeting keeps what its room saw: example values.
    assert KeyFigure.objects.get(meeting__theme="Hemtjänst", kpi_id="U21468").is_example


def test_the_refresh_command_fetches_stale_key_figures_of_planned_meetings(meeting, fake_kolada):
    from io import StringIO

    from django.core.management import call_command

    key_figure = add_key_figure(meeting, riket_choice())
    KeyFigure.objects.filter(pk=key_figure.pk).update(fetched_at=None)
    out = StringIO()
    call_command("refresh_keyfigures", stdout=out)
    assert "1 nyckeltal köade" in out.getvalue()
    out = StringIO()
    fake_kolada.fail("429")
    call_command("refresh_keyfigures", "--nu", stdout=out)
    assert "för många frågor" in out.getvalue()
    assert "0 av 1 hämtade." in out.getvalue()


def test_more_key_figures_cost_no_more_queries_on_the_meeting_page(client, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(meeting.facilitator_user)
    url = reverse("meetings:detail", args=[meeting.pk])
    add_key_figure(meeting, riket_choice())
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_key_figure(meeting, riket_choice("N99002", "Kostnad", divided=False))
    add_key_figure(meeting, riket_choice("N99003", "Behöriga"))
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(three) == len(one)


def test_an_htmx_choose_answers_with_the_form_only(client, meeting):
    client.force_login(meeting.facilitator_user)
    response = client.get(
        reverse("keyfigures:choose", args=[meeting.pk, "N99001"]), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "<html" not in text
    assert "Lägg till i underlaget" in text
    assert "kf-choose__title" not in text  # the search hit already shows the title
