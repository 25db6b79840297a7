from django.contrib import admin

from opiekun.customers.models import Customer, Identity, KnownFact, Organisation


class IdentityInline(admin.TabularInline[Identity, Customer]):
    model = Identity
    extra = 0


class KnownFactInline(admin.TabularInline[KnownFact, Customer]):
    model = KnownFact
    extra = 0
    fields = ("kind", "label", "value", "source", "source_case", "created_by")
    raw_id_fields = ("source_case", "created_by")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ("name", "organisation", "language", "merged_into", "created_at")
    list_filter = ("language",)
    search_fields = ("name", "organisation__name", "identities__value")
    raw_id_fields = ("organisation", "merged_into", "merged_by")
    readonly_fields = ("merged_at",)
    inlines = (IdentityInline, KnownFactInline)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "registry_code")
    search_fields = ("name", "registry_code")
