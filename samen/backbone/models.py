"""The backbone: funding and runway, results and accountability, the health check, the report card."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samen.agenda.models import ActionDomain, Goal
from samen.measurement.models import Indicator
from samen.network.models import Organisation

MONEY = {"max_digits": 12, "decimal_places": 2}


class Funder(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    funder = models.ForeignKey(Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="grants")
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    start = models.DateField(_("start of the period"))
    end = models.DateField(_("end of the period"))
    restrictions = models.TextField(_("restrictions"), blank=True, help_text=_("What the money may be spent on."))
    domain = models.ForeignKey(
        ActionDomain,
        verbose_name=_("action domain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for money that serves the whole initiative."),
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="grant_period_in_order",
                violation_error_message=_("The period ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.title}"


class GrantShare(models.Model):
    """The part of a grant a partner receives. Only the backbone sees these amounts."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="grant_shares"
    )
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["grant", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["grant", "organisation"], name="unique_grant_share")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount}"


class GrantPayment(models.Model):
    """A payment the funder promised; until it is received it counts as committed money still to come."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["grant", "due_on"]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount}"


class ReportingDue(models.Model):
    """A report the funder expects by a date; the backbone is reminded before it."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports_due")
    due_on = models.DateField(_("due on"))
    what = models.CharField(_("what to report"), max_length=200)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, editable=False)
    # Set by the run that is mailing the reminder, so a second run leaves it alone; cleared when the
    # mail is sent (then reminded_on is set) or failed (then the next run tries again).
    reminder_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reporting due date")
        verbose_name_plural = _("reporting due dates")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.grant}: {self.what} ({self.due_on})"


class CashPosition(models.Model):
    """The bank balance on a day; the latest one is the cash in the runway."""

    on = models.DateField(_("on"), unique=True)
    amount = models.DecimalField(_("cash"), **MONEY)

    class Meta:
        verbose_name = _("cash position")
        verbose_name_plural = _("cash positions")
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on}: {self.amount}"


class Expense(models.Model):
    """What was spent in a month, on what, and from which grant."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.CharField(_("spent on"), max_length=200)
    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), null=True, blank=True, on_delete=models.SET_NULL, related_name="expenses"
    )
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-month", "description"]
        indexes = [models.Index(fields=["month"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="expense_not_negative")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.description}: {self.amount}"

    def clean(self) -> None:
        # Spending is counted per month: a date typed in the admin is the month it falls in.
        if self.month is not None:
            self.month = self.month.replace(day=1)


# --- Results and accountability -------------------------------------------------------------------


class Result(models.Model):
    """What partners promised to deliver for a goal; sub-results add up to their parent by weight."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        DELAYED = "delayed", _("delayed")
        DONE = "done", _("done")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="results")
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_published": True},
        help_text=_("If set, progress is how far the indicator is from its baseline to its target."),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["goal", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="result_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A result outside the tree (its own part, a cycle, a part of another goal) would vanish
        # from every page with its sub-results.
        if self.parent_id is None:
            return
        if self.parent.goal_id != self.goal_id:
            raise ValidationError({"parent": _("A result is part of a result of the same goal.")})
        seen, at = {self.pk}, self.parent
        while at is not None:
            if at.pk in seen:
                raise ValidationError({"parent": _("A result cannot be part of itself.")})
            seen.add(at.pk)
            at = at.parent


class ResultUpdate(models.Model):
    """One dated entry of a result's timeline; every status change is kept here."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Result.Status.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("result update")
        verbose_name_plural = _("result updates")
        ordering = ["result", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.status}"


# --- Health check of the collaboration ------------------------------------------------------------


class Instrument(models.Model):
    """A survey as data: sections of items on a 1–5 agreement scale, in Dutch and English."""

    slug = models.SlugField(_("slug"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)

    class Meta:
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class Section(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField(_("slug"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "slug"], name="unique_section_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "nl").startswith("en") else self.title_nl


class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    text_nl = models.CharField(_("statement (Dutch)"), max_length=300)
    text_en = models.CharField(_("statement (English)"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "nl").startswith("en") else self.text_nl


class SurveyRound(models.Model):
    """One round of the health check among partners and members, or among one organisation's people."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=150)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("private to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for a round among everyone in the network."),
    )

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_open",
                violation_error_message=_("A round closes after it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        return self.closes_at <= (now or timezone.now())

    def clean(self) -> None:
        if self.pk is None:
            return
        stored = SurveyRound.objects.filter(pk=self.pk).values("opens_at", "closes_at", "instrument_id").first()
        if stored is None:
            return
        closed = stored["closes_at"] <= timezone.now()
        moved = (stored["opens_at"], stored["closes_at"]) != (self.opens_at, self.closes_at)
        if closed and (moved or stored["instrument_id"] != self.instrument_id):
            raise ValidationError(_("A closed round cannot be re-opened or changed."))


class Participation(models.Model):
    """Who answered a round, and in which group. Deliberately nothing else: no time, no link to answers."""

    class Group(models.TextChoices):
        PARTNER = "partner", _("partner organisations")
        MEMBER = "member", _("members")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=8, choices=Group.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="one_answer_per_person")]


class Tally(models.Model):
    """How many people of a group gave an item a score. Answers are only ever counts: no row per
    person exists, so no row order, id or time can tie an answer to the Participation rows."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="tallies")
    # Counted answers keep their statement: removing it would change the scores of closed rounds.
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=8, choices=Participation.Group.choices)
    score = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "item", "group", "score"], name="unique_tally_cell"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="tally_score_1_to_5"),
        ]


# --- The annual report card -----------------------------------------------------------------------


class PublishedReport(models.Model):
    """A report card as it was published: its page, its PDF and its figures, never changed after."""

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    html = models.TextField()
    pdf = models.BinaryField()
    figures = models.JSONField(default=dict)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    generation_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("published report card")
        verbose_name_plural = _("published report cards")
        ordering = ["-year", "language"]
        constraints = [models.UniqueConstraint(fields=["year", "language"], name="one_report_per_year_language")]

    def __str__(self) -> str:
        return f"{self.year} ({self.language})"
