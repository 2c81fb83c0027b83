"""What a person did in the shared measurement (values entered and decided, imports, stories behind
the curve), in their data download."""

from typing import Any

from django.dispatch import receiver

from samen.core.signals import personal_data_export
from samen.measurement.models import ImportBatch, MeasurementChange, Narrative


@receiver(personal_data_export, dispatch_uid="samen.measurement.privacy.export")
def export_measurement(sender: Any, user: Any, **kwargs: Any) -> dict[str, Any]:
    return {
        "measurement_changes": [
            {"at": c.at.isoformat(), "action": c.action, "indicator": c.measurement.indicator.code}
            for c in MeasurementChange.objects.filter(by=user).select_related("measurement__indicator").order_by("at")
        ],
        "measurement_imports": [
            {"at": b.at.isoformat(), "file": b.file_name, "rows": b.rows}
            for b in ImportBatch.objects.filter(by=user).order_by("at")
        ],
        "stories_behind_the_curve": [
            {"indicator": n.indicator.code, "period_end": n.period_end.isoformat(), "text": n.text}
            for n in Narrative.objects.filter(author=user).select_related("indicator").order_by("pk")
        ],
    }
