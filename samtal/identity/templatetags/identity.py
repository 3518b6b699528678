from django import template

from samtal.identity.models import IdentityProvider

register = template.Library()


@register.inclusion_tag("identity/_sso_buttons.html", takes_context=True)
def sso_buttons(context):
    """ "Logga in med …" for every active identity provider, beside the local form."""
    providers = IdentityProvider.objects.active().select_related("app", "organisation")
    return {
        "providers": sorted(providers, key=lambda p: (p.organisation.name, p.app.name)),
        "next": context.get("next", ""),
    }
