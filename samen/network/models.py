from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samen.agenda.models import ActionDomain


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in, by email address; their profile in the network is `Member`."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Sector(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    if TYPE_CHECKING:  # per language, made by django-modeltranslation (translation.py)
        description_nl: str
        description_en: str

    class Role(models.TextChoices):
        INITIATOR = "initiator", _("initiator")
        BACKBONE = "backbone", _("backbone organisation")
        PARTNER = "partner", _("partner")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="organisations")
    role = models.CharField(_("role in the initiative"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    joined_on = models.DateField(_("joined on"))
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    logo_alt = models.CharField(
        _("logo text alternative"), max_length=150, blank=True, help_text=_("What the logo shows, for screen readers.")
    )
    action_domains = models.ManyToManyField(
        ActionDomain, verbose_name=_("action domains"), related_name="organisations", blank=True
    )
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["role", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation", kwargs={"slug": self.slug})


class Area(models.Model):
    """A place in the tree city › district (deelgemeente) › neighbourhood (wijk)."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Codes from the root down, "/"-joined and ending in "/": descendants are a prefix match.
    path = models.CharField(_("path"), max_length=500, editable=False, db_index=True)
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class AreaPopulation(models.Model):
    """Residents of an area in one age band on a reference date."""

    class AgeBand(models.TextChoices):
        CHILDREN = "0-17", _("0–17 years")
        ADULTS = "18-64", _("18–64 years")
        SENIORS = "65-79", _("65–79 years")
        ELDERLY = "80+", _("80 years and over")

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="population")
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    reference_date = models.DateField(_("reference date"))
    count = models.PositiveIntegerField(_("residents"))

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["area", "reference_date", "age_band"]
        constraints = [
            models.UniqueConstraint(fields=["area", "age_band", "reference_date"], name="unique_area_population")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.age_band} {self.reference_date}: {self.count}"


class Skill(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person's profile in the network: where they live, what they care about and can do."""

    class Circle(models.TextChoices):
        # The initiative grows in circles: X3 initiators, the X50 design team, then everyone brought in.
        INITIATORS = "initiators", _("initiators")
        DESIGN_TEAM = "design-team", _("design team")
        NETWORK = "network", _("network")

    class Availability(models.TextChoices):
        WEEKDAY_DAYTIME = "weekday-daytime", _("weekdays, daytime")
        WEEKDAY_EVENING = "weekday-evening", _("weekday evenings")
        WEEKEND = "weekend", _("weekends")

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="member")
    neighbourhood = models.ForeignKey(
        Area, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    interests = models.ManyToManyField(ActionDomain, verbose_name=_("interests"), blank=True, related_name="members")
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="members")
    bio = models.TextField(_("about me"), blank=True, max_length=1000)
    show_publicly = models.BooleanField(
        _(
            "show my name to others: with my roles on my organisations' pages, on the network map, with my ideas and comments"
        ),
        default=False,
    )
    show_neighbourhood_publicly = models.BooleanField(_("show my neighbourhood with my name"), default=False)
    joined_on = models.DateField(_("joined on"))
    circle = models.CharField(_("circle"), max_length=16, choices=Circle.choices, default=Circle.NETWORK)
    brought_by = models.ForeignKey(
        "self",
        verbose_name=_("brought by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brought",
        help_text=_("The member who invited this person (everyone brings someone)."),
    )
    availability = models.JSONField(
        _("available"), default=list, blank=True, help_text=_("When this person can help: codes of Availability.")
    )
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["user__first_name", "user__last_name"]
        indexes = [models.Index(fields=["joined_on"]), models.Index(fields=["circle", "joined_on"])]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def short_name(self) -> str:
        """How a link, a mail or an organiser's page names this person: the first name only, never the
        email (a link is passed on)."""
        return self.user.first_name.strip() or gettext("a member")

    def clean(self) -> None:
        if self.brought_by_id is not None and brought_by_cycle(self.pk, self.brought_by_id):
            raise ValidationError(
                {
                    "brought_by": _(
                        "%(bringer)s was brought in by this member (directly or through others): that would be a circle."
                    )
                    % {"bringer": self.brought_by}
                }
            )


class Membership(models.Model):
    """A member's role at an organisation. Editors may edit the organisation (with the role)."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role_title = models.CharField(_("role there"), max_length=100, blank=True)
    is_editor = models.BooleanField(
        _("may edit this organisation"), default=False, help_text=_("Set by the backbone, not by the member.")
    )
    # A member says where they work; the organisation (or the backbone) confirms it before it is public.
    is_confirmed = models.BooleanField(
        _("confirmed by the organisation"), default=False, help_text=_("Only confirmed roles are shown publicly.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["member", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.member} — {self.organisation}"


def brought_by_cycle(member_pk: int | None, brought_by_pk: int | None) -> bool:
    """Whether making `brought_by_pk` the bringer of `member_pk` would close a circle."""
    if member_pk is None or brought_by_pk is None:
        return False
    seen: set[int] = set()
    current: int | None = brought_by_pk
    # Walk up the chain of bringers: chains are short (tens of steps), one query per step.
    while current is not None and current not in seen:
        if current == member_pk:
            return True
        seen.add(current)
        current = Member.objects.filter(pk=current).values_list("brought_by_id", flat=True).first()
    return False


class JoinInvitation(models.Model):
    """An invitation to join: a member's personal link, an email, or an organisation inviting its staff."""

    class Kind(models.TextChoices):
        LINK = "link", _("personal link")
        EMAIL = "email", _("email")
        STAFF = "staff", _("staff of an organisation")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    inviter = models.ForeignKey(
        Member, verbose_name=_("invited by"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"), blank=True)
    message = models.TextField(_("personal message"), blank=True, max_length=500)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    # Part of the signed token: a new nonce withdraws every link made before.
    nonce = models.CharField(_("nonce"), max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        Member, verbose_name=_("used by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uses = models.PositiveIntegerField(_("people who joined through it"), default=0)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["inviter", "created_at"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.email or self.inviter}"

    @property
    def single_use(self) -> bool:
        return self.kind != self.Kind.LINK


class PartnerProposal(models.Model):
    """A member proposes a partner organisation; the backbone accepts (creating it) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the backbone")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    proposed_by = models.ForeignKey(
        Member, verbose_name=_("proposed by"), on_delete=models.CASCADE, related_name="partner_proposals"
    )
    name = models.CharField(_("name of the organisation"), max_length=150)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    website = models.URLField(_("website"), blank=True)
    reason = models.TextField(
        _("why this partner"), max_length=1000, help_text=_("What the organisation would bring to the network.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=1000)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("partner proposal")
        verbose_name_plural = _("partner proposals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.name


class DataVersion(models.Model):
    """A number raised by every change the cached network map and growth figures depend on.

    Kept in the database, not the cache: the default cache is per process, and every process
    must see a change at once."""

    name = models.SlugField(_("name"), primary_key=True)
    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.number}"
