"""The admin site shows cases read-mostly: every change that belongs on the timeline is made
on the desk, through the services that record it."""

from django.contrib import admin

from opiekun.cases.models import Case, CaseLink, Event, Interaction, Macro, MacroTranslation, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ("name",)


class InteractionInline(admin.TabularInline[Interaction, Case]):
    model = Interaction
    extra = 0
    fields = ("started_at", "channel", "direction", "author", "subject", "delivery_status")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class EventInline(admin.TabularInline[Event, Case]):
    model = Event
    extra = 0
    fields = ("created_at", "kind", "actor", "payload")
    readonly_fields = fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ("number", "subject", "status", "priority", "kind", "team", "assignee")
    list_filter = ("status", "priority", "kind", "channel", "team")
    search_fields = ("number", "subject")
    raw_id_fields = ("customer", "assignee", "merged_into")
    # Status, team and assignee change on the desk, where the change is recorded.
    readonly_fields = ("number", "status", "team", "assignee", "merged_into", "created_at")
    inlines = [InteractionInline, EventInline]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin[Interaction]):
    list_display = ("case", "channel", "direction", "started_at", "delivery_status")
    list_filter = ("channel", "direction", "delivery_status")
    raw_id_fields = ("case", "author", "customer")
    search_fields = ("case__number", "subject", "external_id")


@admin.register(CaseLink)
class CaseLinkAdmin(admin.ModelAdmin[CaseLink]):
    list_display = ("source", "kind", "target", "created_by", "created_at")
    raw_id_fields = ("source", "target")


class MacroTranslationInline(admin.StackedInline[MacroTranslation, Macro]):
    model = MacroTranslation
    extra = 0


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin[Macro]):
    list_display = ("name", "team", "set_status")
    list_filter = ("team",)
    inlines = [MacroTranslationInline]
