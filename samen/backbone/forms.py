from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from samen.backbone.models import Funder, Grant, Item, Result
from samen.core.text import VisibleTitlesMixin
from samen.network.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CENT = Decimal("0.01")


class FunderForm(VisibleTitlesMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Funder
        fields = ["name", "website"]


class GrantForm(VisibleTitlesMixin, forms.ModelForm):
    """The grant itself; its shares, payments and reporting dates are the formsets below it."""

    class Meta:
        model = Grant
        fields = ["funder", "title", "amount", "currency", "start", "end", "restrictions", "domain"]
        widgets = {"start": DATE, "end": DATE, "restrictions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].help_text = _("Not in the list? Register the funder first.")
        self.fields["currency"].help_text = _("Three letters, such as EUR. Totals and the runway count grants in euro.")

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("A currency is a code of three letters, such as EUR."))
        return currency

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class RowForm(forms.Form):
    """A row of a list (a share, a payment, a report): left empty, it is no row; filled in, the
    `needed` fields must be there. Clearing a row is how it is removed."""

    needed: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if all(v in (None, "") for v in data.values()) and not self.errors:
            return {}
        for name in self.needed:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, forms.ValidationError(forms.Field.default_error_messages["required"]))
        return data


class ShareForm(RowForm):
    """A partner's share, as an amount or as a percentage of the grant."""

    needed = ("organisation",)
    organisation = forms.TypedChoiceField(label=_("Partner"), coerce=int, required=False, empty_value=None)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, required=False)
    percent = forms.DecimalField(label=_("or a percentage"), max_digits=5, decimal_places=2, required=False)

    def __init__(self, *args: Any, partners: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *partners]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data or self.errors:
            return data
        amount, percent = data.get("amount"), data.get("percent")
        if amount is None and percent is None:
            raise forms.ValidationError(_("Give the partner's share as an amount or as a percentage."))
        if amount is not None and percent is not None:
            raise forms.ValidationError(_("Give the share as an amount or as a percentage, not both."))
        if (amount or 0) < 0 or (percent or 0) < 0:
            raise forms.ValidationError(_("A share cannot be negative."))
        if percent is not None and percent > 100:
            self.add_error("percent", _("A share is at most the whole grant (100 %)."))
        return data


class BaseShareFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data]
        seen: set[int] = set()
        for row in rows:
            if row["organisation"] in seen:
                raise forms.ValidationError(_("A partner has one share; it is in the list twice."))
            seen.add(row["organisation"])
        percent = sum((r["percent"] for r in rows if r.get("percent") is not None), Decimal(0))
        if percent > 100:
            raise forms.ValidationError(
                _("The shares add up to %(percent)s %%, more than 100 %% of the grant.")
                % {"percent": number_format(percent, 2)}
            )

    def shares(self, amount: Decimal) -> dict[Organisation, Decimal]:
        """The shares in money: a percentage is rounded down to the cent, so shares of 100 % never
        add up to more than the grant."""
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data]
        organisations = Organisation.objects.in_bulk([r["organisation"] for r in rows])
        return {
            organisations[r["organisation"]]: r["amount"]
            if r.get("amount") is not None
            else (amount * r["percent"] / 100).quantize(CENT, rounding=ROUND_DOWN)
            for r in rows
            if r["organisation"] in organisations
        }


class PaymentForm(RowForm):
    needed = ("due_on", "amount")
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False)

    def clean_amount(self) -> Decimal | None:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("A payment cannot be negative."))
        return amount


class ReportDueForm(RowForm):
    needed = ("due_on", "what")
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    what = forms.CharField(label=_("What to report"), max_length=200, required=False)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE, required=False)


def row_formsets(
    data: Any, *, shares: list[dict], payments: list[dict], reports: list[dict], partners: list[tuple[Any, str]]
) -> tuple[BaseShareFormSet, forms.BaseFormSet, forms.BaseFormSet]:
    """The grant's three lists, with their rows and room for more (six shares for a new grant: the
    KBS grant goes to six partners)."""
    share_set = forms.formset_factory(
        ShareForm, formset=BaseShareFormSet, extra=max(2, 6 - len(shares)), max_num=60, absolute_max=60
    )
    payment_set = forms.formset_factory(PaymentForm, extra=2, max_num=60, absolute_max=60)
    report_set = forms.formset_factory(ReportDueForm, extra=2, max_num=60, absolute_max=60)
    return (
        share_set(data, initial=shares, prefix="shares", form_kwargs={"partners": partners}),
        payment_set(data, initial=payments, prefix="payments"),
        report_set(data, initial=reports, prefix="reports"),
    )


class CashPositionForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=DATE)
    amount = forms.DecimalField(label=_("Cash (€)"), max_digits=12, decimal_places=2)

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("Cash is an amount in euro and cents, not negative."))
        return amount


class ExpenseForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"]
    )
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=12, decimal_places=2)
    description = forms.CharField(label=_("Spent on"), max_length=200)
    grant = forms.ModelChoiceField(label=_("Grant"), queryset=Grant.objects.select_related("funder"), required=False)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("An expense cannot be negative."))
        return amount


class ExpenseImportForm(forms.Form):
    file = forms.FileField(label=_("Bookkeeping export (CSV or XLSX)"))


class ResultUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Result.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    note = forms.CharField(label=_("What happened"), max_length=500, required=False)


class SurveyForm(forms.Form):
    """One 1–5 choice per statement of the instrument."""

    SCALE = [
        (1, _("1 — strongly disagree")),
        (2, _("2 — disagree")),
        (3, _("3 — neither agree nor disagree")),
        (4, _("4 — agree")),
        (5, _("5 — strongly agree")),
    ]

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text, choices=self.SCALE, coerce=int, widget=forms.RadioSelect
            )

    def sections(self):
        """(section, bound fields) in the instrument's order, for the template."""
        grouped: list = []
        for item in self.items:
            if not grouped or grouped[-1][0] != item.section:
                grouped.append((item.section, []))
            grouped[-1][1].append(self[f"item_{item.pk}"])
        return grouped

    def scores(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}
