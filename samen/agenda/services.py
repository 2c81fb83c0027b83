"""Writes of the agenda: proposals, supports, comments, answers, moderation and stories.

Each function is one transaction that validates, writes its audit entry and queues its mail."""

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.agenda import selectors
from samen.agenda.models import Challenge, Comment, Proposal, Report, Story, Support
from samen.agenda.tasks import send_answer_email
from samen.agenda.text import plain_text
from samen.core import signals
from samen.core.audit import audit_log, model_changes
from samen.core.tasks import enqueue

ANSWERS = (Proposal.Status.ACCEPTED, Proposal.Status.MERGED, Proposal.Status.NOT_NOW)


@transaction.atomic
def proposal_create(
    *, author: Any, kind: str, title: str, body: str, challenge: Challenge | None = None, language: str = "nl"
) -> Proposal:
    if kind == Proposal.Kind.IDEA and challenge is None:
        raise ValidationError({"challenge": _("Choose the challenge your idea is for.")})
    proposal = Proposal(
        author=author,
        kind=kind,
        challenge=challenge if kind == Proposal.Kind.IDEA else None,
        title=plain_text(title),
        body=plain_text(body),
        language=language,
    )
    proposal.full_clean()
    proposal.save()
    audit_log(actor=author, action="proposal.created", obj=proposal, changes={"kind": kind})
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    """The proposal as it is now, locked until the commit: an edit and an answer never overwrite each other."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_update(*, proposal: Proposal, actor: Any, title: str, body: str) -> Proposal:
    proposal = _locked(proposal)
    if not proposal.is_open:
        raise ValidationError(_("This proposal has been answered; it can no longer be changed."))
    before = {"title": proposal.title, "body": proposal.body}
    proposal.title, proposal.body = plain_text(title), plain_text(body)
    proposal.full_clean()
    proposal.save(update_fields=["title", "body", "updated_at"])
    changes = model_changes(before, {"title": proposal.title, "body": proposal.body})
    if changes:
        audit_log(actor=actor, action="proposal.updated", obj=proposal, changes=changes)
    return proposal


def proposal_support(*, proposal: Proposal, member: Any) -> Support:
    """One support per member: the database refuses a second one, even from two requests at once."""
    if not proposal.is_open:
        raise ValidationError(_("This proposal has been answered; it no longer collects support."))
    if proposal.author_id == getattr(member, "pk", member):
        raise ValidationError(_("You cannot support your own proposal; ask others to."), code="own")
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, member=member)
    except IntegrityError:
        raise ValidationError(
            _("You already support this proposal; each member supports it once."), code="twice"
        ) from None
    return support


@transaction.atomic
def comment_add(*, proposal: Proposal, author: Any, body: str, language: str = "nl") -> Comment:
    comment = Comment(proposal=proposal, author=author, body=plain_text(body), language=language)
    if not comment.body:
        raise ValidationError({"body": _("Write a comment; it was empty once HTML was removed.")})
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def proposal_answer(*, proposal: Proposal, actor: Any, status: str, answer: str) -> Proposal:
    """The backbone's public answer; the proposer gets an email once it is stored."""
    if status not in ANSWERS:
        raise ValidationError({"status": _("Choose an answer: accepted, merged or not now.")})
    answer = plain_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Give the reason for the answer; the proposer and everyone can read it.")})
    proposal = _locked(proposal)
    if not proposal.is_open:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This proposal has been answered already; reload the page to read the answer.")}
        )
    before = {"status": proposal.status, "answer": proposal.answer}
    proposal.status, proposal.answer = status, answer
    proposal.answered_at, proposal.answered_by = timezone.now(), actor
    proposal.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
    audit_log(
        actor=actor,
        action="proposal.answered",
        obj=proposal,
        changes=model_changes(before, {"status": status, "answer": answer}),
    )
    enqueue(send_answer_email, proposal.pk)
    transaction.on_commit(lambda: signals.proposal_answered.send(sender=Proposal, proposal_id=proposal.pk))
    return proposal


def _reported_twice() -> ValidationError:
    return ValidationError(
        {"reason": _("You reported this already; the backbone will look at it. Each member reports a thing once.")},
        code="twice",
    )


