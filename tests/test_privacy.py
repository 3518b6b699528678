"""Register extract, pseudonymisation/erasure and the retention purge."""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from samtal.a3.live_models import A3Change, EditConflict
from samtal.a3.models import Entry
from samtal.archive.search import filter_meetings, index_meeting
from samtal.evaluations.models import Evaluation
from samtal.meetings.models import Meeting
from samtal.participants.models import (
    Participation,
    Person,
    Preparation,
    PreparationAnswer,
    SentEmail,
)
from samtal.privacy import erasure, register, walk
from samtal.privacy.models import PrivacyRequest
from samtal.privacy.retention import purge
from samtal.surveys.models import SubmissionNonce
from tests.archive_helpers import finished_meeting
from tests.evaluation_helpers import make_round
from tests.factories import add_participant, make_organisation, make_user

pytestmark = pytest.mark.django_db

NAME = "Lars Öberg"
EMAIL = "lars.oberg@kommun.example"


def lars_in_a_finished_meeting():
    """Lars took part, prepared, was written about, changed and emailed."""
    karin = make_user("karin", first_name="Karin", last_name="Lindqvist")
    meeting = finished_meeting(facilitator=karin)
    lars = add_participant(meeting, NAME, email=EMAIL, title="Förvaltningschef")
    other = add_participant(meeting, "Helena Strand")
    step = meeting.template_version.steps.get(key="2A")
    Entry.objects.create(
        meeting=meeting,
        step=step,
        participation=lars,
        text="Kortare väntetider",
        reason=f"{NAME} visade statistiken",
    )
    A3Change.objects.create(
        meeting=meeting,
        kind="entry",
        action="ändrad",
        old_text=f"{NAME} sa att kön växer",
        new_text="Kön växer",
    )
    EditConflict.objects.create(
        meeting=meeting,
        kind="entry",
        object_id=1,
        stored_text=f"Enligt {NAME.upper()}",
        other_text="Enligt förvaltningen",
    )
    preparation = Preparation.objects.create(participation=lars)
    PreparationAnswer.objects.create(
        preparation=preparation, step=step, text="Mitt förberedda svar"
    )
    SentEmail.objects.create(
        participation=lars,
        kind="kallelse",
        to=EMAIL,
        subject="Kallelse",
        body="Hej Lars! Din länk: https://x/l/abc:def:ghi/",
    )
    SentEmail.objects.create(
        participation=other,
        kind="kallelse",
        to="helena@kommun.example",
        subject="Kallelse",
        body=f"Medverkande: Helena Strand, {NAME}",
    )
    Evaluation.objects.create(participation=lars, role="Förvaltningschef", other_comments="Bra")
    index_meeting(meeting)
    return meeting, lars.person


def everything_mentioning(*terms):
    hits = []
    for model in walk.scanned_models():
        for field in [*walk.text_fields(model), *walk.email_fields(model)]:
            for term in terms:
                for pk in model._base_manager.filter(
                    **{f"{field.name}__icontains": term}
                ).values_list("pk", flat=True):
                    hits.append((model._meta.label, field.name, pk))
    return hits


# Register extract ------------------------------------------------------------------------------


def test_the_extract_holds_everything_about_the_person():
    meeting, lars = lars_in_a_finished_meeting()
    extract = register.build(lars)
    text = json.dumps(register.as_json(extract), ensure_ascii=False)
    for expected in [
        NAME,
        EMAIL,
        "Förvaltningschef",
        "Hemtjänst",
        "Mitt förberedda svar",
        "Kortare väntetider",
        "Kallelse",
        f"{NAME} sa att kön växer",
        "Bra",
    ]:
        assert expected in text, expected
    titles = [section["title"] for section in extract["sections"]]
    assert "Medverkan i samtal" in titles
    assert "Texter där namnet eller e-postadressen nämns" in titles
    assert "abc:def:ghi" not in text  # the personal link itself is not handed out


