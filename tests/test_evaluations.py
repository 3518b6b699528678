import contextlib
import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from samtal.evaluations.models import (
    Evaluation,
    GroupSplit,
    PerspectiveRound,
    PerspectiveSplit,
    ReflectionRequest,
    evaluation_deadline,
    evaluation_open,
)
from samtal.evaluations.services import NotFinished, invite_to_reflection
from samtal.participants.links import make_token, participation_for_token
from samtal.surveys.models import Instrument
from tests.evaluation_helpers import (
    add_responses,
    builtin,
    finished_meeting,
    make_round,
    participant,
    running_meeting,
)
from tests.factories import add_participant, make_reviewer, make_user, staffed_meeting

pytestmark = pytest.mark.django_db

SPLIT_OK = {
    "citizens": 40,
    "employees": 20,
    "process": 20,
    "economy": 15,
    "other": 5,
    "other_what": "Lokaler",
}


def split(meeting, participation=None, values=(40, 20, 20, 15, 5), group=False):
    return PerspectiveSplit.objects.create(
        meeting=meeting,
        participation=participation,
        is_group_entry=group,
        **dict(zip(["citizens", "employees", "process", "economy", "other"], values, strict=True)),
    )


# Rules ---------------------------------------------------------------------------------


def test_an_evaluation_can_be_written_for_14_days_after_the_meeting_finished():
    meeting, *_ = finished_meeting(days_ago=1)
    finished = timezone.localdate(meeting.finished_at)
    assert evaluation_open(meeting, today=finished + datetime.timedelta(days=14))
    assert not evaluation_open(meeting, today=finished + datetime.timedelta(days=15))


def test_without_a_finishing_time_the_meeting_date_starts_the_14_days():
    meeting, *_ = finished_meeting(days_ago=3)
    meeting.finished_at = None
    assert evaluation_deadline(meeting) == meeting.date + datetime.timedelta(days=14)


def test_a_planned_or_running_meeting_cannot_be_evaluated_yet():
    meeting, *_ = running_meeting()
    assert not evaluation_open(meeting)


def test_a_participation_has_at_most_one_evaluation():
    meeting, *_ = finished_meeting()
    Evaluation.objects.create(participation=participant(meeting), role="Ordförande")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(participation=participant(meeting), role="Igen")


def test_the_database_refuses_a_split_that_does_not_sum_to_100():
    meeting, *_ = running_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        split(meeting, participant(meeting), values=(50, 20, 20, 15, 5))


