"""Pages of campaigns and events: the programme, the calendar, registration, the door and the feeds."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.activities.events import ical, selectors, services
from samen.activities.events.forms import (
    CampaignForm,
    CheckInForm,
    DecisionForm,
    EventForm,
    MemberRegistrationForm,
    VisitorRegistrationForm,
    WalkInForm,
)
from samen.activities.events.models import Campaign, Event, Registration
from samen.activities.models import Activity
from samen.agenda.models import Initiative
from samen.network.models import Member, Organisation
from samen.network.page_cache import PAGE, Values, paginate, visitor_page
from samen.network.selectors import editable_organisations
from samen.network.table_versions import public_version, tables_of

PAGE_SIZE = 30


# --- Campaigns ----------------------------------------------------------------------------------


def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.public_campaigns()
    if request.user.has_perm("activities.manage_campaigns"):
        campaigns = Campaign.objects.all()
    return render(request, "activities/campaigns/list.html", {"campaigns": campaigns})


def _campaign_or_404(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(Campaign, slug=slug)
    if not campaign.is_published and not request.user.has_perm("activities.manage_campaigns"):
        raise Http404
    return campaign


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign_or_404(request, slug)
    events = list(selectors.campaign_events(campaign))
    can_see = request.user.has_perm("activities.manage_campaigns")
    figures = selectors.campaign_figures(campaign)
    if can_see:
        selectors.label_events(events, can_see=True)
        shown = selectors.attendance_shown(figures.counts(), can_see=True)
    else:
        hidden, small = selectors.attendance_protection(campaigns=[campaign.pk])
        selectors.label_events(events, hidden, small)
        shown = selectors.attendance_shown(
            figures.counts(),
            can_see=False,
            label=selectors.attendance_label(("campaign", campaign.pk), hidden, small),
            parts=selectors.parts_shown(events, hidden, small),
        )
    return render(
        request,
        "activities/campaigns/detail.html",
        {
            "campaign": campaign,
            "programme": selectors.by_day(events),
            "partners": selectors.campaign_partners(campaign),
            "figures": figures,
            "shown": shown,
            "can_manage": request.user.has_perm("activities.manage_campaigns"),
            "can_see_counts": request.user.has_perm("activities.manage_campaigns"),
            "can_propose": request.user.has_perm("activities.create_event"),
        },
    )


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _require(request, "activities.manage_campaigns")
    campaign = get_object_or_404(Campaign, slug=slug) if slug else Campaign()
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        created = campaign.pk is None
        services.campaign_save(campaign=form.instance, actor=request.user)
        messages.success(request, _("The campaign is created.") if created else _("The campaign is saved."))
        return redirect(form.instance)
    return render(request, "activities/campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_proposals(request: HttpRequest, slug: str) -> HttpResponse:
    _require(request, "activities.manage_campaigns")
    campaign = get_object_or_404(Campaign, slug=slug)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose an event and a decision."))
        event = get_object_or_404(Event, pk=form.cleaned_data["event"], campaign=campaign)
        accept = form.cleaned_data["decision"] == "accept"
        services.campaign_event_decide(event=event, actor=request.user, accept=accept)
        text = _("%(event)s is in the programme.") if accept else _("%(event)s is declined.")
        messages.success(request, text % {"event": event.title})
        return redirect("events:campaign_proposals", slug=campaign.slug)
    return render(
        request,
        "activities/campaigns/proposals.html",
        {"campaign": campaign, "proposals": selectors.campaign_proposals(campaign)},
    )


def campaign_ics(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign_or_404(request, slug)
    events = selectors.public_events().filter(campaign=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    return ical.feed(
        events.order_by("starts_at", "pk"), name=campaign.title, filename=f"{campaign.slug}.ics", request=request
    )


# --- The calendar and the event page ------------------------------------------------------------


def _calendar_tables(*, places: bool) -> list[str]:
    """What the calendar shows: the events with (`places`) their places taken, or the filters'
    choices of campaigns and organisers, which registrations leave as they are."""
    return tables_of(Event, Campaign, Organisation, Activity, *([Registration] if places else []))


# As long as the calendar's parts: "upcoming" moves with the clock.
@visitor_page(
    lambda: _calendar_tables(places=True),
    seconds=60,
    query={"campaign": Values(Campaign, "slug"), "organisation": Values(Organisation, "slug"), "page": PAGE},
)
def event_calendar(request: HttpRequest) -> HttpResponse:
    campaign = request.GET.get("campaign", "")[:120]
    organisation = request.GET.get("organisation", "")[:120]
    number = request.GET.get("page", "")[:12]

    def page() -> Page:
        events = selectors.upcoming_plain(campaign=campaign, organisation=organisation)
        return paginate(request, events, PAGE_SIZE)

    the_page = SimpleLazyObject(page)  # lazy: read only when the public part is not cached
    can_see_counts = request.user.has_perm("activities.manage_campaigns")
    places = _calendar_tables(places=True)
    return render(
        request,
        "activities/events/calendar.html",
        {
            # The events are the same for a member as for a visitor unless they see the small counts; the
            # filters are the same for everyone (the person's own links are outside the part).
            "public_version": public_version(
                request, places, campaign, organisation, number, everyone=not can_see_counts
            ),
            "filters_version": public_version(
                request, _calendar_tables(places=False), campaign, organisation, everyone=True
            ),
            "page": the_page,
            "days": SimpleLazyObject(lambda: selectors.by_day(selectors.counted(the_page, can_see=can_see_counts))),
            "campaigns": SimpleLazyObject(
                lambda: list(
                    selectors.public_campaigns().filter(ends_on__gte=timezone.localdate()).order_by("starts_on")
                )
            ),
            "organisations": SimpleLazyObject(lambda: list(selectors.organisers_with_upcoming_events())),
            "campaign": campaign,
            "organisation": organisation,
            "can_create": request.user.has_perm("activities.create_event"),
            "can_see_counts": can_see_counts,
        },
    )


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    try:
        event = selectors.event_for_page(slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if not event.is_published and not request.user.has_perm("activities.manage_event", event):
        raise Http404
    return event


def _my_registration(request: HttpRequest, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        event.registrations.filter(status__in=Registration.ACTIVE, email=request.user.email.lower())
        .order_by("-pk")
        .first()
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    return _render_event(request, event)


def _render_event(request: HttpRequest, event: Event, form: Any = None, status: int = 200) -> HttpResponse:
    if form is None:
        form = _registration_form(request, None)
    shown = _event_attendance(request, event)
    return render(
        request,
        "activities/events/detail.html",
        {
            "event": event,
            "shown": shown,
            "remaining": selectors.remaining_places(event),
            "closed_reason": services.registration_open_error(event),
            "mine": _my_registration(request, event),
            "form": form,
            "can_manage": request.user.has_perm("activities.manage_event", event),
            "json_ld": _json_ld(request, event, shown),
        },
        status=status,
    )


def _event_attendance(request: HttpRequest, event: Any) -> selectors.ShownAttendance:
    can_see = request.user.has_perm("activities.manage_event", event)
    return selectors.attendance_shown(
        selectors.attendance(event),
        can_see=can_see,
        label=None if can_see else selectors.event_attendance_label(event),
        capacity=None if event.is_over else event.capacity,
    )


def _registration_form(request: HttpRequest, data: Any) -> MemberRegistrationForm:
    region = Initiative.objects.values_list("region", flat=True).first() or ""
    if not request.user.is_authenticated:
        return VisitorRegistrationForm(data, region=region)
    # A member with a neighbourhood in their profile lives here; they can still say otherwise.
    member = Member.objects.filter(user=request.user).only("neighbourhood_id").first()
    return MemberRegistrationForm(
        data, region=region, initial={"is_resident": bool(member and member.neighbourhood_id)}
    )


# JSON inside <script> must not close the element or open a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_ld(request: HttpRequest, event: Event, shown: selectors.ShownAttendance) -> str:
    """schema.org Event data. A <script type="application/ld+json"> is a data block: the browser never runs
    it, so the CSP's script-src does not apply to it (the browser test watches for CSP reports)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "location": {"@type": "Place", "name": event.place_name, "address": event.address},
        "organizer": {
            "@type": "Organization",
            "name": event.organisation.name,
            "url": request.build_absolute_uri(event.organisation.get_absolute_url()),
        },
        "isAccessibleForFree": event.is_free,
        "offers": {
            "@type": "Offer",
            "price": str(event.price),
            "priceCurrency": "EUR",
            "url": request.build_absolute_uri(event.get_absolute_url()),
            "availability": "https://schema.org/InStock"
            if selectors.remaining_places(event) != 0
            else "https://schema.org/SoldOut",
        },
        "inLanguage": get_language(),
    }
    if event.description:
        data["description"] = event.description
    if event.capacity and shown.capacity_shown:  # full with few registered: the capacity is their count
        data["maximumAttendeeCapacity"] = event.capacity
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    return ical.response(ical.calendar([event], name=event.title, request=request), filename=f"{event.slug}.ics")


