"""Templates for the seeds' other meeting kinds, shipped beside Sundsvall's (issue 17).

Each is written from its seed (in /work/shared/seeds at the time of writing), says so in its
description, and keeps the seed's own words where the seed has them. Used by a data
migration, so it must only hold plain data.
"""

OWNER_DIALOGUE = {
    "name": "Ägardialog – styrelse möter styrelse (Göteborg)",
    "description": (
        "Följer seed 003: Göteborgs Stads ägardialog mellan Göteborgs Stadshus AB och ett "
        "bolags styrelse (”Återrapportering handlingsplan 2016 års ägardialog Business Region "
        "Göteborg AB”). Dialogen ger en handlingsplan med uppdrag och när varje uppdrag ska "
        "återrapporteras."
    ),
    "title": "Ägardialog",
    "purpose": (
        "Ägardialogen ska ta sin utgångspunkt i möten där styrelse möter styrelse i syfte att "
        "stärka och tydliggöra den politiska styrningen av bolagen."
    ),
    "preparation_notes": [
        "Ägardialogen ska ta sin utgångspunkt i möten där styrelse möter styrelse i syfte att "
        "stärka och tydliggöra den politiska styrningen av bolagen.",
        "I uppdraget att företräda ägaren ligger också att vid behov tydliggöra ägarens mål "
        "med verksamheten och att stödja bolagen i genomförandet.",
        "Bolaget återrapporterar före dialogen de uppdrag som förra årets handlingsplan gav.",
        "Efter genomförd ägardialog fastställer ägaren en handlingsplan utifrån vad som "
        "framkommit under dialogen.",
    ],
    "outline": [
        "Styrelse möter styrelse: vilka som deltar från ägaren och från bolaget.",
        "Återrapportering av uppdragen från förra ägardialogens handlingsplan.",
        "Frågor av strategisk karaktär och ägarens mål med verksamheten.",
        "Handlingsplan: vilka aktiviteter ägardialogen gett upphov till och vilken "
        "återrapportering som förväntas ske.",
    ],
    "rules": [
        "Styrelse möter styrelse",
        "Utgå från ägarens mål med verksamheten",
        "Varje uppdrag får en ansvarig och en tid för återrapportering",
    ],
    "steps": [
        {
            "key": "1",
            "title": "Styrelse möter styrelse",
            "phase": "start",
            "minutes": 5,
            "prompt": "Notera vilka som deltar från ägarens styrelse och från bolagets "
            "styrelse, och gå igenom dialogens syfte.",
            "record_kind": "narvaro",
        },
        {
            "key": "2",
            "title": "Återrapportering av förra handlingsplanen",
            "phase": "datid",
            "minutes": 20,
            "prompt": "Bolaget återrapporterar uppdragen från förra ägardialogens "
            "handlingsplan: vad har gjorts och vad visar resultaten?",
            "record_kind": "lista",
            "entry_label": "Återrapporterat",
            "asks_preparation": True,
            "preparation_prompt": "Vilket uppdrag från förra handlingsplanen återrapporterar "
            "du, och vad visar resultaten?",
            "reviews_earlier_actions": True,
        },
        {
            "key": "3",
            "title": "Frågor av strategisk karaktär",
            "phase": "nutid",
            "minutes": 40,
            "prompt": "Under dialogen diskuteras ett antal frågor av strategisk karaktär.",
            "questions": [
                "Hur går det för bolaget i förhållande till ägarens mål med verksamheten?",
                "Vilka frågor av strategisk karaktär behöver ägaren och bolaget diskutera?",
                "Behöver ägaren tydliggöra sina mål eller stödja bolaget i genomförandet?",
            ],
            "record_kind": "fragor",
        },
        {
            "key": "4",
            "title": "Handlingsplan: uppdrag och återrapportering",
            "phase": "framtid",
            "minutes": 20,
            "prompt": "Vilka aktiviteter har ägardialogen gett upphov till? Skriv varje "
            "uppdrag till bolaget (Vad), vem som ansvarar (Vem/vilka) och när uppdraget ska "
            "återrapporteras (När).",
            "record_kind": "atgarder",
        },
    ],
}

