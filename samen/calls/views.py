"""The call pages: fetch with a permission check, call a service, redirect or render.

A visitor is sent to sign in; a signed-in person without a care role (or the backbone's) gets
403. URLs carry a campaign's number and a pool entry's number, never a person's name or id; every
page that shows a resident, even by reference, writes an audit entry on that resident's trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.calls import access, selectors, services
from samen.calls.forms import CampaignForm, CircleForm, OutcomeForm, RuleFormSet
from samen.calls.models import NEEDS, CallAttempt, CallCampaign, CallEntry, TelephoneCircle
from samen.care import access as care_access
from samen.care import services as care_services
from samen.care.forms import ImportForm
from samen.care.models import CareNetwork, NetworkMember
from samen.core.permissions import is_backbone, page_for
from samen.measurement.importer import ImportRefused

PAGE_SIZE = 50
S = CallEntry.Status


# Signed in (else to the sign-in page) and with a role that uses calls (else 403), never cached.
calls_page = page_for(access.uses_calls)


def _campaign(request: HttpRequest, pk: int, rule: Callable[[Any, CallCampaign], bool]) -> CallCampaign:
    campaign = get_object_or_404(CallCampaign.objects.select_related("network__area"), pk=pk)
    if not rule(request.user, campaign):
        raise PermissionDenied
    return campaign


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _managed_networks(user: Any) -> list[CareNetwork]:
    if is_backbone(user):
        return list(CareNetwork.objects.select_related("area").order_by("name"))
    coordinated = [n for n, m in care_access.memberships(user).items() if m.is_coordinator]
    return list(CareNetwork.objects.filter(pk__in=coordinated).select_related("area").order_by("name"))


# --- Home and campaigns ----------------------------------------------------------------------------


@calls_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/home.html",
        {
            "campaigns": list(selectors.campaigns_for(request.user)[:100]),
            "circles": list(selectors.circles_for(request.user)[:100]),
            "networks": _managed_networks(request.user),
            "coordinated": [n for n in _managed_networks(request.user) if access.coordinates(request.user, n)],
        },
    )


@calls_page
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    networks = {n.slug: n for n in _managed_networks(request.user)}
    if not networks:
        raise PermissionDenied
    network = networks.get(request.GET.get("network", ""))
    if network is None and len(networks) == 1:
        network = next(iter(networks.values()))
    if network is None:
        return render(request, "calls/pick_network.html", {"networks": list(networks.values())})
    return _campaign_form(request, CallCampaign(network=network), network)


@calls_page
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, access.manages)
    return _campaign_form(request, campaign, campaign.network)


def _campaign_form(request: HttpRequest, campaign: CallCampaign, network: CareNetwork) -> HttpResponse:
    form = CampaignForm(request.POST or None, instance=campaign, network=network)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.script = form.cleaned_data["script_text"]
        try:
            services.campaign_save(
                campaign=campaign,
                areas=form.cleaned_data["areas"],
                callers=form.cleaned_data["callers"],
                actor=request.user,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect(campaign)
    return render(request, "calls/campaign_form.html", {"form": form, "campaign": campaign, "network": network})


@calls_page
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, access.sees_campaign)
    if not access.manages(request.user, campaign):
        return redirect("calls:caller", pk=campaign.pk)
    total, counts = selectors.status_cells(campaign)
    return render(
        request,
        "calls/campaign.html",
        {
            "campaign": campaign,
            "counts": counts,
            "total": total,
            "threshold": selectors.THRESHOLD,
            "rules": list(campaign.rules.all()),
            "callers": list(campaign.callers.order_by("first_name")),
            "coordinates": access.coordinates(request.user, campaign),
            "is_caller": access.listed_caller(request.user, campaign),
            "areas": list(campaign.areas.all()),
        },
    )


@calls_page
@require_POST
def pool_build(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, access.manages)
    if campaign.population != CallCampaign.Population.FILTER:
        raise PermissionDenied
    result = services.pool_build(campaign=campaign, actor=request.user)
    # The counts of refusals and missing numbers are the coordinator's (their lists show them too).
    if access.coordinates(request.user, campaign):
        text = _(
            "%(added)s people added to the pool; %(never)s on the do-not-call list; %(no_number)s without a number."
        )
    else:
        text = _("%(added)s people added to the pool.")
    messages.success(request, text % result)
    return redirect(campaign)


@calls_page
@require_http_methods(["GET", "POST"])
def list_import(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, lambda u, c: access.coordinates(u, c))
    if campaign.population != CallCampaign.Population.LIST:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.list_import(upload, name=upload.name, campaign=campaign, actor=request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("%(count)s residents are added to the pool.") % {"count": result.created})
                return redirect(campaign)
    return render(request, "calls/import.html", {"campaign": campaign, "form": form, "result": result})


@calls_page
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, access.manages)
    formset = RuleFormSet(request.POST or None, queryset=campaign.rules.order_by("pk"))
    if request.method == "POST" and formset.is_valid():
        try:
            services.rules_save(
                campaign=campaign, rules=[f.save(commit=False) for f in formset.forms], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The rules are saved."))
            return redirect(campaign)
    return render(request, "calls/rules.html", {"campaign": campaign, "formset": formset})


@calls_page
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, access.manages)
    board = selectors.dashboard(campaign, timezone.localdate())
    return render(
        request,
        "calls/dashboard.html",
        {
            "campaign": campaign,
            "board": board,
            "statuses": [(S(s).label, cell) for s, cell in board.by_status.items()],
            "needs": [(label, cell) for (code, cell), (_c, label) in zip(board.needs, NEEDS, strict=True)],
            "threshold": selectors.THRESHOLD,
        },
    )


# --- The caller ------------------------------------------------------------------------------------


@calls_page
@require_http_methods(["GET", "POST"])
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Care's confidentiality pledge, for a caller who has not accepted it yet."""
    campaign = _campaign(request, pk, access.listed_caller)
    m = get_object_or_404(NetworkMember.objects.select_related("network"), network=campaign.network, user=request.user)
    if request.method == "POST" and request.POST.get("accept") == "yes":
        care_services.pledge_accept(membership=m, actor=request.user)
        messages.success(request, _("Thank you. You can now call for this campaign."))
        return redirect("calls:caller", pk=campaign.pk)
    # A network may ask its own pledge version (where care has one); else care's.
    version = getattr(m.network, "pledge_version", "") or care_services.PLEDGE_VERSION
    return render(request, "care/pledge.html", {"membership": m, "version": version})


