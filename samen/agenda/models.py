from django.conf import settings
from django.core.exceptions import ValidationError
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


class ImageKind(models.TextChoices):
    PHOTO = "photo", _("photo, used with consent")
    ILLUSTRATION = "illustration", _("illustration")


class FocalPoint(models.TextChoices):
    # Each maps to a CSS class (focus-<value>) that sets object-position: no inline styles under the CSP.
    CENTER = "center", _("centre")
    TOP = "top", _("top")
    BOTTOM = "bottom", _("bottom")
    LEFT = "left", _("left")
    RIGHT = "right", _("right")


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
    # The face: a photo used with recorded consent, or an illustration; never without a text alternative.
    image = models.ImageField(
        _("image"),
        upload_to="challenges/",
        blank=True,
        help_text=_("JPEG, PNG or WebP; location data is removed when it is saved."),
    )
    image_kind = models.CharField(_("kind of image"), max_length=16, choices=ImageKind.choices, blank=True)
    image_alt = models.CharField(
        _("text alternative"), max_length=250, blank=True, help_text=_("What the image shows, for screen readers.")
    )
    focal_point = models.CharField(
        _("focal point"),
        max_length=16,
        choices=FocalPoint.choices,
        default=FocalPoint.CENTER,
        help_text=_("The part of the image kept in view when a small screen crops it."),
    )
    consent_by = models.CharField(
        _("consent given by"), max_length=200, blank=True, help_text=_("Who agreed that the photo may be used.")
    )
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_("Photographer or illustrator."))

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["status", "order"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:challenge", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        errors = face_errors(self)
        if errors:
            raise ValidationError(errors)


def face_errors(challenge: Challenge) -> dict[str, str]:
    """What is missing for a face to be shown: a text alternative, and consent for a photo."""
    errors: dict[str, str] = {}
    if not challenge.image:
        return errors
    if not challenge.image_kind:
        errors["image_kind"] = _("Say whether the image is a photo or an illustration.")
    for lang in ("nl", "en"):
        if not (getattr(challenge, f"image_alt_{lang}", None) or "").strip():
            errors[f"image_alt_{lang}"] = _("Describe the image for people who cannot see it.")
    if challenge.image_kind == ImageKind.PHOTO:
        if not challenge.consent_by.strip():
            errors["consent_by"] = _("A photo of a person needs their consent: say who gave it.")
        if challenge.consent_on is None:
            errors["consent_on"] = _("Say on which date the consent was given.")
    return errors


class Proposal(models.Model):
    """A member's proposal, Decidim-style: a new challenge, or an idea for an existing one."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("a new challenge")
        IDEA = "idea", _("an idea for a challenge")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted into the agenda")
        MERGED = "merged", _("merged with another")
        NOT_NOW = "not-now", _("not now")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.IDEA)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.CASCADE,
        related_name="proposals",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("your proposal"), max_length=4000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    # Empty once the author deleted their account and the proposal stayed ("a former member").
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["is_hidden", "status", "created_at"]),
            models.Index(fields=["challenge", "is_hidden", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="idea") | models.Q(challenge__isnull=False), name="proposal_idea_has_challenge"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:proposal", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Support(models.Model):
    """One member backs a proposal; once."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="unique_support_per_member")]

    def __str__(self) -> str:
        return f"{self.member} → {self.proposal}"


class Comment(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposal_comments",
    )
    body = models.TextField(_("comment"), max_length=2000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["proposal", "is_hidden", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class Report(models.Model):
    """A member flags a proposal or a comment for the backbone to look at."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposal__isnull=False, comment__isnull=True)
                | models.Q(proposal__isnull=True, comment__isnull=False),
                name="report_about_one_thing",
            ),
            # One report per member and thing: a second one would only add noise and audit entries.
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=models.Q(proposal__isnull=False),
                name="one_report_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"], condition=models.Q(comment__isnull=False), name="one_report_per_comment"
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class Story(models.Model):
    """A short story of a person helped, told by a member or partner and published by the backbone."""

    class Privacy(models.TextChoices):
        CONSENT = "consent", _("the person agreed to be named")
        ANONYMISED = "anonymised", _("anonymised: nobody can be recognised")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for the backbone")
        PUBLISHED = "published", _("published")
        DECLINED = "declined", _("not published")

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("story"), max_length=3000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    privacy = models.CharField(_("privacy"), max_length=16, choices=Privacy.choices)
    consent_by = models.CharField(_("consent given by"), max_length=200, blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("told by"), on_delete=models.CASCADE, related_name="stories"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["challenge", "status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(privacy="anonymised")
                | (~models.Q(consent_by="") & models.Q(consent_on__isnull=False)),
                name="story_consent_recorded",
            )
        ]

    def __str__(self) -> str:
        return self.title
