from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Initiative(models.Model):
    """The collective impact initiative this installation serves; there is one."""

    name = models.CharField(_("name"), max_length=120)
    baseline = models.CharField(_("baseline"), max_length=200, help_text=_("The initiative's motto in one line."))
    vision = models.TextField(_("vision"))
    region = models.CharField(_("region"), max_length=120)
    start_date = models.DateField(_("start date"))
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Shows a banner on every page saying the data is fictional.")
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A step of the network ambition, e.g. 500 members by a date (X50 → X5000)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    members = models.PositiveIntegerField(_("members"))
    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=120)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["initiative", "members"], name="unique_milestone_members")]

    def __str__(self) -> str:
        return self.label


class ActionDomain(models.Model):
    """One of the domains the partners chose to work on together."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    on_record = models.BooleanField(
        _("on the public record"), default=True, help_text=_("Off for demo domains that are made up.")
    )

    class Meta:
        verbose_name = _("action domain")
        verbose_name_plural = _("action domains")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agenda:domain", kwargs={"slug": self.slug})


class Goal(models.Model):
    """A goal of an action domain, with a measurable target statement and a deadline."""

    domain = models.ForeignKey(
        ActionDomain, verbose_name=_("action domain"), on_delete=models.CASCADE, related_name="goals"
    )
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    target = models.TextField(_("target"), help_text=_("What will be true, for whom, by the deadline."))
    deadline = models.DateField(_("deadline"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order", "deadline"]

    def __str__(self) -> str:
        return self.title


class Challenge(models.Model):
    """A challenge of the common agenda told in plain language, so statistics become people."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for lists and cards."))
    story = models.TextField(_("story"), help_text=_("The challenge in plain language: who it is about and why."))
    domain = models.ForeignKey(
        ActionDomain, verbose_name=_("action domain"), on_delete=models.PROTECT, related_name="challenges"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="challenges")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["status", "order"])]

    def __str__(self) -> str:
        return self.title
