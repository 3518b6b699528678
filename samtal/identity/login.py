"""What a sign-in through an organisation's identity provider does in Samtal."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from samtal.organisations.models import Membership
from samtal.organisations.session import SESSION_KEY as ORGANISATION_SESSION_KEY

from . import roles
from .adapter import provider_of

logger = logging.getLogger(__name__)
SSO_SESSION_KEY = "samtal_sso"


def after_sso_login(request, user, sociallogin):
    provider = provider_of(sociallogin)
    if provider is None:
        return
    data = sociallogin.account.extra_data or {}
    with transaction.atomic():
        member, _created = Membership.objects.select_for_update().get_or_create(
            user=user, organisation=provider.organisation
        )
        try:
            rules = provider.rules()
        except ValidationError:
            logger.error("Identity provider %s: the role mapping does not parse", provider.slug)
            rules = []
        if rules:
            granted = roles.roles_for(rules, provider.groups_in(data))
            for field, value in granted.items():
                setattr(member, field, value)
            member.roles_from_sso = True
            member.save()
    fill_name(user, data, provider)
    user._samtal_memberships = None  # the policy's per-request cache
    request.session[ORGANISATION_SESSION_KEY] = provider.organisation_id
    request.session[SSO_SESSION_KEY] = {
        "provider": provider.slug,
        "uid": sociallogin.account.uid,
    }


def fill_name(user, data, provider):
    """An account made at first sign-in without given/family names takes the display name."""
    if user.first_name or user.last_name:
        return
    claims = data if provider.is_saml else (data.get("userinfo") or data.get("id_token") or {})
    name = claims.get("name")
    if isinstance(name, list):
        name = name[0] if name else ""
    if name:
        first, _space, last = str(name).strip().partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
