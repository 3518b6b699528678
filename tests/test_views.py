import pytest
from django.urls import reverse

from samtal.a3.models import Entry
from samtal.participants.models import Participation
from tests.factories import add_participant, make_meeting, make_user, staffed_meeting

pytestmark = pytest.mark.django_db


def test_the_start_page_sends_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_the_login_page_is_swedish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'lang="sv"' in response.content
    assert "Användarnamn" in response.text and "Lösenord" in response.text


def test_a_wrong_password_gets_a_clear_swedish_message(client):
    make_user("karin")
    response = client.post(reverse("login"), {"username": "karin", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.text
    assert 'value="karin"' in response.text  # what was typed is kept


def test_a_right_password_leads_to_my_meetings(client):
    make_user("karin")
    response = client.post(reverse("login"), {"username": "karin", "password": "rätt-lösenord-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:mine")


def test_repeated_failures_for_one_user_are_throttled_even_with_the_right_password(client):
    make_user("karin")
    for attempt in range(5):
        client.post(
            reverse("login"),
            {"username": "karin", "password": f"fel{attempt}"},
            REMOTE_ADDR=f"10.0.0.{attempt}",
        )
    response = client.post(
        reverse("login"),
        {"username": "karin", "password": "rätt-lösenord-123"},
        REMOTE_ADDR="10.0.0.99",
    )
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.text


def test_repeated_failures_from_one_address_are_throttled(client):
    make_user("maria")
    for attempt in range(5):
        client.post(
            reverse("login"),
            {"username": f"gissning{attempt}", "password": "fel"},
            REMOTE_ADDR="192.0.2.7",
        )
    response = client.post(
        reverse("login"),
        {"username": "maria", "password": "rätt-lösenord-123"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 429


def test_logging_out_needs_a_post_and_ends_the_session(client):
    client.force_login(make_user("karin"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("meetings:mine")).status_code == 302


def test_my_meetings_needs_login(client):
    response = client.get(reverse("meetings:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_my_meetings_groups_upcoming_running_and_finished_with_my_role(client):
    meeting, facilitator, _ = staffed_meeting(theme="Hemtjänst")
    running = make_meeting(theme="Äldreomsorg", status="pagar", days_from_today=0)
    add_participant(running, "Karin Lindqvist", email="karin.lindqvist@kommun.example")
    finished = make_meeting(theme="Grundskola", status="avslutad", days_from_today=-20)
    add_participant(
        finished,
        "Karin Lindqvist",
        Participation.Role.OBSERVER,
        email="karin.lindqvist@kommun.example",
    )
    make_meeting(theme="Origoparken")  # not hers
    client.force_login(facilitator)

    response = client.get(reverse("meetings:mine"))

    assert [m.theme for m in response.context["upcoming"]] == ["Hemtjänst"]
    assert [m.theme for m in response.context["running"]] == ["Äldreomsorg"]
    assert [m.theme for m in response.context["finished"]] == ["Grundskola"]
    assert "Origoparken" not in response.text
    assert "Samtalsledare" in response.text and "Observatör" in response.text


def test_a_participant_sees_the_meeting_page_with_facts_people_and_a3(client):
    meeting, facilitator, _ = staffed_meeting(theme="Hemtjänst", location="Stadshuset")
    client.force_login(facilitator)
    response = client.get(reverse("meetings:detail", args=[meeting.id]))
    assert response.status_code == 200
    for text in [
        "Hemtjänst",
        "Stadshuset",
        "Maria Ek",
        "Samtalsledare",
        "Antecknare",
        "Bakgrund, beskrivning av nuläge",
        "Sundsvallsbon",
        "09:00–10:50",
    ]:
        assert text in response.text, text


def test_the_meeting_page_says_what_is_missing_before_the_start(client):
    meeting = make_meeting()
    user = make_user("maria")
    add_participant(meeting, "Maria Ek", user=user)
    client.force_login(user)
    response = client.get(reverse("meetings:detail", args=[meeting.id]))
    assert "Samtalet behöver en samtalsledare." in response.text
    assert "Samtalet behöver minst en antecknare." in response.text


def test_an_outsider_gets_403_on_a_meeting_page(client):
    meeting, _, _ = staffed_meeting()
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("meetings:detail", args=[meeting.id])).status_code == 403


def test_an_unknown_meeting_is_404(client):
    client.force_login(make_user("karin"))
    assert client.get(reverse("meetings:detail", args=[999999])).status_code == 404


def test_the_meeting_page_refuses_post(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    assert client.post(reverse("meetings:detail", args=[meeting.id])).status_code == 405


def test_the_meeting_page_escapes_what_users_wrote(client):
    meeting, facilitator, _ = staffed_meeting(theme="<script>alert(1)</script>")
    step = meeting.template_version.steps.get(key="2B")
    Entry.objects.create(meeting=meeting, step=step, text='<img src=x onerror="alert(2)">')
    client.force_login(facilitator)
    response = client.get(reverse("meetings:detail", args=[meeting.id]))
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in response.text


def test_healthz_answers_ok_and_checks_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_unknown_pages_get_a_swedish_404(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404


def test_kommunledning_without_own_meetings_is_shown_the_way_to_the_archive(client):
    from tests.factories import make_reviewer

    client.force_login(make_reviewer())
    response = client.get(reverse("meetings:mine"))
    assert "Du medverkar inte i något resultatsamtal ännu." in response.text
    assert reverse("archive:list") in response.text
    assert "Inga planerade samtal." not in response.text


def test_a_user_without_meetings_or_permission_gets_no_archive_hint(client):
    client.force_login(make_user("maria"))
    response = client.get(reverse("meetings:mine"))
    assert reverse("archive:list") not in response.text
