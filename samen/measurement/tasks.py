"""Background work of shared measurement."""

from django.conf import settings
from django.utils import translation

from samen.core.tasks import task


@task
def warm_indicator_figures(indicator_ids: list[int]) -> None:
    """Compute the public figures of changed indicators ahead of the first visitor.

    At a million values the roll-ups and protection take seconds; with a shared cache (Redis)
    a worker pays that once, after the approval, instead of a visitor."""
    from samen.measurement.models import Indicator
    from samen.measurement.selectors import indicator_table, indicator_views

    indicators = list(Indicator.objects.filter(pk__in=indicator_ids, is_published=True))
    if not indicators:
        return
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            indicator_views(indicators)
    for indicator in indicators:
        indicator_table(indicator)
