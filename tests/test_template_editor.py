"""The template editor (issue 17): copy, edit, reorder, publish, export/import, previews."""

import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from samtal.conversation_templates import editing
from samtal.conversation_templates.models import ConversationTemplate, TemplateVersion
from samtal.meetings.forms import MeetingForm
from tests.factories import default_version, make_meeting, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    """The organisation's process owner: holds the permission to change template versions."""
    user = make_user("processagare")
    user.user_permissions.add(Permission.objects.get(codename="change_templateversion"))
    client.force_login(user)
    return user


def formset_data(draft, **changes):
    """The edit form as the browser would post it, for the draft's saved steps."""
    steps = list(draft.steps.all())
    data = {
        "name": draft.template.name,
        "title": draft.title,
        "purpose": draft.purpose,
        "preparation_notes": "\n".join(draft.preparation_notes),
        "outline": "\n".join(draft.outline),
        "rules": "\n".join(draft.rules),
        "steg-TOTAL_FORMS": str(len(steps)),
        "steg-INITIAL_FORMS": str(len(steps)),
        "steg-MIN_NUM_FORMS": "0",
        "steg-MAX_NUM_FORMS": "1000",
        "action": "save",
    }
    for index, step in enumerate(steps):
        prefix = f"steg-{index}-"
        for field in editing.STEP_FIELDS:
            value = getattr(step, field)
            if isinstance(value, bool):
                if value:
                    data[prefix + field] = "on"
            elif isinstance(value, list):
                data[prefix + field] = "\n".join(value)
            else:
                data[prefix + field] = "" if value is None else str(value)
        data[prefix + "ORDER"] = str(index + 1)
    data.update(changes)
    return data


def copy_default(client):
    version = default_version()
    response = client.post(reverse("conversation_templates:copy", args=[version.pk]))
    draft = TemplateVersion.objects.get(is_draft=True)
    assert response.url == reverse("conversation_templates:edit", args=[draft.pk])
    return version, draft


def test_only_the_process_owner_may_open_the_editor(client):
    client.force_login(make_user("vanlig"))
    assert client.get(reverse("conversation_templates:list")).status_code == 403
    staff = make_user("personal", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("conversation_templates:list")).status_code == 200


def test_the_list_shows_templates_and_the_menu_links_to_it(client, owner):
    default_version()
    page = client.get(reverse("conversation_templates:list")).content.decode()
    assert "Samtalsmall – styrkebaserad (Sundsvall)" in page
    # The installation's shared template: the organisation copies it to a template of its own.
    assert "Gemensam mall för alla organisationer" in page
    assert "Kopiera version 1 till en egen mall" in page
    assert (
        reverse("conversation_templates:list")
        in client.get(reverse("meetings:mine")).content.decode()
    )


def test_a_copy_is_a_draft_with_the_same_steps_and_lists_as_lines_not_json(client, owner):
    version, draft = copy_default(client)
    assert draft.template.organisation == make_organisation()
    assert draft.template.name == version.template.name
    assert draft.number == 1 and draft.based_on == version
    assert [s.key for s in draft.steps.all()] == [s.key for s in version.steps.all()]
    page = client.get(reverse("conversation_templates:edit", args=[draft.pk])).content.decode()
    assert "Var förberedd\nBörja i tid och avsluta i tid" in page
    assert '["' not in page and "[]" not in page
    assert "data-total-minutes>110<" in page
    # A draft is not offered for new meetings.
    offered = MeetingForm(organisation=make_organisation()).fields["template_version"].queryset
    assert draft not in offered


