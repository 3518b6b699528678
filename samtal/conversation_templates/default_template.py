"""Sundsvall's strengths-based "Samtalsmall" (seed 000, Bilaga 3), word for word.

Used by a data migration, so it must only hold plain data.
"""

NAME = "Samtalsmall – styrkebaserad (Sundsvall)"
DESCRIPTION = (
    "Sundsvalls kommuns samtalsmall för resultatsamtal med styrkebaserade frågor, "
    "framtagen i samarbete med Mittuniversitetet."
)

PURPOSE = (
    "Syftet med mötet är att skapa tydlighet och förståelse kring resultat, "
    "utmaningar och förväntningar."
)

PREPARATION_NOTES = [
    PURPOSE,
    "Alla medverkande har satt sig in i underlagen inför mötet och förberett input.",
    "Samtalsledare och en person som antecknar är utsedda innan mötet.",
    "Under mötet förs anteckningarna i mallen synligt för alla. "
    "Tänk på att disponera tiden och hålla fokus.",
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
        "(notera närvarande i rutan).",
        "record_kind": "narvaro",
    },
    {
        "key": "2A",
        "title": "Bakgrund, beskrivning av nuläge",
        "phase": "datid",
        "minutes": 20,
        "prompt": "Vilka resultat visar på nytta för {invånare} och vad grundar du det på "
        "(dvs motivera ditt svar)? Gå ”laget runt” och anteckna vad var och en tagit med "
        "sig från den förberedande uppgiften.",
        "record_kind": "pastaenden",
        "entry_label": "Det här visar på nytta",
        "reason_label": "…därför att:",
        "is_round": True,
        "asks_preparation": True,
        "preparation_prompt": "Vilka resultat visar på nytta för {invånare} och vad grundar "
        "du det på (dvs motivera ditt svar)?",
    },
    {
        "key": "2B",
        "title": "Vilka andra resultat kan vi se?",
        "phase": "datid",
        "minutes": 10,
        "prompt": "Har vi identifierat några andra särskilt viktiga resultat som vi vill lyfta?",
        "record_kind": "lista",
        "entry_label": "Andra resultat jag vill lyfta…",
        "asks_preparation": True,
        "preparation_prompt": "Har du identifierat några andra särskilt viktiga resultat "
        "som du vill lyfta?",
    },
    {
        "key": "3",
        "title": "Reflektion och analys av läget",
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
        "entry_label": "Vi skulle vilja…",
        "reason_label": "…därför att:",
        "is_round": True,
        "asks_preparation": True,
        "preparation_prompt": "Om du fick en önskning för hur värdet för {invånare} "
        "(relaterat till området) ska vidareutvecklas, vilken skulle den vara? (Frivilligt.)",
        "max_agreed": 3,
    },
    {
        "key": "4B",
        "title": "Nästa steg",
        "phase": "framtid",
        "minutes": 15,
        "prompt": "Med tidigare diskussioner som utgångspunkt: hur går vi vidare? Konkreta "
        "aktiviteter som ska genomföras? Hur kommunicerar vi resultatet av samtalet?",
        "questions": ["Hur kommunicerar vi resultatet av samtalet?"],
        "record_kind": "atgarder",
    },
]


def create(ConversationTemplate, TemplateVersion, Step):
    template, _ = ConversationTemplate.objects.get_or_create(
        name=NAME, defaults={"description": DESCRIPTION}
    )
    if template.versions.exists():
        return template.versions.order_by("-number").first()
    version = TemplateVersion.objects.create(
        template=template,
        number=1,
        is_active=True,
        title="Samtalsmall",
        purpose=PURPOSE,
        preparation_notes=PREPARATION_NOTES,
        rules=RULES,
    )
    for order, step in enumerate(STEPS, start=1):
        Step.objects.create(version=version, order=order, **step)
    return version
