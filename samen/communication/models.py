"""Continuous communication: news, follows, notifications, digests, newsletters and working groups."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.activities.events.models import Campaign
from samen.activities.models import Activity
from samen.agenda.models import ActionDomain, Challenge, Goal
from samen.network.models import Area, Organisation


class NewsItem(models.Model):
    """A news item in Dutch, English or both; a draft until it has a publication moment."""

    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_items",
        help_text=_("Empty for news of the backbone."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_nl = models.CharField(_("summary (Dutch)"), max_length=400, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    body_nl = models.TextField(_("text (Dutch)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(
        _("text alternative"), max_length=250, blank=True, help_text=_("What the image shows, for screen readers.")
    )
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Empty: a draft. In the future: scheduled.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True, editable=False)
    action_domains = models.ManyToManyField(
        ActionDomain, verbose_name=_("action domains"), blank=True, related_name="+"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="+")
    challenges = models.ManyToManyField(Challenge, verbose_name=_("challenges"), blank=True, related_name="+")
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), blank=True, related_name="+")
    campaigns = models.ManyToManyField(Campaign, verbose_name=_("campaigns"), blank=True, related_name="+")
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title_nl or self.title_en or self.slug

    def get_absolute_url(self) -> str:
        return reverse("communication:news_item", kwargs={"slug": self.slug})

    @property
    def status(self) -> str:
        if self.published_at:
            return "published"
        return "scheduled" if self.publish_at else "draft"

    def in_language(self, language: str) -> dict[str, str]:
        """Title, summary and body in `language`, or in the other language when this one is empty."""
        other = "en" if language == "nl" else "nl"
        chosen = language if getattr(self, f"title_{language}") or getattr(self, f"body_{language}") else other
        return {
            "language": chosen,
            "title": getattr(self, f"title_{chosen}"),
            "summary": getattr(self, f"summary_{chosen}"),
            "body": getattr(self, f"body_{chosen}"),
        }


class FollowKind(models.TextChoices):
    DOMAIN = "domain", _("action domain")
    GOAL = "goal", _("goal")
    CHALLENGE = "challenge", _("challenge")
    ACTIVITY = "activity", _("activity")
    ORGANISATION = "organisation", _("organisation")
    AREA = "area", _("neighbourhood")
    CAMPAIGN = "campaign", _("campaign")


# The model behind each kind of follow (a kind and an id, not a generic relation: seven known targets).
FOLLOW_MODELS: dict[str, type[models.Model]] = {
    FollowKind.DOMAIN: ActionDomain,
    FollowKind.GOAL: Goal,
    FollowKind.CHALLENGE: Challenge,
    FollowKind.ACTIVITY: Activity,
    FollowKind.ORGANISATION: Organisation,
    FollowKind.AREA: Area,
    FollowKind.CAMPAIGN: Campaign,
}

# What of each kind the public may see (and so follow, tag or be told about): an unpublished activity or campaign
# and a draft challenge are not there yet. The other kinds have no draft state.
FOLLOW_PUBLIC: dict[str, models.Q] = {
    FollowKind.ACTIVITY: models.Q(is_published=True),
    FollowKind.CHALLENGE: models.Q(status="published"),
    FollowKind.CAMPAIGN: models.Q(is_published=True),
}


def follow_public(kind: str) -> models.QuerySet:
    """The rows of a kind anyone may see: what can be followed, tagged in news and named in a label."""
    return FOLLOW_MODELS[kind]._default_manager.filter(FOLLOW_PUBLIC.get(kind, models.Q()))


class Follow(models.Model):
    """A person follows one thing of the platform and hears about what happens there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(_("kind"), max_length=16, choices=FollowKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_id"], name="unique_follow")]
        indexes = [models.Index(fields=["kind", "object_id"])]


class Topic(models.TextChoices):
    """Kinds of notification; each has its own row in the preference grid."""

    NEWS = "news", _("news")
    EVENTS = "events", _("new events and activities")
    PROGRESS = "progress", _("indicator status changes")
    PROPOSALS = "proposals", _("answers to my proposals")
    ROLES = "roles", _("roles that need me")
    NETWORK = "network", _("people I brought who joined")
    WORK = "work", _("work waiting for me")
    MEETINGS = "meetings", _("meetings and action items")


class Channel(models.TextChoices):
    SITE = "site", _("on the site")
    EMAIL = "email", _("by email")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    OFF = "off", _("off")


class Profile(models.Model):
    """A person's communication settings: language, quiet time and newsletter consent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="communication")
    language = models.CharField(_("language of my mail"), max_length=2, choices=settings.LANGUAGES, default="nl")
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    newsletter_consent = models.BooleanField(_("I want to receive the newsletter"), default=False)
    newsletter_consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    defaults_applied = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("communication settings")
        verbose_name_plural = _("communication settings")

    def is_quiet(self, moment: datetime.datetime) -> bool:
        if self.quiet_from is None or self.quiet_until is None:
            return False
        now = timezone.localtime(moment).time()
        if self.quiet_from <= self.quiet_until:
            return self.quiet_from <= now < self.quiet_until
        return now >= self.quiet_from or now < self.quiet_until  # across midnight


class Preference(models.Model):
    """One cell of the grid: how often a topic reaches a person through a channel."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    frequency = models.CharField(_("how often"), max_length=12, choices=Frequency.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic", "channel"], name="unique_preference")]


