"""Campaigns, events and registrations in the admin; saving goes through the same services as the pages."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samen.activities.events import services
from samen.activities.events.models import Campaign, Event, Registration


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
        services.event_save(event=obj, actor=request.user, check_dates=False)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """The status changes only through the services: capacity, the waiting list, emails and the audit apply."""

    list_display = ["name", "event", "status", "code", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "code", "event__title"]
    list_select_related = ["event"]
    readonly_fields = [
        "event",
        "member",
        "status",
        "code",
        "created_at",
        "queued_at",
        "cancelled_at",
        "checked_in_at",
        "link_sent_at",
    ]
    actions = ["cancel_registrations", "confirm_registrations"]

    def has_add_permission(self, request):
        return False  # people register on the event page, where capacity and the waiting list apply

    @admin.action(description=_("Cancel the selected registrations (the waiting list moves up)"))
    def cancel_registrations(self, request, queryset):
        self._apply(request, queryset, services.registration_cancel)

    @admin.action(description=_("Confirm the selected pending registrations (a place or the waiting list)"))
    def confirm_registrations(self, request, queryset):
        self._apply(request, queryset.filter(status=Registration.Status.PENDING), services.registration_confirm)

    def _apply(self, request, queryset, service):
        done = 0
        for registration in queryset.order_by("pk"):
            try:
                service(registration=registration, actor=request.user)
            except services.RegistrationError as error:
                self.message_user(request, f"{registration.name}: {error}", messages.WARNING)
            else:
                done += 1
        text = ngettext("%(count)d registration changed.", "%(count)d registrations changed.", done)
        self.message_user(request, text % {"count": done}, messages.SUCCESS)
