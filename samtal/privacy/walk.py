"""Where a person's data is, found through the app registry rather than a fixed list.

A person is a `participants.Person`, perhaps with a staff account (the user model). Data
about them is every row that points at the person, at one of their participations or at
their account, the rows those own (cascade-deleted children), rows holding their email
address, login records under their username, and any text that mentions their name or
address. New models are found without changes here.
"""

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

# Values never shown in an extract (secrets, internal counters, search vectors).
HIDDEN_FIELDS = {
    "password",
    "token",
    "nonce",
    "session_key",
    "session_data",
    "vector",
    "revision",
    "link_generation",
    "position",
    "undo",
}
# Not scanned for mentions or rewritten: rebuilt by migrate, sessions, and this app's log.
SKIPPED_MODELS = {
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "admin.LogEntry",
    "privacy.PrivacyRequest",
}


def person_model():
    return apps.get_model("participants", "Person")


def participation_model():
    return apps.get_model("participants", "Participation")


def reverse_relations(model):
    """Relations from other models pointing at this one (hidden ones included)."""
    for field in model._meta.get_fields(include_hidden=True):
        if not (field.auto_created and not field.concrete and field.is_relation):
            continue
        related = field.related_model
        if related is None or related._meta.auto_created:
            continue
        yield field


def rows_pointing_at(instance, relation):
    """The rows of relation.related_model that point at instance through that relation."""
    manager = relation.related_model._base_manager
    return manager.filter(**{relation.field.name: instance})


def owned(relation):
    """Whether rows reached through this relation belong to the row they point at."""
    if relation.many_to_many:
        return False
    return getattr(relation, "on_delete", None) is models.CASCADE


def text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, models.EmailField)
        and f.name not in HIDDEN_FIELDS
        and not f.primary_key
    ]


def email_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.EmailField)]


def scanned_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in SKIPPED_MODELS:
            continue
        yield model


def identifiers(person):
    """The strings that identify the person in free text: full name and email addresses."""
    found = {person.name.strip()} if len(person.name.strip()) >= 4 else set()
    emails = {person.email.strip()} if person.email else set()
    user = person.user
    if user is not None:
        full = user.get_full_name().strip()
        if len(full) >= 4:
            found.add(full)
        if user.email:
            emails.add(user.email.strip())
    return sorted(found, key=len, reverse=True), sorted(emails)


def case_variants(term):
    """SQLite's LIKE folds case only for ASCII: ask for the usual spellings of a term too
    (the regex then checks each hit without regard to case)."""
    return {term, term.lower(), term.upper(), term.title(), term.capitalize()}


def mention_pattern(person):
    names, emails = identifiers(person)
    terms = [*emails, *names]
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mentions(person):
    """(model, row, [field names]) for every row whose text mentions the person."""
    names, emails = identifiers(person)
    terms = [*names, *emails]
    found = []
    if not terms:
        return found
    for model in scanned_models():
        fields = text_fields(model)
        if not fields:
            continue
        query = models.Q()
        for field in fields:
            for term in terms:
                for variant in case_variants(term):
                    query |= models.Q(**{f"{field.name}__icontains": variant})
        pattern = mention_pattern(person)
        for row in model._base_manager.filter(query):
            hit = [f.name for f in fields if pattern.search(getattr(row, f.name) or "")]
            if hit:
                found.append((model, row, hit))
    return found


def rows_with_email(person):
    """(model, row, field) for rows that hold one of the person's email addresses."""
    _names, emails = identifiers(person)
    found = []
    for model in scanned_models():
        for field in email_fields(model):
            for email in emails:
                for row in model._base_manager.filter(**{f"{field.name}__iexact": email}):
                    found.append((model, row, field.name))
    return found


def login_records(username):
    """Rows of login-tracking models (django-axes) under this username."""
    found = []
    if not username:
        return found
    for model in scanned_models():
        if model._meta.app_label != "axes":
            continue
        if any(f.name == "username" for f in model._meta.concrete_fields):
            found.extend(model._base_manager.filter(username=username))
    return found


def sessions_of(user):
    from django.contrib.sessions.models import Session

    if user is None:
        return []
    key = str(user.pk)
    return [
        session
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == key
    ]


def user_model():
    return get_user_model()


# --- The organisation boundary ------------------------------------------------------------


def organisation_paths(model, depth=4):
    """Lookups from `model` to the organisation its rows belong to ("meeting__unit__
    organisation", "reporter__organisation", …), through the foreign keys. A model that
    points at the organisation is not walked past. None found: the model is the
    installation's (accounts, login records)."""
    organisation = apps.get_model("organisations", "Organisation")
    skipped = {get_user_model(), apps.get_model("conversation_templates", "TemplateVersion")}
    paths, frontier = [], [(model, "")]
    for _level in range(depth):
        following = []
        for current, prefix in frontier:
            fields = [f for f in current._meta.concrete_fields if isinstance(f, models.ForeignKey)]
            direct = [f for f in fields if f.related_model is organisation]
            if direct:
                paths.extend(f"{prefix}{f.name}" for f in direct)
                continue
            following.extend(
                (f.related_model, f"{prefix}{f.name}__")
                for f in fields
                if f.related_model not in skipped and f.related_model is not current
            )
        frontier = following
    return paths


def in_organisation(model, organisation):
    """A Q for the rows of `model` that belong to `organisation`, or None when the model's
    rows belong to no organisation."""
    paths = organisation_paths(model)
    if not paths:
        return None
    query = models.Q()
    for path in paths:
        query |= models.Q(**{path: organisation})
    return query


def row_in_organisation(row, organisation):
    query = in_organisation(type(row), organisation)
    return query is not None and type(row)._base_manager.filter(query, pk=row.pk).exists()
