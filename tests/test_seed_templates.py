"""The templates from the seeds' other meeting kinds (issue 17): each ships with the app,
says which seed it follows, runs through a live meeting and prints."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from samtal.a3 import live
from samtal.a3.models import Entry
from samtal.archive.models import ArchivedA3
from samtal.conversation_templates import seed_templates
from samtal.conversation_templates.models import ConversationTemplate, Step, version_problems
from samtal.meetings.models import Meeting
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_LIVE_FETCH": "1"}

SEEDS = {
    "003": seed_templates.OWNER_DIALOGUE,
    "004": seed_templates.LEARNING_WORKSHOP,
    "002": seed_templates.JOINT_MEETING,
}


def flat(text):
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("seed", SEEDS)
def test_each_seed_template_is_shipped_and_names_its_seed(seed):
    data = SEEDS[seed]
    template = ConversationTemplate.objects.get(name=data["name"])
    assert f"Följer seed {seed}" in template.description
    version = template.latest_active_version()
    steps = list(version.steps.all())
    assert [s.key for s in steps] == [s["key"] for s in data["steps"]]
    assert version_problems(version, steps) == []


def test_the_owner_dialogue_gives_a_plan_of_assignments_with_report_back_dates():
    steps = {s["key"]: s for s in seed_templates.OWNER_DIALOGUE["steps"]}
    assert steps["4"]["record_kind"] == Step.RecordKind.ACTIONS
    assert "återrapporteras" in steps["4"]["prompt"]
    assert steps["2"]["reviews_earlier_actions"]


def test_the_workshop_has_a_tips_list_and_reflection_rounds():
    steps = seed_templates.LEARNING_WORKSHOP["steps"]
    assert any(s["title"] == "Tipslista" for s in steps)
    assert any(s.get("is_round") and s["record_kind"] == "fragor" for s in steps)
    assert "parkeringsfickan" in " ".join(seed_templates.LEARNING_WORKSHOP["preparation_notes"])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_live_meeting_runs_through_every_step_and_its_pdf_holds_what_was_said(client, seed):
    data = SEEDS[seed]
    version = ConversationTemplate.objects.get(name=data["name"]).latest_active_version()
    meeting, facilitator, _note_taker = staffed_meeting(template_version=version, theme=seed)
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    client.force_login(facilitator)
    said = []
    steps = list(version.steps.all())
    for number, step in enumerate(steps, start=1):
        projector = client.get(reverse("a3_live:projector", args=[meeting.pk])).content.decode()
        assert step.title in flat(projector)
        text = f"Sagt i steg {step.key} ({seed})"
        if step.record_kind == Step.RecordKind.ACTIONS:
            response = client.post(
                reverse("a3_live:action_add", args=[meeting.pk]),
                {"step": step.pk, "what": text, "who": "Bolaget", "due_date": "2027-03-01"},
                **FETCH,
            )
            assert response.status_code == 204, response.content
        elif step.record_kind == Step.RecordKind.ATTENDANCE:
            maria = meeting.participations.get(person__name="Maria Ek")
            live.set_present(meeting, facilitator, maria, True)
            text = "Maria Ek"
        else:
            fields = {"step": step.pk, "text": text}
            if step.questions:
                fields["question_index"] = "0"
            response = client.post(reverse("a3_live:entry_add", args=[meeting.pk]), fields, **FETCH)
            assert response.status_code == 204, response.content
        said.append(text)
        if number < len(steps):
            client.post(reverse("a3_live:step", args=[meeting.pk]), {"action": "next"}, **FETCH)
    assert Entry.objects.filter(meeting=meeting).count() >= 1
    client.post(reverse("a3_live:finish", args=[meeting.pk]), {"bekrafta": "ja"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FINISHED
    pdf = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and ArchivedA3.objects.filter(meeting=meeting).exists()
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    assert version.title in text
    for expected in said + [s.title for s in steps]:
        assert expected in text, expected


def test_every_shipped_templates_empty_form_is_one_page_to_write_on():
    from samtal.a3.pdf import render_template_pdf

    for template in ConversationTemplate.objects.all():
        data = render_template_pdf(template.latest_active_version())
        assert len(PdfReader(io.BytesIO(data)).pages) == 1, template.name
