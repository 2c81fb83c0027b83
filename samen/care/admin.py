"""Care networks in the admin, for the site's administrators (the backbone has its own pages under
/care/setup/): partners, members, the coordinator, the register of watch-over agreements.
Residents, signals and cases are never in the admin."""

from typing import Any

from django.contrib import admin

from samen.care.models import CareNetwork, NetworkMember, WatchAgreement
from samen.core.audit import audit_log


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 1
    fields = ("user", "organisation", "is_coordinator", "pledged_at", "pledge_version")
    readonly_fields = ("pledged_at", "pledge_version")  # only the person accepts their own pledge
    autocomplete_fields = ("user",)


class WatchAgreementInline(admin.TabularInline):
    model = WatchAgreement
    extra = 0


@admin.register(CareNetwork)
class CareNetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "is_fictional")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("organisations",)
    inlines = [NetworkMemberInline, WatchAgreementInline]

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        members = list(form.instance.members.values_list("user_id", "organisation_id", "is_coordinator"))
        audit_log(
            actor=request.user,
            action="care.network.saved",
            obj=form.instance,
            changes={
                "organisations": sorted(form.instance.organisations.values_list("pk", flat=True)),
                "members": sorted(members),
            },
        )
