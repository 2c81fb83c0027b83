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
from samen.backbone.forms import ExpenseForm, ExpenseImportForm, ResultUpdateForm, SurveyForm
from samen.backbone.importer import import_expenses
from samen.backbone.models import Item, PublishedReport, Result, SurveyRound
from samen.core.permissions import is_backbone
from samen.measurement.importer import ImportRefused
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
    if not services.may_answer(request.user, survey):
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
            "signals": platform_health.platform_signals(timezone.localdate()),
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
