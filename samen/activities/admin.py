from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samen.activities.models import (
    Activity,
    InvitationOptOut,
    PerformanceMeasure,
    Resource,
    Role,
    RoleInvitation,
    RoleSignup,
)
from samen.core import signals
from samen.core.audit import audit_log
from samen.core.text import VisibleTitlesMixin


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["skill"]


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


class MeasureInline(admin.TabularInline):
    model = PerformanceMeasure
    extra = 0
    autocomplete_fields = ["indicator"]


class ActivityAdminForm(VisibleTitlesMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 (the admin shows every field of an activity)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ["title", "lead_organisation", "status", "starts_on", "ends_on", "is_published"]
    list_filter = ["status", "is_published", "action_domains", "lead_organisation__sector", "goals", "areas"]
    search_fields = ["title", "summary", "description", "lead_organisation__name"]
    list_select_related = ["lead_organisation"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_organisation", "partner_organisations", "indicators"]
    filter_horizontal = ["action_domains", "goals", "challenges", "areas"]
    date_hierarchy = "starts_on"
    inlines = [RoleInline, ResourceInline, MeasureInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data}
        audit_log(
            actor=request.user, action="activity.updated" if change else "activity.created", obj=obj, changes=changes
        )
        # As activity_save does: followers hear of a new activity, or of one made public, after the commit
        # (by then the admin has saved the domains and areas that choose who hears).
        if not change:
            transaction.on_commit(lambda: signals.activity_created.send(sender=Activity, activity_id=obj.pk))
        elif obj.is_published and "is_published" in form.changed_data:
            transaction.on_commit(lambda: signals.activity_published.send(sender=Activity, activity_id=obj.pk))


@admin.register(RoleSignup)
class RoleSignupAdmin(admin.ModelAdmin):
    list_display = ["member", "role", "created_at"]
    search_fields = ["role__title", "role__activity__title", "member__user__email"]
    list_select_related = ["member__user", "role__activity"]
    raw_id_fields = ["member", "role"]


@admin.register(RoleInvitation)
class RoleInvitationAdmin(admin.ModelAdmin):
    list_display = ["member", "role", "invited_by", "created_at"]
    search_fields = ["role__title", "role__activity__title", "member__user__email"]
    list_select_related = ["member__user", "role__activity", "invited_by"]
    raw_id_fields = ["member", "role", "invited_by"]


@admin.register(InvitationOptOut)
class InvitationOptOutAdmin(admin.ModelAdmin):
    list_display = ["member", "created_at"]
    raw_id_fields = ["member"]
