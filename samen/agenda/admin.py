from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from samen.agenda.models import ActionDomain, Goal, Initiative, Milestone


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
