"""Forms of care: what a page asks; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from samen.activities.models import Activity
from samen.care.models import CareNetwork, Case, Consent, Referral, Resident, Signal, SurveyAnswer, WatchAgreement
from samen.core.permissions import CARE_NETWORK
from samen.core.text import VisibleTitlesMixin
from samen.network.models import Area, Organisation, User


def _areas_of(network: CareNetwork) -> Any:
    return Area.objects.filter(path__startswith=network.area.path).order_by("path")


class WorriedForm(forms.Form):
    """The public form: the minimum to follow up, never health details."""

    area = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Area.objects.none(),
        help_text=_("Where the person lives."),
    )
    about = forms.CharField(
        label=_("Who, or which address?"),
        max_length=300,
        help_text=_("A name, a street and house number, or how we can recognise the house."),
    )
    observations = forms.MultipleChoiceField(
        label=_("What did you notice?"), choices=Signal.OBSERVATIONS, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Signal.Urgency.choices,
        initial=Signal.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you want the network to call you back."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name")


class MemberSignalForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Area.objects.none())
    resident = forms.ModelChoiceField(
        label=_("Resident (if known)"), queryset=Resident.objects.none(), required=False, to_field_name="reference"
    )
    about = forms.CharField(label=_("Who, or which address?"), max_length=300, required=False)
    observations = forms.MultipleChoiceField(
        label=_("What did you notice?"), choices=Signal.OBSERVATIONS, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Signal.Urgency.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas_of(network)
        self.fields["resident"].queryset = network.residents.filter(erased_at__isnull=True)
        self.fields["resident"].label_from_instance = lambda r: r.reference

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("resident") and not data.get("about", "").strip():
            raise forms.ValidationError(_("Choose the resident or say who or which address it is about."))
        return data


class ResidentForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = Resident
        fields = [
            "name",
            "birth_date",
            "area",
            "address",
            "phone",
            "lives_alone",
            "nearby_1",
            "nearby_2",
            "nearby_3",
            "language",
            "notes",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "address": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "nearby_1": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "nearby_2": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "nearby_3": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"notes": _("No diagnoses: only what the network needs to help.")}

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas_of(network)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Population list (CSV or XLSX)"),
        help_text=_(
            "Columns: name, birth_date, area, address, phone, lives_alone, nearby_1, nearby_2, nearby_3, language."
        ),
    )


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=_("Answers (CSV or XLSX)"))


class WatchAgreementForm(forms.ModelForm):
    class Meta:
        model = WatchAgreement
        fields = ["business", "kind", "since", "watches_for", "calls", "ended_on"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("since") and data.get("ended_on") and data["ended_on"] < data["since"]:
            self.add_error("ended_on", _("An agreement cannot end before it began."))
        return data


class NetworkForm(VisibleTitlesMixin, forms.ModelForm):
    """The backbone sets up a network: its area, partners and pledge version."""

    class Meta:
        model = CareNetwork
        fields = ["name", "slug", "area", "organisations", "pledge_version", "takes_other_areas"]
        widgets = {"organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("path")
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["organisations"].required = False
        if self.instance.pk:
            self.fields["slug"].disabled = True  # it is in every link members have


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of their account"), help_text=_("They must have signed up to Samen first.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Acts for"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    is_coordinator = forms.BooleanField(label=_("Network coordinator"), required=False)

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = network.organisations.order_by("name")

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this email address: ask them to sign up first."))
        return user


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Acts for"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    is_coordinator = forms.BooleanField(label=_("Network coordinator"), required=False)

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = network.organisations.order_by("name")


class HandOverForm(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=CareNetwork.objects.order_by("name"), to_field_name="slug"
    )


class SurveyRoundForm(VisibleTitlesMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))


class SurveyAnswerForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=Resident.objects.none(), to_field_name="reference")
    visits = forms.ChoiceField(label=_("How often do they get a visit?"), choices=SurveyAnswer.Visits.choices)
    can_call_someone = forms.TypedChoiceField(
        label=_("Can they call someone in an emergency?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = network.residents.filter(erased_at__isnull=True)
        self.fields["resident"].label_from_instance = lambda r: r.reference


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("What it covers"), choices=Consent.Scope.choices)
    organisation = forms.ModelChoiceField(
        label=_("Shared with (for sharing)"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    how = forms.ChoiceField(label=_("How it was given"), choices=Consent.How.choices)
    reason = forms.CharField(
        label=_("Reason (only without consent, for a vital interest)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = network.organisations.order_by("name")


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Who follows it up"), queryset=User.objects.none())
    resident = forms.ModelChoiceField(
        label=_("Resident"), queryset=Resident.objects.none(), required=False, to_field_name="reference"
    )

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = network.members.filter(
            pledged_at__isnull=False,
            pledge_version=F("network__pledge_version"),
            organisation__isnull=False,
            user__groups__name=CARE_NETWORK,
        ).select_related("organisation", "user")
        self.owner_organisation = {m.user_id: m.organisation for m in members}
        self.fields["owner"].queryset = User.objects.filter(pk__in=self.owner_organisation).order_by("first_name")
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.email} ({self.owner_organisation[u.pk].name})"
        )
        self.fields["resident"].queryset = network.residents.filter(erased_at__isnull=True)
        self.fields["resident"].label_from_instance = lambda r: r.reference


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = case.network.organisations.exclude(
            pk=case.owner_organisation_id
        ).order_by("name")


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New state"), choices=Referral.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices)
    activity = forms.ModelChoiceField(
        label=_("Activity (for a volunteer or an activity)"),
        queryset=Activity.objects.filter(is_published=True).order_by("title"),
        required=False,
        to_field_name="slug",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Share with"), queryset=Organisation.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = case.network.organisations.order_by("name")


class GlassBreakForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must you open this case now?"), min_length=10, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Review"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