def test_the_extract_covers_every_kind_of_row_pointing_at_a_participation():
    meeting, lars = lars_in_a_finished_meeting()
    participation = Participation.objects.get(person=lars)
    listed = {row["model"] for s in register.build(lars)["sections"] for row in s["rows"]}
    for relation in walk.reverse_relations(Participation):
        if walk.rows_pointing_at(participation, relation).exists():
            assert relation.related_model._meta.label in listed


@pytest.fixture
def officer_client(client):
    officer = make_user("dso", first_name="Dora", last_name="Dataskydd")
    officer.user_permissions.add(Permission.objects.get(codename="handle_personal_data"))
    client.force_login(officer)
    return client


def test_the_officer_finds_the_person_and_downloads_both_extracts(officer_client):
    _meeting, lars = lars_in_a_finished_meeting()
    found = officer_client.get(reverse("privacy:search"), {"q": "öberg"})
    assert NAME in found.text and reverse("privacy:person", args=[lars.pk]) in found.text
    page = officer_client.get(reverse("privacy:person", args=[lars.pk]))
    assert "Mitt förberedda svar" in page.text and "Pseudonymisera eller radera" in page.text
    html = officer_client.get(reverse("privacy:extract", args=[lars.pk, "html"]))
    assert "attachment" in html["Content-Disposition"] and "Registerutdrag från Samtal" in html.text
    data = officer_client.get(reverse("privacy:extract", args=[lars.pk, "json"])).json()
    assert data["person_number"] == lars.pk
    assert PrivacyRequest.objects.filter(kind="registerutdrag", person_number=lars.pk).count() == 2


def test_staff_without_the_permission_get_403(client):
    _meeting, lars = lars_in_a_finished_meeting()
    client.force_login(make_user("karin2"))
    assert client.get(reverse("privacy:search")).status_code == 403
    assert client.get(reverse("privacy:person", args=[lars.pk])).status_code == 403


# Erasure -------------------------------------------------------------------------------------


def test_pseudonymisation_reaches_the_change_log_conflicts_emails_and_search():
    meeting, lars = lars_in_a_finished_meeting()
    assert filter_meetings(Meeting.objects.all(), "Öberg").exists()
    erasure.forget(lars)
    label = f"Person borttagen (nr {lars.pk})"
    assert everything_mentioning(NAME, EMAIL, "Öberg") == []
    assert A3Change.objects.get().old_text == f"{label} sa att kön växer"
    assert EditConflict.objects.get().stored_text == f"Enligt {label}"
    assert SentEmail.objects.get().body == f"Medverkande: Helena Strand, {label}"
    assert not filter_meetings(Meeting.objects.all(), "Öberg").exists()
    # The finished A3 keeps its meaning: the entry is there, attributed to the pseudonym.
    entry = Entry.objects.get(text="Kortare väntetider")
    assert entry.participation.person.name == label
    assert entry.reason == f"{label} visade statistiken"
    # Pseudonymisation keeps what the person wrote themselves.
    assert PreparationAnswer.objects.filter(text="Mitt förberedda svar").exists()


def test_erasure_also_deletes_the_persons_own_texts_but_not_the_a3():
    meeting, lars = lars_in_a_finished_meeting()
    erasure.forget(lars, erase=True)
    assert not Preparation.objects.exists() and not PreparationAnswer.objects.exists()
    assert not Evaluation.objects.exists()
    assert Entry.objects.filter(text="Kortare väntetider").exists()


def test_erasure_closes_the_account_and_its_sessions_and_login_records(officer_client):
    karin = make_user("karin", first_name="Karin", last_name="Lindqvist", email="k@kommun.example")
    person = Person.objects.create(
        organisation=make_organisation(),
        name="Karin Lindqvist",
        email="k@kommun.example",
        user=karin,
    )
    session = SessionStore()
    session["_auth_user_id"] = str(karin.pk)
    session.create()
    AccessAttempt.objects.create(
        username="karin",
        ip_address="10.0.0.1",
        user_agent="x",
        http_accept="x",
        path_info="/logga-in/",
        failures_since_start=1,
    )
    response = officer_client.post(
        reverse("privacy:person", args=[person.pk]),
        {"mode": "radering", "case_reference": "KS 2026/123", "confirm": "on"},
        follow=True,
    )
    assert "Person borttagen" in response.text
    karin.refresh_from_db()
    assert not karin.is_active and not karin.has_usable_password()
    assert karin.username == f"borttagen-{karin.pk}" and karin.email == ""
    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert not AccessAttempt.objects.filter(username="karin").exists()
    logged = PrivacyRequest.objects.get(kind="radering")
    assert logged.case_reference == "KS 2026/123" and logged.person_number == person.pk


