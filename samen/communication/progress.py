"""Progress: followers hear when an indicator's public status turns on track or off track.

Built from the data by a periodic job rather than from a signal: the status depends on the date
(a value gets stale, a target date passes) as much as on writes, so it is compared with the last
status seen. Only the public figures count (small counts protected, as the dashboard shows them)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samen.communication.models import FollowKind, IndicatorStatus, Topic
from samen.communication.services import followers_notify
from samen.measurement.compute import OFF_TRACK, ON_TRACK
from samen.measurement.selectors import indicator_views, published_indicators


def indicator_status_changes() -> int:
    """Store each published indicator's public status; tell followers of a turn to on or off track."""
    indicators = published_indicators()
    views = indicator_views(indicators, small_counts=False)
    seen = dict(IndicatorStatus.objects.values_list("indicator_id", "status"))
    told = 0
    for indicator in indicators:
        status = views[indicator.pk].status
        before = seen.get(indicator.pk)
        if before == status:
            continue
        IndicatorStatus.objects.update_or_create(
            indicator_id=indicator.pk, defaults={"status": status, "changed_at": timezone.now()}
        )
        if before is None or status not in (ON_TRACK, OFF_TRACK):
            continue  # the first look is no news, nor is "no recent data"
        goals = list(indicator.goals.all())
        targets = [(FollowKind.GOAL, g.pk) for g in goals]
        targets += [(FollowKind.DOMAIN, g.domain_id) for g in goals]
        targets += [(FollowKind.CHALLENGE, pk) for pk in indicator.challenges.values_list("pk", flat=True)]
        texts = {}
        for lang in ("nl", "en"):
            with translation.override(lang):
                texts[lang] = (
                    _("%(indicator)s is on track again") if status == ON_TRACK else _("%(indicator)s is off track")
                ) % {"indicator": indicator.name}
        with translation.override("nl"):
            url = indicator.get_absolute_url()
        # No key: an indicator may go off track, on track and off track again, and each change is news.
        told += followers_notify(topic=Topic.PROGRESS, targets=targets, texts=texts, url=url, key="")
    return told
