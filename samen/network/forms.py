from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from samen.agenda.images import image_clean
from samen.core.forms import DrawnChoices, LongSelect
from samen.core.local_copies import LocalCopies
from samen.core.text import VisibleTitlesMixin
from samen.network import table_versions
from samen.network.models import Area, Member, Membership, Organisation, PartnerProposal, User
from samen.network.services import area_validate


class SignupForm(VisibleTitlesMixin, forms.Form):
    """The extra fields of allauth's sign-up form; allauth copies them onto the user."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request: Any, user: User) -> None:
        pass  # allauth's adapter already stored first and last name


class NameForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class ProfileForm(forms.ModelForm):
    availability = forms.MultipleChoiceField(
        label=_("When I can help"),
        choices=Member.Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Used to suggest volunteer roles that fit you. Organisers of activities may see your first name and "
            "invite you to a role by email; you can opt out under “Activities that need you”."
        ),
    )

    class Meta:
        model = Member
        fields = [
            "neighbourhood",
            "interests",
            "skills",
            "availability",
            "bio",
            "show_publicly",
            "show_neighbourhood_publicly",
        ]
        widgets = {
            "interests": forms.CheckboxSelectMultiple,
            "skills": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name")
        self.fields["neighbourhood"].empty_label = _("(not said)")


class MembershipForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "role_title"]
        widgets = {"organisation": LongSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a row to another organisation would carry its editor right and confirmation along.
            self.fields["organisation"].disabled = True

    def save(self, commit: bool = True) -> Membership:
        # A new or changed role is the member's word until the organisation confirms it again.
        if self.changed_data:
            self.instance.is_confirmed = False
        return super().save(commit=commit)


# Every organisation as a choice, per version of the organisations' table: the same for every member,
# so a process reads and draws the 5,000 of X50000 once after a change, not on every profile page.
_ORGANISATION_CHOICES = LocalCopies(size=4, seconds=600)


def organisation_choices() -> DrawnChoices:
    table = Organisation._meta.db_table
    version = table_versions.versions_key([table])
    return _ORGANISATION_CHOICES.get_or_build(
        f"samen:organisation-choices:{version}",
        lambda: DrawnChoices([("", "---------"), *Organisation.objects.values_list("pk", "name")]),
    )


class BaseMembershipFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The organisation choices of every row from one list, not one query per row. A saved row
        # cannot move to another organisation (its field is disabled): it lists only its own, so the
        # page does not draw every organisation once per role (5,000 options a row at X50000).
        choices = organisation_choices()
        names = dict(choices.choices) if any(form.instance.pk for form in self.forms) else {}
        for form in self.forms:
            own = form.instance.organisation_id if form.instance.pk else None
            form.fields["organisation"].choices = [(own, names.get(own, ""))] if own else choices


MembershipFormSet = inlineformset_factory(
    Member, Membership, form=MembershipForm, formset=BaseMembershipFormSet, extra=1, can_delete=True, max_num=10
)


class OrganisationRulesMixin(VisibleTitlesMixin, forms.ModelForm):
    """Shared by the site and the admin: a website is https by default; a logo is an image of at
    most SAMEN_MAX_IMAGE_BYTES, with a text alternative."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > settings.SAMEN_MAX_IMAGE_BYTES:
            raise forms.ValidationError(
                _("The logo is %(size)s; it may be at most %(max)s.")
                % {"size": filesizeformat(logo.size), "max": filesizeformat(settings.SAMEN_MAX_IMAGE_BYTES)}
            )
        if isinstance(logo, UploadedFile):
            # Stored as challenge faces are: the real format checked, scaled down, without EXIF or GPS.
            return image_clean(logo)
        return logo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("logo") and not data.get("logo_alt"):
            self.add_error("logo_alt", _("Describe the logo for people who cannot see it."))
        return data


class OrganisationForm(OrganisationRulesMixin, forms.ModelForm):
    """What a partner editor keeps up to date on the site; the backbone also sets name, sector and role."""

    backbone_fields = ["name", "sector", "role", "joined_on"]

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "role",
            "joined_on",
            "description_nl",
            "description_en",
            "website",
            "logo",
            "logo_alt",
            "action_domains",
        ]
        widgets = {
            "action_domains": forms.CheckboxSelectMultiple,
            "joined_on": forms.DateInput(attrs={"type": "date"}),
            "description_nl": forms.Textarea(attrs={"rows": 5, "lang": "nl"}),
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
        }
        labels = {"description_nl": _("Description (Dutch)"), "description_en": _("Description (English)")}

    def __init__(self, *args: Any, can_curate: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_curate:
            for name in self.backbone_fields:
                del self.fields[name]


class OrganisationAdminForm(OrganisationRulesMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = "__all__"  # noqa: DJ007 (the admin shows every field of an organisation)


class AreaAdminForm(VisibleTitlesMixin, forms.ModelForm):
    class Meta:
        model = Area
        fields = "__all__"  # noqa: DJ007 (path is not editable, so it is not among them)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        area = Area(
            pk=self.instance.pk, code=data.get("code") or "", kind=data.get("kind") or "", parent=data.get("parent")
        )
        area_validate(area=area)
        return data


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label=_("I understand that my account and profile are deleted for good."))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class JoinInvitationForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"))
    message = forms.CharField(
        label=_("A short personal message"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 500 characters; it is sent with the invitation."),
    )


class PartnerProposalForm(VisibleTitlesMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = PartnerProposal
        fields = ["name", "sector", "website", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Why not"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
