from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from samen.core.audit import audit_log
from samen.core.permissions import ROLE_GROUPS
from samen.core.signals import reference_data_changed
from samen.network.forms import AreaAdminForm, OrganisationAdminForm
from samen.network.models import (
    Area,
    AreaPopulation,
    JoinInvitation,
    Member,
    Membership,
    Organisation,
    PartnerProposal,
    Sector,
    Skill,
    User,
)
from samen.network.services import area_save


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_readonly_fields(self, request, obj=None):
        # A coordinator gives people roles (groups); only an admin makes admins.
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        return ["is_superuser", "user_permissions", "last_login", "date_joined"]

    def has_change_permission(self, request, obj=None):
        # Nobody but an admin touches an admin's account: password, address, or deletion.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_GROUPS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        flags = [f for f in ("is_active", "is_staff", "is_superuser") if f in form.changed_data]
        if change and flags:
            audit_log(
                actor=request.user,
                action="user.access_changed",
                obj=obj,
                changes={f: [not getattr(obj, f), getattr(obj, f)] for f in flags},
            )

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            # Role changes are audited: they decide who sees and edits what.
            audit_log(
                actor=request.user,
                action="user.roles_changed",
                obj=form.instance,
                changes={"groups": [sorted(before), sorted(after)]},
            )


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    list_filter = [("organisations", admin.EmptyFieldListFilter)]
    search_fields = ["name_nl", "name_en", "slug"]


@admin.register(Skill)
class SkillAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    list_filter = [("members", admin.EmptyFieldListFilter)]
    search_fields = ["name_nl", "name_en", "slug"]


MEMBERSHIP_RIGHTS = ("is_editor", "is_confirmed")


def audit_membership_rights(request, form) -> None:
    """Who may edit an organisation, and whose role there is public, is audited wherever it is set."""
    changed = [f for f in MEMBERSHIP_RIGHTS if f in form.changed_data]
    if changed and form.instance.pk:
        audit_log(
            actor=request.user,
            action="membership.rights_changed",
            obj=form.instance,
            changes={f: [not getattr(form.instance, f), getattr(form.instance, f)] for f in changed},
        )


class MembershipAuditMixin:
    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            for inline_form in formset.forms:
                audit_membership_rights(request, inline_form)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["member", "organisation"]
    fields = ["member", "organisation", "role_title", "is_confirmed", "is_editor"]


@admin.register(Organisation)
class OrganisationAdmin(MembershipAuditMixin, TranslationAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "sector", "role", "joined_on", "is_fictional"]
    list_filter = ["sector", "role", "action_domains", "is_fictional", "joined_on"]
    search_fields = ["name", "slug", "description_nl", "description_en"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["action_domains"]
    list_select_related = ["sector"]
    inlines = [MembershipInline]
    date_hierarchy = "joined_on"


class AreaPopulationInline(admin.TabularInline):
    model = AreaPopulation
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name", "kind", "parent", "path"]
    list_filter = ["kind", "parent"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]
    inlines = [AreaPopulationInline]

    def save_model(self, request, obj, form, change):
        area_save(area=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reference_data_changed.send(sender=AreaPopulation)  # population figures may have changed


@admin.register(Member)
class MemberAdmin(MembershipAuditMixin, admin.ModelAdmin):
    list_display = ["__str__", "neighbourhood", "circle", "joined_on", "show_publicly", "is_fictional"]
    list_filter = [
        "circle",
        "neighbourhood__parent",
        "interests",
        "skills",
        "show_publicly",
        "is_fictional",
        "joined_on",
    ]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "neighbourhood"]
    autocomplete_fields = ["user", "brought_by"]
    filter_horizontal = ["interests", "skills"]
    inlines = [MembershipInline]
    date_hierarchy = "joined_on"
    # What is public about a person is theirs to decide, not the backbone's.
    readonly_fields = ["show_publicly", "show_neighbourhood_publicly"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "organisation", "role_title", "is_confirmed", "is_editor"]
    list_filter = ["is_confirmed", "is_editor", "organisation__sector", "organisation"]
    search_fields = ["member__user__email", "member__user__last_name", "organisation__name", "role_title"]
    list_select_related = ["member__user", "organisation"]
    autocomplete_fields = ["member", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_membership_rights(request, form)


@admin.register(JoinInvitation)
class JoinInvitationAdmin(admin.ModelAdmin):
    """Invitations are made by members on the site; here the backbone looks, and may withdraw one."""

    list_display = ["__str__", "kind", "inviter", "organisation", "created_at", "expires_at", "used_at", "uses"]
    list_filter = ["kind", "is_withdrawn", "created_at"]
    search_fields = ["email", "inviter__user__email", "inviter__user__last_name"]
    list_select_related = ["inviter__user", "organisation"]
    fields = ["kind", "inviter", "email", "message", "organisation", "created_at", "expires_at", "used_at", "used_by"]
    fields += ["uses", "is_withdrawn"]
    readonly_fields = [f for f in fields if f != "is_withdrawn"]

    def has_add_permission(self, request):
        return False


@admin.register(PartnerProposal)
class PartnerProposalAdmin(admin.ModelAdmin):
    """Decided on the site (Proposed partners), where accepting creates the organisation."""

    list_display = ["name", "sector", "proposed_by", "status", "created_at", "decided_by"]
    list_filter = ["status", "sector"]
    search_fields = ["name", "proposed_by__user__email"]
    list_select_related = ["sector", "proposed_by__user", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
