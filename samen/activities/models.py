"""Mutually reinforcing activities: what each partner does, toward which goal, where."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samen.agenda.models import ActionDomain, Challenge, Goal
from samen.network.models import Area, Organisation


class Activity(models.Model):
    """A project or action of a lead organisation and its partners ("my action contributes to …")."""

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


from samen.activities.events_models import Campaign, Event, Registration  # noqa: E402,F401  (campaigns and events)
