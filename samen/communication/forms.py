from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.agenda.images import image_clean
from samen.communication.models import (
    ActionItem,
    Channel,
    Decision,
    FollowKind,
    Frequency,
    Meeting,
    NewsItem,
    Newsletter,
    Topic,
    WorkingGroup,
    follow_public,
)
from samen.communication.selectors import DEFAULTS, NEWS_TAG_KINDS, NEWS_TAGS
from samen.core.text import VisibleTitlesMixin
from samen.network.models import Member


class NewsForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = [
            "organisation",
            "title_nl",
            "summary_nl",
            "body_nl",
            "title_en",
            "summary_en",
            "body_en",
            "image",
            "image_alt",
            "publish_at",
            *NEWS_TAGS,
        ]
        widgets = {
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            **dict.fromkeys(("action_domains", "goals", "campaigns"), forms.CheckboxSelectMultiple),
        }
        help_texts = {"body_nl": _("Paragraphs, bold, italics, lists and links are kept; anything else is removed.")}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name, kind in NEWS_TAG_KINDS.items():  # only what the public may see can be tagged
            self.fields[name].queryset = follow_public(kind)
        for name in ("challenges", "activities", "areas"):
            self.fields[name].widget.attrs["size"] = 6

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            return image_clean(image)
        return image

    def tags(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in NEWS_TAGS}