def events_ics(request: HttpRequest) -> HttpResponse:
    return ical.feed(selectors.upcoming_plain(), name=_("Events"), filename="events.ics", request=request)


def activity_events(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_object_or_404(Activity, slug=slug, is_published=True)
    events = list(selectors.activity_events(activity))
    # Small counts of people show as "< 5"; the backbone sees them all.
    can_see_counts = request.user.has_perm("activities.manage_campaigns")
    counts = selectors.activity_attendance(activity)
    if can_see_counts:
        selectors.label_events(events, can_see=True)
        shown = selectors.attendance_shown(counts, can_see=True)
    else:
        # The total and the events' counts, here and on the event and campaign pages, as one table.
        hidden, small = selectors.attendance_protection(activities=[activity.pk])
        selectors.label_events(events, hidden, small)
        shown = selectors.attendance_shown(
            counts,
            can_see=False,
            label=selectors.attendance_label(("activity", activity.pk), hidden, small),
            parts=selectors.parts_shown(events, hidden, small),
        )
    return render(
        request,
        "activities/events/activity_events.html",
        {
            "activity": activity,
            "days": selectors.by_day(events),
            "shown": shown,
            "can_see_counts": can_see_counts,
        },
    )


def activity_ics(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_object_or_404(Activity, slug=slug, is_published=True)
    events = selectors.upcoming_plain(activity=activity)
    return ical.feed(events, name=activity.title, filename=f"{activity.slug}.ics", request=request)


def organisation_ics(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    events = selectors.upcoming_plain(organisation=organisation.slug)
    return ical.feed(events, name=organisation.name, filename=f"{organisation.slug}.ics", request=request)


# --- Creating and editing events ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if slug:
        event = get_object_or_404(Event.objects.select_related("organisation", "campaign"), slug=slug)
        _require(request, "activities.manage_event", event)
    else:
        _require(request, "activities.create_event")
        event = Event(campaign=_campaign_to_propose_to(request))
    if not editable_organisations(request.user).exists():
        raise PermissionDenied  # an editor whose organisation has not given them the editor role yet
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = event.pk is None
        try:
            services.event_save(event=form.instance, actor=request.user, check_dates=False)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _event_saved_message(form.instance, created))
            return redirect(form.instance)
    return render(request, "activities/events/form.html", {"form": form, "event": event})


def _campaign_to_propose_to(request: HttpRequest) -> Campaign | None:
    """The campaign of the page's 'propose an event' link; a draft campaign is the backbone's secret."""
    campaigns = Campaign.objects.filter(slug=request.GET.get("campaign", "")[:120])
    if not request.user.has_perm("activities.manage_campaigns"):
        campaigns = campaigns.filter(is_published=True)
    return campaigns.first()


def _event_saved_message(event: Event, created: bool) -> str:
    text = _("The event is created.") if created else _("The event is saved.")
    if event.campaign_status == Event.CampaignStatus.PROPOSED:
        text += " " + _("It is proposed for %(campaign)s; the backbone decides whether it joins the programme.") % {
            "campaign": event.campaign.title
        }
    return text


@login_required
def events_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "activities.create_event")
    events = selectors.events_to_manage(request.user)
    return render(request, "activities/events/mine.html", {"events": events})


# --- Registration -------------------------------------------------------------------------------


@login_required
def registrations_mine(request: HttpRequest) -> HttpResponse:
    registrations = selectors.registrations_of(request.user)
    return render(request, "activities/events/my_registrations.html", {"registrations": registrations})


@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    user = request.user
    form = _registration_form(request, request.POST)
    if not form.is_valid():
        return _render_event(request, event, form=form, status=400)
    if user.is_authenticated:
        member = Member.objects.filter(user=user).first()
        name, email = user.get_full_name() or user.email, user.email
    else:
        member, name, email = None, form.cleaned_data["name"], form.cleaned_data["email"]
    try:
        registration = services.registration_create(
            event=event,
            name=name,
            email=email,
            is_resident=form.cleaned_data["is_resident"],
            language=get_language(),
            member=member,
        )
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event)
    if member is None:
        # The same words whether the address was new, waiting or registered: the page tells nobody who goes.
        messages.success(request, _check_inbox_message(email))
    else:
        messages.success(request, _registered_message(registration))
    return redirect(event)


