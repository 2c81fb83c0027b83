"""The backbone curates working groups, meetings (minutes, decisions, action items) and sees news in the admin.

Saving goes through the same services as the pages: minutes are sanitised, news is checked and
audited, and a meeting's invitations are sent by an admin action."""

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samen.communication import meetings
from samen.communication.models import ActionItem, Decision, Meeting, MeetingAttendance, NewsItem, WorkingGroup
from samen.communication.services import news_save
from samen.communication.text import plain_text_clean, rich_text_clean


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "publish_at", "published_at"]
    list_filter = ["published_at"]
    search_fields = ["title_nl", "title_en"]
    readonly_fields = ["published_at", "author"]
    filter_horizontal = ["action_domains", "goals", "challenges", "activities", "campaigns", "areas"]

    def save_model(self, request: Any, obj: NewsItem, form: Any, change: bool) -> None:
        news_save(item=obj, actor=request.user)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    """To look at only: groups are created, changed and archived on the site (`/working-groups/new/`), where
    `meetings.group_save` checks names, member organisations and the convener; one way, not two."""

    list_display = ["name", "action_domain", "convener", "archived_at"]
    readonly_fields = ["slug", "name_nl", "name_en", "description_nl", "description_en", "action_domain", "convener"]
    fields = readonly_fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 1


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 1
    fields = ["text", "owner_organisation", "owner", "due_on", "done_at"]
    autocomplete_fields = ["owner_organisation"]


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 1
    fields = ["organisation", "user", "attended"]
    autocomplete_fields = ["organisation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "starts_at", "minutes_public"]
    list_filter = ["group", "minutes_public"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline, DecisionInline, ActionItemInline]
    actions = ["send_invitations"]

    def save_model(self, request: Any, obj: Meeting, form: Any, change: bool) -> None:
        obj.minutes = rich_text_clean(obj.minutes)  # the same rule as every rich text on the site
        obj.agenda = rich_text_clean(obj.agenda)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        for row in formset.forms:
            if formset.model is Decision and row.cleaned_data.get("text"):
                row.instance.text = plain_text_clean(row.instance.text)
        super().save_formset(request, form, formset, change)

    @admin.action(description=_("Invite the working group to the chosen meetings"))
    def send_invitations(self, request: Any, queryset: Any) -> None:
        total = sum(meetings.meeting_invite(meeting=m, actor=request.user) for m in queryset.select_related("group"))
        self.message_user(
            request,
            ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", total) % {"n": total},
            messages.SUCCESS,
        )
