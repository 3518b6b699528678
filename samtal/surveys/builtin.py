"""The two built-in instruments, with their statements exactly as in the sources.

GOVERNANCE: seed 000, Bilaga 1 – the ten statements about the governance model
("Skatta följande påståenden på en skala 1-7, där 1 är håller inte alls med och 7 håller helt
med"). LEDA_FOR_RESULTAT: seed 001 – the 19 statements of the självskattningsenkät in their
groups, with the Swedish letters the OCR lost restored.
"""

GOVERNANCE = {
    "key": "styrmodell",
    "name": "Styrmodellen",
    "description": (
        "Förenkling, helhetssyn och tydlighet. Resultatstyrning ska göras möjlig. Utgångspunkten "
        "är grunduppdraget. Skatta följande påståenden om kommunens styrmodell."
    ),
    "prompt": "Sundsvalls kommuns styrmodell …",
    "scale_max_label": "Håller helt med",
    "scale_min_label": "Håller inte alls med",
    "groups": [
        (
            "",
            [
                "… är enkel",
                "… är lätt att förstå",
                "… förenklar styrningen (för mig i min roll)",
                "… hjälper mig att förstå helheten",
                "… visar hur de olika delarna i kommunens verksamheter samverkar",
                "… tar hänsyn till alla aspekter som påverkar styrningen? (Är modellen komplett?)",
                "… tydliggör mitt/vårt bidrag till kommunens resultat",
                "… hjälper oss att prioritera i vardagen (vad vi ska fokusera på)",
                "… har fokus på medborgarnytta",
                "… visar sambandet mellan genomförda aktiviteter och medborgarnytta",
            ],
        ),
    ],
}

LEDA_FOR_RESULTAT = {
    "key": "forbattringsarbete",
    "name": "Förutsättningar för förbättringsarbete",
    "description": (
        "Påståendena försöker fånga viktiga förutsättningar för att driva ett framgångsrikt "
        "förbättringsarbete. Självskattningen ger en uppfattning om vad verksamheten ser som "
        "sina styrkor och svagheter och är tänkt som grund för en diskussion."
    ),
    "prompt": "Upplever du i din roll att:",
    "scale_max_label": "Instämmer helt",
    "scale_min_label": "Instämmer inte alls",
    "groups": [
        (
            "Tid och energi",
            [
                "Ledningsfunktionen lägger tillräckligt med tid på strategiska frågor.",
                "Jag kan ägna tillräckligt med tid åt mitt uppdrag i ledningsfunktionen.",
            ],
        ),
        (
            "Lärande förhållningssätt",
            [
                "Acceptansen är stor för nya idéer och angreppssätt i vår ledningsfunktion.",
                "Ledningsgrupp och stödfunktioner tar tillvara respektive grupps kunskaper och "
                "erfarenheter.",
            ],
        ),
        (
            "Utvecklingsinriktat arbetssätt",
            [
                "Ledningsfunktionen tar ett gemensamt ansvar för det långsiktiga "
                "förbättringsarbetet och verksamhetsutvecklingen.",
                "Förbättringsarbete är en väl inarbetad del i ledningsfunktionens arbetssätt.",
            ],
        ),
        (
            "Bra bas-strukturer",
            [
                "Ledningsfunktionen har bra mötes- och arbetsformer.",
                "Ledningsfunktionen har bra faktaunderlag för att diskutera förbättringar.",
                "Vi har bra rutiner och arbetssätt som möjliggör kunskapsbaserad ledning och "
                "styrning.",
            ],
        ),
        (
            "Intern förankring",
            [
                "Samarbetet mellan stöd och ledning fungerar bra.",
                "Den politiska nivån stöder vårt förbättringsarbete.",
                "Vi har fått gehör hos våra medarbetare för förbättringsarbete.",
            ],
        ),
        (
            "Brukarfokus",
            [
                "Vi har ett tydligt brukarfokus i förbättringsarbetet.",
                "Vi lyssnar kontinuerligt av brukarnas och de anhörigas behov.",
            ],
        ),
        (
            "Kommunikation – mål",
            [
                "Vi är tydliga när vi kommunicerar mål och visioner till våra medarbetare.",
                "Vi är tydliga när vi kommunicerar mål och visioner till våra brukare.",
            ],
        ),
        (
            "Genomförande",
            [
                "Vi har uthållighet att genomföra förbättringsarbete även om det tar längre tid "
                "än planerat.",
                "Vi reviderar löpande vårt förbättringsarbete.",
                "Vi har tillräckliga resurser för vårt fortsatta förbättringsarbete.",
            ],
        ),
    ],
}

BUILTIN = [GOVERNANCE, LEDA_FOR_RESULTAT]


def create(Instrument, Statement, spec):
    """Create the instrument's first version unless it exists (usable from migrations)."""
    instrument, created = Instrument.objects.get_or_create(
        key=spec["key"],
        version=1,
        defaults={
            name: spec[name]
            for name in ("name", "description", "prompt", "scale_max_label", "scale_min_label")
        },
    )
    if created:
        number = 0
        for group, texts in spec["groups"]:
            for text in texts:
                number += 1
                Statement.objects.create(
                    instrument=instrument, number=number, group=group, text=text, order=number
                )
    return instrument


def create_all(Instrument, Statement):
    return [create(Instrument, Statement, spec) for spec in BUILTIN]
