"""Call campaigns ("Belgezel") and telephone circles, on top of the care app's residents.

A campaign's pool holds one entry per resident; callers reserve batches of entries, record an
attempt per call, and a rule table the coordinator edits says what each outcome does next. No
model here copies a name, address or phone number: the entry points at care's `Resident`
(encrypted there) and keeps in clear only what the pool is sorted and counted by (year of birth,
area). Every `str()` is a reference or a number, never a name."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samen.care.models import CareNetwork, Resident, Signal
from samen.core.crypto import EncryptedTextField
from samen.network.models import Area

# The short needs checklist of the issue; reached-with-a-need turns the checked ones into a care signal.
NEEDS = [
    ("shopping", _("shopping")),
    ("medication", _("medication")),
    ("loneliness", _("loneliness")),
    ("transport", _("transport")),
    ("money", _("money")),
    ("someone-to-talk-to", _("someone to talk to")),
]
NEED_CODES = [code for code, _label in NEEDS]
# Age bands the caller and the dashboard see (never a date of birth).
AGE_BANDS = [("-64", _("under 65")), ("65-74", _("65–74")), ("75-84", _("75–84")), ("85+", _("85 and over"))]


def age_band(birth_year: int | None, today: datetime.date) -> str:
    if birth_year is None:
        return ""
    age = today.year - birth_year
    if age < 65:
        return "-64"
    if age < 75:
        return "65-74"
    if age < 85:
        return "75-84"
    return "85+"


class CallCampaign(models.Model):
    """Calling a population of a care network's residents, oldest first or per neighbourhood."""

    class Population(models.TextChoices):
        FILTER = "filter", _("residents of the care network, filtered")
        LIST = "list", _("a list imported for this campaign")

    class Order(models.TextChoices):
        OLDEST = "oldest", _("oldest first")
        NEIGHBOURHOOD = "neighbourhood", _("per neighbourhood, oldest first within each")

    network = models.ForeignKey(
        CareNetwork, verbose_name=_("care network"), on_delete=models.PROTECT, related_name="call_campaigns"
    )
    name = models.CharField(_("name"), max_length=150)
    population = models.CharField(_("population"), max_length=8, choices=Population.choices, default=Population.FILTER)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("neighbourhoods"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: the whole area of the care network."),
    )
    lives_alone_only = models.BooleanField(_("only residents who live alone"), default=False)
    order = models.CharField(_("order"), max_length=16, choices=Order.choices, default=Order.OLDEST)
    calls_from = models.TimeField(_("calls from"), default=datetime.time(10, 0))
    calls_until = models.TimeField(_("calls until"), default=datetime.time(17, 0))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # [{"text": "...", "yes": 2, "no": 0}, ...]: question numbers from 1; 0 goes to the needs checklist.
    script = models.JSONField(_("script"), default=list, blank=True)
    callers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("callers"), blank=True, related_name="call_campaigns"
    )
    batch_size = models.PositiveSmallIntegerField(_("people per batch"), default=10)
    hold_minutes = models.PositiveSmallIntegerField(
        _("hold time (minutes)"),
        default=60,
        help_text=_("A batch nobody works on for this long goes back to the pool."),
    )
    pool_built_at = models.DateTimeField(_("pool built at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("call campaign")
        verbose_name_plural = _("call campaigns")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("calls:campaign", kwargs={"pk": self.pk})


class CallRule(models.Model):
    """One row of the rule table: what an outcome does next. The coordinator changes them."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached, no need")
        NEED = "need", _("reached, with a need")
        NO_ANSWER = "no-answer", _("no answer")
        BUSY = "busy", _("busy")
        WRONG_NUMBER = "wrong-number", _("wrong number")
        DO_NOT_CALL = "do-not-call", _("does not want to be called")
        CALL_BACK = "call-back", _("call back at a time asked")

    class Action(models.TextChoices):
        DONE = "done", _("done")
        SIGNAL = "signal", _("done, and a signal to the care network with the needs")
        RETRY = "retry", _("back in the pool after some hours")
        DATA_QUALITY = "data-quality", _("to the data-quality list")
        NEVER = "never", _("never call again")
        CALL_BACK = "call-back", _("the same caller, at the time asked")

    class Then(models.TextChoices):
        LETTER = "letter", _("send a letter")
        VISIT = "visit", _("a home visit")

    campaign = models.ForeignKey(
        CallCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="rules"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    action = models.CharField(_("then"), max_length=16, choices=Action.choices)
    retry_hours = models.PositiveSmallIntegerField(_("back after (hours)"), default=4)
    max_attempts = models.PositiveSmallIntegerField(_("at most attempts"), default=3)
    after_last = models.CharField(_("after the last attempt"), max_length=8, choices=Then.choices, default=Then.LETTER)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [models.UniqueConstraint(fields=["campaign", "outcome"], name="calls_one_rule_per_outcome")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.outcome} → {self.action}"


class CallBatch(models.Model):
    """A caller's reservation of a few people; what is not worked on within the hold goes back."""

    campaign = models.ForeignKey(
        CallCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="batches"
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("caller"), on_delete=models.CASCADE, related_name="+"
    )
    reserved_at = models.DateTimeField(_("reserved at"))
    hold_until = models.DateTimeField(_("held until"), db_index=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        indexes = [models.Index(fields=["campaign", "caller", "released_at"], name="calls_batch_mine")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CallEntry(models.Model):
    """One resident in a campaign's pool: where they stand, and when they may be called next."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RESERVED = "reserved", _("reserved")
        DONE = "done", _("done")
        FOLLOW_UP = "follow-up", _("letter or visit to do")
        DATA_QUALITY = "data-quality", _("number to check")
        NEVER = "never", _("not to be called")
        CLOSED = "closed", _("closed")

    campaign = models.ForeignKey(
        CallCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="entries"
    )
    # Emptied when the campaign is anonymised after the retention period (the counts stay).
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied in clear from the resident for sorting and counting (the resident's own clear fields).
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position in the order"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    available_at = models.DateTimeField(_("may be called from"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    batch = models.ForeignKey(
        CallBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    # A call back asked for: only this caller gets the entry, from `available_at` on.
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kept for caller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_outcome = models.CharField(_("last outcome"), max_length=16, choices=CallRule.Outcome.choices, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=8, choices=CallRule.Then.choices, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done at"), null=True, blank=True)
    needs = models.JSONField(_("needs found"), default=list, blank=True)
    signal = models.ForeignKey(
        Signal, verbose_name=_("signal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        constraints = [models.UniqueConstraint(fields=["campaign", "resident"], name="calls_once_per_campaign")]
        indexes = [
            # "The next batch": waiting entries in order; the expiry job: reserved entries per batch.
            models.Index(fields=["campaign", "status", "position"], name="calls_entry_next"),
            models.Index(fields=["campaign", "status", "available_at"], name="calls_entry_due"),
            models.Index(fields=["campaign", "area", "birth_year"], name="calls_entry_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.position}"

    @property
    def person(self) -> Resident:
        """The resident; an anonymised entry has none, and is never called nor listed."""
        if self.resident is None:
            raise PermissionDenied
        return self.resident


class CallAttempt(models.Model):
    """One call: who, when, the outcome, the script's answers, the needs, and whether to debrief."""

    entry = models.ForeignKey(CallEntry, verbose_name=_("pool entry"), on_delete=models.CASCADE, related_name="calls")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("caller"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallRule.Outcome.choices)
    answers = models.JSONField(_("answers to the script"), default=dict, blank=True)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    debrief = models.BooleanField(_("debrief with the coordinator"), default=False)
    debriefed_at = models.DateTimeField(_("debriefed at"), null=True, blank=True)
    signal = models.ForeignKey(
        Signal, verbose_name=_("signal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["debrief", "debriefed_at"], name="calls_attempt_debrief")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.outcome}"


class DoNotCall(models.Model):
    """ "Does not want to be called": kept per network by a keyed digest of the number, so a
    re-imported list (new resident rows, the same phone) stays excluded without storing the number."""

    network = models.ForeignKey(CareNetwork, verbose_name=_("care network"), on_delete=models.CASCADE, related_name="+")
    phone_digest = models.CharField(_("digest of the number"), max_length=64)
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("do-not-call entry")
        verbose_name_plural = _("do-not-call list")
        constraints = [models.UniqueConstraint(fields=["network", "phone_digest"], name="calls_dnc_once")]

    def __str__(self) -> str:
        return self.phone_digest[:8]


class ImportedResident(models.Model):
    """A resident who came into care with a campaign's imported list. Kept past the campaign's own
    anonymisation: whenever a campaign is anonymised, those whom care no longer knows for any
    reason (services.imported_residents_erase) are erased, and their row goes."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey(CareNetwork, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("resident from an imported list")
        verbose_name_plural = _("residents from imported lists")

    def __str__(self) -> str:
        return f"{self.resident_id}"


class TelephoneCircle(models.Model):
    """Residents who call each other in turn every day; the last one confirms to the key holder."""

    network = models.ForeignKey(CareNetwork, verbose_name=_("care network"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Name it after a street or a place, never after a person: mails carry it."),
    )
    key_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("key holder"), on_delete=models.PROTECT, related_name="+"
    )
    confirm_by = models.TimeField(_("confirmed by"), default=datetime.time(10, 30))
    escalate_after_minutes = models.PositiveSmallIntegerField(_("then to the coordinator after (minutes)"), default=60)
    members = models.ManyToManyField(Resident, through="CircleMember", related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("telephone circle")
        verbose_name_plural = _("telephone circles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("calls:circle", kwargs={"pk": self.pk})


class CircleMember(models.Model):
    circle = models.ForeignKey(TelephoneCircle, on_delete=models.CASCADE, related_name="places")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("turn"))

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["circle", "resident"], name="calls_once_per_circle")]

    def __str__(self) -> str:
        return f"{self.circle_id}/{self.position}"


class CircleDay(models.Model):
    """A day of a circle: confirmed or not, and who was alerted when (so the job never repeats)."""

    circle = models.ForeignKey(TelephoneCircle, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_holder_alerted_at = models.DateTimeField(_("key holder alerted at"), null=True, blank=True)
    coordinator_alerted_at = models.DateTimeField(_("coordinator alerted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("circle day")
        verbose_name_plural = _("circle days")
        constraints = [models.UniqueConstraint(fields=["circle", "day"], name="calls_one_day_per_circle")]

    def __str__(self) -> str:
        return f"{self.circle_id} {self.day}"
