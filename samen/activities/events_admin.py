"""Campaigns, events and registrations in the admin; saving goes through the same services as the pages."""

from django.contrib import admin

from samen.activities import events_services as services
from samen.activities.events_models import Campaign, Event, Registration


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "theme"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        services.campaign_save(campaign=obj, actor=request.user)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "starts_at", "campaign", "campaign_status", "is_published"]
    list_filter = ["campaign", "campaign_status", "is_published", "registration_open"]
    search_fields = ["title", "place_name", "organisation__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_by", "walk_ins", "walk_in_residents"]
    list_select_related = ["organisation", "campaign"]

    def save_model(self, request, obj, form, change):
        # The admin may correct a past event, so only the service's other rules apply here.
        services.event_save(event=obj, actor=request.user, check_dates=False, base_url=request.build_absolute_uri("/"))


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "status", "code", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "code", "event__title"]
    list_select_related = ["event"]
    readonly_fields = [
        "event",
        "member",
        "code",
        "created_at",
        "queued_at",
        "cancelled_at",
        "checked_in_at",
        "link_sent_at",
    ]

    def has_add_permission(self, request):
        return False  # people register on the event page, where capacity and the waiting list apply
