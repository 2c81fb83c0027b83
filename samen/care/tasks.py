"""The care app's periodic jobs: escalations, retention, and the figures for the shared measurement."""

import datetime

from samen.care import figures, services
from samen.core.periodic import periodic


@periodic(every=datetime.timedelta(hours=1))
def escalate_overdue_referrals() -> dict[str, int]:
    return services.referrals_escalate()


@periodic(every=datetime.timedelta(hours=1))
def withdraw_expired_override_shares() -> int:
    # Pages already refuse such a share at read time; this takes it off the case for good.
    return services.override_shares_withdraw()


@periodic(every=datetime.timedelta(days=1))
def anonymise_closed_cases() -> int:
    # Closed cases, and signals that never became one, after the retention period.
    return services.cases_anonymise() + services.signals_anonymise()


@periodic(every=datetime.timedelta(hours=6))
def publish_care_figures() -> int:
    return figures.care_figures_publish()
