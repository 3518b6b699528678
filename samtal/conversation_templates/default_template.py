"""Sundsvall's strengths-based "Samtalsmall" (seed 000, Bilaga 3 and its "Underlag för
samtal"), word for word.

Every text here is the seed's, character for character, except `{invånare}` where the seed
says "Sundsvallsbon" (other municipalities get their own resident term). The split of box 4
into 4A "I de bästa av alla världar" and 4B "nästa steg" follows the seed's heading "I de
bästa av alla världar och nästa steg". tests/test_default_template.py compares every text
with the seed.

Used by data migrations, so it must only hold plain data.
"""

NAME = "Samtalsmall – styrkebaserad (Sundsvall)"
DESCRIPTION = (
    "Sundsvalls kommuns samtalsmall för resultatsamtal med styrkebaserade frågor, "
    "framtagen i samarbete med Mittuniversitetet. Följer slutrapporten "
    "”Resultatstyrning för medborgarnytta” (2019), Bilaga 3."
)

PURPOSE = (
    "Syftet med mötet är att skapa tydlighet och förståelse kring resultat, "
    "utmaningar och förväntningar."
)

PREPARATION_NOTES = [
    PURPOSE,
    "En förutsättning för att uppnå syftet är att alla medverkande har satt sig in i "
    "underlagen inför mötet och förberett input.",
    "Samtalsledare och en person som antecknar är utsedd innan mötet samt att denna mall är "
    "utskriven till samtliga deltagare.",
    "Under mötet förs anteckningarna i denna mall synligt för alla.",
    "Tänk på att disponera tiden och hålla fokus.",
]

OUTLINE = [
    "Kort presentation av upplägg och medverkande så alla får en bild av varför vi är här "
    "och vad vi förväntas uppnå.",
    "DÅTID - Bakgrund, beskrivning av läget syftar till att skapa en gemensam bild av vad "
    "som har hänt under verksamhetsåret och som är till nytta för {invånare} och vilka "
    "resultat som är viktiga att ta med i fortsatt reflektion och analys.",
    "NUTID - Reflektion och analys av läget syftar till att utifrån de resultat som lyfts "
    'upp diskutera vad de "säger oss". Vad får de för konsekvenser och vad vi kan göra för '
    "att arbeta vidare.",
    'FRAMTID – Syftet med denna punkt är dels att få tänka fritt och "drömma" om hur vi vill '
    "att området ska utvecklas och dels komma överens om vilka steg vi kan ta för att "
    "närma oss det vi vill uppnå.",
]

RULES = [
    "Var förberedd",
    "Börja i tid och avsluta i tid",
    "Respekt och kreativitet",
    "Se till att alla kommer till tals",
    "Se till att alla synpunkter tas till vara",
    "Stäng av mobilen",
    "Fokusera på resultat och analys, inte hitta lösningar",
]

STEPS = [
    {
        "key": "1",
        "title": "Förutsättningar och medverkande? Namn och roll.",
        "phase": "start",
        "minutes": 5,
        "prompt": "Gå igenom upplägget för mötet samt gör en presentationsrunda "
        "(notera närvarande i rutan):",
        "record_kind": "narvaro",
    },
    {
        "key": "2A",
        "title": "Bakgrund, beskrivning av nuläge.",
        "phase": "datid",
        "minutes": 20,
        "prompt": "Vilka resultat visar på nytta för {invånare} och vad grundar du det på "
        '(dvs motivera ditt svar)? Gå "laget runt" och anteckna vad var och en tagit med '
        "sig från den förberedande uppgiften.",
        "record_kind": "pastaenden",
        "entry_label": "Det här visar på nytta",
        "reason_label": "därför att:",
        "is_round": True,
        "asks_preparation": True,
        "preparation_prompt": "Vilka resultat visar på nytta för {invånare} och vad grundar "
        "du det på (dvs motivera ditt svar)?",
        "reviews_earlier_actions": True,
    },
    {
        "key": "2B",
        "title": "Vilka andra resultat kan vi se?",
        "phase": "datid",
        "minutes": 10,
        "prompt": "Har vi identifierat några andra särskilt viktiga resultat som vi vill lyfta?",
        "record_kind": "lista",
        "entry_label": "Andra resultat jag vill lyfta..",
        "asks_preparation": True,
        "preparation_prompt": "Har vi identifierat några andra särskilt viktiga resultat "
        "som vi vill lyfta?",
    },
    {
        "key": "3",
        "title": "Reflektion och analys av läget.",
        "phase": "nutid",
        "minutes": 45,
        "prompt": "Med de listade resultaten från bakgrunden som utgångspunkt diskutera "
        "följande frågor:",
        "questions": [
            "Vad säger resultaten oss utifrån våra respektive uppdrag, vilka styrkor kan vi "
            "identifiera?",
            "Vad kan vi göra för att ytterligare stärka de positiva resultaten?",
            "Har vi helhetsbilden? Saknar vi någon information för att förstå verksamheten "
            "och kunna ta kloka beslut?",
        ],
        "record_kind": "fragor",
    },
    {
        "key": "4A",
        "title": "I de bästa av alla världar",
        "phase": "framtid",
        "minutes": 15,
        "prompt": "Om vi tillsammans får tre önskningar för hur värdet för {invånare} "
        "(relaterat till området) ska vidareutvecklas, vilka skulle de vara? Gå laget runt "
        "(var och en får en (1) önskning) och kom överens om max tre önskningar.",
        "record_kind": "onskningar",
        "entry_label": "Vi skulle vilja...",
        "reason_label": "...därför att:",
        "is_round": True,
        "asks_preparation": True,
        "preparation_prompt": "Om vi tillsammans får tre önskningar för hur värdet för "
        "{invånare} (relaterat till området) ska vidareutvecklas, vilka skulle de vara?",
        "max_agreed": 3,
    },
    {
        "key": "4B",
        "title": "Nästa steg",
        "phase": "framtid",
        "minutes": 15,
        "prompt": "Med tidigare diskussioner som utgångspunkt läge: hur går vi vidare? "
        "Konkreta aktiviteter som ska genomföras? Hur kommunicerar vi resultatet av "
        "samtalet?",
        "record_kind": "atgarder",
    },
]