def test_each_device_has_one_split_and_the_group_one_agreed_split():
    meeting, *_ = running_meeting()
    split(meeting, participant(meeting))
    split(meeting, group=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        split(meeting, participant(meeting))
    with pytest.raises(IntegrityError), transaction.atomic():
        split(meeting, group=True)


def test_the_groups_split_is_the_average_of_the_devices():
    meeting, *_ = running_meeting()
    split(meeting, participant(meeting), values=(40, 20, 20, 20, 0))
    split(meeting, participant(meeting, "Olof Berg"), values=(60, 20, 10, 10, 0))
    group = GroupSplit.for_meeting(meeting)
    assert group.source == "average" and group.count == 2
    assert group.percentages == [50.0, 20.0, 15.0, 15.0, 0.0]


def test_the_facilitators_group_entry_wins_over_the_average():
    meeting, *_ = running_meeting()
    split(meeting, participant(meeting), values=(40, 20, 20, 20, 0))
    split(meeting, group=True, values=(30, 30, 20, 10, 10))
    group = GroupSplit.for_meeting(meeting)
    assert group.source == "group"
    assert group.percentages == [30.0, 30.0, 20.0, 10.0, 10.0]


# Asking for the reflection -------------------------------------------------------------------


def test_every_participant_of_a_finished_meeting_is_emailed_their_personal_link():
    meeting, *_ = finished_meeting()
    sent = invite_to_reflection(meeting)
    assert len(sent) == 4 and len(mail.outbox) == 4
    maria = participant(meeting)
    message = next(m for m in mail.outbox if m.to == [maria.person.email])
    assert "Utvärdering av Hemtjänst" in message.subject
    # The token carries the second it was signed: compare the participation it opens.
    token = re.search(r"/l/([^/\s]+)/utvardering/", message.body).group(1)
    assert participation_for_token(token) == maria


def test_nobody_is_asked_twice():
    meeting, *_ = finished_meeting()
    invite_to_reflection(meeting)
    mail.outbox.clear()
    add_participant(meeting, "Ny Person")
    sent = invite_to_reflection(meeting)
    assert [p.person.name for p in sent] == ["Ny Person"]
    assert len(mail.outbox) == 1
    assert ReflectionRequest.objects.filter(participation__meeting=meeting).count() == 5


def test_a_meeting_that_is_not_finished_is_not_sent_out():
    meeting, *_ = running_meeting()
    with pytest.raises(NotFinished):
        invite_to_reflection(meeting)
    assert mail.outbox == []


def test_the_management_command_sends_the_reflection_requests():
    meeting, *_ = finished_meeting()
    call_command("send_reflection_requests", str(meeting.pk), stdout=io.StringIO())
    assert len(mail.outbox) == 4


# The reflection through the personal link ---------------------------------------------------


def link_url(participation, name="participants:evaluation"):
    return reverse(name, args=[make_token(participation)])


def test_the_reflection_page_shows_the_questions_of_bilaga_2(client):
    meeting, *_ = finished_meeting()
    response = client.get(link_url(participant(meeting)))
    assert response.status_code == 200
    assert "Din roll" in response.text
    assert "Fick alla komma till tals?" in response.text
    assert "Var tiden rätt disponerad i mallen?" in response.text


def test_a_participant_answers_the_reflection_through_their_link(client):
    meeting, *_ = finished_meeting()
    maria = participant(meeting)
    url = link_url(maria)
    response = client.post(
        url, {"role": "Ordförande", "everyone_spoke": "Ja, alla kom till tals."}, follow=True
    )
    assert "Din utvärdering är sparad" in response.text
    evaluation = Evaluation.objects.get(participation=maria)
    assert evaluation.role == "Ordförande"
    assert evaluation.everyone_spoke == "Ja, alla kom till tals."


def test_the_reflection_can_be_changed_within_the_14_days(client):
    meeting, *_ = finished_meeting()
    maria = participant(meeting)
    Evaluation.objects.create(participation=maria, role="Ordförande", everyone_spoke="Ja.")
    client.post(link_url(maria), {"role": "Vice ordförande", "everyone_spoke": "Ja."})
    assert Evaluation.objects.get(participation=maria).role == "Vice ordförande"
    assert Evaluation.objects.count() == 1


def test_after_14_days_the_reflection_is_read_only(client):
    meeting, *_ = finished_meeting(days_ago=20)
    maria = participant(meeting)
    Evaluation.objects.create(participation=maria, role="Ordförande")
    page = client.get(link_url(maria))
    assert "Utvärderingen stängde" in page.text and "<textarea" not in page.text
    response = client.post(link_url(maria), {"role": "Ändrad"})
    assert response.status_code == 403
    assert Evaluation.objects.get(participation=maria).role == "Ordförande"


def test_a_broken_link_shows_no_meeting(client):
    response = client.get(reverse("participants:evaluation", args=["fel"]))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.text


def test_the_reflection_link_answers_405_to_other_methods(client):
    meeting, *_ = finished_meeting()
    assert client.delete(link_url(participant(meeting))).status_code == 405


# Staff pages ------------------------------------------------------------------------------


def test_a_staff_participant_answers_after_login(client):
    meeting, facilitator, note_taker = finished_meeting()
    client.force_login(note_taker)
    url = reverse("evaluations:mine", args=[meeting.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"role": "Antecknare", "other_comments": "Bra mall."})
    assert Evaluation.objects.get(participation__person__user=note_taker).role == "Antecknare"


def test_someone_outside_the_meeting_cannot_answer_its_reflection(client):
    meeting, *_ = finished_meeting()
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("evaluations:mine", args=[meeting.pk])).status_code == 403


def test_an_unknown_meeting_is_404(client):
    client.force_login(make_user("karin2"))
    assert client.get(reverse("evaluations:mine", args=[9999])).status_code == 404
    assert client.get(reverse("evaluations:meeting", args=[9999])).status_code == 404


