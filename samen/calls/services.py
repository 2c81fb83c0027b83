"""Every write of call campaigns and telephone circles: keyword-only, atomic, checked, audited.

Audit entries name residents by their pseudonymous reference only, on the resident's own trail
(object `care.resident`), so care's audit page lists every read and call of a campaign too.
Mails carry a campaign's or circle's name and a link, never a resident."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from samen.calls import access, selectors
from samen.calls.figures import call_indicators_ensure
from samen.calls.models import (
    NEED_CODES,
    NEEDS,
    CallAttempt,
    CallBatch,
    CallCampaign,
    CallEntry,
    CallRule,
    CircleDay,
    CircleMember,
    DoNotCall,
    ImportedResident,
    TelephoneCircle,
)
from samen.care import access as care_access
from samen.care import importer as care_importer
from samen.care import services as care_services
from samen.care.models import CareNetwork, NetworkMember, Resident, Signal
from samen.core.audit import audit_log
from samen.core.mail import absolute_url, mail_enqueue
from samen.measurement.importer import ImportRefused
from samen.network.models import Area, User

OUT, A = CallRule.Outcome, CallRule.Action
S = CallEntry.Status
# What each outcome may do: the coordinator picks among these; "does not want to be called" is fixed.
ALLOWED: dict[str, list[str]] = {
    OUT.REACHED: [A.DONE],
    OUT.NEED: [A.SIGNAL],  # a need found is always passed on (the rule; not editable)
    OUT.NO_ANSWER: [A.RETRY, A.DATA_QUALITY, A.DONE],
    OUT.BUSY: [A.RETRY, A.DONE],
    OUT.WRONG_NUMBER: [A.DATA_QUALITY, A.DONE],
    OUT.DO_NOT_CALL: [A.NEVER],
    OUT.CALL_BACK: [A.CALL_BACK, A.RETRY],
}
DEFAULT_ACTION = {outcome: actions[0] for outcome, actions in ALLOWED.items()}
DEFAULT_RETRY_HOURS: dict[str, int] = {OUT.NO_ANSWER: 4, OUT.BUSY: 1}
# Care's checklist has words for two of the needs; the others travel as "something else" plus the text.
NEED_TO_OBSERVATION = {"loneliness": "lonely", "someone-to-talk-to": "no-one"}
CALLBACK_KEPT = datetime.timedelta(days=1)  # a call back nobody made by then is open to every caller
ID_CHUNK = 5000


# --- Campaigns -----------------------------------------------------------------------------------


def rules_ensure(campaign: CallCampaign) -> None:
    """The default rule table: every outcome once (a re-run adds only what is missing)."""
    have = set(campaign.rules.values_list("outcome", flat=True))
    CallRule.objects.bulk_create(
        [
            CallRule(
                campaign=campaign,
                outcome=outcome,
                action=DEFAULT_ACTION[outcome],
                retry_hours=DEFAULT_RETRY_HOURS.get(outcome, 4),
            )
            for outcome in OUT.values
            if outcome not in have
        ]
    )


def _check_campaign(campaign: CallCampaign, callers: Iterable[User]) -> None:
    errors: dict[str, list[str]] = {}
    if campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = [_("The campaign ends before it starts.")]
    if campaign.calls_until <= campaign.calls_from:
        errors["calls_until"] = [_("Calling ends before it starts in the day.")]
    if campaign.min_age is not None and campaign.max_age is not None and campaign.max_age < campaign.min_age:
        errors["max_age"] = [_("The maximum age is below the minimum age.")]
    members = set(
        NetworkMember.objects.filter(network=campaign.network_id, user__in=[c.pk for c in callers]).values_list(
            "user_id", flat=True
        )
    )
    if any(c.pk not in members for c in callers):
        errors["callers"] = [_("Every caller must be a member of the care network.")]
    if not 1 <= campaign.batch_size <= 50:
        errors["batch_size"] = [_("A batch holds 1 to 50 people.")]
    if not 5 <= campaign.hold_minutes <= 24 * 60:
        errors["hold_minutes"] = [_("Hold a batch between 5 minutes and a day.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_save(
    *, campaign: CallCampaign, areas: Iterable[Area], callers: Iterable[User], actor: User
) -> CallCampaign:
    """Create or change a campaign: the backbone, or the coordinator of its care network."""
    if not access.manages(actor, campaign.network_id):
        raise PermissionDenied
    areas, callers = list(areas), list(callers)
    network = CareNetwork.objects.select_related("area").get(pk=campaign.network_id)
    if any(not a.path.startswith(network.area.path) for a in areas):
        raise ValidationError({"areas": _("Choose neighbourhoods of the care network's area.")})
    _check_campaign(campaign, callers)
    created = campaign.pk is None
    if created:
        campaign.created_by = actor
    campaign.full_clean(exclude=["script", "created_by"])
    campaign.save()
    campaign.areas.set(areas)
    campaign.callers.set(callers)
    rules_ensure(campaign)
    if created:
        call_indicators_ensure()  # the site's first campaign brings the shared indicators
    audit_log(
        actor=actor,
        action="calls.campaign.created" if created else "calls.campaign.changed",
        obj=campaign,
        changes={"callers": len(callers), "areas": [a.code for a in areas]},
    )
    return campaign


@transaction.atomic
def rules_save(*, campaign: CallCampaign, rules: list[CallRule], actor: User) -> None:
    if not access.manages(actor, campaign):
        raise PermissionDenied
    for rule in rules:
        if rule.campaign_id != campaign.pk:
            raise PermissionDenied
        if rule.action not in ALLOWED[rule.outcome]:
            raise ValidationError(
                _("“%(outcome)s” cannot lead to “%(action)s”.")
                % {"outcome": OUT(rule.outcome).label, "action": A(rule.action).label}
            )
        if not 1 <= rule.max_attempts <= 10 or not 1 <= rule.retry_hours <= 24 * 14:
            raise ValidationError(_("Allow 1 to 10 attempts, and 1 hour to 14 days between them."))
    CallRule.objects.bulk_update(rules, ["action", "retry_hours", "max_attempts", "after_last"])
    audit_log(
        actor=actor,
        action="calls.rules.changed",
        obj=campaign,
        changes={r.outcome: [r.action, r.retry_hours, r.max_attempts, r.after_last] for r in rules},
    )


# --- The pool ------------------------------------------------------------------------------------


def phone_digest(phone: str) -> str:
    """A keyed digest of a number in one form (+32 11 22 33 44 and 011/22.33.44 alike), so the
    do-not-call list can be matched without keeping the number."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0032"):
        digits = "0" + digits[4:]
    elif digits.startswith("32") and len(digits) > 9:
        digits = "0" + digits[2:]
    return salted_hmac("samen.calls.do-not-call", digits, algorithm="sha256").hexdigest() if digits else ""


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_entries(campaign: CallCampaign, resident_ids: list[int] | None, today: datetime.date) -> None:
    """One INSERT … SELECT: every resident of the population not yet in the pool, numbered in order.
    The database does the work: the query count does not grow with the population."""
    where = ["r.network_id = %s", "r.erased_at IS NULL"]
    params: list[Any] = [campaign.network_id]
    if resident_ids is not None:
        where.append("r.id IN (" + ", ".join(["%s"] * len(resident_ids)) + ")")
        params += resident_ids
    else:
        if campaign.min_age is not None:
            where.append("r.birth_year <= %s")
            params.append(today.year - campaign.min_age)
        if campaign.max_age is not None:
            where.append("r.birth_year >= %s")
            params.append(today.year - campaign.max_age)
        if campaign.lives_alone_only:
            where.append("r.lives_alone = %s")
            params.append(True)
        paths = [a.path for a in campaign.areas.all()]
        if paths:
            where.append("(" + " OR ".join(["a.path LIKE %s"] * len(paths)) + ")")
            params += [p + "%" for p in paths]
    order = "COALESCE(r.birth_year, 9999), r.id"
    if campaign.order == CallCampaign.Order.NEIGHBOURHOOD:
        order = "a.path, " + order
    entry, resident, area = _table(CallEntry), _table(Resident), _table(Area)
    sql = (
        f"INSERT INTO {entry} (campaign_id, resident_id, area_id, birth_year, position, status, attempts, "  # noqa: S608 (table names from the models; values are parameters)
        "last_outcome, follow_up, needs) "
        f"SELECT %s, r.id, r.area_id, r.birth_year, "
        f"(SELECT COALESCE(MAX(e.position), 0) FROM {entry} e WHERE e.campaign_id = %s) "
        f"+ ROW_NUMBER() OVER (ORDER BY {order}), %s, 0, '', '', '[]' "
        f"FROM {resident} r JOIN {area} a ON a.id = r.area_id "
        f"WHERE {' AND '.join(where)} "
        f"AND NOT EXISTS (SELECT 1 FROM {entry} x WHERE x.campaign_id = %s AND x.resident_id = r.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, campaign.pk, S.WAITING, *params, campaign.pk])


def _exclude_unreachable(campaign: CallCampaign) -> dict[str, int]:
    """Waiting entries whose number is on the network's do-not-call list are never called; those
    without a number go to the data-quality list. One read of the (encrypted) numbers."""
    refusals = list(DoNotCall.objects.filter(network=campaign.network_id).values_list("phone_digest", "resident_id"))
    blocked = {digest for digest, _r in refusals}
    people = {resident for _d, resident in refusals if resident is not None}
    never, no_number = [], []
    for pk, resident, phone in CallEntry.objects.filter(campaign=campaign, status=S.WAITING, attempts=0).values_list(
        "pk", "resident_id", "resident__phone"
    ):
        if resident in people or (blocked and phone and phone_digest(phone) in blocked):
            never.append(pk)
        elif not (phone or "").strip():
            no_number.append(pk)
    for ids, status in ((never, S.NEVER), (no_number, S.DATA_QUALITY)):
        for start in range(0, len(ids), ID_CHUNK):
            CallEntry.objects.filter(pk__in=ids[start : start + ID_CHUNK]).update(status=status)
    return {"never": len(never), "no_number": len(no_number)}


@transaction.atomic
def pool_build(
    *,
    campaign: CallCampaign,
    actor: User | None,
    resident_ids: list[int] | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Put the population in the pool (again: only who is new comes in; nobody is called twice)."""
    if actor is not None and not access.manages(actor, campaign):
        raise PermissionDenied
    today = today or timezone.localdate()
    # One build at a time per campaign (a double click, a build and an import): the second waits.
    CallCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
    before = CallEntry.objects.filter(campaign=campaign).count()
    if resident_ids is None and campaign.population == CallCampaign.Population.FILTER:
        _insert_entries(campaign, None, today)
    for start in range(0, len(resident_ids or []), ID_CHUNK):
        _insert_entries(campaign, (resident_ids or [])[start : start + ID_CHUNK], today)
    excluded = _exclude_unreachable(campaign)
    added = CallEntry.objects.filter(campaign=campaign).count() - before
    CallCampaign.objects.filter(pk=campaign.pk).update(pool_built_at=timezone.now())
    audit_log(actor=actor, action="calls.pool.built", obj=campaign, changes={"added": added, **excluded})
    return {"added": added, **excluded}


def list_import(source: IO[bytes], *, name: str, campaign: CallCampaign, actor: User) -> care_importer.ResidentImport:
    """A list imported for the campaign: care's population-list importer (all rows or none, problems
    by line and column), then exactly those residents into the pool."""
    if not access.coordinates(actor, campaign) or campaign.population != CallCampaign.Population.LIST:
        raise PermissionDenied
    with transaction.atomic():
        result = care_importer.residents_import(source, name=name, network=campaign.network, actor=actor)
        if result.ok:
            _refuse_known_numbers(campaign, result.residents)  # raises: the whole import is undone
            pool_build(campaign=campaign, actor=actor, resident_ids=[r.pk for r in result.residents])
            # They came into care for a campaign: erased once no campaign or care work needs them.
            now = timezone.now()
            ImportedResident.objects.bulk_create(
                [
                    ImportedResident(resident=r, network_id=campaign.network_id, imported_at=now)
                    for r in result.residents
                ]
            )
    return result


def _refuse_known_numbers(campaign: CallCampaign, residents: list[Resident]) -> None:
    """The same list imported twice (or a number twice in it) would have people called twice."""
    known = {
        phone_digest(phone)
        for phone in CallEntry.objects.filter(campaign=campaign).values_list("resident__phone", flat=True)
    }
    seen: set[str] = set()
    twice = 0
    for resident in residents:
        digest = phone_digest(resident.phone)
        if digest and (digest in known or digest in seen):
            twice += 1
        seen.add(digest)
    if twice:
        raise ImportRefused(
            _(
                "%(n)s numbers of the list are in this campaign's pool already, or twice in the list: "
                "nothing was stored. Import only the people who are new."
            )
            % {"n": twice}
        )


# --- Callers: batches and calls --------------------------------------------------------------------


@transaction.atomic
def batch_reserve(*, campaign: CallCampaign, actor: User, now: datetime.datetime | None = None) -> CallBatch:
    """The next people to call, for this caller only: their own call backs that are due first, then
    the pool in order. Rows are locked and skipped when another caller holds them (PostgreSQL), or
    the whole reservation runs alone (SQLite's immediate transactions); the conditional update
    takes only rows still waiting, so two callers never get the same person."""
    if not access.calls_for(actor, campaign):
        raise PermissionDenied
    now = now or timezone.now()
    closed = selectors.calling_closed_reason(campaign, now)
    if closed:
        raise ValidationError(closed)
    # One reservation per caller at a time (a double tap on PostgreSQL would otherwise make two).
    User.objects.select_for_update().filter(pk=actor.pk).first()
    held = selectors.current_batch(campaign, actor, now)
    if held is not None and held.entries.filter(status=S.RESERVED).exists():
        return held
    # A new batch: whatever older batch the caller still has open goes back to the pool now.
    older = CallBatch.objects.filter(campaign=campaign, caller=actor, released_at__isnull=True)
    CallEntry.objects.filter(status=S.RESERVED, batch__in=older).update(status=S.WAITING, batch=None)
    older.update(released_at=now)
    batch = CallBatch.objects.create(
        campaign=campaign,
        caller=actor,
        reserved_at=now,
        hold_until=now + datetime.timedelta(minutes=campaign.hold_minutes),
    )
    ids = list(
        CallEntry.objects.select_for_update(skip_locked=True)
        .filter(campaign=campaign, status=S.WAITING)
        .filter(Q(available_at__isnull=True) | Q(available_at__lte=now))
        .filter(Q(caller__isnull=True) | Q(caller=actor))
        .order_by(F("caller").asc(nulls_last=True), "position")
        .values_list("pk", flat=True)[: campaign.batch_size]
    )
    CallEntry.objects.filter(pk__in=ids, status=S.WAITING).update(status=S.RESERVED, batch=batch)
    _set_aside_refused(CallEntry.objects.filter(batch=batch, status=S.RESERVED), campaign.network_id)
    taken = list(
        CallEntry.objects.filter(batch=batch, status=S.RESERVED).values_list("resident_id", "resident__reference")
    )
    if not taken:
        batch.released_at = now
        batch.save(update_fields=["released_at"])
    audit_log(actor=actor, action="calls.batch.reserved", obj=campaign, changes={"batch": batch.pk, "size": len(taken)})
    return batch


def batch_viewed(*, batch: CallBatch, actor: User, residents: list[tuple[int, str]]) -> None:
    care_services.resident_reads_audit(
        actor=actor, action="calls.resident.viewed", obj=batch.campaign, residents=residents
    )


def _held_by(entry: CallEntry, actor: User, now: datetime.datetime) -> bool:
    batch = entry.batch
    return bool(
        entry.status == S.RESERVED
        and batch is not None
        and batch.caller_id == actor.pk
        and batch.released_at is None
        and batch.hold_until > now
    )


def entry_open(*, entry: CallEntry, actor: User, now: datetime.datetime | None = None) -> CallEntry:
    """A caller opens one person of their batch: refused for anyone else's; the read is audited."""
    if not access.calls_for(actor, entry.campaign) or not _held_by(entry, actor, now or timezone.now()):
        raise PermissionDenied(_("This call is not reserved for you."))
    care_services.resident_reads_audit(
        actor=actor,
        action="calls.resident.viewed",
        obj=entry.campaign,
        residents=[(entry.person.pk, entry.person.reference)],
    )
    return entry


def _check_outcome(
    campaign: CallCampaign,
    outcome: str,
    needs: list[str],
    call_back_at: datetime.datetime | None,
    now: datetime.datetime,
) -> None:
    if timezone.localdate(now) > campaign.ends_on:
        raise ValidationError(_("The campaign has ended."))
    if outcome not in OUT.values:
        raise ValidationError({"outcome": _("Choose how the call went.")})
    if any(n not in NEED_CODES for n in needs):
        raise ValidationError({"needs": _("Choose needs from the checklist.")})
    if outcome == OUT.NEED and not needs:
        raise ValidationError({"needs": _("Check at least one need, or choose “reached, no need”.")})
    if needs and outcome != OUT.NEED:
        # Otherwise a need would be counted as found while nobody passes it on.
        raise ValidationError({"needs": _("You checked a need: choose “reached, with a need”, or uncheck it.")})
    if outcome == OUT.CALL_BACK:
        if call_back_at is None or call_back_at <= now:
            raise ValidationError({"call_back_at": _("Give a day and time to call back, later than now.")})
        if timezone.localtime(call_back_at).date() > campaign.ends_on:
            raise ValidationError({"call_back_at": _("That is after the campaign ends.")})


def _need_signal(entry: CallEntry, needs: list[str], note: str, actor: User) -> Signal:
    labels = dict(NEEDS)
    with translation.override(settings.LANGUAGE_CODE):
        details = _("From the call campaign “%(campaign)s”. Needs: %(needs)s.") % {
            "campaign": entry.campaign.name,
            "needs": ", ".join(str(labels[n]) for n in needs),
        }
    if note:
        details += "\n" + note  # the caller's note is for whoever follows the need up
    observations = list(dict.fromkeys(NEED_TO_OBSERVATION.get(n, "other") for n in needs))
    return care_services.signal_report(
        network=entry.campaign.network,
        area=entry.area,
        source=Signal.Source.MEMBER,
        observations=observations,
        urgency=Signal.Urgency.NORMAL,
        details=details,
        resident=entry.resident,
        actor=actor,
    )


def _set_aside_refused(entries: Any, network_id: int) -> int:
    """Entries whose number (or person) is on the network's do-not-call list: never called. Reads
    the numbers of the entries given only (a batch, the live batches), never the whole pool."""
    refusals = list(DoNotCall.objects.filter(network=network_id).values_list("phone_digest", "resident_id"))
    if not refusals:
        return 0
    blocked = {digest for digest, _r in refusals}
    people = {resident for _d, resident in refusals if resident is not None}
    never = [
        pk
        for pk, resident, phone in entries.values_list("pk", "resident_id", "resident__phone")
        if resident in people or (phone and phone_digest(phone) in blocked)
    ]
    return CallEntry.objects.filter(pk__in=never).update(status=S.NEVER, batch=None, caller=None)


def _never_again(entry: CallEntry, now: datetime.datetime) -> None:
    """Per number, per network: this person and anyone on the same number (a shared landline, the
    same person imported twice) are not called again — now (waiting, or in a live batch), in later
    batches (checked at reservation) and in later pools and re-imported lists (checked at build)."""
    digest = phone_digest(entry.person.phone)
    if digest:
        DoNotCall.objects.get_or_create(
            network_id=entry.campaign.network_id,
            phone_digest=digest,
            defaults={"resident": entry.resident, "recorded_at": now},
        )
    CallEntry.objects.filter(resident=entry.resident, status__in=[S.WAITING, S.RESERVED]).exclude(pk=entry.pk).update(
        status=S.NEVER, batch=None, caller=None
    )
    live = CallEntry.objects.filter(campaign__network=entry.campaign.network_id, status=S.RESERVED).exclude(pk=entry.pk)
    _set_aside_refused(live, entry.campaign.network_id)


@transaction.atomic
def attempt_record(
    *,
    entry: CallEntry,
    actor: User,
    outcome: str,
    answers: dict[str, str] | None = None,
    needs: list[str] | None = None,
    call_back_at: datetime.datetime | None = None,
    note: str = "",
    debrief: bool = False,
    now: datetime.datetime | None = None,
) -> CallAttempt:
    """Record one call and apply the campaign's rule for its outcome. Only the caller holding the
    entry in a live batch may; the entry row is locked, so a double submit records once."""
    now = now or timezone.now()
    needs = list(dict.fromkeys(needs or []))
    entry = (
        CallEntry.objects.select_for_update(of=("self",))
        .select_related("campaign__network", "batch", "resident", "area")
        .get(pk=entry.pk)
    )
    if not access.calls_for(actor, entry.campaign) or not _held_by(entry, actor, now):
        raise PermissionDenied(_("This call is not reserved for you."))
    _check_outcome(entry.campaign, outcome, needs, call_back_at, now)
    rule = CallRule.objects.get(campaign=entry.campaign, outcome=outcome)
    attempt = CallAttempt(
        entry=entry,
        caller=actor,
        at=now,
        outcome=outcome,
        answers=answers or {},
        needs=needs,
        call_back_at=call_back_at if outcome == OUT.CALL_BACK else None,
        note=note.strip(),
        debrief=debrief,
    )
    batch_id = entry.batch_id
    entry.attempts += 1
    entry.last_outcome = outcome
    entry.batch = None
    entry.caller = None
    entry.available_at = None
    if needs:
        entry.needs = sorted(set(entry.needs) | set(needs))
    _apply(rule, entry, attempt, actor, now)
    attempt.save()
    entry.save()
    # Working on a batch keeps it: the hold starts again from this call.
    CallBatch.objects.filter(pk=batch_id or 0, released_at__isnull=True, hold_until__gt=now).update(
        hold_until=now + datetime.timedelta(minutes=entry.campaign.hold_minutes)
    )
    audit_log(
        actor=actor,
        action="calls.call.recorded",
        obj=entry.resident,
        changes={
            "resident": entry.person.reference,
            "campaign": entry.campaign_id,
            "outcome": outcome,
            "status": entry.status,
            "signal": attempt.signal.reference if attempt.signal else "",
        },
    )
    return attempt


def _apply(rule: CallRule, entry: CallEntry, attempt: CallAttempt, actor: User, now: datetime.datetime) -> None:
    """The rule table, in one place."""
    if rule.action == A.DONE:
        entry.status = S.DONE
    elif rule.action == A.SIGNAL:
        entry.status = S.DONE
        attempt.signal = entry.signal = _need_signal(entry, attempt.needs, attempt.note, actor)
    elif rule.action == A.RETRY:
        if entry.attempts >= rule.max_attempts:
            entry.status, entry.follow_up = S.FOLLOW_UP, rule.after_last
        else:
            entry.status, entry.available_at = S.WAITING, now + datetime.timedelta(hours=rule.retry_hours)
    elif rule.action == A.DATA_QUALITY:
        entry.status = S.DATA_QUALITY
    elif rule.action == A.NEVER:
        _never_again(entry, now)
        entry.status = S.NEVER
    elif rule.action == A.CALL_BACK:
        entry.status, entry.available_at, entry.caller = S.WAITING, attempt.call_back_at, actor


@transaction.atomic
def batches_expire(*, now: datetime.datetime | None = None) -> int:
    """Batches not worked on within their hold go back to the pool; call backs kept for a caller who
    did not make them are opened to every caller after a day. Safe to run late or twice."""
    now = now or timezone.now()
    expired = CallBatch.objects.filter(released_at__isnull=True, hold_until__lte=now)
    back = CallEntry.objects.filter(status=S.RESERVED, batch__in=expired).update(status=S.WAITING, batch=None)
    expired.update(released_at=now)
    CallEntry.objects.filter(status=S.WAITING, caller__isnull=False, available_at__lt=now - CALLBACK_KEPT).update(
        caller=None
    )
    return back


@transaction.atomic
def batch_release(*, batch: CallBatch, actor: User, now: datetime.datetime | None = None) -> int:
    """The caller stops: who they did not call goes back to the pool at once."""
    if batch.caller_id != actor.pk:
        raise PermissionDenied
    back = CallEntry.objects.filter(status=S.RESERVED, batch=batch).update(status=S.WAITING, batch=None)
    CallBatch.objects.filter(pk=batch.pk).update(released_at=now or timezone.now())
    return back


# --- The coordinator's lists -----------------------------------------------------------------------


def _coordinated_entry(entry: CallEntry, actor: User, status: str) -> None:
    if not access.coordinates(actor, entry.campaign) or entry.status != status:
        raise PermissionDenied


@transaction.atomic
def number_checked(*, entry: CallEntry, actor: User) -> CallEntry:
    """After the resident's number is corrected in care: back in the pool."""
    _coordinated_entry(entry, actor, S.DATA_QUALITY)
    if not entry.person.phone.strip():
        raise ValidationError(_("This resident still has no number: add it on their page in the care network first."))
    CallEntry.objects.filter(pk=entry.pk, status=S.DATA_QUALITY).update(status=S.WAITING, available_at=None)
    entry.status = S.WAITING
    if _set_aside_refused(CallEntry.objects.filter(pk=entry.pk), entry.campaign.network_id):
        entry.status = S.NEVER
    audit_log(
        actor=actor, action="calls.number.checked", obj=entry.resident, changes={"resident": entry.person.reference}
    )
    return entry


@transaction.atomic
def follow_up_done(*, entry: CallEntry, actor: User) -> CallEntry:
    """The letter is sent or the home visit made."""
    _coordinated_entry(entry, actor, S.FOLLOW_UP)
    now = timezone.now()
    CallEntry.objects.filter(pk=entry.pk, status=S.FOLLOW_UP).update(status=S.CLOSED, follow_up_done_at=now)
    entry.status, entry.follow_up_done_at = S.CLOSED, now
    audit_log(
        actor=actor,
        action="calls.follow_up.done",
        obj=entry.resident,
        changes={"resident": entry.person.reference, "follow_up": entry.follow_up},
    )
    return entry


@transaction.atomic
def debrief_done(*, attempt: CallAttempt, actor: User) -> CallAttempt:
    if not access.coordinates(actor, attempt.entry.campaign) or not attempt.debrief or attempt.debriefed_at:
        raise PermissionDenied
    attempt.debriefed_at = timezone.now()
    CallAttempt.objects.filter(pk=attempt.pk).update(debriefed_at=attempt.debriefed_at)
    audit_log(actor=actor, action="calls.debriefed", obj=attempt.entry.campaign, changes={"call": attempt.pk})
    return attempt


def residents_viewed(
    *, actor: User, campaign: CallCampaign | TelephoneCircle, what: str, residents: list[tuple[int, str]]
) -> None:
    care_services.resident_reads_audit(actor=actor, action=f"calls.{what}.viewed", obj=campaign, residents=residents)


# --- Telephone circles -----------------------------------------------------------------------------


@transaction.atomic
def circle_save(*, circle: TelephoneCircle, residents: list[Resident], actor: User) -> TelephoneCircle:
    """A circle of 3 to 12 residents of one network, in the order they call each other."""
    if not access.coordinates(actor, circle.network_id):
        raise PermissionDenied
    if not 3 <= len(residents) <= 12:
        raise ValidationError({"residents": _("A circle has 3 to 12 residents.")})
    if any(r.network_id != circle.network_id or r.erased_at for r in residents):
        raise ValidationError({"residents": _("Every resident must be of this care network.")})
    if care_access.membership(circle.key_holder, circle.network_id) is None:
        raise ValidationError({"key_holder": _("The key holder must be a pledged member of the care network.")})
    circle.full_clean()
    created = circle.pk is None
    circle.save()
    CircleMember.objects.filter(circle=circle).delete()
    CircleMember.objects.bulk_create(
        [CircleMember(circle=circle, resident=r, position=i) for i, r in enumerate(residents, start=1)]
    )
    audit_log(
        actor=actor,
        action="calls.circle.created" if created else "calls.circle.changed",
        obj=circle,
        changes={"residents": len(residents)},
    )
    # On each resident's own trail too: that they were put in this circle.
    care_services.resident_reads_audit(
        actor=actor, action="calls.circle.placed", obj=circle, residents=[(r.pk, r.reference) for r in residents]
    )
    return circle


@transaction.atomic
def circle_confirm(*, circle: TelephoneCircle, actor: User, now: datetime.datetime | None = None) -> CircleDay:
    """The last of the circle called the key holder: today's round is complete."""
    if not access.sees_circle(actor, circle):
        raise PermissionDenied
    now = now or timezone.now()
    day, _created = CircleDay.objects.get_or_create(circle=circle, day=timezone.localdate(now))
    if day.confirmed_at is None:
        day.confirmed_at, day.confirmed_by = now, actor
        day.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_log(actor=actor, action="calls.circle.confirmed", obj=circle, changes={"day": day.day.isoformat()})
    return day


def _circle_mail(circle: TelephoneCircle, emails: list[str], step: str) -> None:
    for email in emails:
        mail_enqueue(
            "calls/circle_unconfirmed",
            to=email,
            context={"circle": circle.name, "step": step, "url": absolute_url(circle.get_absolute_url())},
            language=settings.LANGUAGE_CODE,
        )


@transaction.atomic
def circles_alert(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Today's round not confirmed by its time: the key holder is told; still not, after the
    circle's grace, the network's coordinators. Stored per day, so no alert repeats or is skipped."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    counts = {"key_holder": 0, "coordinator": 0}
    for circle in TelephoneCircle.objects.filter(is_active=True).select_related("key_holder"):
        due = datetime.datetime.combine(local.date(), circle.confirm_by, tzinfo=local.tzinfo)
        if local < due:
            continue
        day, _created = CircleDay.objects.select_for_update().get_or_create(circle=circle, day=local.date())
        if day.confirmed_at is not None:
            continue
        # A key holder who is no longer a pledged member of the network could not open the circle:
        # the alert goes straight to the coordinators.
        holder_ok = care_access.membership(circle.key_holder, circle.network_id) is not None
        if day.key_holder_alerted_at is None and holder_ok:
            day.key_holder_alerted_at = now
            day.save(update_fields=["key_holder_alerted_at"])
            _circle_mail(circle, [circle.key_holder.email], "key-holder")
            audit_log(actor=None, action="calls.circle.alerted", obj=circle, changes={"to": "key holder"})
            counts["key_holder"] += 1
        elif day.coordinator_alerted_at is None and (
            not holder_ok or local >= due + datetime.timedelta(minutes=circle.escalate_after_minutes)
        ):
            day.coordinator_alerted_at = now
            day.save(update_fields=["coordinator_alerted_at"])
            emails = list(
                NetworkMember.objects.filter(
                    network=circle.network_id, is_coordinator=True, user__is_active=True
                ).values_list("user__email", flat=True)
            )
            _circle_mail(circle, emails, "coordinator")
            audit_log(actor=None, action="calls.circle.alerted", obj=circle, changes={"to": "coordinator"})
            counts["coordinator"] += 1
    return counts


# --- Data rights -----------------------------------------------------------------------------------


@transaction.atomic
def campaigns_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Campaigns ended longer than care's retention period ago lose every link to a person: the
    calls' notes, answers, needs and call-back times, the entries' residents, years of birth and
    signals. Outcomes, attempts, areas and dates stay for the counts. Audited; safe to run again."""
    now = now or timezone.now()
    before = timezone.localdate(now) - datetime.timedelta(days=settings.SAMEN_CARE_RETENTION_DAYS)
    campaigns = list(CallCampaign.objects.filter(ends_on__lt=before, anonymised_at__isnull=True))
    for campaign in campaigns:
        CallAttempt.objects.filter(entry__campaign=campaign).update(
            answers={}, needs=[], note="", call_back_at=None, signal=None, debrief=False
        )
        CallEntry.objects.filter(campaign=campaign).exclude(status__in=[S.DONE, S.NEVER]).update(status=S.CLOSED)
        CallEntry.objects.filter(campaign=campaign).update(
            resident=None, birth_year=None, needs=[], signal=None, batch=None, caller=None
        )
        CallCampaign.objects.filter(pk=campaign.pk).update(anonymised_at=now)
        audit_log(actor=None, action="calls.campaign.anonymised", obj=campaign)
    if campaigns:
        imported_residents_erase()
    return len(campaigns)


def imported_residents_erase() -> int:
    """Residents who came into care with a campaign's imported list and whom nothing needs any more
    are erased (care's erasure): no campaign still holds them in its pool (an anonymised one holds
    nobody), and care has not come to know them otherwise: no case, signal (a need found on a
    call is one), consent, survey answer, linked activity or telephone circle."""
    in_a_pool = CallEntry.objects.filter(resident=OuterRef("resident"))
    in_circle = CircleMember.objects.filter(resident=OuterRef("resident"))
    done = (
        ImportedResident.objects.filter(
            resident__erased_at__isnull=True,
            resident__cases__isnull=True,
            resident__signals__isnull=True,
            resident__consents__isnull=True,
            resident__answers__isnull=True,
            resident__activities__isnull=True,
        )
        .exclude(Exists(in_a_pool))
        .exclude(Exists(in_circle))
        .select_related("resident")
        .distinct()
    )
    erased = 0
    for row in list(done):
        care_services.resident_erase_retained(resident=row.resident, reason="calls.imported-list")
        erased += 1
    ImportedResident.objects.filter(resident__erased_at__isnull=False).delete()
    return erased


def resident_calls_erase(resident: Resident) -> None:
    """Erasure: the calls' answers, needs and notes go; outcomes and dates stay for the counts."""
    CallAttempt.objects.filter(entry__resident=resident).update(answers={}, needs=[], note="", call_back_at=None)
    CallEntry.objects.filter(resident=resident).exclude(status__in=[S.DONE, S.CLOSED]).update(
        status=S.CLOSED, batch=None, caller=None
    )
    CallEntry.objects.filter(resident=resident).update(needs=[], birth_year=None, signal=None)
    CallAttempt.objects.filter(entry__resident=resident).update(signal=None)
    CircleMember.objects.filter(resident=resident).delete()
    # The number's digest stays on the do-not-call list (the objection holds), unlinked from the person.
    DoNotCall.objects.filter(resident=resident).update(resident=None)
