from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.backbone.models import Grant, Item, Result


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
