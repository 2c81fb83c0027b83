from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.agenda.images import image_clean
from samen.communication.models import Channel, Frequency, NewsItem, Newsletter, Topic, follow_public
from samen.communication.services import DEFAULTS, NEWS_TAG_KINDS, NEWS_TAGS
from samen.network.models import Member


class NewsForm(forms.ModelForm):
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


class NewsletterForm(forms.ModelForm):
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
