from django.contrib import admin

from samen.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_type", "object_repr", "actor"]
    list_filter = ["action", "object_type", "at"]
    search_fields = ["object_repr", "action", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    # The audit trail is read-only, even for admins.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