class PreferencesForm(forms.Form):
    """The grid: one choice per topic and channel, plus quiet time, mail language and newsletter consent."""

    language = forms.ChoiceField(label=_("Language of my mail"), choices=[("nl", "Nederlands"), ("en", "English")])
    quiet_from = forms.TimeField(label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_until = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    newsletter_consent = forms.BooleanField(label=_("I want to receive the newsletter"), required=False)

    def __init__(self, *args: Any, grid: dict[tuple[str, str], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cells: list[tuple[str, list[forms.BoundField]]] = []
        for topic, topic_label in Topic.choices:
            row = []
            for channel, channel_label in Channel.choices:
                name = f"{topic}__{channel}"
                choices = (
                    Frequency.choices
                    if channel == Channel.EMAIL
                    else [
                        (Frequency.IMMEDIATELY, _("on")),
                        (Frequency.OFF, _("off")),
                    ]
                )
                self.fields[name] = forms.ChoiceField(
                    label=f"{topic_label}: {channel_label}", choices=choices, initial=grid[(topic, channel)]
                )
                row.append(self[name])
            self.cells.append((str(topic_label), row))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
            raise forms.ValidationError(_("Give both ends of the quiet time, or neither."))
        return data

    def grid(self) -> dict[tuple[str, str], str]:
        return {key: self.cleaned_data[f"{key[0]}__{key[1]}"] for key in DEFAULTS}


class NewsletterForm(VisibleTitlesMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("editor", _("partner editors")), ("backbone", _("backbone coordinators")), ("member", _("members"))],
    )
    circles = forms.MultipleChoiceField(
        label=_("circles"), required=False, widget=forms.CheckboxSelectMultiple, choices=Member.Circle.choices
    )

    class Meta:
        model = Newsletter
        fields = [
            "subject_nl",
            "body_nl",
            "subject_en",
            "body_en",
            "sectors",
            "roles",
            "circles",
            "areas",
            "action_domains",
            "campaigns",
        ]
        widgets = dict.fromkeys(("sectors", "action_domains", "campaigns"), forms.CheckboxSelectMultiple)


# --- Meetings ----------------------------------------------------------------------------------


class WorkingGroupForm(VisibleTitlesMixin, forms.ModelForm):
    """The backbone's form for a group; the checks that need the database are in meetings.group_save."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("member organisations"),
        queryset=None,  # type: ignore[arg-type]
        required=False,  # an empty choice is refused by group_save, with a message that names it
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorkingGroup
        fields = ["name_nl", "name_en", "description_nl", "description_en", "action_domain", "convener"]
        labels = {
            "name_nl": _("name (Dutch)"),
            "name_en": _("name (English)"),
            "description_nl": _("description (Dutch)"),
            "description_en": _("description (English)"),
        }
        help_texts = {"name_en": _("Empty: the Dutch name is shown in English too.")}
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("description_nl", "description_en")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from samen.network.models import Organisation

        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["convener"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["name_nl"].required = False  # group_save names a missing Dutch name with the other errors
        if self.instance.pk:
            self.fields["organisations"].initial = list(self.instance.organisations.values_list("pk", flat=True))


RICH_TEXT_HELP = _("Paragraphs, bold, italics, lists and links are kept; anything else is removed.")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class MeetingForm(VisibleTitlesMixin, forms.ModelForm):
    invite = forms.BooleanField(
        label=_("Invite the people of the group's organisations now"), required=False, initial=True
    )
    video_url = forms.URLField(
        label=_("video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Only the group and the backbone see this link."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "video_url", "agenda"]
        widgets = {"starts_at": MOMENT, "ends_at": MOMENT, "agenda": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"agenda": RICH_TEXT_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = MOMENT_FORMATS
        if self.instance.pk:
            del self.fields["invite"]  # invitations for a scheduled meeting: the button on its page


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes", "minutes_public"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "minutes": RICH_TEXT_HELP,
            "minutes_public": _(
                "Public minutes, decisions and action items are on the site and in the API for anyone."
            ),
        }


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


def group_people(group: WorkingGroup, organisation_ids: Any = None) -> Any:
    """People of the group's organisations (confirmed or editor): who can own an action item."""
    from samen.network.models import User
    from samen.network.selectors import standing_memberships

    orgs = organisation_ids if organisation_ids is not None else group.organisations.values("pk")
    standing = standing_memberships().filter(organisation__in=orgs).values("member__user_id")
    return User.objects.filter(pk__in=standing, is_active=True).order_by("first_name", "last_name", "pk")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Never the e-mail address: the convener's editor may be of another organisation than this person.
        return obj.get_full_name() or _("someone without a name (%(number)s)") % {"number": obj.pk}


class ActionItemForm(forms.ModelForm):
    owner = PersonChoiceField(label=_("owner"), queryset=None, required=False)  # type: ignore[arg-type]
    done = forms.BooleanField(label=_("done"), required=False)

    class Meta:
        model = ActionItem
        fields = ["text", "owner_organisation", "owner", "due_on", "goals", "activities"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "goals": forms.CheckboxSelectMultiple,
            "activities": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args: Any, group: WorkingGroup, shared: dict[str, Any], **kwargs: Any) -> None:
        """`shared` is one dict for all rows of the formset: the choices are read once, not once per row."""
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from samen.agenda.models import Goal
        from samen.network.models import User

        self.group = group
        # The group's people, and whoever owns one of its items already (set in the admin, or who left since).
        owners = ActionItem.objects.filter(meeting__group=group, owner__isnull=False).values("owner_id")
        querysets = {
            "owner_organisation": group.organisations.order_by("name"),
            "owner": User.objects.filter(Q(pk__in=group_people(group).values("pk")) | Q(pk__in=owners)).order_by(
                "first_name", "last_name", "pk"
            ),
            "goals": Goal.objects.select_related("domain").order_by("domain__order", "order", "pk"),
            "activities": follow_public(FollowKind.ACTIVITY).order_by("title"),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            field.queryset = queryset  # type: ignore[attr-defined]
            if name not in shared:
                shared[name] = list(field.choices)
            field.choices = shared[name]  # type: ignore[attr-defined]
        self.fields["due_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]  # type: ignore[attr-defined]
        self.fields["done"].initial = bool(self.instance.done_at)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, organisation = data.get("owner"), data.get("owner_organisation")
        if (
            owner is not None
            and organisation is not None
            and not group_people(self.group, [organisation.pk]).filter(pk=owner.pk).exists()
        ):
            self.add_error("owner", _("This person does not work for the owner organisation."))
        # Not a field of the model form: the moment it was done is kept, or set now, or cleared.
        if not data.get("done"):
            self.instance.done_at = None
        elif self.instance.done_at is None:
            from django.utils import timezone

            self.instance.done_at = timezone.now()
        return data


DecisionFormSet = forms.inlineformset_factory(
    Meeting, Decision, form=DecisionForm, extra=1, can_delete=True, max_num=50
)
ActionItemFormSet = forms.inlineformset_factory(
    Meeting, ActionItem, form=ActionItemForm, extra=1, can_delete=True, max_num=50
)


class AttendanceForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that came"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, group: WorkingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = group.organisations.order_by("name")  # type: ignore[attr-defined]
