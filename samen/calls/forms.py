"""Forms of call campaigns: what a page asks; the services decide and write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.calls import scripts, services
from samen.calls.models import NEEDS, CallCampaign, CallRule, TelephoneCircle
from samen.care.models import CareNetwork, Resident
from samen.core.text import VisibleTitlesMixin
from samen.network.models import Area, User


def _members(network: CareNetwork) -> Any:
    return User.objects.filter(care_memberships__network=network, is_active=True).order_by("first_name", "email")


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class CampaignForm(VisibleTitlesMixin, forms.ModelForm):
    script_text = forms.CharField(
        label=_("Script"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One question a line. To branch, add “| number if yes | number if no”: the number of a later "
            "question, or 0 for the needs checklist. Example: How are you? | 2 | 3"
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole area of the care network."),
    )
    callers = UserChoices(
        label=_("Callers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the care network; each signs the confidentiality pledge before calling."),
    )

    class Meta:
        model = CallCampaign
        fields = [
            "name",
            "population",
            "min_age",
            "max_age",
            "areas",
            "lives_alone_only",
            "order",
            "calls_from",
            "calls_until",
            "starts_on",
            "ends_on",
            "callers",
            "batch_size",
            "hold_minutes",
        ]
        widgets = {
            "calls_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "calls_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(path__startswith=network.area.path).order_by("path")
        self.fields["callers"].queryset = _members(network)
        self.fields["script_text"].initial = scripts.script_text(self.instance.script or [])
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + datetime.timedelta(days=28))
            self.initial.setdefault("min_age", 65)

    def clean_script_text(self) -> list[dict[str, Any]]:
        try:
            return scripts.script_parse(self.cleaned_data["script_text"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["script"]) from None


class RuleForm(forms.ModelForm):
    class Meta:
        model = CallRule
        fields = ["action", "retry_hours", "max_attempts", "after_last"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = services.ALLOWED.get(self.instance.outcome, [])  # a form beyond the table: no choice
        self.fields["action"].choices = [(a, CallRule.Action(a).label) for a in allowed]
        self.fields["action"].label = _("Then, for “%(outcome)s”") % {
            "outcome": self.instance.get_outcome_display() or "—"
        }
        for name in ("retry_hours", "max_attempts"):
            self.fields[name].widget.attrs.update({"min": 1, "inputmode": "numeric"})


# The rule table has one row per outcome: the page changes rows, it never adds one.
RuleFormSet = forms.modelformset_factory(CallRule, form=RuleForm, extra=0, edit_only=True)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"), choices=CallRule.Outcome.choices, widget=forms.RadioSelect
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=NEEDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    call_back_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Only when the person asked to be called back: the day and time they gave."),
    )
    note = forms.CharField(
        label=_("Note for the coordinator"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what is needed to follow up; no diagnosis."),
    )
    debrief = forms.BooleanField(label=_("This call upset me: I want a debrief with the coordinator"), required=False)

    def __init__(self, *args: Any, script: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.script = script
        for number, question in enumerate(script, start=1):
            self.fields[f"q{number}"] = forms.ChoiceField(
                label=f"{number}. {question['text']}",
                choices=[("yes", _("yes")), ("no", _("no"))],
                required=False,
                widget=forms.RadioSelect,
                help_text=_branch_help(question),
            )

    def _given(self) -> dict[str, str]:
        """The script's answers as given so far (submitted, or carried over by "next question")."""
        source: Any = self.data if self.is_bound else self.initial
        return {str(n): str(source.get(f"q{n}") or "") for n in range(1, len(self.script) + 1)}

    def path(self) -> list[int]:
        return scripts.script_path(self.script, self._given())

    def answers(self) -> dict[str, str]:
        """Only the answers on the path: one left on a branch the caller turned away from is dropped."""
        return {str(n): self.cleaned_data[f"q{n}"] for n in self.path() if self.cleaned_data.get(f"q{n}")}

    def script_questions(self) -> list[dict[str, Any]]:
        """Every question, with whether the answers so far lead to it (the others are hidden)."""
        path = set(self.path())
        return [
            {"number": n, "yes": q["yes"], "no": q["no"], "field": self[f"q{n}"], "shown": n in path}
            for n, q in enumerate(self.script, start=1)
        ]

    def script_done(self) -> bool:
        """The last question shown is answered: the script leads to the needs."""
        path, given = self.path(), self._given()
        return not path or given.get(str(path[-1])) in ("yes", "no")


def _branch_help(question: dict[str, Any]) -> str:
    def where(target: int) -> str:
        return str(_("question %(n)s") % {"n": target}) if target else str(_("the needs"))

    return str(
        _("Yes: go to %(yes)s. No: go to %(no)s.") % {"yes": where(question["yes"]), "no": where(question["no"])}
    )


class CircleForm(VisibleTitlesMixin, forms.ModelForm):
    residents = forms.CharField(
        label=_("Residents, in the order they call"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One reference a line (R-…), 3 to 12. The first calls the second, and so on; the last calls the key holder."
        ),
    )
    key_holder = UserChoice(label=_("Key holder"), queryset=User.objects.none())

    class Meta:
        model = TelephoneCircle
        fields = ["name", "key_holder", "confirm_by", "escalate_after_minutes"]
        widgets = {"confirm_by": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args: Any, network: CareNetwork, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["key_holder"].queryset = _members(network)

    def clean_residents(self) -> list[Resident]:
        references = [line.strip().upper() for line in self.cleaned_data["residents"].splitlines() if line.strip()]
        found = {
            r.reference: r
            for r in Resident.objects.filter(network=self.network, reference__in=references, erased_at__isnull=True)
        }
        unknown = [ref for ref in references if ref not in found]
        if unknown:
            raise ValidationError(
                _("Not residents of this care network: %(references)s") % {"references": ", ".join(unknown[:10])}
            )
        if len(set(references)) != len(references):
            raise ValidationError(_("A resident is in the list twice."))
        return [found[ref] for ref in references]
