"""care's one audit of reads: pages of care and of the apps built on it (call campaigns) write
one entry per resident shown, and each lands on that resident's trail."""

import pytest
from django.test.utils import CaptureQueriesContext

from samen.care import selectors, services
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_reads_given_with_the_residents_id_are_on_their_trail_whatever_the_app(
    make_resident, runkst_network, care_coordinator
):
    from django.db import connection

    first, second = make_resident(name="Anna Eerst"), make_resident(name="Bart Twee")
    with CaptureQueriesContext(connection) as queries:
        services.resident_reads_audit(
            actor=care_coordinator,
            action="calls.resident.viewed",  # not a "care." action: found through the resident itself
            obj=runkst_network,
            residents=[(first.pk, first.reference), (second.pk, second.reference), (first.pk, first.reference)],
        )
    # One insert; the suite raises the audit table's version at once (network.table_versions), production after commit.
    assert len([q for q in queries if "network_dataversion" not in q["sql"]]) == 1
    for resident in (first, second):
        [entry] = [e for e in selectors.audit_trail(resident) if e.action == "calls.resident.viewed"]
        assert entry.actor == care_coordinator
        assert entry.changes == {"resident": resident.reference, "care.carenetwork": runkst_network.pk}
        assert "Anna" not in entry.object_repr and "Bart" not in entry.object_repr
    assert AuditEntry.objects.filter(action="calls.resident.viewed").count() == 2


def test_reads_given_by_reference_stay_on_the_pages_object(make_resident, runkst_network, care_coordinator):
    resident = make_resident()
    services.resident_reads_audit(
        actor=care_coordinator, action="care.list.viewed", obj=runkst_network, residents=[resident.reference]
    )
    [entry] = [e for e in selectors.audit_trail(resident) if e.action == "care.list.viewed"]
    assert (entry.object_type, entry.object_id) == ("care.carenetwork", str(runkst_network.pk))
