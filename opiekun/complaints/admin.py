from django.contrib import admin

from opiekun.complaints.models import Complaint, ComplaintRegime, Proposal


@admin.register(ComplaintRegime)
class ComplaintRegimeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "answer_days", "silence_means", "calendar", "is_active")


class ProposalInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Proposal
    extra = 0


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "regime", "state", "received_at", "answer_due", "decision")
    list_filter = ("regime", "state", "decision")
    inlines = [ProposalInline]
