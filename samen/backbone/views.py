from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samen.agenda.models import ActionDomain
from samen.backbone import charts, report, selectors, services
from samen.backbone import health as platform_health
from samen.backbone.compute import MIN_RESPONDENTS, RUNWAY_GOAL_MONTHS, RUNWAY_WARNING_MONTHS
from samen.backbone.forms import (
    CashPositionForm,
    ExpenseForm,
    ExpenseImportForm,
    FunderForm,
    GrantForm,
    ResultUpdateForm,
    SurveyForm,
    row_formsets,
)
from samen.backbone.importer import import_expenses
from samen.backbone.models import CashPosition, Funder, Grant, Item, PublishedReport, Result, SurveyRound
from samen.core.permissions import is_backbone
from samen.measurement.importer import ImportRefused
from samen.network.models import Organisation
from samen.network.selectors import editable_organisations


def _backbone(request: HttpRequest) -> None:
    if not is_backbone(request.user):
        raise PermissionDenied


# --- Funding -------------------------------------------------------------------------------------


def _funding_context(request: HttpRequest, **extra) -> dict:
    today = timezone.localdate()
    table = selectors.funding_by_domain_and_year()
    spending = selectors.monthly_spending(today=today)
    return {
        "runway": selectors.runway_now(today),
        "goal_months": RUNWAY_GOAL_MONTHS,
        "warning_months": RUNWAY_WARNING_MONTHS,
        "grants": selectors.grants_for_backbone(),
        "table": table,
        "funding_chart": charts.funding_chart(table),
        "spending": spending,
        "spending_chart": charts.spending_chart(spending),
        "reports_due": selectors.reports_due(today),
        "expense_form": extra.pop("expense_form", None) or ExpenseForm(),
        "import_form": extra.pop("import_form", None) or ExpenseImportForm(),
        **extra,
    }


@login_required
def funding(request: HttpRequest) -> HttpResponse:
    _backbone(request)
    return render(request, "backbone/funding.html", _funding_context(request))


@login_required
@require_POST
def expense_add(request: HttpRequest) -> HttpResponse:
    _backbone(request)
    form = ExpenseForm(request.POST)
    if form.is_valid():
        try:
            services.expense_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Expense added."))
            return redirect("backbone:funding")
    return render(request, "backbone/funding.html", _funding_context(request, expense_form=form), status=400)


@login_required
@require_POST
def expense_import(request: HttpRequest) -> HttpResponse:
    _backbone(request)
    form = ExpenseImportForm(request.POST, request.FILES)
    result = refused = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_expenses(upload.file, name=upload.name, actor=request.user, commit=True)
        except ImportRefused as exc:
            refused = str(exc)
        else:
            if result.committed:
                messages.success(
                    request,
                    _("%(rows)s expenses imported (%(total)s).")
                    % {"rows": result.rows, "total": report.euro(result.total)},
                )
                return redirect("backbone:funding")
            if result.ok:
                refused = _("The file has no expense rows.")
    context = _funding_context(request, import_form=form, import_result=result, import_refused=refused)
    return render(request, "backbone/funding.html", context, status=400)


