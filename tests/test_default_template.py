"""The default template reads word for word as seed 000 (Bilaga 3, its "Underlag för samtal",
Bilaga 2 and Figur 3). The seed's text is kept in tests/seeds/."""

import re
from pathlib import Path

import pytest

from samtal.conversation_templates import default_template
from samtal.conversation_templates.models import ConversationTemplate, Step, TemplateVersion
from samtal.evaluations.models import QUESTIONS
from samtal.organisations.models import Organisation
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

SEED = (Path(__file__).parent / "seeds" / "000_resultatstyrning_sundsvall.txt").read_text()
SUNDSVALL = Organisation(name="Sundsvalls kommun", resident_term="Sundsvallsbon")


def flat(text):
    return re.sub(r"\s+", " ", text).strip()


SEED_FLAT = flat(SEED)

# The seed's box 4 is "I de bästa av alla världar och nästa steg"; the app splits it into
# 4A and 4B and names each by its half of that heading.
BOX_4 = "I de bästa av alla världar och nästa steg"


def in_seed(text):
    return flat(text) in SEED_FLAT


@pytest.fixture
def version():
    """The version the data migrations left (not made by a test helper)."""
    template = ConversationTemplate.objects.get(name=default_template.NAME)
    return template.latest_active_version()


def test_the_default_template_exists_after_migrate_with_its_six_timed_steps(version):
    steps = list(version.steps.all())
    assert [(s.key, s.minutes) for s in steps] == [
        ("1", 5),
        ("2A", 20),
        ("2B", 10),
        ("3", 45),
        ("4A", 15),
        ("4B", 15),
    ]
    assert version.total_minutes == 110
    assert [s.phase for s in steps] == ["start", "datid", "datid", "nutid", "framtid", "framtid"]
    assert [s.key for s in steps if s.reviews_earlier_actions] == ["2A"]


def test_every_step_text_is_the_seeds_word_for_word(version):
    for step in version.steps.all():
        texts = [step.prompt_for(SUNDSVALL), *step.questions]
        texts += [step.entry_label, step.reason_label, step.preparation_prompt_for(SUNDSVALL)]
        for text in filter(None, texts):
            assert in_seed(text), f"{step.key}: {text!r} is not in the seed"
        if step.key in ("4A", "4B"):
            assert step.title.lower() in BOX_4.lower()
        else:
            assert in_seed(step.title), f"{step.key}: {step.title!r} is not in the seed"


def test_the_deviations_the_issue_measured_are_gone(version):
    steps = {s.key: s for s in version.steps.all()}
    assert steps["1"].prompt.endswith("(notera närvarande i rutan):")
    assert steps["2B"].entry_label == "Andra resultat jag vill lyfta.."
    assert steps["4B"].questions == []  # the seed has no separate box for communicating
    assert steps["4B"].prompt.endswith("Hur kommunicerar vi resultatet av samtalet?")
    assert steps["4A"].max_agreed == 3
    assert steps["4B"].record_kind == Step.RecordKind.ACTIONS


def test_underlag_for_samtal_is_the_seeds_with_its_uppladd(version):
    block = SEED_FLAT.split("Underlag för samtal", 1)[1].split("Regler för mötet")[0]
    bullets = [flat(b) for b in re.split(r" - ", block.split("Upplägg:")[0]) if flat(b)]
    assert version.preparation_notes == bullets
    assert version.purpose == bullets[0]
    outline = version.outline_for(SUNDSVALL)
    assert len(outline) == 4
    for number, item in enumerate(outline, start=1):
        assert f"{number}. {item}" in block
    assert outline[1].startswith("DÅTID - Bakgrund")
    rules = flat(SEED.split("Regler för mötet", 1)[1].split("The image shows")[0])
    assert " ".join(f"- {rule}" for rule in version.rules) == rules


def test_bilaga_2_questions_are_the_seeds():
    for _name, question in QUESTIONS:
        assert in_seed(str(question)), question


def test_the_resident_term_comes_from_the_organisation(version):
    step = version.steps.get(key="2A")
    malmo = Organisation(name="Malmö stad", resident_term="Malmöbon")
    assert "Sundsvallsbon" not in step.prompt
    assert step.prompt_for(malmo).startswith("Vilka resultat visar på nytta för Malmöbon och")
    assert "till nytta för Malmöbon" in version.outline_for(malmo)[1]


def drift(version):
    """Put back the texts the issue found on main."""
    version.preparation_notes = ["Samtalsledare och en person som antecknar är utsedda."]
    version.outline = []
    version.save()
    step = version.steps.get(key="2B")
    step.entry_label = "Andra resultat jag vill lyfta…"
    step.save()


def bring_to_seed():
    return default_template.bring_to_seed(ConversationTemplate, TemplateVersion, Step)


def test_an_unused_version_is_corrected_in_place(version):
    drift(version)
    fixed = bring_to_seed()
    assert fixed.pk == version.pk
    fixed.refresh_from_db()
    assert fixed.preparation_notes == default_template.PREPARATION_NOTES
    assert fixed.steps.get(key="2B").entry_label == "Andra resultat jag vill lyfta.."


def test_a_version_in_use_keeps_its_texts_and_a_new_version_is_published(version):
    drift(version)
    meeting = make_meeting(template_version=version)
    fixed = bring_to_seed()
    assert fixed.number == version.number + 1
    assert fixed.outline == default_template.OUTLINE
    meeting.refresh_from_db()
    assert meeting.template_version_id == version.pk
    version.refresh_from_db()
    assert version.steps.get(key="2B").entry_label == "Andra resultat jag vill lyfta…"
    assert not version.is_active
    assert TemplateVersion.objects.plannable().filter(template=version.template).get() == fixed
