"""The steward's side: enter and import values, submit them, tell the story; the backbone approves."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.core.permissions import is_backbone
from samen.measurement import selectors, services
from samen.measurement.forms import ImportForm, MeasurementForm, NarrativeForm, ReturnForm
from samen.measurement.importer import ImportRefused, import_measurements
from samen.measurement.models import ImportPreview, Indicator, Measurement
from samen.measurement.validation import Catalogue, RowError
from samen.network.selectors import editable_organisations

Status = Measurement.Status


def submittable_indicators(user) -> list[Indicator]:
    """The indicators a person may submit values for: their organisations' ones, or all for the backbone."""
    indicators = Indicator.objects.select_related("steward").prefetch_related("dimensions__values").order_by("code")
    if is_backbone(user):
        return list(indicators)
    return list(indicators.filter(steward__in=editable_organisations(user)))


def _require_some(request: HttpRequest) -> list[Indicator]:
    if not request.user.has_perm("measurement.enter_values"):
        raise PermissionDenied
    # The query already keeps the organisations this person edits: no check per indicator needed.
    return submittable_indicators(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def my_measurements(request: HttpRequest) -> HttpResponse:
    indicators = _require_some(request)
    form = MeasurementForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        catalogue = Catalogue(indicators)
        try:
            row = catalogue.row(
                indicator=data["indicator"].code,
                area=data["area"].code if data["area"] else "",
                period_start=data["period_start"],
                period_end=data["period_end"],
                value=data["value"],
                numerator=data["numerator"],
                denominator=data["denominator"],
                dims=form.dims(),
                confirmed=data["confirmed"],
            )
            _measurement, outcome = services.measurement_record(
                row=row, actor=request.user, organisation=row.indicator.steward
            )
        except RowError as error:
            form.add_error(error.column if error.column in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("The value is saved as a draft. Submit it for approval when you are ready.")
                if outcome != "unchanged"
                else _("That value was there already."),
            )
            return redirect("measurement:mine")
    open_values = (
        Measurement.objects.filter(
            indicator__in=indicators, status__in=[Status.DRAFT, Status.RETURNED, Status.SUBMITTED]
        )
        .select_related("indicator", "area")
        .order_by("indicator__code", "-period_end", "area__path")[:500]
    )
    return render(
        request, "measurement/mine.html", {"form": form, "indicators": indicators, "open_values": open_values}
    )


@login_required
@require_POST
def submit_values(request: HttpRequest) -> HttpResponse:
    indicators = _require_some(request)
    chosen = Measurement.objects.filter(
        pk__in=_ids(request), indicator__in=indicators, status__in=[Status.DRAFT, Status.RETURNED]
    ).select_related("indicator", "indicator__steward")
    try:
        count = services.measurements_submit(measurements=list(chosen), actor=request.user)
    except RowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s value(s) sent for approval.") % {"count": count})
    return redirect("measurement:mine")


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("measurement.approve"):
        raise PermissionDenied
    return_form = ReturnForm(request.POST or None)
    if request.method == "POST":
        chosen = list(
            Measurement.objects.filter(pk__in=_ids(request), status=Status.SUBMITTED).select_related("indicator")
        )
        if request.POST.get("decision") == "approve":
            try:
                count = services.measurements_approve(measurements=chosen, actor=request.user)
            except RowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(count)s value(s) approved; they are public now.") % {"count": count})
            return redirect("measurement:approve")
        if return_form.is_valid():
            try:
                count = services.measurements_return(
                    measurements=chosen, actor=request.user, comment=return_form.cleaned_data["comment"]
                )
            except ValidationError as error:
                return_form.add_error("comment", error)
            except RowError as error:
                messages.error(request, error.message)
                return redirect("measurement:approve")
            else:
                messages.success(request, _("%(count)s value(s) sent back to the steward.") % {"count": count})
                return redirect("measurement:approve")
    waiting = (
        Measurement.objects.filter(status=Status.SUBMITTED)
        .select_related("indicator", "area", "organisation")
        .order_by("indicator__code", "-period_end", "area__path")[:500]
    )
    return render(request, "measurement/approve.html", {"waiting": waiting, "return_form": return_form})


def _ids(request: HttpRequest) -> list[int]:
    """The ticked measurements; anything that is not a number is no measurement."""
    return [int(v) for v in request.POST.getlist("measurement") if v.isdigit()]


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    indicators = _require_some(request)
    allowed = {i.pk for i in indicators}
    # Refuse a huge upload before Django reads it into a temporary file.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > settings.SAMEN_IMPORT_MAX_BYTES + 64 * 1024:
        messages.error(
            request,
            _(
                "The file is %(size)s; the web import takes at most %(max)s. Larger files go through the command samen import-measurements."
            )
            % {"size": filesizeformat(length), "max": filesizeformat(settings.SAMEN_IMPORT_MAX_BYTES)},
        )
        return render(request, "measurement/import.html", {"form": ImportForm(), "indicators": indicators}, status=413)
    if request.method == "POST" and "token" in request.POST:
        return _commit(request, allowed)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = token = None
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = b"".join(upload.chunks())  # at most SAMEN_IMPORT_MAX_BYTES, checked above
        # One waiting preview per person: a new upload replaces the earlier ones, so nobody parks files.
        ImportPreview.objects.filter(by=request.user).delete()
        preview = ImportPreview.objects.create(
            token=uuid.uuid4().hex, by=request.user, file_name=upload.name[:200], content=content
        )
        token = preview.token
        try:
            result = import_measurements(
                io.BytesIO(content),
                name=upload.name,
                actor=request.user,
                allowed=lambda i: i.pk in allowed,
                commit=False,
            )
        except ImportRefused as error:
            refused = str(error)
            preview.delete()
            token = None
    return render(
        request,
        "measurement/import.html",
        {"form": form, "result": result, "token": token, "refused": refused, "indicators": indicators},
    )


def _commit(request: HttpRequest, allowed: set[int]) -> HttpResponse:
    fresh = timezone.now() - ImportPreview.MAX_AGE
    preview = ImportPreview.objects.filter(
        token=str(request.POST["token"])[:32], by=request.user, created_at__gte=fresh
    ).first()
    # Claimed by deleting it: of two confirmations (a double click, two hosts) only one imports.
    if preview is None or not ImportPreview.objects.filter(pk=preview.pk).delete()[0]:
        messages.error(request, _("That preview has expired. Upload the file again."))
        return redirect("measurement:import")
    try:
        result = import_measurements(
            io.BytesIO(bytes(preview.content)),
            name=preview.file_name,
            actor=request.user,
            allowed=lambda i: i.pk in allowed,
            commit=True,
        )
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect("measurement:import")
    if not result.committed:
        messages.error(request, _("The file has problems now; nothing was stored. Upload it again to see them."))
        return redirect("measurement:import")
    messages.success(
        request,
        _(
            "Imported: %(new)s new, %(changed)s changed, %(unchanged)s unchanged. The new and changed values wait for approval."
        )
        % {"new": result.new, "changed": result.changed, "unchanged": result.unchanged},
    )
    return redirect("measurement:mine")


def import_template(request: HttpRequest, code: str) -> HttpResponse:
    """A CSV with the columns this indicator takes and one example row."""
    indicator = get_object_or_404(Indicator.objects.prefetch_related("dimensions"), code=code, is_published=True)
    dims = [d.slug for d in indicator.dimensions.all()]
    header = ["indicator", "area", "period_start", "period_end"]
    header += ["numerator", "denominator"] if indicator.is_ratio else ["value"]
    header += [f"dim:{d}" for d in dims]
    example = (
        [indicator.code, "", "2025-01-01", "2025-12-31"]
        + (["15", "100"] if indicator.is_ratio else ["42"])
        + [""] * len(dims)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}-template.csv"'
    response.write(",".join(header) + "\r\n" + ",".join(example) + "\r\n")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def story(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    if not request.user.has_perm("measurement.submit_for_indicator", indicator):
        raise PermissionDenied
    view = selectors.indicator_view(indicator, small_counts=True)
    periods = [(p.end.isoformat(), p.label) for p in reversed(view.series)]
    form = NarrativeForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.narrative_save(
            indicator=indicator,
            period_end=data["period_end"],
            text_nl=data["text_nl"],
            text_en=data["text_en"],
            actor=request.user,
        )
        messages.success(request, _("The story behind the curve is published with the indicator."))
        return redirect(indicator)
    return render(request, "measurement/story.html", {"indicator": indicator, "form": form})


@login_required
def disclosure_audit(request: HttpRequest, code: str) -> HttpResponse:
    """The backbone's check that no hidden figure of an indicator can be worked out."""
    if not request.user.has_perm("measurement.approve"):
        raise PermissionDenied
    try:
        indicator = selectors.indicator_for_page(code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    return render(request, "measurement/audit.html", {"report": selectors.indicator_audit(indicator)})
