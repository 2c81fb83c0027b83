"""Mutually reinforcing activities: what each partner does, toward which goal, where."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Campaigns, events and registrations live in the events package; they are models of this app.
from samen.activities.events.models import Campaign, Event, Registration  # noqa: F401
from samen.agenda.models import ActionDomain, Challenge, Goal
from samen.measurement.models import Indicator
from samen.network.models import Area, Member, Organisation, Skill


class Activity(models.Model):
    """A project or action of a lead organisation and its partners ("my action contributes to …")."""

    # Volunteer places of a page's rows, set by `selectors.with_places` (not columns).
    places_total: int
    places_taken: int
    places_open: int

    class Status(models.TextChoices):
        IDEA = "idea", _("idea")
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for lists and cards."))
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, verbose_name=_("lead organisation"), on_delete=models.PROTECT, related_name="led_activities"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="partner_activities"
    )
    website = models.URLField(_("website"), blank=True)
    action_domains = models.ManyToManyField(ActionDomain, verbose_name=_("action domains"), related_name="activities")
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="activities")
    challenges = models.ManyToManyField(Challenge, verbose_name=_("challenges"), blank=True, related_name="activities")
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="activities")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    societal_impact = models.TextField(
        _("societal impact"), blank=True, help_text=_("In a few sentences: who is better off, and how, thanks to this.")
    )
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("indicators it moves"),
        blank=True,
        related_name="activities",
        help_text=_("Population indicators of the shared measurement this activity helps to turn."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title"]
        indexes = [models.Index(fields=["is_published", "status", "title"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity", kwargs={"slug": self.slug})


class PerformanceMeasure(models.Model):
    """A performance indicator of the shared measurement, read as one of the three RBA questions."""

    class Question(models.TextChoices):
        HOW_MUCH = "how-much", _("How much did we do?")
        HOW_WELL = "how-well", _("How well did we do it?")
        BETTER_OFF = "better-off", _("Is anyone better off?")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="performance_measures")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("performance indicator"), on_delete=models.PROTECT, related_name="performance_of"
    )
    question = models.CharField(_("question it answers"), max_length=12, choices=Question.choices)

    class Meta:
        verbose_name = _("performance measure")
        verbose_name_plural = _("performance measures")
        ordering = ["activity", "question", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["activity", "indicator"], name="unique_performance_measure")]

    def __str__(self) -> str:
        return f"{self.activity}: {self.indicator.code}"


class Role(models.Model):
    """A volunteer role an activity needs: what skill, how many people, how much time, when."""

    # Set by `selectors.roles_with_places` (not columns): places open, and the member's own sign-up.
    open: int
    mine: bool

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("role"), max_length=150)
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), null=True, blank=True, on_delete=models.SET_NULL, related_name="roles"
    )
    places = models.PositiveSmallIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    time_asked = models.CharField(_("time asked"), max_length=120, help_text=_("For example: two hours a week."))
    availability = models.CharField(
        _("when"),
        max_length=20,
        choices=Member.Availability.choices,
        blank=True,
        help_text=_("Leave empty if any time suits."),
    )

    class Meta:
        verbose_name = _("volunteer role")
        verbose_name_plural = _("volunteer roles")
        ordering = ["activity", "title"]

    def __str__(self) -> str:
        return self.title


class RoleSignup(models.Model):
    """A member who signed up for a role."""

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="role_signups")
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up for a role")
        verbose_name_plural = _("sign-ups for roles")
        ordering = ["role", "created_at"]
        constraints = [models.UniqueConstraint(fields=["role", "member"], name="unique_role_signup")]

    def __str__(self) -> str:
        return f"{self.member} — {self.role}"


class Resource(models.Model):
    """Something other than people an activity needs: a room, a van, money, materials."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="resources")
    description = models.CharField(_("what is needed"), max_length=200)
    is_met = models.BooleanField(_("found"), default=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["activity", "is_met", "description"]

    def __str__(self) -> str:
        return self.description


class RoleInvitation(models.Model):
    """An organiser asked a member by email to take a role: kept for rate limits and the record."""

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="role_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to a role")
        verbose_name_plural = _("invitations to roles")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["role", "member"], name="unique_role_invitation")]
        indexes = [models.Index(fields=["invited_by", "created_at"]), models.Index(fields=["member", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member} — {self.role}"


class InvitationOptOut(models.Model):
    """A member who does not want organisers to invite them to roles."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="invitation_opt_out")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("no invitations, please")
        verbose_name_plural = _("no invitations, please")

    def __str__(self) -> str:
        return str(self.member)