def test_evaluation_pages_need_login(client):
    meeting, *_ = finished_meeting()
    response = client.get(reverse("evaluations:meeting", args=[meeting.pk]))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_the_facilitator_reads_the_answers_without_the_name_or_a_telling_role(client):
    meeting, facilitator, _ = finished_meeting()
    Evaluation.objects.create(
        participation=participant(meeting),
        role="Ordförande i vård- och omsorgsnämnden",
        everyone_spoke="Ja, alla.",
    )
    client.force_login(facilitator)
    response = client.get(reverse("evaluations:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Ja, alla." in response.text
    assert "Ordförande" not in response.text and "Maria Ek" not in response.text
    assert "Svar (rollen visas inte)" in response.text


def test_a_role_given_by_five_is_shown(client):
    meeting, facilitator, _ = finished_meeting()
    for n in range(5):
        Evaluation.objects.create(
            participation=add_participant(meeting, f"Ledamot {n}"),
            role="Ledamot " if n else "ledamot",
            everyone_spoke="Ja",
        )
    Evaluation.objects.create(
        participation=add_participant(meeting, "Förvaltningschefen"),
        role="Förvaltningschef",
        everyone_spoke="Nej",
    )
    client.force_login(facilitator)
    text = client.get(reverse("evaluations:meeting", args=[meeting.pk])).text
    assert text.count("Ledamot") + text.count("ledamot") >= 5
    assert "Förvaltningschef" not in text


def test_an_average_of_fewer_than_five_splits_is_not_shown_after_the_meeting(client):
    meeting, facilitator, _ = finished_meeting()
    for n in range(4):
        split(meeting, add_participant(meeting, f"P{n}"), values=(40, 20, 20, 20, 0))
    group = GroupSplit.for_meeting(meeting)
    assert group.source == "too_few" and group.percentages is None
    client.force_login(facilitator)
    text = client.get(reverse("evaluations:meeting", args=[meeting.pk])).text
    assert "Fördelningen visas inte: bara 4 har svarat" in text
    split(meeting, add_participant(meeting, "P5"), values=(40, 20, 20, 20, 0))
    assert GroupSplit.for_meeting(meeting).source == "average"


def test_kommunledning_reads_the_answers(client):
    meeting, *_ = finished_meeting()
    Evaluation.objects.create(participation=participant(meeting), role="Ordförande")
    client.force_login(make_reviewer())
    response = client.get(reverse("evaluations:meeting", args=[meeting.pk]))
    assert response.status_code == 200 and "Svar (rollen visas inte)" in response.text


def test_a_note_taker_sees_the_chart_but_not_the_others_answers(client):
    meeting, _, note_taker = finished_meeting()
    Evaluation.objects.create(participation=participant(meeting), everyone_spoke="Hemligt svar")
    client.force_login(note_taker)
    response = client.get(reverse("evaluations:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Hemligt svar" not in response.text


def test_an_outsider_cannot_read_the_evaluations(client):
    meeting, *_ = finished_meeting()
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("evaluations:meeting", args=[meeting.pk])).status_code == 403


def test_the_facilitators_page_has_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    meeting, facilitator, _ = finished_meeting()
    for name in ["A", "B", "C", "D", "E", "F"]:
        p = add_participant(meeting, f"Person {name}")
        Evaluation.objects.create(participation=p, role=f"Roll {name}")
        split(meeting, p)
    client.force_login(facilitator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("evaluations:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.text.count("Svar (rollen visas inte)") >= 6


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}


def test_the_reflection_button_leaves_the_emails_to_the_worker(
    client, settings, django_capture_on_commit_callbacks
):
    from django_tasks.backends.database.models import DBTaskResult

    from samtal.evaluations.services import reflection_requests_job

    settings.TASKS = DATABASE_TASKS
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:send", args=[meeting.pk]), follow=True)
    assert "Utvärderingen skickas till 4 medverkande" in response.text
    assert mail.outbox == []  # nothing is sent inside the request
    (job,) = DBTaskResult.objects.all()
    assert job.task_path.endswith("reflection_requests_job")
    reflection_requests_job.call(*job.args_kwargs["args"])
    assert len(mail.outbox) == 4


def test_a_reflection_request_the_server_refuses_is_retried_by_the_worker(settings):
    from django_tasks.backends.database.models import DBTaskResult

    from samtal.evaluations.services import reflection_requests_job

    settings.TASKS = DATABASE_TASKS
    meeting, *_ = finished_meeting()
    maria = participant(meeting)
    maria.person.email = "maria@kommun.example"
    maria.person.save()
    settings.EMAIL_BACKEND = "tests.test_email_jobs.RefusesMaria"
    reflection_requests_job.call(meeting.pk)
    assert len(mail.outbox) == 3
    (again,) = DBTaskResult.objects.all()
    assert again.args_kwargs == {"args": [meeting.pk], "kwargs": {"attempt": 2}}
    assert again.run_after > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reflection_requests_job.call(meeting.pk, attempt=2)
    assert [m.to for m in mail.outbox[3:]] == [["maria@kommun.example"]]


def test_the_reflection_button_says_when_everyone_has_been_asked(client):
    meeting, facilitator, _ = finished_meeting()
    invite_to_reflection(meeting)
    client.force_login(facilitator)
    response = client.post(reverse("evaluations:send", args=[meeting.pk]), follow=True)
    assert "Alla medverkande med e-postadress har redan fått utvärderingen" in response.text


def test_only_the_facilitator_sends_the_reflection(client):
    meeting, _, note_taker = finished_meeting()
    client.force_login(note_taker)
    assert client.post(reverse("evaluations:send", args=[meeting.pk])).status_code == 403
    assert mail.outbox == []


def test_sending_the_reflection_needs_post(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    assert client.get(reverse("evaluations:send", args=[meeting.pk])).status_code == 405


# The four-perspective split --------------------------------------------------------------------


def test_a_split_that_does_not_sum_to_100_is_refused_and_kept(client):
    meeting, _, note_taker = running_meeting()
    client.force_login(note_taker)
    data = {**SPLIT_OK, "citizens": 50}
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert "Fördelningen blir 110 %. Den måste bli exakt 100 %." in response.text
    assert 'value="50"' in response.text and 'value="Lokaler"' in response.text
    assert not PerspectiveSplit.objects.exists()


def test_a_percentage_outside_0_to_100_is_refused_next_to_the_field(client):
    meeting, _, note_taker = running_meeting()
    client.force_login(note_taker)
    data = {**SPLIT_OK, "citizens": -10, "employees": 70}
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert "Skriv ett heltal mellan 0 och 100." in response.text


def test_other_needs_to_say_what(client):
    meeting, _, note_taker = running_meeting()
    client.force_login(note_taker)
    data = {**SPLIT_OK, "other_what": ""}
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), data)
    assert response.status_code == 400 and "Skriv vad ”Annat” var." in response.text


def test_a_split_of_100_is_saved_and_moves_the_meeting_version(client):
    meeting, _, note_taker = running_meeting()
    version = meeting.version
    client.force_login(note_taker)
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), SPLIT_OK, follow=True)
    assert "Fördelningen är sparad" in response.text
    saved = PerspectiveSplit.objects.get()
    assert saved.values() == [40, 20, 20, 15, 5] and not saved.is_group_entry
    meeting.refresh_from_db()
    assert meeting.version == version + 1


def test_a_participant_splits_through_their_personal_link(client):
    meeting, *_ = running_meeting()
    maria = participant(meeting)
    url = link_url(maria, "participants:perspective_split")
    assert client.get(url).status_code == 200
    client.post(url, SPLIT_OK)
    assert PerspectiveSplit.objects.get().participation == maria


def test_the_facilitator_enters_the_groups_agreed_split(client):
    meeting, facilitator, _ = running_meeting()
    client.force_login(facilitator)
    client.post(reverse("evaluations:group_split", args=[meeting.pk]), SPLIT_OK)
    assert PerspectiveSplit.objects.get().is_group_entry
    assert GroupSplit.for_meeting(meeting).source == "group"


def test_only_the_facilitator_enters_the_groups_split(client):
    meeting, _, note_taker = running_meeting()
    client.force_login(note_taker)
    response = client.post(reverse("evaluations:group_split", args=[meeting.pk]), SPLIT_OK)
    assert response.status_code == 403


def test_the_split_is_closed_before_the_meeting_runs(client):
    from tests.factories import staffed_meeting

    meeting, _, note_taker = staffed_meeting()
    client.force_login(note_taker)
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), SPLIT_OK)
    assert response.status_code == 403
    assert not PerspectiveSplit.objects.exists()


