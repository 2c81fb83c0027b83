"""The emails of a registration, each in the language the person registered in, built by core.mail."""

from __future__ import annotations

import io
from email.mime.image import MIMEImage

import segno
from django.core import signing
from django.urls import reverse
from django.utils import translation

from samen.activities.events.models import Registration
from samen.core.mail import absolute_url, mail_send

CONFIRM_SALT = "samen.events.confirm"
CANCEL_SALT = "samen.events.cancel"


def confirm_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CONFIRM_SALT)


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def check_in_url(registration: Registration) -> str:
    return absolute_url(
        reverse("events:check_in_code", kwargs={"slug": registration.event.slug, "code": registration.code})
    )


def qr_png(url: str) -> bytes:
    """A QR code of the check-in link, large enough for a phone camera on a printed or lit screen."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def _qr_image(registration: Registration) -> MIMEImage:
    image = MIMEImage(qr_png(check_in_url(registration)), "png")
    image.add_header("Content-ID", "<qr-code>")
    image.add_header("Content-Disposition", "inline", filename=f"samen-{registration.code}.png")
    return image


def _links(registration: Registration) -> dict[str, str]:
    event = registration.event
    return {
        "event_url": absolute_url(event.get_absolute_url()),
        "ics_url": absolute_url(reverse("events:event_ics", kwargs={"slug": event.slug})),
        "confirm_url": absolute_url(
            reverse("events:registration_confirm", kwargs={"token": confirm_token(registration)})
        ),
        "cancel_url": absolute_url(reverse("events:registration_cancel", kwargs={"token": cancel_token(registration)})),
    }


def _send(registration: Registration, template: str, *, with_qr: bool) -> None:
    with translation.override(registration.language):  # the links lead to the pages in the same language
        links = _links(registration)
    mail_send(
        f"activities/events/{template}",
        to=registration.email,
        context={"registration": registration, "event": registration.event, "with_qr": with_qr, **links},
        language=registration.language,
        inline_images=[_qr_image(registration)] if with_qr else (),
    )


def send_verify(registration: Registration) -> None:
    _send(registration, "verify", with_qr=False)


def send_confirmed(registration: Registration) -> None:
    if registration.status == Registration.Status.WAITING:
        _send(registration, "waiting", with_qr=False)
    else:
        _send(registration, "confirmed", with_qr=True)


def send_promoted(registration: Registration) -> None:
    _send(registration, "promoted", with_qr=True)
