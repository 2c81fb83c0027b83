from django.contrib import admin

from samen.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation", "revoked_at", "created_at"]
    search_fields = ["name", "prefix", "organisation__name"]
    readonly_fields = ["prefix", "digest", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False  # made on the site, where the secret is shown once
