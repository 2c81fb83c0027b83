"""Writes of communication: news, follows, notifications and preferences (digests: digests.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samen.communication.mail import notifications_email
from samen.communication.models import (
    FOLLOW_MODELS,
    Channel,
    Follow,
    FollowKind,
    Frequency,
    NewsItem,
    Notification,
    Preference,
    Profile,
    Topic,
    follow_public,
)
from samen.communication.selectors import (
    DEFAULTS,
    NEWS_TAGS,
    follow_labels,
    followers,
    news_may_write,
    news_targets,
    preferences_for,
)
from samen.communication.text import plain_text_clean, rich_text_clean
from samen.core.audit import audit_log
from samen.core.permissions import is_backbone
from samen.core.slugs import unique_slug
from samen.core.tasks import enqueue

# --- News ------------------------------------------------------------------------------------

# Paths under /news/ that are pages, not items.
RESERVED_SLUGS = ("write", "drafts")


@transaction.atomic
def news_save(*, item: NewsItem, actor: Any, tags: Mapping[str, Iterable[Any]] | None = None) -> NewsItem:
    """Create or update a news item: cleaned text, checked rights, published now if its moment has come."""
    if not news_may_write(actor, item.organisation):
        raise PermissionDenied(_("You may write news only for an organisation you edit."))
    for lang in ("nl", "en"):
        for field in ("title", "summary"):
            setattr(item, f"{field}_{lang}", plain_text_clean(getattr(item, f"{field}_{lang}")))
        setattr(item, f"body_{lang}", rich_text_clean(getattr(item, f"body_{lang}")))
    if not (item.title_nl or item.title_en):
        raise ValidationError({"title_nl": _("Give the news a title, in Dutch or English.")})
    if item.image and not item.image_alt.strip():
        raise ValidationError({"image_alt": _("Say what the image shows, for people who cannot see it.")})
    if item._state.adding:  # not saved yet (django-stubs types `pk` as never None)
        item.author = actor
    if not item.slug:
        item.slug = unique_slug(NewsItem, item.title_nl or item.title_en, fallback="news", reserved=RESERVED_SLUGS)
    if item.published_at is None and item.publish_at is not None and not is_backbone(actor):
        # A partner editor publishes now or later, never in the past (the backbone may date an older item).
        item.publish_at = max(item.publish_at, timezone.now())
    item.full_clean(exclude=["author", *NEWS_TAGS])
    created = item.pk is None
    item.save()
    for name, values in (tags or {}).items():
        if name in NEWS_TAGS:
            getattr(item, name).set(values)
    audit_log(actor=actor, action="news.created" if created else "news.updated", obj=item)
    if item.published_at is None and item.publish_at is not None and item.publish_at <= timezone.now():
        news_publish(item=item)
    return item


@transaction.atomic
def news_publish(*, item: NewsItem) -> bool:
    """Publish a news item whose moment has come, once: its followers hear about it after the commit."""
    done = NewsItem.objects.filter(pk=item.pk, published_at__isnull=True).update(
        published_at=item.publish_at or timezone.now()
    )
    if not done:
        return False
    item.refresh_from_db(fields=["published_at"])
    audit_log(actor=None, action="news.published", obj=item)
    transaction.on_commit(lambda: news_notify(item_id=item.pk))
    return True


def news_publish_due(*, now: datetime.datetime | None = None) -> int:
    """Publish every scheduled item whose moment has passed (the periodic job)."""
    now = now or timezone.now()
    count = 0
    for item in NewsItem.objects.filter(published_at__isnull=True, publish_at__lte=now):
        count += news_publish(item=item)
    return count


def news_notify(*, item_id: int) -> int:
    item = NewsItem.objects.get(pk=item_id)
    texts = {}
    for lang in ("nl", "en"):
        with translation.override(lang):
            texts[lang] = _("News: %(title)s") % {"title": item.in_language(lang)["title"]}
    return followers_notify(
        topic=Topic.NEWS,
        targets=news_targets(item),
        texts=texts,
        url=item.get_absolute_url(),
        exclude=item.author_id,
        key=f"news:{item.pk}",
    )


# --- Follows ---------------------------------------------------------------------------------


def follow_set(*, user: Any, kind: str, object_id: int, following: bool) -> bool:
    """Follow or stop following one thing; following something that does not exist is refused."""
    if kind not in FOLLOW_MODELS:
        raise ValidationError(_("This cannot be followed."))
    if following:
        if not follow_public(kind).filter(pk=object_id).exists():
            raise ValidationError(_("This cannot be followed."))
        try:
            with transaction.atomic():
                Follow.objects.get_or_create(user=user, kind=kind, object_id=object_id)
        except IntegrityError:
            pass  # a double click: already followed
        return True
    Follow.objects.filter(user=user, kind=kind, object_id=object_id).delete()
    return False


@transaction.atomic
def follow_defaults_apply(*, user: Any) -> int:
    """Sensible follows from the profile, once: interests, neighbourhood, organisations, joined activities."""
    profile = profile_get(user)
    if profile.defaults_applied:
        return 0
    member = getattr(user, "member", None)
    wanted: list[tuple[str, int]] = []
    if member is not None:
        wanted += [(FollowKind.DOMAIN, pk) for pk in member.interests.values_list("pk", flat=True)]
        if member.neighbourhood_id:
            wanted.append((FollowKind.AREA, member.neighbourhood_id))
        wanted += [(FollowKind.ORGANISATION, pk) for pk in member.memberships.values_list("organisation_id", flat=True)]
        wanted += [
            (FollowKind.ACTIVITY, pk)
            for pk in member.role_signups.values_list("role__activity_id", flat=True).distinct()
        ]
    Follow.objects.bulk_create(
        [Follow(user=user, kind=kind, object_id=pk) for kind, pk in dict.fromkeys(wanted)], ignore_conflicts=True
    )
    profile.defaults_applied = True
    profile.save(update_fields=["defaults_applied"])
    return len(wanted)


# --- Profile and preferences -----------------------------------------------------------------


def profile_get(user: Any, *, language: str | None = None) -> Profile:
    """A person's settings; made on first use in the language they are using the site in."""
    language = language if language in ("nl", "en") else "nl"
    profile, _created = Profile.objects.get_or_create(user=user, defaults={"language": language})
    return profile


