from django.contrib import admin

from .models import PremisesCode


@admin.register(PremisesCode)
class PremisesCodeAdmin(admin.ModelAdmin[PremisesCode]):
    """Read-only: codes are issued and revoked through the audited services (the officials' pages)."""

    list_display = ["premises", "issued_at", "revoked_at", "reason"]
    list_filter = ["revoked_at"]
    raw_id_fields = ["premises", "issued_by", "revoked_by"]
    exclude = ["token"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


# CheckIn is not in the admin on purpose: its change list counts the whole table (tens of millions of rows).
