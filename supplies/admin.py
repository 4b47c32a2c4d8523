"""Admin: the catalogue and minimum stock are edited here; stock itself only moves through services."""

from django.contrib import admin

from supplies.models import Certificate, Donation, Donor, Item, MinimumStock, Need, StockLot, StockMove


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "category", "grade", "active", "sort")
    list_filter = ("category", "active")
    list_editable = ("active", "sort")
    search_fields = ("name", "grade")


@admin.register(MinimumStock)
class MinimumStockAdmin(admin.ModelAdmin):
    list_display = ("unit", "item", "quantity")
    list_filter = ("item",)
    search_fields = ("unit__name", "unit__code", "item__name")
    autocomplete_fields = ("unit",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledger, donations and certificates are written by services (audited); admin only looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Donor)
class DonorAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "credit_code", "title", "consent_public")
    search_fields = ("name", "credit_code")
    exclude = ("phone",)  # person data: revealed in the app with an audit row, not here


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "unit", "urgency", "visibility", "posted_at", "closed_at")
    list_filter = ("urgency", "visibility")


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ("code", "donor", "kind", "status", "received_by", "amount", "pledged_at")
    list_filter = ("kind", "status")
    search_fields = ("code", "donor__name")


@admin.register(StockLot)
class StockLotAdmin(ReadOnlyAdmin):
    list_display = ("code", "item", "source", "quantity", "first_unit", "created_at")


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ("at", "unit", "item", "kind", "quantity", "lot")
    list_filter = ("kind",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("code", "donor_name", "issued_at", "revoked_at")
    search_fields = ("code", "donor_name")