LEARNING_WORKSHOP = {
    "name": "Lärande workshop – regionala resultat (Reglab)",
    "description": (
        "Följer seed 004: Reglabs lärprojekt ”Regionala resultat”, workshop 1 (21 juni 2017). "
        "Program med processledare, parkeringsficka för frågor, tipslista och "
        "reflektionsrundor i helgrupp."
    ),
    "title": "Lärande workshop",
    "purpose": (
        "Syftet är att utbyta erfarenheter och öka kunskapen om uppföljning, utvärdering och "
        "lärande med fokus på regionala resultat."
    ),
    "preparation_notes": [
        "Syftet är att utbyta erfarenheter och öka kunskapen om uppföljning, utvärdering och "
        "lärande med fokus på regionala resultat.",
        "Processledaren går igenom programmet och hur vi förväntas arbeta tillsammans.",
        "Frågor som inte hinns med läggs i parkeringsfickan och tas med till kommande träffar.",
        "Läsa-, titta- och lyssna-tips samlas i en tipslista under dagen.",
    ],
    "outline": [
        "Inledning – varför, vad, hur",
        "Synen på resultat – resan fram till nu",
        "Work in progress – regionala exempel",
        "Labb – vad är ett resultat?",
        "Avslutning – utcheckning och tipslista",
    ],
    "rules": [
        "Vi tar gemensamt ansvar för processen",
        "Vi är generösa genom att lyssna och dela med oss",
        "Vi bejakar olika perspektiv",
        "Vi behandlar varandras samtal på ett förtroendefullt sätt",
    ],
    "steps": [
        {
            "key": "1",
            "title": "Inledning – varför, vad, hur",
            "phase": "start",
            "minutes": 20,
            "prompt": "Processledaren går igenom programmet och hur vi förväntas arbeta "
            "tillsammans. Visualiseringsövning: vem är här och varför?",
            "record_kind": "narvaro",
        },
        {
            "key": "2A",
            "title": "Synen på resultat – resan fram till nu",
            "phase": "datid",
            "minutes": 45,
            "prompt": "Lärprojektets resultatfokus sätts i en kontext. Anteckna frågor och "
            "reflektioner som delas i helgrupp.",
            "record_kind": "lista",
            "entry_label": "Frågor och reflektioner i helgrupp",
            "reviews_earlier_actions": True,
        },
        {
            "key": "2B",
            "title": "Work in progress – regionala exempel",
            "phase": "datid",
            "minutes": 60,
            "prompt": "Regionala aktörer delar med sig av sina arbetsupplägg och erfarenheter, "
            "framförallt kring det som är utmanande i processerna, så kallade kritiska "
            "framgångsfaktorer.",
            "record_kind": "lista",
            "entry_label": "Kritiska framgångsfaktorer",
            "is_round": True,
            "asks_preparation": True,
            "preparation_prompt": "Vilket arbetsupplägg eller vilken erfarenhet från din "
            "region vill du dela, och vad har varit utmanande?",
        },
        {
            "key": "3",
            "title": "Labb – vad är ett resultat?",
            "phase": "nutid",
            "minutes": 60,
            "prompt": "Arbeta gruppvis med att pussla samman delar i en effektkedja på flera "
            "nivåer – resurser, indikatorer, mål och möjliga utvärderingssätt. Välj ett "
            "aktuellt case som utgångspunkt.",
            "questions": [
                "Vad är ett resultat?",
                "Vad är skillnaden mellan en aktivitet och ett resultat?",
                "Hur hänger effektkedjor på olika nivåer ihop?",
            ],
            "record_kind": "fragor",
        },
        {
            "key": "4A",
            "title": "Utcheckning",
            "phase": "framtid",
            "minutes": 20,
            "prompt": "Reflektera över och sammanfatta dagen, laget runt.",
            "questions": [
                "Vilka inspel vill jag göra till kommande workshopar?",
                "Vad är den viktigaste lärdomen från dagen?",
            ],
            "record_kind": "fragor",
            "is_round": True,
        },
        {
            "key": "4B",
            "title": "Tipslista",
            "phase": "framtid",
            "minutes": 10,
            "prompt": "Läsa-, titta- och lyssna-tips som kommit upp under dagen, med länk.",
            "record_kind": "lista",
            "entry_label": "Tips",
        },
    ],
}