def test_the_erasure_form_asks_for_a_case_and_a_confirmation(officer_client):
    _meeting, lars = lars_in_a_finished_meeting()
    response = officer_client.post(reverse("privacy:person", args=[lars.pk]), {"mode": "radering"})
    assert response.status_code == 400
    assert (
        "Skriv ärendets nummer" in response.text
        and "Bekräfta att begäran är prövad" in response.text
    )
    lars.refresh_from_db()
    assert lars.name == NAME


# Retention purge -----------------------------------------------------------------------------


def test_the_purge_deletes_what_is_past_its_retention_and_keeps_the_rest(settings):
    today = timezone.localdate()
    old = finished_meeting(theme="Gammalt", days_ago=200)
    recent = finished_meeting(theme="Nytt", days_ago=10)
    for meeting in (old, recent):
        p = add_participant(meeting, f"Deltagare {meeting.theme}")
        SentEmail.objects.create(
            participation=p, kind="kallelse", to="a@b.se", subject="s", body="b"
        )
        Preparation.objects.create(participation=p)
        EditConflict.objects.create(
            meeting=meeting,
            kind="entry",
            object_id=1,
            stored_text="a",
            other_text="b",
            resolved_at=timezone.now(),
        )
    now = timezone.now()
    for days_ago in (60, 1):
        attempt = AccessAttempt.objects.create(
            username=f"x{days_ago}",
            ip_address="10.0.0.1",
            user_agent="ua",
            http_accept="*",
            path_info="/",
            failures_since_start=1,
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=now - datetime.timedelta(days=days_ago)
        )
    Session.objects.create(
        session_key="gammal", session_data="x", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="aktiv", session_data="x", expire_date=now + datetime.timedelta(days=1)
    )
    round = make_round()
    SubmissionNonce.objects.create(
        nonce="gammal", round=round, created_at=now - datetime.timedelta(days=5)
    )
    SubmissionNonce.objects.create(nonce="ny", round=round)

    results = {key: count for key, _label, count in purge(today=today, now=now)}

    assert results["sent_emails"] == 1 and results["preparations"] == 1
    assert list(SentEmail.objects.values_list("participation__meeting__theme", flat=True)) == [
        "Nytt"
    ]
    assert list(Preparation.objects.values_list("participation__meeting__theme", flat=True)) == [
        "Nytt"
    ]
    assert list(EditConflict.objects.values_list("meeting__theme", flat=True)) == ["Nytt"]
    assert AccessAttempt.objects.count() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["aktiv"]
    assert list(SubmissionNonce.objects.values_list("nonce", flat=True)) == ["ny"]


def test_a_dry_run_deletes_nothing():
    old = finished_meeting(days_ago=200)
    SentEmail.objects.create(
        participation=add_participant(old, "Anna"),
        kind="kallelse",
        to="a@b.se",
        subject="s",
        body="b",
    )
    results = {key: count for key, _label, count in purge(dry_run=True)}
    assert results["sent_emails"] == 1 and SentEmail.objects.count() == 1


def test_an_account_without_meetings_gets_a_person_record_for_its_extract(officer_client):
    make_user("eva", first_name="Eva", last_name="Nordin", email="eva@kommun.example")
    found = officer_client.get(reverse("privacy:search"), {"q": "Nordin"})
    assert "Konton som inte deltagit i något samtal" in found.text
    user_id = found.context["accounts"][0].pk
    response = officer_client.post(reverse("privacy:account", args=[user_id]), follow=True)
    assert "Eva Nordin" in response.text and "Användarkonto" in response.text
    assert Person.objects.get(user_id=user_id).email == "eva@kommun.example"
