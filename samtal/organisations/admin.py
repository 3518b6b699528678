from django.contrib import admin

from .models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "resident_term", "kolada_municipality_id", "planners_may_add_units"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_planner", "is_reviewer", "is_admin"]
    list_filter = ["organisation", "is_planner", "is_reviewer", "is_admin"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
