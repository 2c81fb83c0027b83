from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.measurement.models import Indicator
from samen.network.models import Area


class MeasurementForm(forms.Form):
    """One value typed in by hand; checked by the same Catalogue as the importer and the API."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=_("Indicator"))
    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("path"), required=False, label=_("Area"), empty_label=_("The whole initiative")
    )
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label=_("Value"), required=False, help_text=_("For a plain value. Decimal comma or point."))
    numerator = forms.CharField(label=_("Numerator"), required=False, help_text=_("For a ratio: e.g. the people who…"))
    denominator = forms.CharField(label=_("Denominator"), required=False, help_text=_("For a ratio: …out of how many."))
    confirmed = forms.BooleanField(
        label=_("The value is right, even though it is unusual"),
        required=False,
        help_text=_("Needed only for a value outside what the indicator usually measures."),
    )

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=[i.pk for i in indicators])
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} — {i.name}"
        for dimension in {d for i in indicators for d in i.dimensions.all()}:
            self.fields[f"dim:{dimension.slug}"] = forms.ChoiceField(
                label=dimension.name,
                required=False,
                choices=[("", _("(total)")), *((v.slug, v.name) for v in dimension.values.all())],
            )
        today = timezone.localdate()
        self.fields["period_start"].initial = datetime.date(today.year - 1, 1, 1)
        self.fields["period_end"].initial = datetime.date(today.year - 1, 12, 31)

    def dims(self) -> dict[str, str]:
        return {name[4:]: value for name, value in self.cleaned_data.items() if name.startswith("dim:") and value}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: indicator, area, period_start, period_end, value or numerator and denominator, and dim:… per dimension."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SAMEN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; the web import takes at most %(max)s. Larger files go through the command samen import-measurements."
                )
                % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.SAMEN_IMPORT_MAX_BYTES)}
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".tsv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Why they go back"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class NarrativeForm(forms.Form):
    period_end = forms.TypedChoiceField(label=_("Period"), coerce=datetime.date.fromisoformat)
    text_nl = forms.CharField(
        label=_("Story (Dutch)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5, "lang": "nl"})
    )
    text_en = forms.CharField(
        label=_("Story (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "en"}),
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_end"].choices = periods
