from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.backbone.models import (
    CashPosition,
    Expense,
    Funder,
    Grant,
    GrantPayment,
    GrantShare,
    Instrument,
    Item,
    PublishedReport,
    ReportingDue,
    Result,
    ResultUpdate,
    Section,
    SurveyRound,
)
from samen.backbone.services import result_update
from samen.core.audit import audit_log


class SharesFormSet(forms.BaseInlineFormSet):
    """Refuses shares that add up to more than the grant's amount, before anything is saved."""

    def clean(self):
        super().clean()
        amount = self.instance.amount
        total = sum(
            (
                f.cleaned_data.get("amount") or Decimal(0)
                for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ),
            Decimal(0),
        )
        if amount is not None and total > amount:
            raise forms.ValidationError(
                _("The shares add up to %(total)s, more than the grant's %(amount)s.")
                % {"total": total, "amount": amount}
            )


class ShareInline(admin.TabularInline):
    model = GrantShare
    formset = SharesFormSet
    extra = 0
    autocomplete_fields = ["organisation"]


class PaymentsFormSet(forms.BaseInlineFormSet):
    """Refuses negative payments and a schedule worth more than the grant (they would inflate the runway)."""

    def clean(self):
        super().clean()
        amounts = [
            f.cleaned_data.get("amount") or Decimal(0)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if any(a < 0 for a in amounts):
            raise forms.ValidationError(_("A payment cannot be negative."))
        total = sum(amounts, Decimal(0))
        if self.instance.amount is not None and total > self.instance.amount:
            raise forms.ValidationError(
                _("The payments add up to %(total)s, more than the grant's %(amount)s.")
                % {"total": total, "amount": self.instance.amount}
            )


class PaymentInline(admin.TabularInline):
    model = GrantPayment
    formset = PaymentsFormSet
    extra = 0


class ReportingDueInline(admin.TabularInline):
    model = ReportingDue
    extra = 0
    readonly_fields = ["reminded_on"]


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=f"backbone.{obj._meta.model_name}_{'update' if change else 'create'}",
            obj=obj,
            changes={"fields": list(form.changed_data)},
        )


@admin.register(Funder)
class FunderAdmin(AuditedAdmin):
    search_fields = ["name"]


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    list_display = ["title", "funder", "amount", "currency", "start", "end", "domain"]
    list_filter = ["funder", "domain"]
    list_select_related = ["funder", "domain"]
    inlines = [ShareInline, PaymentInline, ReportingDueInline]


@admin.register(CashPosition)
class CashPositionAdmin(AuditedAdmin):
    list_display = ["on", "amount"]


@admin.register(Expense)
class ExpenseAdmin(AuditedAdmin):
    list_display = ["month", "description", "amount", "grant", "imported_from"]
    list_filter = ["month", "grant"]
    list_select_related = ["grant__funder"]


class ResultUpdateInline(admin.TabularInline):
    model = ResultUpdate
    extra = 0
    can_delete = False
    readonly_fields = ["on", "status", "progress", "note", "by"]

    def has_add_permission(self, request, obj=None):
        return False  # every status change goes through the update page, which keeps the timeline


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["title", "goal", "owner", "weight", "status", "progress", "parent"]
    list_filter = ["status", "goal__domain", "owner"]
    list_select_related = ["goal", "owner", "parent"]
    autocomplete_fields = ["owner", "indicator", "parent"]
    search_fields = ["title"]
    inlines = [ResultUpdateInline]

    def save_model(self, request, obj, form, change):
        status_changed = change and {"status", "progress"} & set(form.changed_data)
        new_status, new_progress = obj.status, obj.progress
        if status_changed:
            obj.status, obj.progress = form.initial.get("status"), form.initial.get("progress")
        super().save_model(request, obj, form, change)
        if status_changed or not change:
            # The timeline keeps every status change, wherever it is made.
            result_update(
                actor=request.user,
                result=obj,
                status=new_status,
                progress=new_progress,
                note=_("set in the curation pages"),
            )


def _in_use(instrument_id: int | None) -> bool:
    """An instrument is frozen once a round of it has opened: a statement added later would go
    uncounted, one changed or removed would change what earlier answers meant."""
    return (
        instrument_id is not None
        and SurveyRound.objects.filter(instrument_id=instrument_id, opens_at__lte=timezone.now()).exists()
    )


class FrozenOnceAskedMixin:
    def _frozen(self, obj) -> bool:
        return False

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class ItemInline(FrozenOnceAskedMixin, admin.TabularInline):
    model = Item
    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and _in_use(obj.instrument_id)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)


class SectionForm(forms.ModelForm):
    def clean_instrument(self):
        instrument = self.cleaned_data["instrument"]
        if instrument is not None and _in_use(instrument.pk):
            raise forms.ValidationError(_("A round of this instrument has opened: its questions no longer change."))
        return instrument


@admin.register(Section)
class SectionAdmin(FrozenOnceAskedMixin, AuditedAdmin):
    form = SectionForm
    list_display = ["title_nl", "title_en", "instrument", "order"]
    list_filter = ["instrument"]
    inlines = [ItemInline]

    def _frozen(self, obj) -> bool:
        return obj is not None and _in_use(obj.instrument_id)


class SectionInline(FrozenOnceAskedMixin, admin.TabularInline):
    model = Section
    extra = 0
    show_change_link = True

    def _frozen(self, obj) -> bool:
        return obj is not None and _in_use(obj.pk)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)


@admin.register(Instrument)
class InstrumentAdmin(FrozenOnceAskedMixin, AuditedAdmin):
    list_display = ["name_nl", "name_en", "slug"]
    inlines = [SectionInline]

    def _frozen(self, obj) -> bool:
        return obj is not None and _in_use(obj.pk)


@admin.register(SurveyRound)
class SurveyRoundAdmin(AuditedAdmin):
    list_display = ["title", "instrument", "opens_at", "closes_at", "organisation"]
    autocomplete_fields = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Once closed, its scores may have been seen: re-opening it and closing it again would give
        # away the answers that came in between by subtraction. A closed round stays closed.
        if obj is not None and obj.is_closed():
            return ["instrument", "opens_at", "closes_at", "organisation"]
        return []


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    """Published report cards are an archive: they can be looked at, never changed."""

    list_display = ["year", "language", "published_at", "published_by", "generation_seconds"]
    fields = ["year", "language", "published_at", "published_by", "generation_seconds"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
