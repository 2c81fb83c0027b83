"""The emails of a registration, each in the language the person registered in."""

from __future__ import annotations

import io
from email.mime.image import MIMEImage

import segno
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from samen.activities.events.models import Registration

SUBJECT_PREFIX = "[Samen] "
CONFIRM_SALT = "samen.events.confirm"
CANCEL_SALT = "samen.events.cancel"


def confirm_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CONFIRM_SALT)


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def site_url(base_url: str = "") -> str:
    """The address links in emails start with: the request's, or, without a request (an account deleted,
    a change in the admin shell), the first allowed host."""
    if base_url:
        return base_url.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{hosts[0] if hosts else 'localhost'}"


def check_in_url(registration: Registration, *, base_url: str) -> str:
    path = reverse("events:check_in_code", kwargs={"slug": registration.event.slug, "code": registration.code})
    return site_url(base_url) + path


def qr_png(url: str) -> bytes:
    """A QR code of the check-in link, large enough for a phone camera on a printed or lit screen."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def _links(registration: Registration, base_url: str) -> dict[str, str]:
    base = site_url(base_url)
    event = registration.event
    return {
        "event_url": base + event.get_absolute_url(),
        "ics_url": base + reverse("events:event_ics", kwargs={"slug": event.slug}),
        "confirm_url": base + reverse("events:registration_confirm", kwargs={"token": confirm_token(registration)}),
        "cancel_url": base + reverse("events:registration_cancel", kwargs={"token": cancel_token(registration)}),
    }


def _send(registration: Registration, template: str, subject: str, *, base_url: str, with_qr: bool) -> None:
    with translation.override(registration.language):
        context = {"registration": registration, "event": registration.event, **_links(registration, base_url)}
        text = render_to_string(f"activities/events/email/{template}.txt", context)
        html = render_to_string(f"activities/events/email/{template}.html", {**context, "with_qr": with_qr})
        message = EmailMultiAlternatives(
            subject=SUBJECT_PREFIX + str(subject) % {"event": registration.event.title},
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
        message.attach_alternative(html, "text/html")
        if with_qr:
            # The QR code travels inside the email (cid:), so it shows without loading anything from the web.
            message.mixed_subtype = "related"
            image = MIMEImage(qr_png(check_in_url(registration, base_url=base_url)), "png")
            image.add_header("Content-ID", "<qr-code>")
            image.add_header("Content-Disposition", "inline", filename=f"samen-{registration.code}.png")
            message.attach(image)
        message.send()


def send_verify(registration: Registration, *, base_url: str) -> None:
    _send(registration, "verify", _("Confirm your registration for %(event)s"), base_url=base_url, with_qr=False)


def send_confirmed(registration: Registration, *, base_url: str) -> None:
    if registration.status == Registration.Status.WAITING:
        _send(registration, "waiting", _("You are on the waiting list for %(event)s"), base_url=base_url, with_qr=False)
    else:
        _send(registration, "confirmed", _("You are registered for %(event)s"), base_url=base_url, with_qr=True)


def send_promoted(registration: Registration, *, base_url: str) -> None:
    _send(
        registration,
        "promoted",
        _("A place came free: you are registered for %(event)s"),
        base_url=base_url,
        with_qr=True,
    )