@login_required
def funders(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The register of funders: every funder with its grants, a form to add one or change one."""
    _backbone(request)
    funder = get_object_or_404(Funder, pk=pk) if pk else None
    form = FunderForm(request.POST or None, instance=funder)
    if request.method == "POST" and form.is_valid():
        try:
            services.funder_save(actor=request.user, funder=funder, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The funder is saved."))
            return redirect("backbone:funders")
    return render(
        request,
        "backbone/funders.html",
        {"form": form, "funder": funder, "funders": selectors.funders_with_grants()},
        status=400 if request.method == "POST" else 200,
    )


def _grant_rows(grant: Grant | None) -> dict[str, list[dict]]:
    if grant is None:
        return {"shares": [], "payments": [], "reports": []}
    return {
        "shares": [{"organisation": s.organisation_id, "amount": s.amount} for s in grant.shares.all()],
        "payments": [
            {"due_on": p.due_on, "amount": p.amount, "received_on": p.received_on} for p in grant.payments.all()
        ],
        "reports": [
            {"due_on": r.due_on, "what": r.what, "submitted_on": r.submitted_on} for r in grant.reports_due.all()
        ],
    }


# Where the service's refusals are shown: on a field of the grant, or above one of its lists.
_GRANT_ERROR_PLACES = {"shares": 0, "payments": 1, "reports_due": 2}


@login_required
def grant_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Register a grant or change one: the grant, its partners' shares, payments and reporting dates."""
    _backbone(request)
    grant = get_object_or_404(selectors.grants_for_backbone_query(), pk=pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = GrantForm(data, instance=grant)
    partners = list(Organisation.objects.order_by("name").values_list("pk", "name"))
    lists = row_formsets(data, partners=partners, **_grant_rows(grant))
    if data is not None and form.is_valid() and all(f.is_valid() for f in lists):
        fields = dict(form.cleaned_data)
        shares, payments, reports = lists
        try:
            saved = services.grant_save(
                actor=request.user,
                grant=grant,
                shares=shares.shares(fields["amount"]),
                payments=[(r["due_on"], r["amount"], r["received_on"]) for r in payments.cleaned_data if r],
                reports_due=[(r["due_on"], r["what"], r["submitted_on"]) for r in reports.cleaned_data if r],
                **fields,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field in _GRANT_ERROR_PLACES:
                    lists[_GRANT_ERROR_PLACES[field]]._non_form_errors.extend(errors)  # type: ignore[union-attr]
                else:
                    form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The grant “%(title)s” is saved.") % {"title": saved.title})
            return redirect(reverse("backbone:funding") + f"#grant-{saved.pk}")
    return render(
        request,
        "backbone/grant_form.html",
        {
            "form": form,
            "grant": grant,
            "shares": lists[0],
            "payments": lists[1],
            "reports": lists[2],
            "list_errors": data is not None and any(f.non_form_errors() or any(f.errors) for f in lists),
        },
        status=400 if data is not None else 200,
    )


@login_required
def cash_positions(request: HttpRequest) -> HttpResponse:
    """The bank balance on a day: the latest one is the cash in the runway."""
    _backbone(request)
    today = timezone.localdate()
    form = CashPositionForm(request.POST or None, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.cash_position_save(actor=request.user, today=today, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The cash position is saved."))
            return redirect("backbone:cash_positions")
    return render(
        request,
        "backbone/cash_positions.html",
        {"form": form, "positions": CashPosition.objects.order_by("-on")[:36], "runway": selectors.runway_now(today)},
        status=400 if request.method == "POST" else 200,
    )


def funding_public(request: HttpRequest) -> HttpResponse:
    """Funders and totals per year: what the public may know of the money (no partner amounts)."""
    table = selectors.funding_by_domain_and_year()
    return render(
        request,
        "backbone/funding_public.html",
        {
            "funders": selectors.public_funders(),
            "table": table,
            "funding_chart": charts.funding_chart(table, totals_only=True),
        },
    )


# --- Results -------------------------------------------------------------------------------------


def results(request: HttpRequest, domain: str = "") -> HttpResponse:
    chosen = None
    if domain:
        chosen = ActionDomain.objects.filter(slug=domain).first()
        if chosen is None:
            raise Http404
    return render(
        request,
        "backbone/results.html",
        {
            "domains": selectors.results_by_domain(domain=chosen),
            "all_domains": ActionDomain.objects.order_by("order", "slug"),
            "chosen": chosen,
            "editable": set(editable_organisations(request.user).values_list("pk", flat=True))
            if request.user.is_authenticated
            else set(),
        },
    )


@login_required
def result_update(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(Result.objects.select_related("goal", "owner"), pk=pk)
    if not request.user.has_perm("network.edit_organisation", result.owner):
        raise PermissionDenied
    form = ResultUpdateForm(request.POST or None, initial={"status": result.status, "progress": result.progress})
    if request.method == "POST" and form.is_valid():
        try:
            services.result_update(actor=request.user, result=result, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The result is updated."))
            return redirect(reverse("backbone:results_domain", kwargs={"domain": result.goal.domain.slug}))
    return render(
        request,
        "backbone/result_update.html",
        {"result": result, "form": form, "updates": result.updates.select_related("by").order_by("-on", "-pk")},
        status=400 if request.method == "POST" else 200,
    )


# --- Health check --------------------------------------------------------------------------------


@login_required
def health_check(request: HttpRequest) -> HttpResponse:
    return render(
        request, "backbone/health_check.html", {"rounds": selectors.open_rounds_for(request.user, timezone.now())}
    )


@login_required
def health_answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(SurveyRound.objects.select_related("instrument", "organisation"), pk=pk)
    if not selectors.may_answer(request.user, survey):
        raise PermissionDenied
    items = list(Item.objects.filter(section__instrument=survey.instrument).select_related("section"))
    form = SurveyForm(request.POST or None, items=items)
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(user=request.user, survey=survey, scores=form.scores())
        except services.AnswerRefused as exc:
            refused = str(exc)
        else:
            messages.success(request, _("Thank you. Your answers are counted without your name."))
            return redirect("backbone:health_check")
    return render(
        request,
        "backbone/health_answer.html",
        {"survey": survey, "form": form, "refused": refused, "closed": survey.closes_at <= timezone.now()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def health(request: HttpRequest) -> HttpResponse:
    """The health of Samen: signals from the platform next to the latest survey round."""
    _backbone(request)
    now = timezone.now()
    latest = SurveyRound.objects.filter(organisation__isnull=True, closes_at__lte=now).order_by("-closes_at").first()
    scores = selectors.round_scores(latest, now=now) if latest else None
    return render(
        request,
        "backbone/health.html",
        {
            "signals": [
                (s, charts.trend_chart(s.series)) for s in platform_health.platform_signals(timezone.localdate())
            ],
            "scores": scores,
            "scores_chart": charts.scores_chart(scores) if scores and scores.enough else "",
            "rounds": SurveyRound.objects.select_related("organisation").order_by("-opens_at")[:20],
            "minimum": MIN_RESPONDENTS,
            "report_year": timezone.localdate().year - 1,
        },
    )


@login_required
def health_round(request: HttpRequest, pk: int) -> HttpResponse:
    _backbone(request)
    survey = get_object_or_404(SurveyRound, pk=pk)
    scores = selectors.round_scores(survey, now=timezone.now())
    groups = {
        g: selectors.round_scores(survey, now=timezone.now(), group=g) if g in scores.shown else None
        for g in ("partner", "member")
    }
    return render(
        request,
        "backbone/health_round.html",
        {
            "scores": scores,
            "groups": [
                (label, groups[value]) for value, label in (("partner", _("Partners")), ("member", _("Members")))
            ],
            "scores_chart": charts.scores_chart(scores) if scores.enough else "",
            "minimum": MIN_RESPONDENTS,
        },
    )


# --- The report card -----------------------------------------------------------------------------


def _published(year: int) -> PublishedReport | None:
    return PublishedReport.objects.filter(year=year, language=translation.get_language()).first()


def _year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404


def report_card(request: HttpRequest, year: int) -> HttpResponse:
    """The published report card as it was published; a draft only for the backbone."""
    _year(year)
    published = _published(year)
    if published is not None:
        body = published.html
    elif is_backbone(request.user):
        body = report.render_html(report.report_figures(year), published=False)
    else:
        raise Http404
    return render(
        request,
        "backbone/report_card.html",
        {
            "year": year,
            "body": body,
            "published": published,
            "may_publish": published is None and is_backbone(request.user),
        },
    )


def report_card_pdf(request: HttpRequest, year: int) -> HttpResponse:
    _year(year)
    published = _published(year)
    if published is not None:
        pdf = bytes(published.pdf)
    elif is_backbone(request.user):
        pdf = report.render_pdf(report.report_figures(year))
    else:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-card-{year}-{translation.get_language()}.pdf"'
    return response


@login_required
@require_POST
def report_publish(request: HttpRequest, year: int) -> HttpResponse:
    _backbone(request)
    _year(year)
    try:
        services.report_publish_year(actor=request.user, year=year, build=report.build)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report card of %(year)s is published.") % {"year": year})
    return redirect("backbone:report_card", year=year)