def _check_inbox_message(email: str) -> str:
    return _(
        "Check your inbox: we sent an email to %(email)s about your registration. "
        "If it asks you to confirm, click the link in it."
    ) % {"email": email.strip().lower()}


def _registered_message(registration: Registration) -> str:
    if registration.status == Registration.Status.WAITING:
        return _("The event is full: you are on the waiting list. We email you as soon as a place comes free.")
    return _("You are registered. Your code at the door is %(code)s; it is also in your email.") % {
        "code": registration.code
    }


def _token_page(request: HttpRequest, token: str, salt: str, max_age: int | None) -> Registration | HttpResponse:
    try:
        return services.registration_from_token(token, salt=salt, max_age=max_age)
    except services.RegistrationError as error:
        return render(request, "activities/events/link_problem.html", {"problem": str(error)}, status=400)


@require_http_methods(["GET", "POST"])
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a visitor's first email. GET only shows a button: mail scanners follow links too."""
    found = _token_page(request, token, services.CONFIRM_SALT, services.CONFIRM_MAX_AGE)
    if isinstance(found, HttpResponse):
        return found
    registration = found
    if request.method == "POST":
        try:
            registration = services.registration_confirm(registration=registration)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _registered_message(registration))
        return redirect(registration.event)
    return render(
        request, "activities/events/confirm.html", {"registration": registration, "event": registration.event}
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The cancel link of the confirmation email: a forged or changed link gets a clear message, nothing else."""
    found = _token_page(request, token, services.CANCEL_SALT, None)
    if isinstance(found, HttpResponse):
        return found
    return _cancel(request, found)


@login_required
@require_POST
def event_cancel_mine(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    registration = _my_registration(request, event)
    if registration is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect(event)
    return _cancel(request, registration)


def _cancel(request: HttpRequest, registration: Registration) -> HttpResponse:
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect(registration.event)
    return render(request, "activities/events/cancel.html", {"registration": registration, "event": registration.event})


# --- At the door --------------------------------------------------------------------------------


def _managed_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("organisation"), slug=slug)
    _require(request, "activities.manage_event", event)
    return event


@login_required
@require_http_methods(["GET", "POST"])
def event_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    code_form = CheckInForm(request.POST if request.POST.get("form") == "code" else None, prefix="door")
    walk_in_form = WalkInForm(request.POST if request.POST.get("form") == "walk-ins" else None, prefix="walk")
    if request.method == "POST":
        if code_form.is_bound and code_form.is_valid():
            _check_in(request, event, code_form.cleaned_data["code"])
            return redirect("events:event_check_in", slug=event.slug)
        if walk_in_form.is_bound and walk_in_form.is_valid():
            try:
                services.walk_ins_add(
                    event=event,
                    count=walk_in_form.cleaned_data["count"],
                    residents=walk_in_form.cleaned_data["residents"],
                    actor=request.user,
                )
            except ValidationError as error:
                walk_in_form.add_error(None, error)
            else:
                messages.success(request, _("Walk-ins counted."))
                return redirect("events:event_check_in", slug=event.slug)
    return _render_door(request, event, code_form, walk_in_form, status=400 if request.method == "POST" else 200)


def _render_door(request: HttpRequest, event: Event, code_form: Any, walk_in_form: Any, status: int) -> HttpResponse:
    event = selectors.event_for_page(event.slug)
    return render(
        request,
        "activities/events/check_in.html",
        {
            "event": event,
            "attendance": selectors.attendance(event),
            "code_form": code_form,
            "walk_in_form": walk_in_form,
            "registrations": selectors.registrations_for_door(event),
        },
        status=status,
    )


def _check_in(request: HttpRequest, event: Event, code: str) -> bool:
    try:
        registration = services.registration_check_in(event=event, code=code, actor=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, _("Welcome, %(name)s: checked in.") % {"name": registration.name})
    return True


@login_required
@require_http_methods(["GET", "POST"])
def check_in_code(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Where the QR code in the email leads: the organiser's phone opens it and confirms with one tap."""
    event = _managed_event(request, slug)
    if request.method == "POST":
        _check_in(request, event, code)
        return redirect("events:event_check_in", slug=event.slug)
    registration = event.registrations.filter(code=services.normalise_code(code)).first()
    return render(
        request, "activities/events/check_in_code.html", {"event": event, "registration": registration, "code": code}
    )
