"""Counts of people on public pages: below the disclosure threshold they show as "< 5" (see DESIGN.md),
and a part is hidden when it, or the rest of its whole, is that small (else it could be worked out).

Those who manage the event (its organisers, the backbone) pass `can_see` and see the real numbers."""

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


def _small(value: int | None) -> bool:
    return value is not None and value < settings.SAMEN_DISCLOSURE_THRESHOLD


@register.filter
def public_count(value: int | None, can_see: bool = False) -> Any:
    """The count itself, or "< 5" for someone who may not see small counts."""
    if can_see or not _small(value):
        return value
    return _("< %(threshold)s") % {"threshold": settings.SAMEN_DISCLOSURE_THRESHOLD}


@register.simple_tag
def part_shown(part: int, whole: int, can_see: bool = False) -> bool:
    """Whether a part of a whole (residents of the attendees, check-ins of the total) may be shown:
    neither the part nor the rest may be small."""
    return bool(can_see) or not (_small(part) or _small(whole - part) or _small(whole))