@transaction.atomic
def report_create(
    *, reporter: Any, reason: str, proposal: Proposal | None = None, comment: Comment | None = None
) -> Report:
    reason = plain_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong, so the backbone can judge it.")})
    if selectors.already_reported(reporter=reporter, proposal=proposal, comment=comment):
        raise _reported_twice()
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=reporter, reason=reason[:300], proposal=proposal, comment=comment)
    except IntegrityError:  # two requests at once: the database keeps one
        raise _reported_twice() from None
    audit_log(actor=reporter, action="moderation.reported", obj=proposal or comment, changes={"reason": report.reason})
    return report


@transaction.atomic
def content_hide(*, actor: Any, target: Proposal | Comment, hidden: bool = True) -> None:
    """Hide (or show again) a proposal or comment; its open reports are resolved with it."""
    target.is_hidden = hidden
    target.save(update_fields=["is_hidden"])
    reports = Report.objects.filter(resolved_at__isnull=True)
    reports = reports.filter(proposal=target) if isinstance(target, Proposal) else reports.filter(comment=target)
    resolved = reports.update(resolved_at=timezone.now())
    audit_log(
        actor=actor,
        action="moderation.hidden" if hidden else "moderation.shown",
        obj=target,
        changes={"reports_resolved": resolved},
    )


@transaction.atomic
def reports_dismiss(*, actor: Any, target: Proposal | Comment) -> int:
    reports = Report.objects.filter(resolved_at__isnull=True)
    reports = reports.filter(proposal=target) if isinstance(target, Proposal) else reports.filter(comment=target)
    dismissed = reports.update(resolved_at=timezone.now())
    audit_log(actor=actor, action="moderation.dismissed", obj=target, changes={"reports_resolved": dismissed})
    return dismissed


@transaction.atomic
def story_submit(
    *,
    author: Any,
    challenge: Challenge,
    title: str,
    body: str,
    privacy: str,
    language: str,
    consent_by: str = "",
    consent_on: datetime.date | None = None,
) -> Story:
    if privacy not in Story.Privacy.values:
        raise ValidationError({"privacy": _("Choose whether the person consented or the story is anonymised.")})
    if privacy == Story.Privacy.CONSENT and (not consent_by.strip() or consent_on is None):
        raise ValidationError({"consent_by": _("Say who gave consent and on which date.")})
    if privacy == Story.Privacy.ANONYMISED:
        consent_by, consent_on = "", None
    story = Story(
        author=author,
        challenge=challenge,
        title=plain_text(title),
        body=plain_text(body),
        privacy=privacy,
        language=language,
        consent_by=plain_text(consent_by),
        consent_on=consent_on,
    )
    story.full_clean()
    story.save()
    audit_log(actor=author, action="story.submitted", obj=story, changes={"privacy": privacy})
    return story


@transaction.atomic
def story_review(*, story: Story, actor: Any, publish: bool) -> Story:
    story.status = Story.Status.PUBLISHED if publish else Story.Status.DECLINED
    story.reviewed_by = actor
    story.published_at = timezone.now() if publish else None
    story.save()
    audit_log(actor=actor, action="story.published" if publish else "story.declined", obj=story)
    return story


CHALLENGE_AUDITED_FIELDS = ("slug", "title_nl", "title_en", "status", "domain_id", "image", "image_kind", "consent_by")


def challenge_snapshot(challenge: Challenge) -> dict[str, Any]:
    return {f: getattr(challenge, f) for f in CHALLENGE_AUDITED_FIELDS} if challenge.pk else {}


@transaction.atomic
def challenge_save(*, form: "ModelForm[Challenge]", actor: Any) -> Challenge:
    """Save the backbone's challenge form (on the site or in the admin) and audit what changed."""
    stored = Challenge.objects.filter(pk=form.instance.pk).first() if form.instance.pk else None
    before = challenge_snapshot(stored) if stored else {}
    challenge = form.save()
    changes = model_changes(before, challenge_snapshot(challenge))
    action = "challenge.updated" if before else "challenge.created"
    audit_log(actor=actor, action=action, obj=challenge, changes=changes)
    return challenge
