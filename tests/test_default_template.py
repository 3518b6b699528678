import pytest

from samtal.conversation_templates.models import ConversationTemplate, Step
from samtal.meetings.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    """The version created by the data migration (not by a test helper)."""
    return ConversationTemplate.objects.get(name__startswith="Samtalsmall").latest_active_version()


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


def test_the_default_template_keeps_the_municipalitys_words(version):
    steps = {s.key: s for s in version.steps.all()}
    assert steps["1"].title == "Förutsättningar och medverkande? Namn och roll."
    assert steps["2A"].title == "Bakgrund, beskrivning av nuläge"
    assert steps["2A"].entry_label == "Det här visar på nytta"
    assert steps["2A"].reason_label == "…därför att:"
    assert steps["2B"].prompt == (
        "Har vi identifierat några andra särskilt viktiga resultat som vi vill lyfta?"
    )
    assert steps["3"].questions[2] == (
        "Har vi helhetsbilden? Saknar vi någon information för att förstå verksamheten "
        "och kunna ta kloka beslut?"
    )
    assert steps["4A"].title == "I de bästa av alla världar"
    assert steps["4A"].max_agreed == 3
    assert steps["4B"].prompt.endswith("Hur kommunicerar vi resultatet av samtalet?")
    assert steps["4B"].record_kind == Step.RecordKind.ACTIONS


def test_the_rules_and_preparation_text_are_there(version):
    assert version.rules[0] == "Var förberedd"
    assert "Stäng av mobilen" in version.rules
    assert version.rules[-1] == "Fokusera på resultat och analys, inte hitta lösningar"
    assert version.preparation_notes[0] == version.purpose
    assert version.purpose.startswith("Syftet med mötet är att skapa tydlighet")
    assert "Samtalsledare och en person som antecknar är utsedda innan mötet." in (
        version.preparation_notes
    )


def test_the_resident_term_comes_from_the_organisation(version):
    step = version.steps.get(key="2A")
    malmo = Organisation(name="Malmö stad", resident_term="Malmöbon")
    assert "Sundsvallsbon" not in step.prompt
    assert step.prompt_for(malmo).startswith("Vilka resultat visar på nytta för Malmöbon och")