class Notification(models.Model):
    """Something that happened, for one person, written in their language when it happened."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # What the person follows that brought this (for grouping in digests); empty for work and personal news.
    via = models.CharField(_("because I follow"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # What an announcement is about ("event:12"): a person hears of one thing once, whichever of their follows
    # matched and however often it was announced (published, taken into a campaign, its activity made public).
    # Empty for work and personal messages, which may come again.
    key = models.CharField(_("about"), max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="unique_notification_per_subject"
            )
        ]

    def __str__(self) -> str:
        return self.text


class DigestKind(models.TextChoices):
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")


class Digest(models.Model):
    """A digest that was sent; its window is stored, and the next one starts where this one ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=DigestKind.choices)
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    items = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "window_end"], name="unique_digest_window")]
        indexes = [models.Index(fields=["kind", "user", "window_end"])]


class DigestRun(models.Model):
    """The last boundary the digest job finished for a kind, so a run between boundaries does nothing."""

    kind = models.CharField(max_length=8, choices=DigestKind.choices, primary_key=True)
    until = models.DateTimeField()


# --- Newsletters -----------------------------------------------------------------------------


class Newsletter(models.Model):
    """A newsletter of the backbone to a segment of the members who consented."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_nl = models.TextField(_("text (Dutch)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    # The segment: each filter narrows it; empty filters leave everyone who consented.
    sectors = models.ManyToManyField("network.Sector", verbose_name=_("sectors"), blank=True, related_name="+")
    roles = models.JSONField(_("roles"), default=list, blank=True)
    circles = models.JSONField(_("circles"), default=list, blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("neighbourhoods"), blank=True, related_name="+")
    action_domains = models.ManyToManyField(
        ActionDomain, verbose_name=_("action domains"), blank=True, related_name="+"
    )
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("participants of campaigns"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject_nl


class Delivery(models.Model):
    """One newsletter to one person: queued, sent, or failed with the reason."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("being sent")  # claimed by a batch (never mailed twice)
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")  # consent withdrawn or account closed before the batch ran

    # Reasons Samen writes are codes, shown in the reader's language; a mail server's error is kept as it came.
    REASON_NO_CONSENT = "no consent"
    REASON_UNKNOWN = "stopped while mailing"
    REASONS = {
        REASON_NO_CONSENT: _("consent withdrawn or account closed before it was mailed"),
        REASON_UNKNOWN: _("the worker stopped while mailing: not known whether it left, so not sent again"),
    }

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    # Which run of a batch claimed it (while being sent): the rows of one claim are mailed in id order and recorded
    # every RECORD_EVERY mails, so a dead worker's claim tells which few may have left and which were never tried.
    claim = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["newsletter", "user"], name="unique_delivery")]
        indexes = [models.Index(fields=["newsletter", "status"])]

    @property
    def reason_text(self) -> str:
        return str(self.REASONS.get(self.reason, self.reason))


# --- Working groups and meetings -------------------------------------------------------------


class WorkingGroup(models.Model):
    """Partners who meet per action domain (or across them); its name and description in Dutch and English."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the group works on, in a few lines.")
    )
    action_domain = models.ForeignKey(
        ActionDomain,
        verbose_name=_("action domain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for a group across the domains."),
    )
    organisations = models.ManyToManyField(Organisation, verbose_name=_("member organisations"), related_name="+")
    convener = models.ForeignKey(
        Organisation,
        verbose_name=_("convening organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its editors schedule the group's meetings and keep the minutes, beside the backbone."),
    )
    # An archived group keeps its pages, minutes and action items as a record, and holds no new meetings.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communication:group", kwargs={"slug": self.slug})


class Meeting(models.Model):
    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: two hours after the start."))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_public = models.BooleanField(_("minutes are public"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communication:meeting", kwargs={"pk": self.pk})

    @property
    def ends(self) -> datetime.datetime:
        return self.ends_at or self.starts_at + datetime.timedelta(hours=2)


class MeetingAttendance(models.Model):
    """A person registered for a meeting for their organisation; `attended` once the meeting took place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_attendance")]


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def overdue(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True, due_on__lt=timezone.localdate())


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner organisation"), on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="+")
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), blank=True, related_name="+")

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return self.text


class IndicatorStatus(models.Model):
    """The public status of an indicator when it was last looked at, to notice a change."""

    indicator = models.OneToOneField("measurement.Indicator", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    changed_at = models.DateTimeField(default=timezone.now)
