import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from samtal.archive.models import SearchDocument
from samtal.archive.search import cut_passage, highlight, index_meeting
from samtal.core.collation import swedish, swedish_sorted
from samtal.meetings.models import Meeting, Unit
from tests.archive_helpers import action, finished_meeting
from tests.factories import make_meeting, make_reviewer, make_unit, make_user, staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """The archive caches its filter choices; every test starts without them."""
    from django.core.cache import cache

    cache.clear()


ARCHIVE = reverse("archive:list")


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer())
    return client


# Access -------------------------------------------------------------------


def test_a_reviewer_sees_finished_meetings_of_every_unit(reviewer_client):
    finished_meeting("Hemtjänst", unit=make_unit("Vård- och omsorgsnämnden"))
    finished_meeting("Grundskola", unit=make_unit("Barn- och utbildningsnämnden"))
    response = reviewer_client.get(ARCHIVE)
    assert response.status_code == 200
    assert "Hemtjänst" in response.text and "Grundskola" in response.text


def test_the_archive_lists_no_planned_or_running_meetings(reviewer_client):
    make_meeting("Origoparken", status=Meeting.Status.PLANNED)
    make_meeting("Förskola", status=Meeting.Status.RUNNING)
    response = reviewer_client.get(ARCHIVE)
    assert "Origoparken" not in response.text and "Förskola" not in response.text


def test_a_user_without_the_permission_gets_403_on_the_archive(client):
    meeting = finished_meeting()
    client.force_login(make_user())
    assert client.get(ARCHIVE).status_code == 403
    assert client.get(reverse("archive:meeting", args=[meeting.id])).status_code == 403


