"""Forms of campaigns, events, registration and the door."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.activities.events.models import Campaign, Event
from samen.activities.events.services import event_validate
from samen.activities.models import Activity
from samen.core.permissions import is_backbone
from samen.core.text import VisibleTitlesMixin
from samen.network.selectors import editable_organisations

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class CampaignForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "theme", "description", "starts_on", "ends_on", "is_published"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data


class EventForm(VisibleTitlesMixin, forms.ModelForm):
    """An editor chooses among their own organisations; choosing a campaign proposes the event to it."""

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "organisation",
            "activity",
            "campaign",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "accessibility",
            "capacity",
            "price",
            "registration_open",
            "is_published",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "campaign": _("Choosing a campaign proposes this event for its programme; the backbone accepts it."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.was_starting = self.instance.starts_at if self.instance.pk else None
        organisations = editable_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        activities = Activity.objects.order_by("title")
        if not is_backbone(user):
            activities = activities.filter(
                Q(lead_organisation__in=organisations) | Q(partner_organisations__in=organisations)
            ).distinct()
        self.fields["activity"].queryset = activities
        self.fields["activity"].empty_label = _("(no activity)")
        # Campaigns still running or to come, plus the one already chosen.
        campaigns = Campaign.objects.filter(is_published=True, ends_on__gte=timezone.localdate())
        if self.instance.campaign_id:
            campaigns = campaigns | Campaign.objects.filter(pk=self.instance.campaign_id)
        self.fields["campaign"].queryset = campaigns.order_by("starts_on")
        self.fields["campaign"].empty_label = _("(no campaign)")
        self.fields["price"].localize = True
        self.fields["price"].widget.attrs["inputmode"] = "decimal"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            event_validate(
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                campaign=data.get("campaign"),
                was_starting=self.was_starting,
            )
        except ValidationError as error:
            # Next to the field it is about; a field with an error is then left out of the model's own checks.
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return data


class MemberRegistrationForm(VisibleTitlesMixin, forms.Form):
    is_resident = forms.BooleanField(
        label=_("I live here"), required=False, help_text=_("We count how many residents take part; nothing more.")
    )

    def __init__(self, *args: Any, region: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if region:
            self.fields["is_resident"].label = _("I live in %(region)s") % {"region": region}


class VisitorRegistrationForm(MemberRegistrationForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("We send a link to confirm it; nobody else sees it.")
    )
    field_order = ["name", "email", "is_resident"]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=300,
        help_text=_("The six characters in the confirmation email, or scan its QR code with the phone's camera."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class WalkInForm(forms.Form):
    count = forms.IntegerField(
        label=_("Walk-ins to add"),
        min_value=-500,
        max_value=2000,
        help_text=_("People who came without registering. A negative number corrects a mistake."),
    )
    residents = forms.IntegerField(
        label=_("Of whom residents"), min_value=-500, max_value=2000, initial=0, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        count, residents = data.get("count"), data.get("residents") or 0
        data["residents"] = residents
        if count is not None and count >= 0 and residents > count:
            self.add_error(
                "residents", _("The residents are part of the walk-ins: at most %(count)s.") % {"count": count}
            )
        return data


class DecisionForm(forms.Form):
    event = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
