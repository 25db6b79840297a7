from django.contrib import admin

from opiekun.sla.models import BusinessCalendar, ClosedDay, OpeningPeriod


class OpeningPeriodInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OpeningPeriod
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "time_zone", "holiday_country")
    inlines = [OpeningPeriodInline]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("date", "name", "kind", "calendar")
    list_filter = ("calendar", "kind")
