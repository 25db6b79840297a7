from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from opiekun.accounts.models import ApiToken, Team, User


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "language", "availability")
    list_filter = ("role", "language", "availability", "teams")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Opiekun",
            {
                "fields": (
                    "role",
                    "language",
                    "availability",
                    "capacity",
                    "skill_languages",
                    "skill_kinds",
                    "skill_channels",
                    "locked_until",
                )
            },
        ),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "routing", "route_by_skill")
    filter_horizontal = ("members",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest")