@calls_page
@require_http_methods(["GET", "POST"])
def caller(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, access.listed_caller)
    if not access.calls_for(request.user, campaign):
        return redirect("calls:pledge", pk=campaign.pk)
    now = timezone.now()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reserve":
            try:
                batch = services.batch_reserve(campaign=campaign, actor=request.user, now=now)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if not batch.entries.exists():
                    messages.info(request, _("Nobody is waiting to be called right now."))
        elif action == "release":
            held = selectors.current_batch(campaign, request.user, now)
            if held is not None:
                services.batch_release(batch=held, actor=request.user, now=now)
                messages.success(request, _("The people you did not call are back in the pool."))
        return redirect("calls:caller", pk=campaign.pk)
    batch = selectors.current_batch(campaign, request.user, now)
    people = selectors.batch_people(batch, timezone.localdate()) if batch else []
    if batch and people:
        services.batch_viewed(
            batch=batch,
            actor=request.user,
            residents=[(p.entry.resident_id, p.entry.resident.reference) for p in people],
        )
    return render(
        request,
        "calls/caller.html",
        {
            "campaign": campaign,
            "batch": batch,
            "people": people,
            "closed": selectors.calling_closed_reason(campaign, now),
            "call_backs": list(selectors.my_call_backs(campaign, request.user)[:20]),
        },
    )


def _entry(request: HttpRequest, pk: int, entry_pk: int) -> CallEntry:
    campaign = _campaign(request, pk, access.calls_for)
    entry = get_object_or_404(
        CallEntry.objects.select_related("resident", "batch", "area").prefetch_related("calls"),
        pk=entry_pk,
        campaign=campaign,
    )
    entry.campaign = campaign
    return entry


