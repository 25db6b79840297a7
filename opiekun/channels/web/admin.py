from django.contrib import admin

from opiekun.channels.web.models import ContactForm


@admin.register(ContactForm)
class ContactFormAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "slug", "team", "is_active")
    prepopulated_fields = {"slug": ("title",)}
