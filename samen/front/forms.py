from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from samen.measurement.models import Indicator


class IndicatorsForm(forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Indicators that show this challenge"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Their latest public figures, with the people behind them, appear on the challenge page."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.order_by("name")