def test_the_projector_shows_the_chart_with_its_figures(client):
    meeting, facilitator, _ = running_meeting()
    split(meeting, participant(meeting), values=(40, 20, 20, 15, 5))
    client.force_login(facilitator)
    response = client.get(reverse("evaluations:projector", args=[meeting.pk]))
    assert response.status_code == 200
    assert "<svg" in response.text and 'role="img"' in response.text
    assert "Medborgare/brukare: 40 %" in response.text  # the <desc>
    assert 'hx-trigger="every 2s"' in response.text


def test_the_projector_poll_answers_204_when_nothing_changed(client):
    meeting, facilitator, _ = running_meeting()
    client.force_login(facilitator)
    url = reverse("evaluations:projector", args=[meeting.pk])
    response = client.get(url, {"v": meeting.version}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    split(meeting, participant(meeting))
    meeting.bump_version()
    response = client.get(url, {"v": meeting.version - 1}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "Medborgare/brukare" in response.text


def test_an_outsider_cannot_see_the_projector(client):
    meeting, *_ = running_meeting()
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("evaluations:projector", args=[meeting.pk])).status_code == 403


# Kommunledning ----------------------------------------------------------------------------------


def test_kommunledning_sees_every_unit_on_the_evaluation_page(client):
    meeting, *_ = finished_meeting()
    client.force_login(make_reviewer())
    response = client.get(reverse("evaluations:index"))
    assert response.status_code == 200
    assert meeting.unit.name in response.text
    assert "Förutsättningar för förbättringsarbete" in response.text


def test_the_evaluation_page_counts_each_finished_meeting_once(client):
    from samtal.evaluations.models import Evaluation

    meeting, *_ = finished_meeting()
    for participation in meeting.participations.all():
        Evaluation.objects.create(participation=participation, role="Deltagare")
    client.force_login(make_reviewer())
    response = client.get(reverse("evaluations:index"))
    unit = next(u for u in response.context["units"] if u.pk == meeting.unit_id)
    assert (unit.finished, unit.evaluations) == (1, meeting.participations.count())


def test_a_facilitator_sees_the_meetings_they_led(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    response = client.get(reverse("evaluations:index"))
    assert reverse("evaluations:meeting", args=[meeting.pk]) in response.text
    assert "Per enhet" not in response.text


def test_the_unit_page_shows_splits_and_evaluations_over_time(
    client, django_assert_max_num_queries
):
    older, *_ = finished_meeting(days_ago=40)
    split(older, group=True, values=(25, 25, 25, 25, 0))
    Evaluation.objects.create(participation=participant(older), role="Ordförande")
    newer = _second_meeting(older)
    split(newer, participant(newer, "Anna Berg"), values=(60, 10, 10, 20, 0))
    before = make_round(name="Före", unit=older.unit, days_ago=60)
    add_responses(before, 5, value=3)
    add_responses(make_round(name="Efter", unit=older.unit, days_ago=2), 2, value=6)
    client.force_login(make_reviewer())
    with django_assert_max_num_queries(16):
        response = client.get(reverse("evaluations:unit", args=[older.unit.pk]))
    assert response.status_code == 200
    text = response.text
    assert text.index(older.date.isoformat()) < text.index(newer.date.isoformat())
    assert "Gruppens överenskomna" in text and "Fördelningen visas inte: bara 1 har svarat" in text
    assert "Ordförande" not in text and "Svar (rollen visas inte)" in text
    assert "3,00" in text and "visas ej (färre än 5 svar)" in text


def _second_meeting(first):
    from samtal.meetings.models import Meeting
    from tests.factories import make_meeting

    meeting = make_meeting(unit=first.unit, days_from_today=-5, status=Meeting.Status.FINISHED)
    add_participant(meeting, "Anna Berg")
    return meeting


def test_only_kommunledning_sees_a_unit(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    assert client.get(reverse("evaluations:unit", args=[meeting.unit.pk])).status_code == 403


def test_an_unknown_unit_is_404(client):
    client.force_login(make_reviewer())
    assert client.get(reverse("evaluations:unit", args=[9999])).status_code == 404


def test_the_evaluation_page_needs_get(client):
    client.force_login(make_reviewer())
    assert client.post(reverse("evaluations:index")).status_code == 405


def test_the_reflection_prompt_for_the_participants_page_links_to_the_reflection():
    from django.template import Context, Template

    meeting, *_ = finished_meeting()
    maria = participant(meeting)
    token = make_token(maria)
    html = Template("{% load evaluations %}{% reflection_prompt participation token %}").render(
        Context({"participation": maria, "token": token})
    )
    assert "Svara på utvärderingen" in html
    assert reverse("participants:evaluation", args=[token]) in html


def test_the_chart_partial_renders_for_a_meeting_without_splits():
    from django.template import Context, Template

    meeting, *_ = running_meeting()
    html = Template("{% load evaluations %}{% perspectives_chart meeting %}").render(
        Context({"meeting": meeting})
    )
    assert "Ingen fördelning är gjord ännu." in html


def test_the_chart_partial_prints_in_a_weasyprint_pdf():
    import pypdf
    from django.template import Context, Template
    from weasyprint import HTML

    meeting, *_ = running_meeting()
    split(meeting, participant(meeting), values=(40, 20, 20, 15, 5))
    html = Template(
        "<html><body>{% load evaluations %}{% perspectives_chart meeting %}</body></html>"
    ).render(Context({"meeting": meeting}))
    pdf = pypdf.PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    text = pdf.pages[0].extract_text()
    assert "Medborgare/brukare" in text and "40 %" in text


def test_the_evaluation_home_has_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    from tests.factories import make_unit

    finished_meeting(unit=make_unit("Nämnd 0"))
    for index in range(1, 6):
        make_unit(f"Nämnd {index}")
    client.force_login(make_reviewer())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("evaluations:index"))
    assert response.status_code == 200
    assert response.text.count("/utvardering/enhet/") == 6


def test_the_projector_needs_get(client):
    meeting, facilitator, _ = running_meeting()
    client.force_login(facilitator)
    assert client.post(reverse("evaluations:projector", args=[meeting.pk])).status_code == 405


def test_the_split_page_says_when_the_group_reflection_is_not_open(client):
    from tests.factories import staffed_meeting

    meeting, _, note_taker = staffed_meeting()
    client.force_login(note_taker)
    response = client.get(reverse("evaluations:split", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Samtalsledaren har inte öppnat gruppreflektionen ännu." in response.text


def test_the_participants_personal_page_asks_for_the_reflection_after_the_meeting(client):
    meeting, *_ = finished_meeting()
    token = make_token(participant(meeting))
    response = client.get(reverse("participants:preparation", args=[token]))
    assert response.status_code == 200
    assert "Svara på utvärderingen" in response.text
    assert reverse("participants:evaluation", args=[token]) in response.text


# Review fixes (issue 7 review) -----------------------------------------------------------------


def test_a_finished_meetings_split_cannot_change_so_the_archived_a3_stays(client):
    meeting, _, note_taker = finished_meeting(days_ago=1)
    PerspectiveRound.objects.create(meeting=meeting, opened_at=timezone.now())
    version = meeting.version
    client.force_login(note_taker)
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), SPLIT_OK)
    assert response.status_code == 403
    assert not PerspectiveSplit.objects.exists()
    meeting.refresh_from_db()
    assert meeting.version == version


def test_a_running_meeting_takes_no_split_until_the_facilitator_opens_the_group_reflection(
    client,
):
    meeting, facilitator, note_taker = running_meeting(open_split=False)
    client.force_login(note_taker)
    url = reverse("evaluations:split", args=[meeting.pk])
    assert client.post(url, SPLIT_OK).status_code == 403
    client.force_login(facilitator)
    client.post(reverse("evaluations:toggle_split", args=[meeting.pk]), {"action": "open"})
    client.force_login(note_taker)
    assert client.post(url, SPLIT_OK).status_code == 302
    assert PerspectiveSplit.objects.count() == 1


def test_the_facilitator_closes_the_group_reflection(client):
    meeting, facilitator, note_taker = running_meeting()
    client.force_login(facilitator)
    response = client.post(
        reverse("evaluations:toggle_split", args=[meeting.pk]), {"action": "close"}, follow=True
    )
    assert "Gruppreflektionen är stängd." in response.text
    assert "Öppna gruppreflektionen" in response.text
    client.force_login(note_taker)
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), SPLIT_OK)
    assert response.status_code == 403 and not PerspectiveSplit.objects.exists()


