"""Background work of shared measurement."""

import datetime
import time
from pathlib import Path

from django.conf import settings
from django.utils import translation

from samen.core.periodic import periodic
from samen.core.tasks import task

# A preview of a web import not confirmed within this time is abandoned; its file is deleted.
PREVIEW_MAX_AGE = datetime.timedelta(hours=1)


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


@periodic(every=datetime.timedelta(minutes=15))
def import_previews_delete_abandoned() -> None:
    """Delete uploaded files of web-import previews nobody confirmed (they hold partners' data)."""
    # The folder partner_views.UPLOADS keeps previews in (not imported: tasks sit below the views).
    uploads = Path(settings.VAR_DIR) / "imports"
    if not uploads.exists():
        return
    oldest = time.time() - PREVIEW_MAX_AGE.total_seconds()
    for path in uploads.iterdir():
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
