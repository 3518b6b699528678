"""A password policy for local accounts: no password built from a guessable word.

Django's validators refuse short, common, numeric and username-like passwords; this one
also refuses the patterns people actually use at work: a season, month, the product's or
the organisation's name or the user's own name with digits and signs around it
("Sommar2026!", "Samtal123", "Sundsvall2026", "karin.lindqvist1")."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GUESSABLE_WORDS = {
    "samtal",
    "resultatsamtal",
    "demo",
    "kommun",
    "kommunen",
    "region",
    "lösenord",
    "losenord",
    "password",
    "passord",
    "välkommen",
    "valkommen",
    "hemligt",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "abc",
    "admin",
    "administrator",
    "sommar",
    "vinter",
    "höst",
    "host",
    "vår",
    "var",
    "våren",
    "hösten",
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
    "måndag",
    "tisdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lördag",
    "söndag",
    "sverige",
    "svenska",
    "test",
    "user",
    "anvandare",
    "användare",
    "hej",
    "hejsan",
    "jul",
    "midsommar",
}
# What may remain after the guessable words and everything but letters are taken out.
MIN_OWN_LETTERS = 5


def normalise(text):
    return unicodedata.normalize("NFC", text or "").casefold()


def letters(text):
    return "".join(ch for ch in normalise(text) if ch.isalpha())


def context_words(user=None):
    """Words of this installation and this user: organisation names, resident terms, names."""
    words = set()
    try:
        from django.apps import apps

        Organisation = apps.get_model("organisations", "Organisation")
        for name, resident in Organisation.objects.values_list("name", "resident_term"):
            words.update(re.findall(r"\w+", normalise(name)))
            words.update(re.findall(r"\w+", normalise(resident)))
    except LookupError:
        pass
    if user is not None:
        for attr in ("username", "first_name", "last_name", "email"):
            words.update(re.findall(r"[^\W\d_]+", normalise(getattr(user, attr, "") or "")))
    # Swedish genitive: "Sundsvalls kommun" also rules out "Sundsvall".
    words |= {word[:-1] for word in words if word.endswith("s")}
    return {word for word in words if len(word) >= 3}


class ContextPasswordValidator:
    def validate(self, password, user=None):
        remaining = letters(password)
        for word in sorted(GUESSABLE_WORDS | context_words(user), key=len, reverse=True):
            remaining = remaining.replace(letters(word), "")
        if len(remaining) < MIN_OWN_LETTERS:
            raise ValidationError(
                _(
                    "Lösenordet är för lätt att gissa: det bygger på ett vanligt ord, ett namn "
                    "eller organisationens namn med siffror eller tecken runt. Välj till exempel "
                    "tre eller fyra ord som inte hör ihop."
                ),
                code="password_guessable",
            )

    def get_help_text(self):
        return _(
            "Lösenordet får inte bygga på ett vanligt ord (som en årstid eller månad), ditt "
            "namn, ditt användarnamn eller organisationens namn."
        )