def test_the_group_reflection_cannot_be_opened_before_the_meeting_runs(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    response = client.post(
        reverse("evaluations:toggle_split", args=[meeting.pk]), {"action": "open"}, follow=True
    )
    assert "Gruppreflektionen kan bara öppnas medan samtalet pågår." in response.text
    assert not PerspectiveRound.objects.exists()


def test_only_the_facilitator_opens_the_group_reflection(client):
    meeting, _, note_taker = running_meeting(open_split=False)
    client.force_login(note_taker)
    url = reverse("evaluations:toggle_split", args=[meeting.pk])
    assert client.post(url, {"action": "open"}).status_code == 403
    assert client.get(url).status_code == 405
    assert client.post(reverse("evaluations:toggle_split", args=[999999])).status_code == 404


def test_saving_a_reflection_does_not_change_the_meetings_version(client):
    meeting, *_ = finished_meeting()
    version = meeting.version
    maria = participant(meeting)
    client.post(
        link_url(maria, "participants:evaluation"), {"role": "Controller", "other_comments": "Bra."}
    )
    assert Evaluation.objects.get().role == "Controller"
    meeting.refresh_from_db()
    assert meeting.version == version


def test_reflections_are_listed_in_the_order_they_came_in_without_numbers(client):
    meeting, facilitator, _ = finished_meeting()
    people = list(meeting.participations.order_by("pk"))
    # The last on the participant list answered first.
    Evaluation.objects.create(participation=people[-1], everyone_spoke="Kom först")
    Evaluation.objects.create(participation=people[0], everyone_spoke="Kom sist")
    Evaluation.objects.filter(everyone_spoke="Kom först").update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(facilitator)
    text = client.get(reverse("evaluations:meeting", args=[meeting.pk])).text
    assert text.index("Kom först") < text.index("Kom sist")
    assert "Svar 1" not in text


def test_kommunledning_cannot_see_the_split_of_a_meeting_that_is_not_finished(client):
    meeting, *_ = running_meeting()
    client.force_login(make_reviewer())
    assert client.get(reverse("evaluations:meeting", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("evaluations:projector", args=[meeting.pk])).status_code == 403


def test_kommunledning_cannot_see_the_evaluation_page_of_a_planned_meeting(client):
    meeting, *_ = staffed_meeting()
    client.force_login(make_reviewer())
    assert client.get(reverse("evaluations:meeting", args=[meeting.pk])).status_code == 403


def test_kommunledning_sees_the_split_of_a_finished_meeting(client):
    meeting, *_ = finished_meeting()
    client.force_login(make_reviewer())
    assert client.get(reverse("evaluations:projector", args=[meeting.pk])).status_code == 200


def test_a_reflection_sent_after_it_closed_is_shown_back_not_lost(client):
    meeting, *_ = finished_meeting(days_ago=20)
    maria = participant(meeting)
    data = {"role": "Controller", "other_comments": "Mycket bra samtal, men för kort."}
    response = client.post(link_url(maria, "participants:evaluation"), data)
    assert response.status_code == 403
    assert "Utvärderingen är stängd och kan inte längre ändras" in response.text
    assert "Mycket bra samtal, men för kort." in response.text
    assert "Controller" in response.text
    assert not Evaluation.objects.exists()


def test_a_split_sent_after_the_group_reflection_closed_is_shown_back_not_lost(client):
    meeting, _, note_taker = running_meeting(open_split=False)
    client.force_login(note_taker)
    response = client.post(reverse("evaluations:split", args=[meeting.pk]), SPLIT_OK)
    assert response.status_code == 403
    assert "Gruppreflektionen är stängd, så fördelningen sparades inte." in response.text
    assert "Lokaler" in response.text


@contextlib.contextmanager
def another_request_saves_first(model, **fields):
    """The other click of a double click: a row of `model` is written right after this
    request looked for one (and found none), before this request saves."""
    table = f'FROM "{model._meta.db_table}"'
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not state["done"] and sql.lstrip().startswith("SELECT") and table in sql:
            state["done"] = True
            model.objects.create(**fields)
        return result

    with connection.execute_wrapper(wrapper):
        yield
    assert state["done"]


def test_a_double_click_on_the_first_reflection_saves_one_reflection(client):
    meeting, *_ = finished_meeting()
    maria = participant(meeting)
    with another_request_saves_first(Evaluation, participation=maria, role="Första"):
        response = client.post(
            link_url(maria, "participants:evaluation"), {"role": "Andra", "other_comments": "Bra."}
        )
    assert response.status_code == 302
    assert Evaluation.objects.get().role == "Andra"


def test_a_double_click_on_the_first_split_saves_one_split(client):
    meeting, *_ = running_meeting()
    maria = participant(meeting)
    with another_request_saves_first(
        PerspectiveSplit, meeting=meeting, participation=maria, citizens=100
    ):
        response = client.post(link_url(maria, "participants:perspective_split"), SPLIT_OK)
    assert response.status_code == 302
    assert PerspectiveSplit.objects.get().values() == [40, 20, 20, 15, 5]


def test_the_split_form_is_sent_once(client):
    meeting, *_ = running_meeting()
    text = client.get(link_url(participant(meeting), "participants:perspective_split")).text
    assert "data-once" in text and "js/evaluations.js" in text


def test_the_reflection_form_is_sent_once(client):
    meeting, *_ = finished_meeting()
    text = client.get(link_url(participant(meeting), "participants:evaluation")).text
    assert "data-once" in text and "js/evaluations.js" in text


def test_a_field_error_is_linked_to_the_field(client):
    meeting, *_ = running_meeting()
    maria = participant(meeting)
    data = {**SPLIT_OK, "citizens": -10, "employees": 70}
    text = client.post(link_url(maria, "participants:perspective_split"), data).text
    assert 'id="id_citizens_error"' in text
    assert 'aria-describedby="id_citizens_error"' in text
    data = {**SPLIT_OK, "other_what": ""}
    text = client.post(link_url(maria, "participants:perspective_split"), data).text
    assert 'id="id_other_what_error"' in text and 'aria-describedby="id_other_what_error"' in text


def test_only_the_newest_version_of_each_instrument_is_listed():
    old = builtin()
    new = old.new_version()
    latest = set(Instrument.objects.latest_versions())
    assert new in latest and old not in latest
    assert {i.key for i in latest} == set(Instrument.objects.values_list("key", flat=True))


# UX review fixes ----------------------------------------------------------------------------


def test_a_blank_reflection_is_refused_with_a_message_and_nothing_is_saved(client):
    meeting, *_ = finished_meeting()
    response = client.post(link_url(participant(meeting)), {"role": "", "everyone_spoke": "  "})
    assert response.status_code == 400
    assert "Svara på minst en av frågorna" in response.text
    assert "Tack!" not in response.text
    assert not Evaluation.objects.exists()


def test_a_reflection_with_only_the_role_is_refused_and_the_role_is_kept(client):
    meeting, *_ = finished_meeting()
    response = client.post(link_url(participant(meeting)), {"role": "Ordförande"})
    assert response.status_code == 400
    assert "Det räcker inte att bara fylla i din roll." in response.text
    assert 'value="Ordförande"' in response.text
    assert not Evaluation.objects.exists()


def test_a_finished_meetings_split_page_says_when_the_group_reflection_closed(client):
    meeting, _, note_taker = finished_meeting(days_ago=20)
    client.force_login(note_taker)
    response = client.get(reverse("evaluations:split", args=[meeting.pk]))
    finished = timezone.localdate(meeting.finished_at) if meeting.finished_at else meeting.date
    assert "Gruppreflektionen stängdes när samtalet avslutades" in response.text
    assert f"{finished.day} " in response.text
    assert "Fördela 100 %" not in response.text
    assert "<form" not in response.text.split("</header>")[1].split("<footer")[0]


def test_the_projector_has_no_site_header_or_footer(client):
    meeting, facilitator, _ = running_meeting()
    client.force_login(facilitator)
    response = client.get(reverse("evaluations:projector", args=[meeting.pk]))
    assert "site-header" not in response.text and "site-footer" not in response.text
    assert "Logga ut" not in response.text


def test_the_projector_says_how_many_have_answered(client):
    meeting, facilitator, _ = running_meeting()
    maria = participant(meeting)
    total = meeting.participations.count()
    client.force_login(facilitator)
    url = reverse("evaluations:projector", args=[meeting.pk])
    empty = client.get(url).text
    assert f"0 av {total} har svarat" in empty
    assert "när den första fördelningen är sparad" in empty
    split(meeting, maria)
    assert f"1 av {total} har svarat" in client.get(url).text
