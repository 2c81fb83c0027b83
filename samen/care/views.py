"""The care pages: fetch with a permission check, call a service, redirect or render.

A visitor is sent to sign in; a signed-in person without the care role gets 403; a care member
sees only the networks whose pledge they accepted. Every page that shows a resident or a case
writes an audit entry. URLs carry pseudonymous references, never a database id of a person."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from samen.care import access, selectors, services
from samen.care.forms import (
    AssignForm,
    CloseForm,
    ConsentForm,
    GlassBreakForm,
    HandOverForm,
    ImportForm,
    MemberAddForm,
    MemberForm,
    MemberSignalForm,
    NetworkForm,
    ReferralForm,
    ResidentForm,
    ReviewForm,
    ShareForm,
    SurveyAnswerForm,
    SurveyImportForm,
    SurveyRoundForm,
    TransitionForm,
    WatchAgreementForm,
)
from samen.care.importer import residents_import, survey_import
from samen.care.models import (
    CareNetwork,
    Case,
    Consent,
    GlassBreak,
    NetworkMember,
    Referral,
    Resident,
    Signal,
    SurveyRound,
    WatchAgreement,
)
from samen.core.permissions import is_backbone, page_for
from samen.measurement.importer import ImportRefused

WORRIES_PER_HOUR = 5
WORRIES_KEPT_FACTOR = 4  # reports from one address kept (without a mail) up to this many times the limit
PAGE_SIZE = 50


# Signed in (else to the sign-in page) and with a role that uses care (else 403), never cached.
care_page = page_for(access.uses_care)


def _network(request: HttpRequest, slug: str) -> tuple[CareNetwork, NetworkMember]:
    network = get_object_or_404(CareNetwork.objects.select_related("area"), slug=slug)
    m = access.membership(request.user, network)
    if m is None:
        raise PermissionDenied
    return network, m


def _coordinated(request: HttpRequest, slug: str) -> CareNetwork:
    network, m = _network(request, slug)
    if not m.is_coordinator:
        raise PermissionDenied
    return network


def _resident(request: HttpRequest, reference: str) -> Resident:
    resident = get_object_or_404(Resident.objects.select_related("network__area", "area"), reference=reference)
    if not access.sees_resident(request.user, resident):
        raise Http404  # the same answer as for an unknown reference: nobody learns which exist
    return resident


def _case(request: HttpRequest, reference: str, *, full: bool = True) -> tuple[Case, str]:
    case = get_object_or_404(
        Case.objects.select_related(
            "network__area", "resident", "owner_organisation", "owner", "signal__area", "activity"
        ),
        reference=reference,
    )
    how = access.case_access(request.user, case)
    if how is None and access.membership(request.user, case.network_id) is None:
        raise Http404  # outside the network: the same answer as for an unknown reference
    if how is None or (full and how != access.FULL):
        raise PermissionDenied
    return case, how


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


# --- The public form -----------------------------------------------------------------------------


def _client(request: HttpRequest) -> str:
    """The visitor's own address: the hop the trusted proxies report (SAMEN_TRUSTED_PROXY_COUNT), the
    way core's rate limits count, so visitors behind the proxy are not all one address."""
    return ratelimit.get_ip(request) or "unknown"


def _over(key: str, limit: int) -> bool:
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        return limit < 1


@require_http_methods(["GET", "POST"])
def worried(request: HttpRequest) -> HttpResponse:
    """ "Worried about someone?": anyone may report; the answer is the same whatever is known."""
    from samen.care.forms import WorriedForm

    form = WorriedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only reports count, per visitor's address: a mistyped form never locks anyone out, and
        # one address can never shut the form for everyone. Over the limit a report is still
        # kept (a dropped worry is worse than spam), only without a mail; far over it, refused.
        per_hour = getattr(settings, "SAMEN_CARE_WORRIES_PER_HOUR", WORRIES_PER_HOUR)
        address = _client(request)
        if _over(f"care:worried:{address}", per_hour * WORRIES_KEPT_FACTOR):
            return render(request, "care/worried.html", {"form": form, "limited": True}, status=429)
        quiet = _over(f"care:worried:mail:{address}", per_hour)
        # Mails per area are capped too, so many addresses cannot flood the coordinators or the backbone.
        quiet = _over(f"care:worried:area:{form.cleaned_data['area'].pk}", per_hour * 4) or quiet
        # Where no network works, the worry is kept all the same: the network that takes other
        # areas gets it, or else the backbone hands it over. The answer is the same either way.
        services.signal_report(
            network=selectors.network_for_worry(form.cleaned_data["area"]),
            area=form.cleaned_data["area"],
            source=Signal.Source.PUBLIC,
            observations=form.cleaned_data["observations"],
            urgency=form.cleaned_data["urgency"],
            about=form.cleaned_data["about"],
            reporter_contact=form.cleaned_data["contact"],
            notify=not quiet,
        )
        return redirect("care:worried_thanks")
    return render(request, "care/worried.html", {"form": form})