@transaction.atomic
def profile_update(
    *,
    user: Any,
    language: str,
    quiet_from: datetime.time | None,
    quiet_until: datetime.time | None,
    newsletter_consent: bool,
    grid: Mapping[tuple[str, str], str],
) -> Profile:
    """Save the preference grid, the quiet time, the mail language and the newsletter consent (with its date)."""
    profile = profile_get(user)
    if newsletter_consent and not profile.newsletter_consent:
        profile.newsletter_consent_at = timezone.now()
    if not newsletter_consent:
        profile.newsletter_consent_at = None
    before = profile.newsletter_consent
    profile.newsletter_consent = newsletter_consent
    profile.language = language
    profile.quiet_from, profile.quiet_until = quiet_from, quiet_until
    profile.full_clean()
    profile.save()
    for (topic, channel), frequency in grid.items():
        if (topic, channel) not in DEFAULTS or frequency not in Frequency.values:
            raise ValidationError(_("Choose how often for every topic and channel."))
        Preference.objects.update_or_create(user=user, topic=topic, channel=channel, defaults={"frequency": frequency})
    if before != newsletter_consent:
        audit_log(
            actor=user,
            action="newsletter.consent_given" if newsletter_consent else "newsletter.consent_withdrawn",
            obj=profile,
        )
    return profile


# --- Notifications ---------------------------------------------------------------------------


def followers_notify(
    *,
    topic: str,
    targets: Iterable[tuple[str, int]],
    texts: Mapping[str, str],
    url: str,
    key: str,
    exclude: int | None = None,
) -> int:
    """Tell everyone who follows any of the targets, once per person and per `key` (the thing announced)."""
    found = followers(targets)
    found.pop(exclude, None)  # type: ignore[arg-type]
    labels = follow_labels(set(found.values()))
    via = {u: labels.get(t, "") for u, t in found.items()}
    return users_notify(topic=topic, user_ids=list(found), texts=texts, url=url, via=via, key=key)


def users_notify(
    *,
    topic: str,
    user_ids: Iterable[int],
    texts: Mapping[str, str],
    url: str = "",
    via: Mapping[int, str] | None = None,
    key: str = "",
) -> int:
    """Tell people something: in the site and/or by mail, as each person's grid says; returns how many heard.

    With a `key`, who heard of that thing already (through another follow, or an earlier announcement) is left out,
    and the unique (user, key) keeps two announcements at the same moment to one notification each."""
    ids = list(dict.fromkeys(user_ids))
    if ids and key:
        heard = set(Notification.objects.filter(key=key, user_id__in=ids).values_list("user_id", flat=True))
        ids = [pk for pk in ids if pk not in heard]
    if not ids:
        return 0
    grids = preferences_for(ids)
    languages = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    now = timezone.now()
    rows = [
        Notification(
            user_id=pk,
            topic=topic,
            text=texts.get(languages.get(pk, "nl")) or texts.get("nl") or "",
            url=url,
            key=key,
            via=(via or {}).get(pk, "")[:200],
            created_at=now,
            # A topic that is off in the site is still kept for the mail; it is then marked read.
            read_at=None if grids[pk][(topic, Channel.SITE)] != Frequency.OFF else now,
        )
        for pk in ids
        if grids[pk][(topic, Channel.SITE)] != Frequency.OFF or grids[pk][(topic, Channel.EMAIL)] != Frequency.OFF
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    if key:  # an announcement at the same moment may have told some of them first: count only who heard now
        told = set(
            Notification.objects.filter(key=key, user_id__in=ids, created_at=now).values_list("user_id", flat=True)
        )
        ids, rows = [pk for pk in ids if pk in told], [r for r in rows if r.user_id in told]
    immediate = [pk for pk in ids if grids[pk][(topic, Channel.EMAIL)] == Frequency.IMMEDIATELY]
    if immediate:
        enqueue(notifications_email, immediate)
    return len(rows)


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
