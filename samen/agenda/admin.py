from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from samen.agenda import services
from samen.agenda.forms import ChallengeForm
from samen.agenda.models import ActionDomain, Challenge, Comment, Goal, Initiative, Milestone, Proposal, Report, Story


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(TranslationAdmin):
    list_display = ["name", "region", "start_date", "is_demo"]
    list_filter = ["is_demo", "start_date"]
    search_fields = ["name", "baseline_nl", "baseline_en", "region"]
    inlines = [MilestoneInline]

    # One initiative per installation.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Initiative.objects.exists()


class GoalInline(TranslationTabularInline):
    model = Goal
    extra = 0
    fields = ["order", "slug", "title", "target", "deadline"]


@admin.register(ActionDomain)
class ActionDomainAdmin(TranslationAdmin):
    list_display = ["name", "order", "on_record"]
    list_editable = ["order"]
    list_filter = ["on_record"]
    search_fields = ["name_nl", "name_en", "summary_nl", "summary_en"]
    prepopulated_fields = {"slug": ["name_nl"]}
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(TranslationAdmin):
    list_display = ["title", "domain", "deadline"]
    list_filter = ["domain", "deadline"]
    search_fields = ["title_nl", "title_en", "target_nl", "target_en"]
    list_select_related = ["domain"]
    autocomplete_fields = ["domain"]


@admin.register(Milestone)
class MilestoneAdmin(TranslationAdmin):
    list_display = ["label", "members", "date", "initiative"]
    list_filter = ["date"]
    search_fields = ["label_nl", "label_en"]
    list_select_related = ["initiative"]


@admin.register(Challenge)
class ChallengeAdmin(TranslationAdmin):
    """The backbone writes challenges here; which indicators show one is set on its page (or the indicator's)."""

    form = ChallengeForm
    list_display = ["title", "domain", "status", "order", "image_kind"]
    list_editable = ["order"]
    list_filter = ["status", "domain", "image_kind"]
    search_fields = ["title_nl", "title_en", "summary_nl", "summary_en"]
    list_select_related = ["domain"]
    prepopulated_fields = {"slug": ["title_nl"]}
    filter_horizontal = ["goals"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "summary", "story", "domain", "goals", "status", "order"]}),
        (
            _("Face"),
            {"fields": ["image", "image_kind", "image_alt", "focal_point", "credit", "consent_by", "consent_on"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        services.challenge_save(form=form, actor=request.user)  # the same service as the site's form


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    fields = ["author", "body", "is_hidden", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Answers, moderation and publishing happen on the site, where they are audited and mailed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "challenge", "status", "is_hidden", "created_at"]
    list_filter = ["status", "kind", "is_hidden"]
    search_fields = ["title", "body"]
    list_select_related = ["challenge", "author"]
    inlines = [CommentInline]


@admin.register(Story)
class StoryAdmin(ReadOnlyAdmin):
    list_display = ["title", "challenge", "privacy", "status", "created_at"]
    list_filter = ["status", "privacy", "challenge"]
    search_fields = ["title", "body"]
    list_select_related = ["challenge"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["reason", "proposal", "comment", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    search_fields = ["reason", "proposal__title", "comment__body"]
    list_select_related = ["proposal", "comment"]
