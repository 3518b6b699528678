"""The role mapping: which of the identity provider's groups (or claim values) give which of
Samtal's roles. The organisation administrator writes it as lines, one group per line:

    6f1c…-guid = planerare
    CN=Samtal-ledning,OU=Grupper,DC=kommun,DC=se = kommunledning, planerare
    * = planerare

The separator is the line's last "=" (group names such as LDAP DNs contain "=" themselves);
"*" matches everyone who signs in through that provider. Lines starting with # are comments.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ROLE_WORDS = {
    "planerare": "is_planner",
    "planner": "is_planner",
    "kommunledning": "is_reviewer",
    "administratör": "is_admin",
    "administrator": "is_admin",
    "admin": "is_admin",
}
ROLE_FIELDS = ("is_planner", "is_reviewer", "is_admin")
EVERYONE = "*"


@dataclass(frozen=True)
class Rule:
    group: str
    roles: frozenset


def parse(text):
    """The rules of a mapping text; a ValidationError names every bad line (in Swedish)."""
    rules, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        group, sep, role_part = line.rpartition("=")
        group = group.strip()
        if not sep or not group:
            errors.append(
                _("Rad %(n)d: skriv gruppen, ett likhetstecken och rollen, till exempel ”%(ex)s”.")
                % {"n": number, "ex": "Samtal-planerare = planerare"}
            )
            continue
        roles, unknown = set(), []
        for word in role_part.split(","):
            word = word.strip().lower()
            if not word:
                continue
            if word in ROLE_WORDS:
                roles.add(ROLE_WORDS[word])
            else:
                unknown.append(word)
        if unknown or not roles:
            errors.append(
                _(
                    "Rad %(n)d: ”%(word)s” är ingen roll. Rollerna heter planerare, "
                    "kommunledning och administratör."
                )
                % {"n": number, "word": ", ".join(unknown) or role_part.strip()}
            )
            continue
        rules.append(Rule(group, frozenset(roles)))
    if errors:
        raise ValidationError(errors)
    return rules


def roles_for(rules, groups):
    """{role field: bool} for a person in these groups (compared without regard to case)."""
    wanted = {g.strip().casefold() for g in groups if g and g.strip()}
    granted = set()
    for rule in rules:
        if rule.group == EVERYONE or rule.group.casefold() in wanted:
            granted |= rule.roles
    return {field: field in granted for field in ROLE_FIELDS}
