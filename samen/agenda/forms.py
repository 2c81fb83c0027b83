from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.agenda.images import image_clean
from samen.agenda.models import Challenge, Proposal, Story
from samen.core.text import VisibleTitlesMixin


class ChallengeForm(VisibleTitlesMixin, forms.ModelForm):
    """The backbone's challenge form (in the admin): a face is a checked image, stored without EXIF."""

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "title",
            "summary",
            "story",
            "domain",
            "goals",
            "status",
            "order",
            "image",
            "image_kind",
            "image_alt",
            "focal_point",
            "credit",
            "consent_by",
            "consent_on",
        ]
        widgets = {"consent_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "image" in self.fields:
            self.fields["image"].error_messages["invalid_image"] = _(
                "This file is not an image that can be read. Upload a JPEG, PNG or WebP picture."
            )

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            return image_clean(image)
        return image


class ChallengeSiteForm(ChallengeForm):
    """The same rules on the site, with both languages side by side."""

    class Meta(ChallengeForm.Meta):
        fields = [
            "title_nl",
            "title_en",
            "slug",
            "summary_nl",
            "summary_en",
            "story_nl",
            "story_en",
            "domain",
            "goals",
            "status",
            "order",
            "image",
            "image_kind",
            "image_alt_nl",
            "image_alt_en",
            "focal_point",
            "credit",
            "consent_by",
            "consent_on",
        ]
        widgets = {
            **ChallengeForm.Meta.widgets,
            "goals": forms.CheckboxSelectMultiple,
            "story_nl": forms.Textarea(attrs={"rows": 8, "lang": "nl"}),
            "story_en": forms.Textarea(attrs={"rows": 8, "lang": "en"}),
            "summary_nl": forms.TextInput(attrs={"lang": "nl"}),
            "summary_en": forms.TextInput(attrs={"lang": "en"}),
            "title_nl": forms.TextInput(attrs={"lang": "nl"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "image_alt_nl": forms.TextInput(attrs={"lang": "nl"}),
            "image_alt_en": forms.TextInput(attrs={"lang": "en"}),
        }
        labels = {
            "title_nl": _("Title (Dutch)"),
            "title_en": _("Title (English)"),
            "summary_nl": _("Summary (Dutch)"),
            "summary_en": _("Summary (English)"),
            "story_nl": _("Story (Dutch)"),
            "story_en": _("Story (English)"),
            "image_alt_nl": _("Text alternative (Dutch)"),
            "image_alt_en": _("Text alternative (English)"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title_nl", "title_en", "summary_nl", "summary_en", "story_nl", "story_en"):
            self.fields[name].required = True


class ProposalForm(VisibleTitlesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What do you propose?"), choices=Proposal.Kind.choices, widget=forms.RadioSelect)
    challenge = forms.ModelChoiceField(
        label=_("Challenge"),
        queryset=Challenge.objects.none(),
        required=False,
        help_text=_("For an idea: the challenge it helps with."),
    )
    title = forms.CharField(label=_("Title"), max_length=150, help_text=_("One line that says what you propose."))
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Who is it for, what would change, and who could help? Plain text; HTML is removed."),
    )

    def __init__(self, *args: Any, challenges: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges if challenges is not None else Challenge.objects.none()
        self.fields["challenge"].empty_label = _("(choose a challenge)")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Proposal.Kind.IDEA and not data.get("challenge"):
            self.add_error("challenge", _("Choose the challenge your idea is for."))
        return data


class ProposalEditForm(VisibleTitlesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(label=_("Your proposal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 7}))


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text; HTML is removed."),
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(s.value, s.label) for s in Proposal.Status if s != Proposal.Status.OPEN],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public, and sent to the proposer by email."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=300,
        help_text=_("For example: insulting, personal data of someone else, advertising."),
    )


class StoryForm(VisibleTitlesMixin, forms.Form):
    challenge = forms.ModelChoiceField(label=_("Challenge"), queryset=Challenge.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("The story"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("A short story of a person who was helped. Plain text; HTML is removed."),
    )
    privacy = forms.ChoiceField(
        label=_("Privacy of the person in the story"), choices=Story.Privacy.choices, widget=forms.RadioSelect
    )
    consent_by = forms.CharField(
        label=_("Consent given by"),
        max_length=200,
        required=False,
        help_text=_("Only with consent: the name of the person (or their representative) who agreed."),
    )
    consent_on = forms.DateField(
        label=_("Consent given on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, challenges: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges if challenges is not None else Challenge.objects.none()
        self.fields["challenge"].empty_label = _("(choose a challenge)")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("privacy") == Story.Privacy.CONSENT:
            if not (data.get("consent_by") or "").strip():
                self.add_error("consent_by", _("Say who gave consent, or choose to anonymise the story."))
            if not data.get("consent_on") and "consent_on" not in self.errors:
                self.add_error("consent_on", _("Say on which date the consent was given."))
        return data
