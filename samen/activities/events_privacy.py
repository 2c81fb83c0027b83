"""A person who deletes their account (GDPR art. 17) leaves no name or address in event registrations.

`network` may not import `activities` (apps depend downwards), so the erasure listens for the member's
deletion instead of being called by `network.services.account_delete`."""

from typing import Any

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from samen.activities import events_services
from samen.activities.events_models import Registration
from samen.network.models import Member


@receiver(pre_delete, sender=Member, dispatch_uid="samen.activities.events_privacy")
def erase_registrations(sender: Any, instance: Member, **kwargs: Any) -> None:
    with transaction.atomic():
        # Places for events still to come go to the waiting list; past attendance keeps counting, anonymously.
        for registration in Registration.objects.filter(member=instance, status__in=Registration.ACTIVE):
            if registration.event.starts_at > timezone.now() and not registration.checked_in_at:
                events_services.registration_cancel(registration=registration, base_url="")
        for registration in Registration.objects.filter(member=instance):
            registration.name = ""
            registration.email = f"erased-{registration.pk}@erased.invalid"
            registration.member = None
            registration.save(update_fields=["name", "email", "member"])
