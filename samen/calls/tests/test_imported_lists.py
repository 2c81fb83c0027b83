"""A list imported for a campaign: its residents are erased with the campaign's data when the
retention period ends, unless the care network knows them for another reason."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from samen.calls import services
from samen.calls.models import ImportedResident
from samen.care import services as care_services
from samen.care.models import Consent, Resident

pytestmark = pytest.mark.django_db

LIST = (
    "name,area,phone\n"
    "Anna Alleen,runkst,011 11 11 11\n"
    "Bert Bellen,runkst,011 22 22 22\n"
    "Carla Consent,runkst,011 33 33 33\n"
    "Dirk Dubbel,runkst,011 44 44 44\n"
    "Eva Ernaar,runkst,011 55 55 55\n"
)


def _after_retention(campaign, settings):
    return timezone.make_aware(
        datetime.datetime.combine(
            campaign.ends_on + datetime.timedelta(days=settings.SAMEN_CARE_RETENTION_DAYS + 2), datetime.time(12)
        )
    )


def test_residents_imported_only_for_the_campaign_are_erased_when_its_retention_ends(
    make_campaign, care_coordinator, caller, settings, resident
):
    campaign = make_campaign(population="list")
    services.list_import(io.BytesIO(LIST.encode()), name="lijst.csv", campaign=campaign, actor=care_coordinator)
    by_name = {r.name.split()[0]: r for r in Resident.objects.exclude(pk=resident.pk)}
    assert ImportedResident.objects.count() == 5
    # Care comes to know some of them otherwise: a need on the call (a signal), a consent, another campaign.
    batch = services.batch_reserve(campaign=campaign, actor=caller)
    entries = {e.resident.name.split()[0]: e for e in batch.entries.select_related("resident")}
    services.attempt_record(entry=entries["Bert"], actor=caller, outcome="need", needs=["shopping"])
    services.attempt_record(entry=entries["Anna"], actor=caller, outcome="reached")
    care_services.consent_record(
        resident=by_name["Carla"], scope=Consent.Scope.CONTACT, how=Consent.How.SPOKEN, actor=care_coordinator
    )
    second = make_campaign(name="Tweede ronde", ends_on=campaign.ends_on + datetime.timedelta(days=3 * 365))
    services.pool_build(campaign=second, actor=care_coordinator, resident_ids=[by_name["Dirk"].pk])

    assert services.campaigns_anonymise(now=_after_retention(campaign, settings)) == 1

    erased = {r.name or r.reference: r.erased_at is not None for r in Resident.objects.order_by("pk")}
    gone = Resident.objects.filter(erased_at__isnull=False)
    assert sorted(gone.values_list("pk", flat=True)) == sorted([by_name["Anna"].pk, by_name["Eva"].pk]), erased
    for r in gone:
        assert (r.name, r.phone, r.address, r.birth_year) == ("", "", "", None)
    kept = Resident.objects.filter(pk__in=[by_name[n].pk for n in ("Bert", "Carla", "Dirk")] + [resident.pk])
    assert all(r.erased_at is None and r.name for r in kept)
    from samen.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="care.resident.erased", actor=None).count() == 2


def test_a_filtered_campaign_never_erases_the_care_networks_residents(
    campaign, many_residents, care_coordinator, caller, settings
):
    many_residents(4)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    batch = services.batch_reserve(campaign=campaign, actor=caller)
    for entry in batch.entries.all():
        services.attempt_record(entry=entry, actor=caller, outcome="reached")
    assert services.campaigns_anonymise(now=_after_retention(campaign, settings)) == 1
    assert not Resident.objects.filter(erased_at__isnull=False).exists()


def test_an_imported_resident_picked_up_by_a_later_campaign_is_erased_when_that_one_ends_too(
    make_campaign, care_coordinator, settings
):
    """Imported for A, then in B's pool by filter: kept while B needs them, erased once B's retention
    ends (nothing else knows them), though B's own entry never said "imported"."""
    first = make_campaign(population="list")
    services.list_import(
        io.BytesIO(b"name,area,phone,birth_date\nAnna Alleen,runkst,011 11 11 11,1940-02-03\n"),
        name="lijst.csv",
        campaign=first,
        actor=care_coordinator,
    )
    later = make_campaign(name="Tweede ronde", ends_on=first.ends_on + datetime.timedelta(days=60))
    assert services.pool_build(campaign=later, actor=care_coordinator)["added"] == 1
    anna = Resident.objects.get()

    assert services.campaigns_anonymise(now=_after_retention(first, settings)) == 1
    anna.refresh_from_db()
    assert anna.erased_at is None  # the later campaign still holds her

    assert services.campaigns_anonymise(now=_after_retention(later, settings)) == 1
    anna.refresh_from_db()
    assert anna.erased_at is not None and anna.name == ""
    assert not ImportedResident.objects.exists()