# The seed's "Övriga anteckningar vid behov:" (the box below the form).
OTHER_NOTES_LABEL = "Övriga anteckningar vid behov:"

VERSION_FIELDS = {
    "title": "Samtalsmall",
    "purpose": PURPOSE,
    "preparation_notes": PREPARATION_NOTES,
    "outline": OUTLINE,
    "rules": RULES,
}
STEP_DEFAULTS = {
    "questions": [],
    "entry_label": "",
    "reason_label": "",
    "is_round": False,
    "asks_preparation": False,
    "preparation_prompt": "",
    "max_agreed": None,
    "reviews_earlier_actions": False,
}


def _known(model, data):
    """Only the fields the (historical) model has: an early migration runs this too."""
    names = {field.name for field in model._meta.get_fields()}
    return {key: value for key, value in data.items() if key in names}


def create(ConversationTemplate, TemplateVersion, Step):
    template, _ = ConversationTemplate.objects.get_or_create(
        name=NAME, defaults={"description": DESCRIPTION}
    )
    if template.versions.exists():
        return template.versions.order_by("-number").first()
    version = TemplateVersion.objects.create(
        template=template, number=1, is_active=True, **_known(TemplateVersion, VERSION_FIELDS)
    )
    for order, step in enumerate(STEPS, start=1):
        Step.objects.create(version=version, order=order, **_known(Step, {**STEP_DEFAULTS, **step}))
    return version


def bring_to_seed(ConversationTemplate, TemplateVersion, Step):
    """Make the default template's newest version read as the seed (issue 17).

    A version no meeting uses yet is corrected in place. A version meetings use is left as
    those meetings were planned and a new version with the seed's texts is published beside
    it (the old one is no longer offered for new meetings): removing the 4B question changes
    what a meeting's notes are filed under, so it must not happen under a planned meeting.
    Returns the version that now reads as the seed.
    """
    template = ConversationTemplate.objects.filter(name=NAME).first()
    if template is None:
        return create(ConversationTemplate, TemplateVersion, Step)
    current = template.versions.order_by("-number").first()
    if current is None:
        return create(ConversationTemplate, TemplateVersion, Step)
    template.description = DESCRIPTION
    template.save(update_fields=["description"])
    if current.meetings.exists():
        current.is_active = False
        current.save(update_fields=["is_active"])
        version = TemplateVersion.objects.create(
            template=template,
            number=current.number + 1,
            is_active=True,
            based_on=current,
            **VERSION_FIELDS,
        )
        for order, step in enumerate(STEPS, start=1):
            Step.objects.create(version=version, order=order, **{**STEP_DEFAULTS, **step})
        return version
    for field, value in VERSION_FIELDS.items():
        setattr(current, field, value)
    current.save()
    current.steps.all().delete()
    for order, step in enumerate(STEPS, start=1):
        Step.objects.create(version=current, order=order, **{**STEP_DEFAULTS, **step})
    return current
