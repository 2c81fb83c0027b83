"""The periodic jobs of call campaigns: batches back to the pool, circle alerts, the figures."""

import datetime

from samen.calls import figures, services
from samen.core.periodic import periodic


@periodic(every=datetime.timedelta(minutes=5))
def release_expired_batches() -> int:
    return services.batches_expire()


@periodic(every=datetime.timedelta(minutes=10))
def alert_unconfirmed_circles() -> dict[str, int]:
    return services.circles_alert()


@periodic(every=datetime.timedelta(days=1))
def anonymise_ended_campaigns() -> int:
    return services.campaigns_anonymise()


@periodic(every=datetime.timedelta(hours=6))
def publish_call_figures() -> int:
    return figures.call_figures_publish()