JOINT_MEETING = {
    "name": "Kontaktmöte – Försäkringskassan och Arbetsförmedlingen",
    "description": (
        "Följer seed 002: Försäkringskassans och Arbetsförmedlingens gemensamma möte med en "
        "kund (kontaktmöte, Malmö). Vilka som deltar från vilken myndighet, vad som "
        "dokumenteras under mötet och lämnas till kunden."
    ),
    "title": "Kontaktmöte",
    "purpose": (
        "Skapa framåtsyftande möte för att ändra fokus från rätten till ersättning till hur "
        "målet arbete skall nås."
    ),
    "preparation_notes": [
        "Personliga handläggaren har dokumenterat sitt ställningstagande i journalen och "
        "erbjudit kunden kontaktmöte.",
        "Handläggaren har inhämtat information kring kundens arbete, utbildning, tidigare "
        "erfarenheter och tankar inför framtida arbete.",
        "FK dokumenterar under mötet och lämnar ett ex till kunden som kan använda den i sin "
        "fortsatta planering.",
    ],
    "outline": [
        "Vilka som deltar, från vilken myndighet, och mötets syfte.",
        "Kundens arbete, utbildning, tidigare erfarenheter och tankar inför framtida arbete.",
        "Vägen till arbete: vilket stöd kunden behöver.",
        "Planering och dokumentation som lämnas till kunden.",
    ],
    "rules": [
        "Mötet är individuellt och framåtsyftande",
        "Respektera varandras yrkesroller",
        "Ha inte synpunkter på varandras bedömningar under samtal med kund",
    ],
    "steps": [
        {
            "key": "1",
            "title": "Vilka deltar, från vilken myndighet?",
            "phase": "start",
            "minutes": 5,
            "prompt": "Presentera er med namn, myndighet (Försäkringskassan eller "
            "Arbetsförmedlingen) och roll. Säkerställ att kunden har förstått syftet med "
            "mötet.",
            "record_kind": "narvaro",
        },
        {
            "key": "2",
            "title": "Kundens arbete, utbildning och erfarenheter",
            "phase": "datid",
            "minutes": 15,
            "prompt": "Gå igenom kundens arbete, utbildning, tidigare erfarenheter och tankar "
            "inför framtida arbete.",
            "record_kind": "lista",
            "entry_label": "Erfarenheter och tankar",
        },
        {
            "key": "3",
            "title": "Vägen till arbete",
            "phase": "nutid",
            "minutes": 20,
            "prompt": "Identifiera kundens behov av stöd för att kunna söka arbete.",
            "questions": [
                "Vilket stöd behöver kunden för att kunna söka arbete?",
                "Vilka handlingar lämnar Försäkringskassan över till Arbetsförmedlingen?",
                "Vad innebär rätten att söka annat arbete med bibehållen sjukpenning?",
            ],
            "record_kind": "fragor",
        },
        {
            "key": "4",
            "title": "Planering och dokumentation till kunden",
            "phase": "framtid",
            "minutes": 10,
            "prompt": "Skriv planeringen: vad som ska göras, vem som gör det (kunden, "
            "Försäkringskassan eller Arbetsförmedlingen) och när. Dokumentationen lämnas till "
            "kunden.",
            "record_kind": "atgarder",
        },
    ],
}

SEED_TEMPLATES = [OWNER_DIALOGUE, LEARNING_WORKSHOP, JOINT_MEETING]
VERSION_KEYS = ["title", "purpose", "preparation_notes", "outline", "rules"]


def create(ConversationTemplate, TemplateVersion, Step, data):
    """Create one seed template's first version, unless a template of that name exists."""
    template, created = ConversationTemplate.objects.get_or_create(
        name=data["name"], defaults={"description": data["description"]}
    )
    if not created and template.versions.exists():
        return template.versions.order_by("-number").first()
    version = TemplateVersion.objects.create(
        template=template, number=1, is_active=True, **{k: data[k] for k in VERSION_KEYS}
    )
    for order, step in enumerate(data["steps"], start=1):
        Step.objects.create(version=version, order=order, **step)
    return version