@calls_page
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    """One person of the caller's batch: what a call needs, the script, the outcome."""
    found = _entry(request, pk, entry)
    campaign = found.campaign
    services.entry_open(entry=found, actor=request.user)  # refused unless in their batch; the read is audited
    if request.POST.get("action") == "next":
        # Without JavaScript, the script goes on a question at a time: the page again, nothing recorded,
        # with what the caller gave so far and the questions their answers lead to.
        given = {k: request.POST.getlist(k) if k == "needs" else request.POST.get(k) for k in request.POST}
        form = OutcomeForm(initial=given, script=campaign.script)
    else:
        form = OutcomeForm(request.POST or None, script=campaign.script)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            services.attempt_record(
                entry=found,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                answers=form.answers(),
                needs=form.cleaned_data["needs"],
                call_back_at=form.cleaned_data["call_back_at"],
                note=form.cleaned_data["note"],
                debrief=form.cleaned_data["debrief"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The call is recorded."))
            return redirect("calls:caller", pk=campaign.pk)
    return render(
        request,
        "calls/call.html",
        {
            "campaign": campaign,
            "person": selectors.callee(found, timezone.localdate()),
            "form": form,
        },
    )


# --- The coordinator's lists -----------------------------------------------------------------------


def _listing(request: HttpRequest, pk: int, status: str, template: str, what: str) -> HttpResponse:
    campaign = _campaign(request, pk, lambda u, c: access.coordinates(u, c))
    page = Paginator(selectors.entries_with_status(campaign, status), PAGE_SIZE).get_page(request.GET.get("page"))
    services.residents_viewed(
        actor=request.user,
        campaign=campaign,
        what=what,
        residents=[(e.resident_id, e.resident.reference) for e in page],
    )
    return render(request, template, {"campaign": campaign, "entries": page})


def _coordinated_entry(request: HttpRequest, pk: int) -> CallEntry:
    campaign = _campaign(request, pk, lambda u, c: access.coordinates(u, c))
    entry = get_object_or_404(
        CallEntry.objects.select_related("resident"), pk=request.POST.get("entry", "0") or 0, campaign=campaign
    )
    entry.campaign = campaign
    return entry


@calls_page
@require_http_methods(["GET", "POST"])
def data_quality(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        entry = _coordinated_entry(request, pk)
        try:
            services.number_checked(entry=entry, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(reference)s is back in the pool.") % {"reference": entry.resident.reference})
        return redirect("calls:data_quality", pk=pk)
    return _listing(request, pk, S.DATA_QUALITY, "calls/data_quality.html", "data_quality")


@calls_page
@require_http_methods(["GET", "POST"])
def follow_ups(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        entry = _coordinated_entry(request, pk)
        services.follow_up_done(entry=entry, actor=request.user)
        messages.success(
            request, _("The follow-up of %(reference)s is done.") % {"reference": entry.resident.reference}
        )
        return redirect("calls:follow_ups", pk=pk)
    return _listing(request, pk, S.FOLLOW_UP, "calls/follow_ups.html", "follow_ups")


@calls_page
@require_http_methods(["GET", "POST"])
def debriefs(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, lambda u, c: access.coordinates(u, c))
    if request.method == "POST":
        attempt = get_object_or_404(
            CallAttempt.objects.select_related("entry__campaign"),
            pk=request.POST.get("call", "0") or 0,
            entry__campaign=campaign,
        )
        services.debrief_done(attempt=attempt, actor=request.user)
        messages.success(request, _("The debrief is recorded."))
        return redirect("calls:debriefs", pk=pk)
    attempts = list(selectors.debriefs(campaign)[:PAGE_SIZE])
    services.residents_viewed(
        actor=request.user,
        campaign=campaign,
        what="debriefs",
        residents=[(a.entry.resident_id, a.entry.resident.reference) for a in attempts],
    )
    return render(request, "calls/debriefs.html", {"campaign": campaign, "attempts": attempts})


# --- Telephone circles -----------------------------------------------------------------------------


@calls_page
@require_http_methods(["GET", "POST"])
def circle_new(request: HttpRequest) -> HttpResponse:
    coordinated = {n.slug: n for n in _managed_networks(request.user) if access.coordinates(request.user, n)}
    network = coordinated.get(request.GET.get("network", "")) or (
        next(iter(coordinated.values())) if len(coordinated) == 1 else None
    )
    if network is None:
        if not coordinated:
            raise PermissionDenied
        return render(request, "calls/pick_network.html", {"networks": list(coordinated.values()), "circle": True})
    form = CircleForm(request.POST or None, network=network, instance=TelephoneCircle(network=network))
    if request.method == "POST" and form.is_valid():
        try:
            circle = services.circle_save(
                circle=form.save(commit=False), residents=form.cleaned_data["residents"], actor=request.user
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The telephone circle is set up."))
            return redirect(circle)
    return render(request, "calls/circle_form.html", {"form": form, "network": network})


@calls_page
@require_http_methods(["GET", "POST"])
def circle(request: HttpRequest, pk: int) -> HttpResponse:
    circle = get_object_or_404(TelephoneCircle.objects.select_related("network", "key_holder"), pk=pk)
    if not access.sees_circle(request.user, circle):
        raise PermissionDenied
    if request.method == "POST":
        services.circle_confirm(circle=circle, actor=request.user)
        messages.success(request, _("Today's round is confirmed."))
        return redirect(circle)
    places = list(circle.places.select_related("resident"))
    services.residents_viewed(
        actor=request.user,
        campaign=circle,
        what="circle",
        residents=[(p.resident_id, p.resident.reference) for p in places],
    )
    today = circle.days.filter(day=timezone.localdate()).first()
    return render(
        request,
        "calls/circle.html",
        {
            "circle": circle,
            "places": [(p, (p.resident.name.split() or [""])[0], p.resident.phone) for p in places],
            "today": today,
            "days": list(circle.days.order_by("-day")[:14]),
        },
    )