def worried_thanks(request: HttpRequest) -> HttpResponse:
    # The same page whatever was reported: what to do in an emergency, and whom to call meanwhile.
    return render(request, "care/worried_thanks.html", {"social_service": settings.SAMEN_CARE_SOCIAL_SERVICE})


# --- Home, pledge, network -----------------------------------------------------------------------


@care_page
def home(request: HttpRequest) -> HttpResponse:
    mine = list(access.memberships(request.user).values())
    reference = request.GET.get("reference", "").strip().upper()[:12]
    if reference:
        # Finding a resident's audit trail by reference (a data-protection officer has no lists).
        return redirect("care:resident_audit", reference=reference)
    return render(
        request,
        "care/home.html",
        {
            "memberships": mine,
            "pending": access.pending_pledges(request.user),
            "coordinates": any(m.is_coordinator for m in mine),
            "backbone": is_backbone(request.user),
            "unrouted": selectors.unrouted_signals().count() if is_backbone(request.user) else 0,
            "reads_trails": access.is_data_protection_officer(request.user) or any(m.is_coordinator for m in mine),
        },
    )


@care_page
@require_http_methods(["GET", "POST"])
def pledge(request: HttpRequest, slug: str) -> HttpResponse:
    m = get_object_or_404(NetworkMember.objects.select_related("network"), network__slug=slug, user=request.user)
    if not access.is_care_network_member(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("accept") == "yes":
        services.pledge_accept(membership=m, actor=request.user)
        messages.success(request, _("Thank you. You can now see the work of this care network."))
        return redirect(m.network)
    return render(request, "care/pledge.html", {"membership": m, "version": m.network.pledge_version})


@care_page
def network(request: HttpRequest, slug: str) -> HttpResponse:
    network, m = _network(request, slug)
    from django.core.paginator import Paginator

    residents = Paginator(selectors.residents_for_list(network), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "care/network.html",
        {
            "network": network,
            "me": m,
            "residents": residents,
            "signals": list(selectors.signals_for_list(network)[:PAGE_SIZE]) if m.is_coordinator else [],
            "cases": list(selectors.cases_for_user(request.user, network)[:PAGE_SIZE]),
            "agreements": list(network.agreements.filter(ended_on__isnull=True)),
            "members": list(selectors.network_members(network)),
            "organisations": list(network.organisations.order_by("name")),
            "surveys": list(network.surveys.all()[:10]),
        },
    )


def _keeps_register(request: HttpRequest, slug: str) -> CareNetwork:
    """The register of agreements: the network's coordinator and the backbone."""
    network = get_object_or_404(CareNetwork.objects.select_related("area"), slug=slug)
    if not (access.coordinates(request.user, network) or is_backbone(request.user)):
        raise PermissionDenied
    return network


@care_page
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _agreement_form(request, _keeps_register(request, slug), WatchAgreement())


@care_page
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _keeps_register(request, slug)
    return _agreement_form(request, network, get_object_or_404(WatchAgreement, pk=pk, network=network))


def _agreement_form(request: HttpRequest, network: CareNetwork, agreement: WatchAgreement) -> HttpResponse:
    form = WatchAgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.network = network
        services.watch_agreement_save(agreement=agreement, actor=request.user)
        messages.success(request, _("The watch-over agreement is in the register."))
        return redirect(network if access.coordinates(request.user, network) else "care:agreements")
    title = _("Change a watch-over agreement") if agreement.pk else _("A watch-over agreement")
    coordinator = access.coordinates(request.user, network)
    back = network.get_absolute_url() if coordinator else reverse("care:network_edit", kwargs={"slug": network.slug})
    return render(request, "care/form.html", {"network": network, "form": form, "title": title, "back": back})


# --- Residents -----------------------------------------------------------------------------------


@care_page
@require_http_methods(["GET", "POST"])
def resident_new(request: HttpRequest, slug: str) -> HttpResponse:
    network, _m = _network(request, slug)
    form = ResidentForm(request.POST or None, network=network, instance=Resident(network=network))
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_save(resident=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The resident is added as %(reference)s.") % {"reference": resident.reference})
            return redirect(resident)
    return render(request, "care/form.html", {"network": network, "form": form, "title": _("A new resident")})


@care_page
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, reference: str) -> HttpResponse:
    resident = _resident(request, reference)
    form = ResidentForm(request.POST or None, network=resident.network, instance=resident)
    if request.method == "GET":
        services.resident_viewed(resident=resident, actor=request.user, what="edit form")
    if request.method == "POST" and form.is_valid():
        try:
            services.resident_save(resident=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The resident's details are saved."))
            return redirect(resident)
    return render(
        request,
        "care/form.html",
        {
            "network": resident.network,
            "form": form,
            "title": _("Change %(reference)s") % {"reference": resident.reference},
        },
    )


@care_page
@require_http_methods(["GET", "POST"])
def resident_import(request: HttpRequest, slug: str) -> HttpResponse:
    network, _m = _network(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = residents_import(upload, name=upload.name, network=network, actor=request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    ngettext("%(count)s resident is added.", "%(count)s residents are added.", result.created)
                    % {"count": result.created},
                )
                return redirect(network)
    return render(request, "care/import.html", {"network": network, "form": form, "result": result})


@care_page
@require_http_methods(["GET", "POST"])
def resident(request: HttpRequest, reference: str) -> HttpResponse:
    resident = _resident(request, reference)
    form = ConsentForm(request.POST or None, network=resident.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                resident=resident,
                scope=form.cleaned_data["scope"],
                how=form.cleaned_data["how"],
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect(resident)
    services.resident_viewed(resident=resident, actor=request.user)
    return render(
        request,
        "care/resident.html",
        {
            "resident": resident,
            "consents": list(selectors.resident_consents(resident)),
            "cases": list(resident.cases.select_related("owner_organisation")),
            "form": form,
            "coordinates": access.coordinates(request.user, resident.network_id),
            "activities": list(resident.activities.all()),
            "can_refer": selectors.has_consent(resident, Consent.Scope.REFERRAL),
        },
    )


@care_page
@require_POST
def consent_withdraw(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    resident = _resident(request, reference)
    consent = get_object_or_404(Consent, pk=pk, resident=resident)
    services.consent_withdraw(consent=consent, actor=request.user)
    messages.success(request, _("The consent is withdrawn."))
    return redirect(resident)


@care_page
def resident_audit(request: HttpRequest, reference: str) -> HttpResponse:
    resident = get_object_or_404(Resident.objects.select_related("network"), reference=reference)
    if not access.reads_audit_trail(request.user, resident):
        raise Http404
    from django.core.paginator import Paginator

    entries = Paginator(selectors.audit_trail(resident), 100).get_page(request.GET.get("page"))
    services.resident_reads_audit(
        actor=request.user, action="care.audit.viewed", obj=resident, residents=[resident.reference]
    )
    return render(request, "care/audit.html", {"resident": resident, "entries": entries})


@care_page
@require_POST
def resident_export(request: HttpRequest, reference: str) -> HttpResponse:
    resident = _resident(request, reference)
    data = services.resident_export(resident=resident, actor=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{resident.reference}.json"'
    response["Cache-Control"] = "no-store"
    return response


@care_page
@require_http_methods(["GET", "POST"])
def resident_erase(request: HttpRequest, reference: str) -> HttpResponse:
    resident = _resident(request, reference)
    if not access.coordinates(request.user, resident.network_id):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("confirm") == resident.reference:
        services.resident_erase(resident=resident, actor=request.user)
        messages.success(
            request, _("The resident's personal data is erased; the reference and the audit trail remain.")
        )
        return redirect(resident.network)
    return render(request, "care/erase.html", {"resident": resident, "wrong": request.method == "POST"})


# --- Signals -------------------------------------------------------------------------------------


@care_page
@require_http_methods(["GET", "POST"])
def signal_new(request: HttpRequest, slug: str) -> HttpResponse:
    network, _m = _network(request, slug)
    form = MemberSignalForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        signal = services.signal_report(
            network=network,
            area=form.cleaned_data["area"],
            source=Signal.Source.MEMBER,
            observations=form.cleaned_data["observations"],
            urgency=form.cleaned_data["urgency"],
            about=form.cleaned_data["about"],
            resident=form.cleaned_data["resident"],
            actor=request.user,
        )
        messages.success(request, _("The signal is reported as %(reference)s.") % {"reference": signal.reference})
        return redirect(network)
    return render(request, "care/form.html", {"network": network, "form": form, "title": _("Report a signal")})


@care_page
@require_http_methods(["GET", "POST"])
def signal(request: HttpRequest, reference: str) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.select_related("network__area", "area", "resident"), reference=reference)
    if not access.sees_signal(request.user, signal):
        raise Http404  # the same answer as for an unknown reference
    network, m = _network(request, signal.network.slug)
    form = AssignForm(request.POST or None, network=network, initial={"resident": signal.resident})
    if request.method == "POST":
        if not m.is_coordinator:
            raise PermissionDenied
        if request.POST.get("action") == "dismiss":
            services.signal_dismiss(signal=signal, actor=request.user)
            messages.success(request, _("The signal is dismissed."))
            return redirect(network)
        if request.POST.get("action") == "send_back":
            services.signal_send_back(signal=signal, actor=request.user)
            messages.success(request, _("The worry is sent back to the backbone."))
            return redirect(network)
        if form.is_valid():
            owner = form.cleaned_data["owner"]
            try:
                case = services.case_open(
                    signal=signal,
                    owner=owner,
                    owner_organisation=form.owner_organisation[owner.pk],
                    resident=form.cleaned_data["resident"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(
                    request, _("The signal is assigned: case %(reference)s.") % {"reference": case.reference}
                )
                return redirect(network)
    services.audit_log(
        actor=request.user,
        action="care.signal.viewed",
        obj=signal,
        changes={"resident": signal.resident.reference if signal.resident else ""},
    )
    # A public worry from outside the network's area (handed over, or taken as "other areas").
    from_elsewhere = signal.source == Signal.Source.PUBLIC and not signal.area.path.startswith(network.area.path)
    context = {"signal": signal, "network": network, "me": m, "form": form, "from_elsewhere": from_elsewhere}
    return render(request, "care/signal.html", context)


# --- Surveys -------------------------------------------------------------------------------------


@care_page
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    network = _coordinated(request, slug)
    form = SurveyRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_round_create(network=network, actor=request.user, **form.cleaned_data)
        return redirect("care:survey", pk=survey.pk)
    return render(request, "care/form.html", {"network": network, "form": form, "title": _("A survey round")})


@care_page
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(SurveyRound.objects.select_related("network__area"), pk=pk)
    network, m = _network(request, survey.network.slug)
    answering = request.method == "POST" and request.POST.get("action") not in ("import", "flag")
    form = SurveyAnswerForm(request.POST if answering else None, network=network)
    import_form = SurveyImportForm()
    result = None
    if request.method == "POST" and request.POST.get("action") == "import":
        if not m.is_coordinator:  # a whole round at once: the coordinator's job
            raise PermissionDenied
        import_form = SurveyImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                result = survey_import(upload, name=upload.name, survey=survey, actor=request.user)
            except ImportRefused as exc:
                import_form.add_error("file", str(exc))
            else:
                if result.ok:
                    messages.success(
                        request,
                        ngettext("%(count)s answer is recorded.", "%(count)s answers are recorded.", result.created)
                        % {"count": result.created},
                    )
                    return redirect("care:survey", pk=survey.pk)
    elif request.method == "POST":
        if request.POST.get("action") == "flag":
            count = services.survey_flags_to_signals(survey=survey, actor=request.user)
            messages.success(request, _("%(count)s new signals from this round.") % {"count": count})
            return redirect("care:survey", pk=survey.pk)
        if form.is_valid():
            services.survey_answer_record(survey=survey, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The answer is recorded."))
            return redirect("care:survey", pk=survey.pk)
    answers = list(
        survey.answers.select_related("resident").only("visits", "can_call_someone", "flags", "resident__reference")
    )
    # The answers are social data of residents: each one shown is a read in that resident's trail.
    services.resident_reads_audit(
        actor=request.user, action="care.survey.viewed", obj=survey, residents=[a.resident.reference for a in answers]
    )
    context = {"survey": survey, "network": network, "me": m, "form": form, "answers": answers}
    return render(request, "care/survey.html", {**context, "import_form": import_form, "result": result})


# --- Cases and referrals -------------------------------------------------------------------------


@care_page
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("network"), reference=reference)
    how = access.case_access(request.user, case)
    if how is None:
        if access.membership(request.user, case.network_id) is None:
            raise Http404
        return _glass_form(request, case)
    case, how = _case(request, reference, full=False)
    services.case_viewed(case=case, actor=request.user, how=how)
    return render(
        request,
        "care/case.html",
        {
            "case": case,
            "how": how,
            "referrals": list(selectors.open_referrals(case)),
            "referral_form": ReferralForm(case=case),
            "transition_form": TransitionForm(),
            "close_form": CloseForm(),
            "share_form": ShareForm(case=case),
            "shared_with": list(case.shared_with.order_by("name")),
            "full": how == access.FULL,
        },
    )


def _glass_form(request: HttpRequest, case: Case) -> HttpResponse:
    form = GlassBreakForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.glass_break(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        messages.warning(
            request,
            _("You opened this case for %(hours)s hours. The coordinator will review why.")
            % {"hours": services.GLASS_BREAK_HOURS},
        )
        return redirect(case)
    return render(
        request, "care/glass.html", {"case": case, "form": form}, status=403 if request.method == "GET" else 200
    )


def _case_action(
    request: HttpRequest,
    reference: str,
    form_class: Any,
    act: Callable[[Case, dict], Any],
    done: str,
    **form_kwargs: Any,
) -> HttpResponse:
    case, _how = _case(request, reference)
    form = form_class(request.POST, **({"case": case} if form_kwargs.get("with_case") else {}))
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(case)


@care_page
@require_POST
def referral_new(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        ReferralForm,
        lambda case, d: services.referral_request(
            case=case, to_organisation=d["to_organisation"], note=d["note"], actor=request.user
        ),
        _("The referral is requested."),
        with_case=True,
    )


@care_page
@require_POST
def referral_change(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    def act(case: Case, d: dict) -> Any:
        referral = get_object_or_404(Referral, pk=pk, case=case)
        return services.referral_transition(referral=referral, to=d["to"], note=d["note"], actor=request.user)

    return _case_action(request, reference, TransitionForm, act, _("The referral's state is saved."))


@care_page
@require_POST
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        CloseForm,
        lambda case, d: services.case_close(
            case=case, outcome=d["outcome"], note=d["note"], activity=d["activity"], actor=request.user
        ),
        _("The case is closed with its outcome."),
    )


@care_page
@require_POST
def case_share(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_action(
        request,
        reference,
        ShareForm,
        lambda case, d: services.case_share(case=case, organisation=d["organisation"], actor=request.user),
        _("The case is shared."),
        with_case=True,
    )


# --- Reviews and escalations ---------------------------------------------------------------------


@care_page
@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest) -> HttpResponse:
    if not any(m.is_coordinator for m in access.memberships(request.user).values()):
        raise PermissionDenied
    if request.method == "POST":
        form = ReviewForm(request.POST)
        form.is_valid()
        kind, pk = request.POST.get("kind"), request.POST.get("pk", "")
        if kind == "glass" and pk.isdigit():
            glass = get_object_or_404(GlassBreak.objects.select_related("case"), pk=pk)
            services.glass_break_review(glass=glass, actor=request.user, note=form.cleaned_data.get("note", ""))
        elif kind == "consent" and pk.isdigit():
            consent = get_object_or_404(Consent.objects.select_related("resident"), pk=pk)
            services.consent_review(consent=consent, actor=request.user)
        messages.success(request, _("The review is recorded."))
        return redirect("care:reviews")
    glass, overrides = selectors.reviews_for(request.user)
    services.resident_reads_audit(
        actor=request.user,
        action="care.reviews.viewed",
        obj=None,
        residents=[g.case.resident.reference for g in glass if g.case.resident]
        + [c.resident.reference for c in overrides],
    )
    return render(
        request,
        "care/reviews.html",
        {"glass": glass, "overrides": overrides, "form": ReviewForm(), "now": timezone.now()},
    )


@care_page
def escalations(request: HttpRequest) -> HttpResponse:
    if not is_backbone(request.user):
        raise PermissionDenied
    return render(request, "care/escalations.html", {"referrals": list(selectors.escalated_referrals()[:200])})


# --- Setting networks up (the backbone) ----------------------------------------------------------


def _backbone(request: HttpRequest) -> None:
    if not is_backbone(request.user):
        raise PermissionDenied


@care_page
def setup(request: HttpRequest) -> HttpResponse:
    _backbone(request)
    return render(request, "care/setup.html", {"networks": list(selectors.networks_for_setup())})


@care_page
@require_http_methods(["GET", "POST"])
def network_new(request: HttpRequest) -> HttpResponse:
    _backbone(request)
    return _network_form(request, CareNetwork())


@care_page
@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _backbone(request)
    network = get_object_or_404(CareNetwork.objects.select_related("area"), slug=slug)
    return _network_form(request, network)


def _network_form(request: HttpRequest, network: CareNetwork) -> HttpResponse:
    form = NetworkForm(request.POST if request.method == "POST" else None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_save(
                network=form.save(commit=False), organisations=form.cleaned_data["organisations"], actor=request.user
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The care network is saved."))
            return redirect("care:network_edit", slug=network.slug)
    context: dict[str, Any] = {"network": network, "form": form}
    if network.pk:
        members = list(selectors.network_members(network))
        context.update(
            members=[(m, MemberForm(network=network, prefix=f"m{m.pk}", initial=_member_initial(m))) for m in members],
            add_form=MemberAddForm(network=network),
            agreements=list(network.agreements.order_by("ended_on", "business")),
        )
    return render(request, "care/network_setup.html", context)


def _member_initial(m: NetworkMember) -> dict[str, Any]:
    return {"organisation": m.organisation.slug if m.organisation else None, "is_coordinator": m.is_coordinator}


@care_page
@require_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    _backbone(request)
    network = get_object_or_404(CareNetwork, slug=slug)
    form = MemberAddForm(request.POST, network=network)
    if form.is_valid():
        try:
            services.member_add(
                network=network,
                user=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                is_coordinator=form.cleaned_data["is_coordinator"],
                actor=request.user,
            )
        except ValidationError as exc:
            _errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The member is added. They see nothing until they accept the pledge."))
    return redirect("care:network_edit", slug=network.slug)


@care_page
@require_POST
def member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _backbone(request)
    membership = get_object_or_404(NetworkMember.objects.select_related("network", "user"), pk=pk, network__slug=slug)
    if request.POST.get("action") == "remove":
        try:
            services.member_remove(membership=membership, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The member is removed from the care network."))
        return redirect("care:network_edit", slug=slug)
    form = MemberForm(request.POST, network=membership.network, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            services.member_change(
                membership=membership,
                organisation=form.cleaned_data["organisation"],
                is_coordinator=form.cleaned_data["is_coordinator"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The member is saved."))
    else:
        messages.error(request, _("Choose a partner organisation of this care network."))
    return redirect("care:network_edit", slug=slug)


@care_page
def agreements(request: HttpRequest) -> HttpResponse:
    """The register of every watch-over agreement, for the backbone."""
    _backbone(request)
    return render(request, "care/agreements.html", {"agreements": list(selectors.agreements_register())})


@care_page
@require_http_methods(["GET", "POST"])
def worries(request: HttpRequest) -> HttpResponse:
    """Worries from areas without a network: the backbone hands each to a network (no names shown)."""
    _backbone(request)
    if request.method == "POST":
        signal = get_object_or_404(Signal, reference=request.POST.get("signal", ""), network__isnull=True)
        form = HandOverForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the network to hand it to."))
        else:
            try:
                services.signal_hand_over(signal=signal, network=form.cleaned_data["network"], actor=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The worry is handed over; the network's coordinators are told."))
        return redirect("care:worries")
    from django.core.paginator import Paginator

    networks = list(CareNetwork.objects.order_by("name").only("slug", "name"))
    signals = Paginator(selectors.unrouted_signals(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/worries.html", {"signals": signals, "networks": networks})