def test_edit_minutes_and_prompt_then_publish_a_new_version_meetings_keep_theirs(client, owner):
    version, draft = copy_default(client)
    meeting = make_meeting(template_version=version)
    data = formset_data(draft, **{"steg-1-minutes": "25", "steg-1-prompt": "Vad har gått bra?"})
    data["action"] = "publish"
    response = client.post(reverse("conversation_templates:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.is_active
    step = draft.steps.get(key="2A")
    assert (step.minutes, step.prompt) == (25, "Vad har gått bra?")
    assert draft.total_minutes == 115
    version.refresh_from_db()
    assert version.is_active  # the shared one: other organisations still plan with it
    assert version.steps.get(key="2A").minutes == 20
    meeting.refresh_from_db()
    assert meeting.template_version == version
    # The organisation's own copy comes first in its Nytt samtal; others keep the shared one.
    form = MeetingForm(organisation=make_organisation())
    assert form.initial["template_version"] == draft.pk
    other = MeetingForm(organisation=make_organisation("Timrå kommun"))
    assert other.initial["template_version"] == version.pk


def test_installation_staff_publish_a_new_version_of_a_shared_template(client):
    client.force_login(make_user("personal", is_staff=True))
    version, draft = copy_default(client)
    assert draft.template == version.template and draft.number == version.number + 1
    data = formset_data(draft)
    data["action"] = "publish"
    assert (
        client.post(reverse("conversation_templates:edit", args=[draft.pk]), data).status_code
        == 302
    )
    version.refresh_from_db()
    assert not version.is_active  # superseded for new meetings, in every organisation


def test_steps_are_reordered_removed_and_added(client, owner):
    _version, draft = copy_default(client)
    url = reverse("conversation_templates:edit", args=[draft.pk])
    data = formset_data(draft, **{"steg-0-ORDER": "3", "steg-2-ORDER": "1", "steg-5-DELETE": "on"})
    assert client.post(url, data).status_code == 302
    assert [s.key for s in draft.steps.all()] == ["2B", "2A", "1", "3", "4A"]
    data = formset_data(draft)
    data["action"] = "add"
    response = client.post(url, data)
    assert response.url.endswith("?nytt=1#nytt-steg")
    page = client.get(response.url)
    assert page.context["formset"].total_form_count() == 6
    data = formset_data(draft)
    data["steg-TOTAL_FORMS"] = "6"
    data.update(
        {
            "steg-5-key": "5",
            "steg-5-phase": "framtid",
            "steg-5-title": "Avslutning",
            "steg-5-minutes": "5",
            "steg-5-prompt": "Vad tar vi med oss?",
            "steg-5-record_kind": "lista",
            "steg-5-ORDER": "6",
        }
    )
    assert client.post(url, data).status_code == 302
    assert [s.key for s in draft.steps.all()][-1] == "5"
    assert draft.total_minutes == 110 - 15 + 5


def test_bad_input_is_refused_in_swedish_and_nothing_typed_is_lost(client, owner):
    _version, draft = copy_default(client)
    url = reverse("conversation_templates:edit", args=[draft.pk])
    data = formset_data(
        draft, **{"steg-1-minutes": "0", "steg-2-key": "2A", "steg-3-prompt": "Min nya fråga"}
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Numret 2A används redan i ett annat steg." in page
    assert "Min nya fråga" in page
    assert "Något behöver rättas" in page
    assert draft.steps.get(key="3").prompt != "Min nya fråga"


def test_an_empty_version_cannot_be_published_nor_offered(client, owner):
    _version, draft = copy_default(client)
    url = reverse("conversation_templates:edit", args=[draft.pk])
    data = formset_data(draft, **{f"steg-{i}-DELETE": "on" for i in range(6)})
    data["action"] = "publish"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Mallen har inga steg." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft and not draft.steps.exists()
    # Even if someone flags an empty version active, "Nytt samtal" never offers it.
    TemplateVersion.objects.filter(pk=draft.pk).update(is_draft=False, is_active=True)
    form = MeetingForm()
    assert draft not in form.fields["template_version"].queryset
    assert form.initial["template_version"] != draft.pk


def test_a_step_recording_per_question_without_questions_cannot_be_published(client, owner):
    _version, draft = copy_default(client)
    data = formset_data(draft, **{"steg-3-questions": ""})
    data["action"] = "publish"
    response = client.post(reverse("conversation_templates:edit", args=[draft.pk]), data)
    assert "Steg 3 antecknar per fråga men har inga frågor." in response.content.decode()


def test_export_and_import_round_trip(client, owner):
    version = default_version()
    response = client.get(reverse("conversation_templates:export", args=[version.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="mall-')
    data = json.loads(response.content)
    assert data["schema_version"] == editing.SCHEMA_VERSION
    data["template"]["name"] = "Samtalsmall från Malmö"
    upload = io.BytesIO(json.dumps(data, ensure_ascii=False).encode())
    upload.name = "mall.json"
    response = client.post(reverse("conversation_templates:import"), {"file": upload})
    imported = TemplateVersion.objects.get(template__name="Samtalsmall från Malmö")
    assert response.url == reverse("conversation_templates:edit", args=[imported.pk])
    assert imported.is_draft
    assert editing.export_version(imported)["version"]["steps"] == data["version"]["steps"]
    for field in ("title", "purpose", "preparation_notes", "outline", "rules"):
        assert getattr(imported, field) == data["version"][field]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not json", "går inte att läsa som JSON"),
        (b'{"hej": 1}', "inte en samtalsmall exporterad från Samtal"),
        (
            json.dumps({"schema": editing.SCHEMA, "schema_version": 99}).encode(),
            "formatversion 99",
        ),
        (
            json.dumps(
                {
                    "schema": editing.SCHEMA,
                    "schema_version": 1,
                    "template": {"name": "Tom"},
                    "version": {"title": "Samtalsmall", "steps": []},
                }
            ).encode(),
            "Mallen har inga steg.",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_swedish_message(client, owner, content, message):
    upload = io.BytesIO(content)
    upload.name = "mall.json"
    before = TemplateVersion.objects.count()
    response = client.post(reverse("conversation_templates:import"), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert TemplateVersion.objects.count() == before
    assert not ConversationTemplate.objects.filter(name="Tom").exists()


def test_a_broken_step_in_a_file_is_named(client, owner):
    data = editing.export_version(default_version())
    data["version"]["steps"][2]["minutes"] = "tio"
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "mall.json"
    response = client.post(reverse("conversation_templates:import"), {"file": upload})
    assert "Steg 3: minuterna ska vara ett heltal från 1 till 600." in response.content.decode()


def test_the_projector_preview_shows_each_step(client, owner):
    _version, draft = copy_default(client)
    url = reverse("conversation_templates:projector_preview", args=[draft.pk])
    page = client.get(url + "?steg=4").content.decode()
    assert "Reflektion och analys av läget." in page
    assert "steg 4 av 6" in page
    assert "45:00" in page
    assert "Förhandsvisning av projektorn" in page


def test_the_pdf_preview_and_the_empty_form_per_template(client, owner):
    _version, draft = copy_default(client)
    response = client.get(
        reverse("conversation_templates:blank_pdf", args=[draft.pk]) + "?underlag=1"
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 2
    text = pdf.pages[1].extract_text()
    assert "Tema:" in text and "Reflektion och analys av läget." in text
    assert "Upplägg:" in pdf.pages[0].extract_text()


def test_a_draft_is_hidden_from_others_but_a_published_form_is_printable_by_anyone(client):
    version = default_version()
    draft = editing.copy_to_draft(version)
    client.force_login(make_user("vanlig"))
    assert (
        client.get(reverse("conversation_templates:blank_pdf", args=[draft.pk])).status_code == 403
    )
    assert (
        client.get(reverse("conversation_templates:projector_preview", args=[draft.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("conversation_templates:blank_pdf", args=[version.pk])).status_code
        == 200
    )


def test_the_admin_shows_lists_one_item_per_line_not_json(client):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("admin-mall", "a@ex.se", "x")
    client.force_login(admin)
    draft = editing.copy_to_draft(default_version())
    page = client.get(
        reverse("admin:conversation_templates_templateversion_change", args=[draft.pk])
    ).content.decode()
    assert "Var förberedd\nBörja i tid och avsluta i tid" in page
    assert "[&quot;" not in page and ">[]<" not in page
