from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import AdminLoginForm
from .models import AuditLog, User

# The admin's sign-in is throttled like the site's own.
admin.site.login_form = AdminLoginForm

admin.site.register(User, UserAdmin)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin[AuditLog]):
    list_display = ["at", "actor_username", "action", "object_type", "object_uid", "ip", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_username", "object_uid", "summary"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
