"""Counts of people on public pages, by the one rule for a public count (samen.core.disclosure): below the disclosure threshold they show as "< 5" (see DESIGN.md),
and a part is hidden when it, or the rest of its whole, is that small (else it could be worked out).

Those who manage the event (its organisers, the backbone) pass `can_see` and see the real numbers."""

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from samen.core.disclosure import public_counts

register = template.Library()


def _small(value: int | None) -> bool:
    if value is None:
        return False
    _hidden, small = public_counts({"count": value}, [], threshold=settings.SAMEN_DISCLOSURE_THRESHOLD)
    return "count" in small


@register.filter
def public_count(value: int | None, can_see: bool = False) -> Any:
    """The count itself, or "< 5" for someone who may not see small counts."""
    if can_see or not _small(value):
        return value
    return _("< %(threshold)s") % {"threshold": settings.SAMEN_DISCLOSURE_THRESHOLD}


@register.filter
def word_count(value: int | None, can_see: bool = False) -> int | None:
    """The number that chooses the word beside a count: the count, or the threshold where the count
    reads "< 5" ("< 5 attendees"; "< 5 attendee" would tell it is 1)."""
    if can_see or not _small(value):
        return value
    return settings.SAMEN_DISCLOSURE_THRESHOLD


@register.simple_tag
def part_shown(part: int, whole: int, can_see: bool = False) -> bool:
    """Whether a part of a whole (residents of the attendees, check-ins of the total) may be shown:
    neither the part nor the rest may be small."""
    if can_see:
        return True
    counts = {"whole": whole, "part": part, "rest": whole - part}
    hidden, _small = public_counts(counts, [("whole", ["part", "rest"])], threshold=settings.SAMEN_DISCLOSURE_THRESHOLD)
    return not ({"whole", "part"} & hidden)
