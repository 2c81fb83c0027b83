"""Shared measurement: indicators that all partners feed, their values by period, area and dimension."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.agenda.models import Challenge, Goal
from samen.network.models import Area, AreaPopulation, Organisation


class Dimension(models.Model):
    """A way to break a figure down besides area, e.g. age band or sex."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DimensionValue(models.Model):
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="values"
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension value")
        verbose_name_plural = _("dimension values")
        ordering = ["dimension", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["dimension", "slug"], name="unique_dimension_value")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.name}"


class Indicator(models.Model):
    if TYPE_CHECKING:  # per language, made by django-modeltranslation (translation.py)
        definition_nl: str
        definition_en: str

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        PERCENTAGE = "percentage", _("percentage")
        RATE = "rate_per_1000", _("rate per 1,000")
        EURO = "euro", _("euro")
        SCORE = "score", _("score")
        DAYS = "days", _("days")

    class Kind(models.TextChoices):
        VALUE = "value", _("a plain value")
        RATIO = "ratio", _("a ratio of numerator over denominator")

    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    class Frequency(models.TextChoices):
        YEARLY = "yearly", _("yearly")
        QUARTERLY = "quarterly", _("quarterly")
        MONTHLY = "monthly", _("monthly")

    class Level(models.TextChoices):
        POPULATION = "population", _("population indicator (is anyone better off in the whole city?)")
        PERFORMANCE = "performance", _("performance measure (how much, how well, is anyone better off?)")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Short and stable, e.g. eld-visit-weekly.")
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VALUE)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, default=Direction.UP)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.POPULATION)
    cumulative = models.BooleanField(
        _("cumulative"), default=False, help_text=_("Each value is a running total; it is never summed over periods.")
    )
    frequency = models.CharField(_("reporting frequency"), max_length=10, choices=Frequency.choices)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    steward = models.ForeignKey(
        Organisation, verbose_name=_("steward"), on_delete=models.PROTECT, related_name="stewarded_indicators"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="indicators")
    dimensions = models.ManyToManyField(Dimension, verbose_name=_("dimensions"), blank=True, related_name="indicators")
    challenges = models.ManyToManyField(
        Challenge,
        verbose_name=_("challenges"),
        blank=True,
        related_name="indicators",
        help_text=_("The challenges of the agenda this indicator shows: its figures appear on their pages."),
    )
    disclosure_threshold = models.PositiveSmallIntegerField(
        _("disclosure threshold"), default=5, help_text=_("Public figures below this count are hidden.")
    )
    reliability_threshold = models.PositiveSmallIntegerField(
        _("reliability threshold"),
        default=20,
        help_text=_("Rates on fewer people than this are flagged as unreliable."),
    )
    plausible_min = models.FloatField(
        _("plausible from"),
        null=True,
        blank=True,
        help_text=_("A value below this needs the steward's confirmation (for a ratio: the rate)."),
    )
    plausible_max = models.FloatField(
        _("plausible up to"),
        null=True,
        blank=True,
        help_text=_("A value above this needs the steward's confirmation (for a ratio: the rate)."),
    )
    coverage_required = models.PositiveSmallIntegerField(
        _("coverage for a figure of the whole (%)"),
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "A figure summed from part of the areas stands for the whole only when at least this share of them "
            "reported; otherwise it is shown with its coverage and left out of the headline, status, progress and "
            "forecast. 0: the indicator is about the areas that report."
        ),
    )
    population_band = models.CharField(
        _("population it is about"),
        max_length=8,
        choices=[("", _("all residents")), *AreaPopulation.AgeBand.choices],
        blank=True,
        help_text=_("Used to say how many people a rate is."),
    )
    population_indicator = models.ForeignKey(
        "self",
        verbose_name=_("population it is about, as an indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"unit": "count", "kind": "value"},
        help_text=_(
            "A count of the indicator's own group (e.g. residents over 84) by area and period: a rate is turned "
            "into people with the population of the same area and period."
        ),
    )
    population_group = models.CharField(
        _("the group, in words"),
        max_length=100,
        blank=True,
        help_text=_("Who the figure is about, e.g. “people over 84”; named in the people sentence."),
    )
    people_sentence = models.CharField(
        _("people sentence"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional, with {value}, {numerator}, {denominator}, {group}, {population}, {people}, {area} and {period}, e.g. “{numerator} of the {denominator} {group} we asked; about {people} of the {population} {group} in {area} in {period}”."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    # The import storing values of this indicator, if one is: values are not typed in meanwhile.
    importing = models.ForeignKey(
        "ImportBatch", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("definition version"), default=1, editable=False)
    # Goes up whenever what the public sees of this indicator changes: the cache key of its figures.
    data_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("measurement:indicator", kwargs={"code": self.code})

    @property
    def is_ratio(self) -> bool:
        return self.kind == self.Kind.RATIO

    @property
    def is_additive(self) -> bool:
        """Counts, money and days add up over areas; scores and plain percentages do not."""
        return self.is_ratio or self.unit in (self.Unit.COUNT, self.Unit.EURO, self.Unit.DAYS)

    @property
    def scale(self) -> float:
        return {self.Unit.PERCENTAGE: 100.0, self.Unit.RATE: 1000.0}.get(self.unit, 1.0)


class IndicatorVersion(models.Model):
    """The definition as it was from a date on: charts mark where a definition changed."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=16, choices=Indicator.Unit.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Indicator.Kind.choices)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("definition version")
        verbose_name_plural = _("definition versions")
        ordering = ["indicator", "number"]
        constraints = [models.UniqueConstraint(fields=["indicator", "number"], name="unique_indicator_version")]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.number}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.FloatField(_("target value"))
    date = models.DateField(_("target date"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "date"]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value} by {self.date}"


class LiveBatches(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(live=True)


class ImportBatch(models.Model):
    """One committed import of a file: who, when, and what it did.

    A large import writes its values in short transactions, so the site can write in between; its
    batch is not `live` until one last short transaction makes every value of it visible at once
    (readers see values of live batches only, see `Measurement.objects`). A batch left not live by
    an import that died is undone by the next import or a periodic job."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    live = models.BooleanField(default=True, editable=False)
    # History rows this import wrote have larger ids (what undoing a dead import deletes).
    history_after = models.BigIntegerField(default=0, editable=False)
    # Values this import added have larger ids (what undoing a dead import looks through, not the whole table).
    values_after = models.BigIntegerField(default=0, editable=False)

    every = models.Manager()  # batches being written too
    objects = LiveBatches()

    class Meta:
        default_manager_name = "objects"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.at:%Y-%m-%d %H:%M})"


@receiver(pre_delete, sender=ImportBatch, dispatch_uid="samen.measurement.batch_keep")
def batch_keep(sender, instance: ImportBatch, **kwargs) -> None:
    """A batch that is not live is taken back only by its import's undo (`batches.batch_undo`: its values first,
    the copies' old values restored, then the row). Django's delete would set its values' link to NULL and
    delete the copies instead: the half-written values of the import would be visible, the old ones lost."""
    if not instance.live:
        raise ProtectedError(
            f"Import {instance.pk} is being written or undone; only its import's undo deletes it.", [instance]
        )


class ImportPreview(models.Model):
    """An uploaded file waiting for its uploader to confirm the preview. Kept in the database, not on a
    web host's disk, so the confirmation may reach any host and the cleanup job (on whichever host
    runs it) deletes every abandoned one; deleted when confirmed, or after MAX_AGE."""

    MAX_AGE = datetime.timedelta(hours=1)

    token = models.CharField(max_length=32, unique=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.file_name


def visible(prefix: str = "") -> models.Q:
    """The measurements readers see: none of an import still being written, and the old values such an
    import replaces (its copies, `shown_until`) until it goes live. `prefix` for a relation, e.g.
    "measurements__"."""
    writing = ImportBatch.every.filter(live=False).values("pk")
    return ~models.Q(**{f"{prefix}batch__in": writing}) & (
        models.Q(**{f"{prefix}shown_until__isnull": True}) | models.Q(**{f"{prefix}shown_until__in": writing})
    )


class VisibleMeasurements(models.Manager):
    """Every reader of Measurement goes through this: values of an import still being written stay out."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(visible())


class Measurement(models.Model):
    """One value of an indicator for a period, an area (or the whole initiative) and dimension values."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    # No index of its own: the unique key starts with the indicator, and every index slows imports.
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements", db_index=False)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # area_id, or 0 for the whole initiative: a unique key cannot rely on NULL on every database.
    area_key = models.PositiveBigIntegerField(default=0, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # Dimension values as "dimension=value" pairs, sorted and ";"-joined; "" is the total.
    dims = models.CharField(_("dimension values"), max_length=200, blank=True, default="")
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # While a change of an approved value waits for approval, the last approved value stays public.
    kept = models.BooleanField(_("last approved value kept public"), default=False)
    kept_value = models.FloatField(null=True, blank=True, editable=False)
    kept_numerator = models.FloatField(null=True, blank=True, editable=False)
    kept_denominator = models.FloatField(null=True, blank=True, editable=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("submitted for"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # Set on a copy of a value an import is changing: the copy (the old value) is what readers see until
    # that import goes live; then it is deleted.
    shown_until = models.ForeignKey(
        ImportBatch, null=True, blank=True, editable=False, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    every = models.Manager()  # values and copies readers do not see too: the importer's own
    objects = VisibleMeasurements()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        default_manager_name = "objects"
        base_manager_name = "every"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_key", "period_start", "period_end", "dims"],
                condition=models.Q(shown_until__isnull=True),
                name="unique_measurement_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(area__isnull=True, area_key=0) | models.Q(area_key=models.F("area")),
                name="area_key_is_area",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="period_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "status", "dims", "period_end"]),
            models.Index(fields=["status", "indicator"]),
            # Copies by their batch and key: undoing a dead import finds each one's value through it.
            models.Index(
                fields=["shown_until", "indicator", "area_key", "period_start", "period_end", "dims"],
                condition=models.Q(shown_until__isnull=False),
                name="measurement_copies",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}–{self.period_end} {self.area_id or '*'} {self.dims}"


class MeasurementChange(models.Model):
    """The history of a measurement: who changed what, when, from what to what."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)
    old = models.JSONField(default=dict)
    new = models.JSONField(default=dict)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("measurement change")
        verbose_name_plural = _("measurement changes")
        ordering = ["measurement", "at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action}"


class Narrative(models.Model):
    """The story behind the curve for a period: why it moved, what partners did, what comes next."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="narratives")
    period_end = models.DateField(_("period end"))
    text = models.TextField(_("story behind the curve"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("story behind the curve")
        verbose_name_plural = _("stories behind the curve")
        ordering = ["indicator", "-period_end"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_end"], name="unique_narrative_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_end}"


def period_label(start: datetime.date, end: datetime.date) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return str(start.year)
    if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 3 and start.month in (1, 4, 7, 10):
            return f"{start.year} Q{(start.month - 1) // 3 + 1}"
        if months == 1:
            return f"{start:%Y-%m}"
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
