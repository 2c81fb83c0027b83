"""The activity form with its roles and resources; choices are narrowed to what the person may pick."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from samen.activities.models import Activity, PerformanceMeasure, Resource, Role
from samen.activities.services import activity_dates_validate, role_taken_words
from samen.agenda.models import Challenge
from samen.core.text import VisibleTitlesMixin
from samen.measurement.models import Indicator
from samen.network.models import Organisation

FIELDS = [
    "title",
    "summary",
    "description",
    "societal_impact",
    "lead_organisation",
    "partner_organisations",
    "website",
    "action_domains",
    "goals",
    "challenges",
    "indicators",
    "areas",
    "status",
    "starts_on",
    "ends_on",
    "is_published",
]
RELATIONS = ["partner_organisations", "action_domains", "goals", "challenges", "indicators", "areas"]


class ActivityForm(VisibleTitlesMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "societal_impact": forms.Textarea(attrs={"rows": 3}),
            "partner_organisations": forms.SelectMultiple(attrs={"size": 8}),
            "action_domains": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "challenges": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "areas": forms.SelectMultiple(attrs={"size": 8}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A forged organisation id is "not one of the available choices", never saved.
        self.fields["lead_organisation"].queryset = organisations
        self.fields["partner_organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["indicators"].queryset = Indicator.objects.filter(
            is_published=True, level=Indicator.Level.POPULATION
        ).order_by("code")
        # Draft challenges are not public yet; one linked before it went back to draft stays linked.
        linked = Q(pk__in=self.instance.challenges.values("pk")) if self.instance.pk else Q(pk__in=[])
        self.fields["challenges"].queryset = Challenge.objects.filter(
            Q(status=Challenge.Status.PUBLISHED) | linked
        ).order_by("order", "title")
        self.fields["goals"].queryset = self.fields["goals"].queryset.select_related("domain")
        self.fields["areas"].queryset = self.fields["areas"].queryset.defer("geometry").order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            activity_dates_validate(data.get("starts_on"), data.get("ends_on"))
        except forms.ValidationError as error:
            self.add_error(None, error)
        lead, partners = data.get("lead_organisation"), data.get("partner_organisations")
        if lead and partners and lead in partners:
            self.add_error("partner_organisations", _("The lead organisation is not also one of its partners."))
        return data


class RoleForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = Role
        fields = ["title", "skill", "places", "time_asked", "availability"]

    def clean_places(self) -> int:
        places = self.cleaned_data["places"]
        taken = self.instance.signups.count() if self.instance.pk else 0
        if places < taken:
            raise forms.ValidationError(
                _("%(taken)s people already signed up; there must be at least as many places.") % {"taken": taken}
            )
        return places


class BaseRoleFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # Deleting a role would delete its sign-ups with it: the people must leave it first.
        refused = []
        for form in self.deleted_forms:
            taken = form.instance.signups.count() if form.instance.pk else 0
            if taken:
                message = role_taken_words(form.initial.get("title", ""), taken, deleting=True)
                form.add_error("DELETE", message)
                refused.append(message)
        if refused:
            raise forms.ValidationError(refused)


class MeasureForm(forms.ModelForm):
    class Meta:
        model = PerformanceMeasure
        fields = ["question", "indicator"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            is_published=True, level=Indicator.Level.PERFORMANCE
        ).order_by("code")


RoleFormSet = inlineformset_factory(
    Activity, Role, form=RoleForm, formset=BaseRoleFormSet, extra=1, can_delete=True, max_num=30
)
ResourceFormSet = inlineformset_factory(
    Activity, Resource, fields=["description", "is_met"], extra=1, can_delete=True, max_num=30
)
MeasureFormSet = inlineformset_factory(
    Activity, PerformanceMeasure, form=MeasureForm, extra=1, can_delete=True, max_num=10
)