def test_a_facilitator_of_the_meeting_still_gets_403_in_the_archive(client):
    meeting, facilitator, _ = staffed_meeting(status=Meeting.Status.FINISHED)
    client.force_login(facilitator)
    assert client.get(reverse("archive:meeting", args=[meeting.id])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(ARCHIVE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_permission_granted_through_a_group_opens_the_archive(client):
    user = make_user()
    group = Group.objects.create(name="Kommunledning")
    group.permissions.add(Permission.objects.get(codename="review_archive"))
    user.groups.add(group)
    client.force_login(user)
    assert client.get(ARCHIVE).status_code == 200


def test_a_reviewer_gets_404_for_a_meeting_that_is_not_finished(reviewer_client):
    meeting = make_meeting(status=Meeting.Status.PLANNED)
    assert reviewer_client.get(reverse("archive:meeting", args=[meeting.id])).status_code == 404


def test_a_reviewer_gets_404_for_an_unknown_meeting(reviewer_client):
    assert reviewer_client.get(reverse("archive:meeting", args=[999999])).status_code == 404


def test_archive_pages_refuse_post(reviewer_client):
    meeting = finished_meeting()
    assert reviewer_client.post(ARCHIVE).status_code == 405
    assert reviewer_client.post(reverse("archive:meeting", args=[meeting.id])).status_code == 405


def test_the_read_only_a3_shows_what_was_written_and_no_edit_form(reviewer_client):
    meeting = finished_meeting(claims=[("Kontinuiteten har ökat", "färre personer per brukare")])
    response = reviewer_client.get(reverse("archive:meeting", args=[meeting.id]))
    assert response.status_code == 200
    assert "Kontinuiteten har ökat" in response.text
    assert "färre personer per brukare" in response.text
    assert "<textarea" not in response.text and 'method="post"' not in response.text.replace(
        'method="post" action="/logga-ut/"', ""
    )


# List columns, filters, sorting ------------------------------------------------


def test_the_list_shows_unit_date_facilitator_and_open_action_count(reviewer_client):
    facilitator = make_user("karin", first_name="Karin", last_name="Lindqvist")
    meeting = finished_meeting(unit=make_unit("Vård- och omsorgsnämnden"), facilitator=facilitator)
    action(meeting, "Ett")
    action(meeting, "Två", status="pagar")
    action(meeting, "Klar", status="klar")
    response = reviewer_client.get(ARCHIVE)
    row = response.context["page"][0]
    assert row.open_actions == 2
    assert row.facilitator_name == "Karin Lindqvist"
    assert "Vård- och omsorgsnämnden" in response.text
    assert meeting.date.isoformat() in response.text


def test_filter_by_unit(reviewer_client):
    finished_meeting("Hemtjänst", unit=make_unit("Vård- och omsorgsnämnden"))
    school = make_unit("Barn- och utbildningsnämnden")
    finished_meeting("Grundskola", unit=school)
    response = reviewer_client.get(ARCHIVE, {"enhet": school.id})
    assert [m.theme for m in response.context["page"]] == ["Grundskola"]


def test_filter_by_year(reviewer_client):
    finished_meeting("I år", days_ago=1)
    finished_meeting("För två år sedan", days_ago=800)
    year = (datetime.date.today() - datetime.timedelta(days=800)).year
    response = reviewer_client.get(ARCHIVE, {"ar": year})
    assert [m.theme for m in response.context["page"]] == ["För två år sedan"]


def test_filter_by_theme(reviewer_client):
    finished_meeting("Hemtjänst")
    finished_meeting("Grundskola")
    response = reviewer_client.get(ARCHIVE, {"tema": "Grundskola"})
    assert [m.theme for m in response.context["page"]] == ["Grundskola"]


def test_filter_by_template_version(reviewer_client):
    first = finished_meeting("Hemtjänst")
    later = finished_meeting("Grundskola")
    version = first.template_version
    other = version.__class__.objects.create(
        template=version.template, number=version.number + 1, title="Samtalsmall"
    )
    Meeting.objects.filter(pk=later.pk).update(template_version=other)
    response = reviewer_client.get(ARCHIVE, {"mall": other.id})
    assert [m.theme for m in response.context["page"]] == ["Grundskola"]


def test_an_unknown_filter_value_gets_a_swedish_message_and_keeps_the_search(reviewer_client):
    finished_meeting("Hemtjänst")
    response = reviewer_client.get(ARCHIVE, {"enhet": "99999", "q": "hemtjänst"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    assert 'value="hemtjänst"' in response.text


def test_the_list_is_paginated(reviewer_client):
    for number in range(27):
        finished_meeting(f"Tema {number}", days_ago=number + 1)
    first = reviewer_client.get(ARCHIVE)
    second = reviewer_client.get(ARCHIVE, {"sida": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2
    assert "Sida 1 av 2" in first.text


def test_sorting_by_unit_puts_a_a_o_after_z(reviewer_client):
    for name in ["Örnsköldsviks bolag", "Ängenämnden", "Zoonämnden", "Ådalsnämnden", "Alnönämnden"]:
        finished_meeting("Tema", unit=make_unit(name))
    response = reviewer_client.get(ARCHIVE, {"sortering": "enhet"})
    assert [m.unit.name for m in response.context["page"]] == [
        "Alnönämnden",
        "Zoonämnden",
        "Ådalsnämnden",
        "Ängenämnden",
        "Örnsköldsviks bolag",
    ]


def test_sorting_by_unit_follows_renamed_and_new_units(reviewer_client):
    """The sort uses each unit's stored place in Swedish order (Unit.sort_rank), which
    saving a unit keeps up to date."""
    first = make_unit("Alnönämnden")
    finished_meeting("Tema", unit=first, days_ago=1)
    finished_meeting("Tema", unit=make_unit("Kulturnämnden"), days_ago=50)
    first.name = "Östra nämnden"
    first.save()
    finished_meeting("Tema", unit=make_unit("Byggnämnden"), days_ago=100)

    def units():
        page = reviewer_client.get(ARCHIVE, {"sortering": "enhet"}).context["page"]
        return [m.unit.name for m in page]

    assert units() == ["Byggnämnden", "Kulturnämnden", "Östra nämnden"]


def test_the_database_collation_sorts_the_swedish_way():
    organisation = make_unit().organisation
    for name in ["Ödenämnden", "Äppelnämnden", "Åsnämnden", "Zetanämnden", "anämnden"]:
        Unit.objects.create(organisation=organisation, name=name)
    names = list(
        Unit.objects.filter(name__endswith="nämnden")
        .exclude(name__startswith="Vård")
        .order_by(swedish("name"))
        .values_list("name", flat=True)
    )
    assert names == ["anämnden", "Zetanämnden", "Åsnämnden", "Äppelnämnden", "Ödenämnden"]


def test_python_sorting_puts_a_a_o_after_z():
    assert swedish_sorted(["öl", "ål", "äng", "zebra", "Anna"]) == [
        "Anna",
        "zebra",
        "ål",
        "äng",
        "öl",
    ]


def test_theme_choices_are_in_swedish_order(reviewer_client):
    for theme in ["Överförmyndare", "Äldreomsorg", "Åtgärder", "Zoo", "Bibliotek"]:
        finished_meeting(theme)
    response = reviewer_client.get(ARCHIVE)
    themes = [value for value, _ in response.context["form"].fields["tema"].choices][1:]
    assert themes == ["Bibliotek", "Zoo", "Åtgärder", "Äldreomsorg", "Överförmyndare"]


# Search -------------------------------------------------------------------


def test_search_finds_a_word_from_a_claim_and_marks_it(reviewer_client):
    finished_meeting("Hemtjänst", claims=[("Kontinuiteten har ökat", "färre personer")])
    finished_meeting("Grundskola", claims=[("Läsförståelsen har ökat", "")])
    response = reviewer_client.get(ARCHIVE, {"q": "kontinuiteten"})
    assert [m.theme for m in response.context["page"]] == ["Hemtjänst"]
    assert "<mark>Kontinuiteten</mark>" in response.text


def test_search_finds_the_theme(reviewer_client):
    finished_meeting("Origoparken")
    finished_meeting("Hemtjänst")
    response = reviewer_client.get(ARCHIVE, {"q": "origoparken"})
    assert [m.theme for m in response.context["page"]] == ["Origoparken"]


def test_search_with_no_match_says_so(reviewer_client):
    finished_meeting("Hemtjänst")
    response = reviewer_client.get(ARCHIVE, {"q": "cykelbanor"})
    assert "Inga avslutade samtal matchar sökningen" in response.text


def test_what_users_wrote_never_becomes_html_in_the_passage(reviewer_client):
    finished_meeting("Hemtjänst", claims=[("<script>alert(1)</script> trygghet", "")])
    response = reviewer_client.get(ARCHIVE, {"q": "trygghet"})
    assert "<script>alert(1)</script>" not in response.text
    assert "<mark>trygghet</mark>" in response.text


def test_highlight_escapes_everything_but_its_own_markers():
    html = highlight("<b>fet</b> \ue000träff\ue001")
    assert html == "&lt;b&gt;fet&lt;/b&gt; <mark>träff</mark>"


def test_the_sqlite_passage_is_cut_around_the_first_match():
    body = "a " * 200 + "Väntetiderna har minskat" + " b" * 200
    passage = cut_passage(body, ["väntetiderna"])
    assert "\ue000Väntetiderna\ue001" in passage
    assert passage.startswith("… ") and passage.endswith(" …")


def test_finishing_a_meeting_is_indexed_by_index_meeting():
    meeting = finished_meeting("Hemtjänst", claims=[("Nöjdheten har ökat", "enkäten")])
    document = SearchDocument.objects.get(meeting=meeting)
    assert "Nöjdheten har ökat – enkäten" in document.body
    assert document.title == "Hemtjänst"


def test_index_meeting_twice_keeps_one_document():
    meeting = finished_meeting()
    index_meeting(meeting)
    assert SearchDocument.objects.filter(meeting=meeting).count() == 1


def test_the_rebuild_command_indexes_every_finished_meeting():
    from django.core.management import call_command

    meeting = make_meeting(status=Meeting.Status.FINISHED)
    make_meeting(status=Meeting.Status.PLANNED)
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert list(SearchDocument.objects.values_list("meeting_id", flat=True)) == [meeting.id]


# PostgreSQL: Swedish stemming -----------------------------------------------------


@pytest.mark.postgres
def test_hemtjansten_finds_hemtjanst_on_postgresql(reviewer_client):
    finished_meeting("Äldreomsorg", claims=[("Brukarna i hemtjänst är nöjda", "enkäten")])
    finished_meeting("Grundskola", claims=[("Eleverna läser mer", "")])
    response = reviewer_client.get(ARCHIVE, {"q": "hemtjänsten"})
    assert [m.theme for m in response.context["page"]] == ["Äldreomsorg"]
    assert "<mark>hemtjänst</mark>" in response.text


@pytest.mark.postgres
def test_search_ranks_a_theme_match_above_a_passing_mention(reviewer_client):
    finished_meeting("Grundskola", days_ago=1, claims=[("Samverkan med hemtjänsten", "")])
    finished_meeting("Hemtjänst", days_ago=100, claims=[("Brukarna är nöjda", "")])
    response = reviewer_client.get(ARCHIVE, {"q": "hemtjänst"})
    assert [m.theme for m in response.context["page"]] == ["Hemtjänst", "Grundskola"]


def test_saving_a_meeting_as_finished_indexes_it_after_commit(django_capture_on_commit_callbacks):
    meeting = make_meeting("Hemtjänst", status=Meeting.Status.RUNNING)
    step = meeting.template_version.steps.get(key="2B")
    from samtal.a3.models import Entry

    Entry.objects.create(meeting=meeting, step=step, text="Fler brukare är nöjda")
    with django_capture_on_commit_callbacks(execute=True):
        meeting.status = Meeting.Status.FINISHED
        meeting.save(update_fields=["status"])
    assert "Fler brukare är nöjda" in SearchDocument.objects.get(meeting=meeting).body


def test_a_page_number_past_the_end_shows_the_last_page(reviewer_client):
    for number in range(27):
        finished_meeting(f"Tema {number}", days_ago=number + 1)
    response = reviewer_client.get(ARCHIVE, {"sida": 99})
    assert response.context["page"].number == 2 and len(response.context["page"]) == 2
    response = reviewer_client.get(ARCHIVE, {"sida": 99, "q": "tema"})
    assert response.context["page"].number == 2 and len(response.context["page"]) == 2


def test_a_nonsense_page_number_shows_the_first_page(reviewer_client):
    finished_meeting()
    response = reviewer_client.get(ARCHIVE, {"sida": "x"})
    assert response.status_code == 200 and response.context["page"].number == 1


def test_the_filter_selects_keep_the_choice_and_escape_the_labels(reviewer_client):
    finished_meeting("<Skola & fritid>")
    response = reviewer_client.get(ARCHIVE, {"tema": "<Skola & fritid>"})
    assert (
        '<option value="&lt;Skola &amp; fritid&gt;" selected>&lt;Skola &amp; fritid&gt;</option>'
        in response.text
    )
    assert '<select name="tema" id="id_tema">' in response.text


def test_an_htmx_request_gets_only_the_results(reviewer_client):
    finished_meeting("Hemtjänst")
    response = reviewer_client.get(ARCHIVE, {"q": "hemtjänst"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.text
    assert 'id="resultat"' in response.text and "Hemtjänst" in response.text


def test_a_reviewer_cannot_open_a_planned_meeting_they_are_not_part_of(reviewer_client):
    meeting = make_meeting(status=Meeting.Status.PLANNED)
    assert reviewer_client.get(reverse("meetings:detail", args=[meeting.id])).status_code == 403
