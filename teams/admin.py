from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from learning_lead import fragments
from teams.models import (
    Invitation,
    Membership,
    Organization,
    OrgRole,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)


class ChangesCachedPages:
    """The admin writes rows without the services: after any change made here (rare), every
    cached page is rendered afresh (learning_lead/fragment_scopes.py)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        fragments.changed_everything()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        fragments.changed_everything()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        fragments.changed_everything()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(ChangesCachedPages, BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "organization", "is_active"]
    list_filter = ["organization", "is_active", "is_staff"]
    list_select_related = ["organization"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Learning Lead"), {"fields": ["organization", "language", "time_zone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Learning Lead"), {"fields": ["organization", "email", "language", "time_zone"]}),
    ]


@admin.register(Organization)
class OrganizationAdmin(ChangesCachedPages, admin.ModelAdmin):
    list_display = ["name", "slug", "language", "time_zone", "min_group_size"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(ChangesCachedPages, admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(OrgRole)
class OrgRoleAdmin(ChangesCachedPages, admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["organization", "role"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(ChangesCachedPages, admin.ModelAdmin):
    list_display = ["email", "organization", "team", "role", "created_at", "accepted_at"]
    list_filter = ["organization"]
    list_select_related = ["organization", "team"]
    readonly_fields = ["created_at", "accepted_at"]


@admin.register(StrategyTheme)
class StrategyThemeAdmin(ChangesCachedPages, admin.ModelAdmin):
    list_display = ["title", "organization", "starts_on", "ends_on", "order"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["title"]


@admin.register(TeamGoal)
class TeamGoalAdmin(ChangesCachedPages, admin.ModelAdmin):
    list_display = ["title", "team", "status", "created_at"]
    list_filter = ["status", "team__organization"]
    list_select_related = ["team"]
    search_fields = ["title"]


# PersonalGoal and CheckIn are deliberately not registered: a private goal is its owner's
# alone, and the admin site must not become a way around that choice.
