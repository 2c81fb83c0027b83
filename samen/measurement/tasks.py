"""Background work of shared measurement."""

import datetime
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from samen.core.periodic import periodic
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


@periodic(every=datetime.timedelta(minutes=15))
def import_previews_delete_abandoned() -> None:
    """Delete web-import previews nobody confirmed within ImportPreview.MAX_AGE (they hold partners' data).

    They are in the database, so the one host that runs this job deletes those of every host."""
    from samen.measurement.models import ImportPreview

    ImportPreview.objects.filter(created_at__lt=timezone.now() - ImportPreview.MAX_AGE).delete()
    # Files an earlier version kept in var/imports/ on each host.
    uploads = Path(settings.VAR_DIR) / "imports"
    if uploads.is_dir():
        oldest = time.time() - ImportPreview.MAX_AGE.total_seconds()
        for path in uploads.iterdir():
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)


@periodic(every=datetime.timedelta(minutes=5))
def imports_dead_undo() -> None:
    """Undo what imports that died (killed, or their host lost) left before their batch went live, so their
    indicators take values again; a running import is left alone (see importer.import_leftovers_clean)."""
    from samen.measurement.batches import import_leftovers_clean

    import_leftovers_clean()
