"""Care networks: residents, signals, consent, cases and referrals (GDPR art. 9 data).

Every model's `str()` is its pseudonymous reference, never a name: audit entries, logs and admin
screens that print an object print only that. Names, dates of birth, addresses, phone numbers
and free text about a person are encrypted at rest (`samen.core.crypto`)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.crypto import EncryptedDateField, EncryptedTextField
from samen.network.models import Area, Organisation

# The confidentiality pledge a new network asks; the backbone raises a network's version to ask everyone again.
PLEDGE_VERSION = "2026-1"
# No vowels or look-alikes: a reference never spells a word and reads well over the phone.
REFERENCE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789"


def new_reference(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def resident_reference() -> str:
    return new_reference("R")


def signal_reference() -> str:
    return new_reference("S")


def case_reference() -> str:
    return new_reference("C")


class CareNetwork(models.Model):
    """A neighbourhood or district network around vulnerable residents, set up by the backbone."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="care_networks")
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="care_networks"
    )
    pledge_version = models.CharField(
        _("pledge version"),
        max_length=20,
        default=PLEDGE_VERSION,
        help_text=_("A new version asks every member to accept the confidentiality pledge again."),
    )
    takes_other_areas = models.BooleanField(
        _("takes worries from areas without a network"),
        default=False,
        help_text=_(
            "Worries from the public form about an area where no care network works come here "
            "(e.g. the network of the city's social service). One network at most."
        ),
    )
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("care network")
        verbose_name_plural = _("care networks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["takes_other_areas"],
                condition=models.Q(takes_other_areas=True),
                name="care_one_network_takes_other_areas",
                violation_error_message=_("Another care network already takes worries from areas without a network."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:network", kwargs={"slug": self.slug})


class NetworkMember(models.Model):
    """A person with the care role in a network; sees nothing before the dated pledge."""

    network = models.ForeignKey(
        CareNetwork, verbose_name=_("care network"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="care_memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("acts for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_members",
    )
    is_coordinator = models.BooleanField(_("network coordinator"), default=False)
    pledged_at = models.DateTimeField(_("confidentiality pledge accepted at"), null=True, blank=True)
    pledge_version = models.CharField(_("pledge version"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="care_one_membership_per_network")]

    def __str__(self) -> str:
        return f"{self.network} · {self.user_id}"


class WatchAgreement(models.Model):
    """A local business that keeps an eye out: who, since when, what for, whom they call."""

    class Kind(models.TextChoices):
        PHARMACY = "pharmacy", _("pharmacy")
        POST = "post", _("post")
        UTILITY = "utility", _("utility")
        DELIVERY = "delivery", _("supermarket delivery")
        OTHER = "other", _("other")

    network = models.ForeignKey(
        CareNetwork, verbose_name=_("care network"), on_delete=models.CASCADE, related_name="agreements"
    )
    business = models.CharField(_("business"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    since = models.DateField(_("since"))
    watches_for = models.CharField(_("watches for"), max_length=300)
    calls = models.CharField(_("calls"), max_length=200, help_text=_("The organisation or service they call."))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("watch-over agreement")
        verbose_name_plural = _("watch-over agreements")
        ordering = ["business"]

    def __str__(self) -> str:
        return self.business


class Resident(models.Model):
    """A person cared for: not an account. Only the reference, area and counts are stored in clear."""

    class Language(models.TextChoices):
        NL = "nl", _("Dutch")
        EN = "en", _("English")
        FR = "fr", _("French")
        DE = "de", _("German")
        TR = "tr", _("Turkish")
        IT = "it", _("Italian")
        AR = "ar", _("Arabic")
        OTHER = "other", _("another language")

    reference = models.CharField(_("reference"), max_length=12, unique=True, default=resident_reference, editable=False)
    network = models.ForeignKey(
        CareNetwork, verbose_name=_("care network"), on_delete=models.PROTECT, related_name="residents"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="care_residents")
    name = EncryptedTextField(_("name"))
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # In clear for the figures (share of residents over 80): a year says far less than a date.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    nearby_1 = EncryptedTextField(_("first nearby phone number"), blank=True)
    nearby_2 = EncryptedTextField(_("second nearby phone number"), blank=True)
    nearby_3 = EncryptedTextField(_("third nearby phone number"), blank=True)
    # In clear for the figures ("three numbers nearby"): how many, never which.
    nearby_count = models.PositiveSmallIntegerField(_("nearby numbers"), default=0, editable=False)
    language = models.CharField(_("preferred language"), max_length=5, choices=Language.choices, default=Language.NL)
    notes = EncryptedTextField(_("notes"), blank=True)
    activities = models.ManyToManyField(
        "activities.Activity", verbose_name=_("linked activities"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("care:resident", kwargs={"reference": self.reference})

    @property
    def nearby_numbers(self) -> list[str]:
        return [n for n in (self.nearby_1, self.nearby_2, self.nearby_3) if n]


CARE_PERSONAL_FIELDS = ("name", "birth_date", "address", "phone", "nearby_1", "nearby_2", "nearby_3", "notes")


class SurveyRound(models.Model):
    """A round of questions to residents, like the 2015 survey of people over 84."""

    network = models.ForeignKey(
        CareNetwork, verbose_name=_("care network"), on_delete=models.CASCADE, related_name="surveys"
    )
    name = models.CharField(_("name"), max_length=150)
    held_on = models.DateField(_("held on"))
    flagged_at = models.DateTimeField(_("flags turned into signals at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


class SurveyAnswer(models.Model):
    class Visits(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("at least once a week")
        LESS = "less", _("less than once a week")
        NEVER = "never", _("never")

    survey = models.ForeignKey(
        SurveyRound, verbose_name=_("survey round"), on_delete=models.CASCADE, related_name="answers"
    )
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="answers")
    visits = models.CharField(_("visits"), max_length=8, choices=Visits.choices)
    can_call_someone = models.BooleanField(_("can call someone in an emergency"))
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["survey", "resident"], name="care_one_answer_per_round")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.resident_id}"


class Signal(models.Model):
    """Someone noticed something: the minimum to follow up, no health details."""

    class Source(models.TextChoices):
        MEMBER = "member", _("a network member")
        PUBLIC = "public", _("the public form")
        SURVEY = "survey", _("a survey round")

    class Urgency(models.TextChoices):
        LOW = "low", _("can wait a few days")
        NORMAL = "normal", _("this week")
        URGENT = "urgent", _("today")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ASSIGNED = "assigned", _("assigned")
        CLOSED = "closed", _("followed up")
        DISMISSED = "dismissed", _("dismissed")

    OBSERVATIONS = [
        ("mail", _("mail is piling up")),
        ("not-seen", _("not seen for days")),
        ("lonely", _("says they are lonely")),
        ("no-one", _("has no one to call")),
        ("fell", _("fell")),
        ("confused", _("seems confused")),
        ("neglected", _("the house looks neglected")),
        ("other", _("something else")),
    ]
    SURVEY_FLAGS = [
        ("visited-less-than-weekly", _("visited less than once a week")),
        ("never-visited", _("never visited")),
        ("nobody-to-call", _("nobody to call")),
        ("fewer-than-three-numbers", _("fewer than three nearby numbers")),
    ]

    reference = models.CharField(_("reference"), max_length=12, unique=True, default=signal_reference, editable=False)
    # Empty for a worry from an area where no network works (and none takes such worries): the
    # backbone hands it over to a network (`care:worries`), so no worry is dropped.
    network = models.ForeignKey(
        CareNetwork,
        verbose_name=_("care network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals",
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    # The neighbourhood only, in clear: "signals per neighbourhood" and the mail that names no one.
    area = models.ForeignKey(Area, verbose_name=_("neighbourhood"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about = EncryptedTextField(_("who or which address"), blank=True)
    observations = models.JSONField(_("observations"), default=list)
    details = EncryptedTextField(_("what else"), blank=True)
    reporter_contact = EncryptedTextField(_("how to reach the reporter"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("care:signal", kwargs={"reference": self.reference})

    def observation_labels(self) -> list[str]:
        labels = dict(self.OBSERVATIONS + self.SURVEY_FLAGS)
        return [str(labels.get(code, code)) for code in self.observations]


class Consent(models.Model):
    """Consent as its own record, or a vital-interest override that the coordinator reviews."""

    class Scope(models.TextChoices):
        CONTACT = "contact", _("contact")
        SHARING = "sharing", _("sharing with an organisation")
        REFERRAL = "referral", _("referral")

    class How(models.TextChoices):
        SPOKEN = "spoken", _("spoken")
        SIGNED = "signed", _("signed")
        REPRESENTATIVE = "representative", _("by a representative")
        VITAL_INTEREST = "vital", _("no consent: vital interest")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="consents"
    )
    scope = models.CharField(_("what it covers"), max_length=10, choices=Scope.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("shared with"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField(_("how it was given"), max_length=16, choices=How.choices)
    reason = EncryptedTextField(_("reason (vital interest)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.resident} {self.scope}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def expires_at(self) -> datetime.datetime | None:
        """A vital-interest override counts for SAMEN_CARE_OVERRIDE_DAYS; consent given lasts until withdrawn."""
        if self.how != self.How.VITAL_INTEREST:
            return None
        return self.given_at + datetime.timedelta(days=settings.SAMEN_CARE_OVERRIDE_DAYS)

    def has_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def expired(self) -> bool:  # for templates
        return self.has_expired()

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None and not self.has_expired()


class Case(models.Model):
    """A signal taken up: an owner organisation and person follow it up to an outcome."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        VOLUNTEER = "volunteer", _("linked to a volunteer")
        ACTIVITY = "activity", _("linked to an activity")
        SERVICE = "service", _("referred to a service")
        DECLINED = "declined", _("declined help")
        MOVED = "moved", _("moved")
        DIED = "died", _("died")

    reference = models.CharField(_("reference"), max_length=12, unique=True, default=case_reference, editable=False)
    network = models.ForeignKey(
        CareNetwork, verbose_name=_("care network"), on_delete=models.PROTECT, related_name="cases"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    signal = models.OneToOneField(
        Signal, verbose_name=_("signal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="case"
    )
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="care_cases"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="care_cases",
    )
    shared_with = models.ManyToManyField(Organisation, verbose_name=_("shared with"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("note on the outcome"), blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("care:case", kwargs={"reference": self.reference})


class Referral(models.Model):
    """A request from one organisation to another, with the closed-loop states of FHIR's Task."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        IN_PROGRESS = "in-progress", _("in progress")
        ON_HOLD = "on-hold", _("on hold")
        COMPLETED = "completed", _("completed")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        ENTERED_IN_ERROR = "entered-in-error", _("entered in error")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="care_referrals"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"))
    acknowledge_by = models.DateField(_("acknowledge by"))
    outcome_by = models.DateField(_("outcome by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # 0: on time or done; 1: told the network coordinator; 2: told the backbone.
    escalation = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation_id}"


class ReferralChange(models.Model):
    referral = models.ForeignKey(Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("referral change")
        verbose_name_plural = _("referral changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


class GlassBreak(models.Model):
    """Someone outside the case opened it for a stated reason, for a limited time; reviewed afterwards."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(_("opened at"))
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review"), blank=True)

    class Meta:
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.case} · {self.user_id}"
