"""One mail builder: every mail Samen sends is a named template rendered here.

`mail_send("network/invitation", to=..., context=..., language="nl")` renders
`network/email/invitation_subject.txt`, `network/email/invitation.txt` and, when it exists,
`network/email/invitation.html` (which extends `email/base.html`); without an HTML template the
text is wrapped in the same base layout. Everything is rendered in the recipient's language, and
links are absolute through `SITE_URL` (`absolute_url`), never guessed from the request or the
allowed hosts. Call `mail_send` inside a `@task`, or `mail_enqueue` with a JSON context, so a
mail server that fails never undoes or breaks the action that wanted the mail."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from samen.core.tasks import enqueue, task

SUBJECT_PREFIX = "[Samen] "


def absolute_url(path: str) -> str:
    """An absolute link to a path of this site, for mails, feeds and anything read away from the site."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def recipient_language(email: str, *, default: str) -> str:
    """The language the owner of `email` reads their mail in, when an app knows it; else `default` (for someone
    without an account yet: the language of the page that asked for the mail)."""
    from samen.core.signals import mail_language

    known = {code for code, _name in settings.LANGUAGES}
    for _receiver, language in mail_language.send(sender=None, email=email):
        if language in known:
            return str(language)
    return default


def _template_names(name: str) -> tuple[str, str, str]:
    app, _, short = name.rpartition("/")
    if not app or not short:
        raise ValueError(f"A mail is named 'app/name', not {name!r}")
    base = f"{app}/email/{short}"
    return f"{base}_subject.txt", f"{base}.txt", f"{base}.html"


def mail_message(
    name: str,
    *,
    to: str | Sequence[str],
    context: Mapping[str, Any],
    language: str,
    headers: Mapping[str, str] | None = None,
    inline_images: Sequence[MIMEBase] = (),
) -> EmailMultiAlternatives:
    """Build the mail `name` for `to` in `language`; the one place for subject prefix, sender and headers."""
    subject_name, text_name, html_name = _template_names(name)
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language):
        data = {"site_url": settings.SITE_URL.rstrip("/"), "language": language, **context}
        subject = " ".join(render_to_string(subject_name, data).split())
        text = render_to_string(text_name, data)
        try:
            html = get_template(html_name).render(data)
        except TemplateDoesNotExist:
            html = render_to_string("email/base.html", {**data, "subject": subject, "text": text})
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers=dict(headers or {}),
    )
    message.attach_alternative(html, "text/html")
    if inline_images:
        # Images travel inside the mail (cid:), so they show without loading anything from the web.
        message.mixed_subtype = "related"
        for image in inline_images:
            message.attach(image)
    return message


def mail_send(name: str, **kwargs: Any) -> None:
    """Build and send now: call it inside a `@task` (or use `mail_enqueue`)."""
    mail_message(name, **kwargs).send()


@task(sealed=True)
def deliver(name: str, to: list[str], context: dict[str, Any], language: str, headers: dict[str, str]) -> None:
    mail_send(name, to=to, context=context, language=language, headers=headers)


def mail_enqueue(
    name: str,
    *,
    to: str | Sequence[str],
    context: Mapping[str, Any],
    language: str,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Send after the commit through the task interface; the context must hold JSON values only."""
    recipients = [to] if isinstance(to, str) else list(to)
    enqueue(deliver, name, recipients, dict(context), language, dict(headers or {}))


@task(sealed=True)
def deliver_rendered(subject: str, text: str, html: str, to: list[str], from_email: str) -> None:
    """Send a mail built in the request (allauth's account mails, built by `mail_message` in the adapter)."""
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def mail_enqueue_rendered(message: EmailMultiAlternatives) -> None:
    """Queue a built message through the task interface, so a mail server that is down breaks no page."""
    html = next((body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), "")
    if getattr(message, "content_subtype", "plain") == "html" and not html:
        html, text = message.body, ""
    else:
        text = message.body
    args = (message.subject, text, str(html), list(message.to), message.from_email)
    if settings.SAMEN_TASKS == "inline" and settings.SAMEN_MAIL_AFTER_RESPONSE:
        # Without workers, sign-up, reset and sign-in code mails leave on a thread of their own, so a slow
        # mail server never holds up the page (nor a server thread) that asked for them.
        from django.db import transaction

        from samen.core.tasks import run

        def start() -> None:
            threading.Thread(
                target=run, args=(deliver_rendered.task_name, *args), name="samen-mail", daemon=True
            ).start()

        transaction.on_commit(start)
        return
    enqueue(deliver_rendered, *args)
