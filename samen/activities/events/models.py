"""Campaigns that bundle partners' events, the events themselves, and who registered for them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.network.models import Member, Organisation


class Campaign(models.Model):
    """A period in which the backbone bundles and strengthens partners' events (e.g. Week van de Veerkracht)."""

    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, help_text=_("The campaign's message in one line."))
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["is_published", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:campaign", kwargs={"slug": self.slug})

    @property
    def is_over(self) -> bool:
        return self.ends_on < timezone.localdate()


class Event(models.Model):
    """A dated gathering organised by one organisation, part of an activity and/or proposed to a campaign."""

    class CampaignStatus(models.TextChoices):
        NONE = "", _("not part of a campaign")
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    slug = models.SlugField(_("slug"), unique=True, max_length=140)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="events"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    campaign_status = models.CharField(
        _("place in the campaign"), max_length=16, choices=CampaignStatus.choices, default="", blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place_name = models.CharField(_("place"), max_length=200, help_text=_("For example: Japanese garden."))
    address = models.CharField(_("address"), max_length=300)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, accessible toilets, hearing loop, parking, public transport …"),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty when there is no limit."),
    )
    price = models.DecimalField(
        _("price (euro)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 means free."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    is_published = models.BooleanField(_("published"), default=True)
    # People who came without registering, counted at the door.
    walk_ins = models.PositiveIntegerField(_("walk-ins"), default=0)
    walk_in_residents = models.PositiveIntegerField(_("walk-ins who live here"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["is_published", "starts_at"]),
            models.Index(fields=["campaign", "campaign_status", "starts_at"]),
            models.Index(fields=["organisation", "starts_at"]),
            models.Index(fields=["activity", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(walk_in_residents__lte=models.F("walk_ins")), name="event_walk_in_residents_le_total"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"slug": self.slug})

    @property
    def is_free(self) -> bool:
        return not self.price

    @property
    def is_over(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def attended(self) -> int:
        """Checked-in registrations plus walk-ins; uses the `checked_in` count of the selectors."""
        return getattr(self, "checked_in", 0) + self.walk_ins

    @property
    def places_left(self) -> int | None:
        """Free places, or None without a limit; uses the `registered` count of the selectors when there."""
        if self.capacity is None:
            return None
        registered = getattr(self, "registered", None)
        if registered is None:
            registered = self.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return max(self.capacity - registered, 0)

    @property
    def in_campaign(self) -> bool:
        return self.campaign_id is not None and self.campaign_status == self.CampaignStatus.ACCEPTED


class Registration(models.Model):
    """One person's place at an event: a member in one click, a visitor after confirming their address."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for email confirmation")
        CONFIRMED = "confirmed", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITING)

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    is_resident = models.BooleanField(_("lives here"), default=False)
    language = models.CharField(_("language"), max_length=8, default="nl")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    # Short, unambiguous code said or shown at the door; unique within the event.
    code = models.CharField(_("registration code"), max_length=12)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # When the person got a place or joined the waiting list: the waiting list moves up in this order.
    queued_at = models.DateTimeField(_("in line since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # When a visitor was last sent the link to confirm their address (it is sent again, not too often).
    link_sent_at = models.DateTimeField(_("link sent at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="unique_registration_code"),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(status__in=["pending", "confirmed", "waiting"]),
                name="one_active_registration_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"
