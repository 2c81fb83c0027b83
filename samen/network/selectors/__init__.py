"""Reads of the network that pages share, with their joins chosen once."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, Prefetch, Q, QuerySet

from samen.core.models import AuditEntry
from samen.core.signals import personal_data_export
from samen.network.models import JoinInvitation, Member, Membership, Organisation, PartnerProposal, Sector, User


def editor_memberships() -> QuerySet[Membership]:
    """The memberships that make their person a partner editor of the organisation: marked editor, of an active
    person in the group `partner-editors` (docs/architecture.md, "Roles"). Taking someone out of the group, or
    the mark off the membership, withdraws the right. Every answer to "who edits which organisation" is built on
    this one queryset: `organisations_edited_by`, `editable_organisations`, `network.rules.edits_organisation_of`,
    and the apps that ask it for many people at once (whom to tell, what waits in whose inbox)."""
    from samen.core.permissions import PARTNER_EDITORS

    return Membership.objects.filter(
        is_editor=True, member__user__is_active=True, member__user__groups__name=PARTNER_EDITORS
    )


def standing_memberships() -> QuerySet[Membership]:
    """The memberships that say someone works at (or volunteers for) the organisation: confirmed by it, or its
    editor's. A role only claimed on a profile is not enough (anyone can claim one anywhere). This is not the
    editor rule (`editor_memberships`): an editor membership out of the group still says where one works."""
    return Membership.objects.filter(Q(is_confirmed=True) | Q(is_editor=True))


def editable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations this person may edit (and act for): every one for the backbone (coordinators and
    admins), those they are a partner editor of for anyone else. The predicate `edits_organisation_of` answers
    the same for one organisation."""
    from samen.core.permissions import is_backbone

    if is_backbone(user):
        return Organisation.objects.order_by("name")
    return organisations_edited_by(user)


def organisations_edited_by(user: Any) -> QuerySet[Organisation]:
    """The organisations this person is a partner editor of (for the backbone too: only their own)."""
    from samen.core.permissions import is_partner_editor

    if not is_partner_editor(user):  # the group, known on the user for the request: no query for most people
        return Organisation.objects.none()
    mine = editor_memberships().filter(member__user=user).values("organisation_id")
    return Organisation.objects.filter(pk__in=mine).order_by("name")


def organisations_for_directory(*, sector: str = "", domain: str = "", query: str = "") -> QuerySet[Organisation]:
    if any("\x00" in text for text in (sector, domain, query)):
        return Organisation.objects.none()  # PostgreSQL cannot even compare with a NUL; nothing has one
    orgs = Organisation.objects.select_related("sector").prefetch_related("action_domains")
    if sector:
        orgs = orgs.filter(sector__slug=sector)
    if domain:
        orgs = orgs.filter(action_domains__slug=domain)
    if query:
        orgs = orgs.filter(
            Q(name__icontains=query) | Q(description_nl__icontains=query) | Q(description_en__icontains=query)
        )
    return orgs.distinct().order_by("name")


def sectors_with_organisations(*, per_sector: int = 8) -> QuerySet[Sector]:
    """Sectors with their organisation count and (a sliced prefetch) the first few by name."""
    return Sector.objects.prefetch_related(
        Prefetch(
            "organisations", queryset=Organisation.objects.order_by("name")[:per_sector], to_attr="first_organisations"
        )
    ).annotate(organisation_count=Count("organisations"))


def network_figures() -> dict[str, int]:
    """Key figures of the home page, in two queries whatever the size of the network."""
    orgs = Organisation.objects.aggregate(partners=Count("pk"), sectors=Count("sector", distinct=True))
    return {
        "partners": orgs["partners"],
        "sectors_covered": orgs["sectors"],
        "members": Member.objects.filter(user__is_active=True).count(),
    }


def organisation_public_people(organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.filter(is_confirmed=True, member__show_publicly=True, member__user__is_active=True)
        .select_related("member__user", "member__neighbourhood")
        .order_by("member__user__first_name", "member__user__last_name")
    )


def organisation_people_to_confirm(organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.filter(is_confirmed=False, member__user__is_active=True)
        .select_related("member__user")
        .order_by("member__user__first_name", "member__user__last_name")
    )


def member_for_profile(user: User) -> Member:
    return Member.objects.select_related("user", "neighbourhood").get(user=user)


def audit_entries_about(user: User) -> QuerySet[AuditEntry]:
    """Audit entries whose object is this person, their profile or one of their memberships."""
    memberships = [str(pk) for pk in Membership.objects.filter(member__user=user).values_list("pk", flat=True)]
    member = Member.objects.filter(user=user).values_list("pk", flat=True).first()
    return AuditEntry.objects.filter(
        Q(object_type="network.user", object_id=str(user.pk))
        | Q(object_type="network.member", object_id=str(member))
        | Q(object_type="network.membership", object_id__in=memberships)
    )


def member_data_export(user: User) -> dict[str, Any]:
    """Everything Samen holds about a person, for GDPR art. 15 and 20."""
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]  # allauth ships no type hints
    from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]  # allauth ships no type hints

    member = Member.objects.filter(user=user).select_related("neighbourhood").first()
    data: dict[str, Any] = {
        "format": "samen-personal-data/1",
        "user": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # The kinds of second factor only: their secrets are not personal data to hand out.
        "second_factors": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        "actions_in_audit_trail": [
            {"at": a.at.isoformat(), "action": a.action, "object": a.object_repr}
            for a in AuditEntry.objects.filter(actor=user).order_by("at")
        ],
        "audit_entries_about_me": [
            {"at": a.at.isoformat(), "action": a.action, "changes": a.changes}
            for a in audit_entries_about(user).order_by("at")
        ],
    }
    if member is not None:
        data["member"] = {
            "joined_on": member.joined_on.isoformat(),
            "neighbourhood": member.neighbourhood.name if member.neighbourhood else None,
            "interests": sorted(member.interests.values_list("slug", flat=True)),
            "skills": sorted(member.skills.values_list("slug", flat=True)),
            "bio": member.bio,
            "show_publicly": member.show_publicly,
            "show_neighbourhood_publicly": member.show_neighbourhood_publicly,
            "availability": list(member.availability),
            "circle": member.circle,
            "brought_by": member.brought_by.user.get_full_name() if member.brought_by else None,
            "organisations": [
                {
                    "organisation": m.organisation.name,
                    "role": m.role_title,
                    "confirmed": m.is_confirmed,
                    "editor": m.is_editor,
                }
                for m in member.memberships.select_related("organisation")
            ],
        }
    if member is not None:
        data["invitations_sent"] = [
            {
                "kind": i.kind,
                "email": i.email,
                "message": i.message,
                "organisation": i.organisation.name if i.organisation else None,
                "created_at": i.created_at.isoformat(),
                "people_who_joined": i.uses,
            }
            for i in member.invitations.select_related("organisation").order_by("created_at")
        ]
        data["partner_proposals"] = [
            {"name": p.name, "website": p.website, "reason": p.reason, "status": p.status}
            for p in member.partner_proposals.order_by("pk")
        ]
    data["invitation_used"] = [
        {"kind": i.kind, "used_at": i.used_at.isoformat() if i.used_at else None}
        for i in JoinInvitation.objects.filter(used_by__user=user)
    ]
    # Apps above network (event registrations, ...) add what they hold; network does not know them.
    for _receiver, sections in personal_data_export.send(sender=User, user=user):
        data.update(cast("dict[str, Any] | None", sections) or {})  # a receiver returns its sections
    return data


def members_brought(member: Member) -> list[Member]:
    """Whom a member brought, each with whom they brought in turn (two generations, two queries).

    The member never brought the second generation: only those who show themselves publicly are
    named (`brought_in_turn`), the others counted (`brought_in_turn_unnamed`)."""
    unnamed = Q(brought__user__is_active=True, brought__show_publicly=False)
    return list(
        Member.objects.filter(brought_by=member, user__is_active=True)
        .select_related("user")
        .annotate(brought_in_turn_unnamed=Count("brought", filter=unnamed))
        .prefetch_related(
            Prefetch(
                "brought",
                queryset=Member.objects.filter(user__is_active=True, show_publicly=True)
                .select_related("user")
                .order_by("joined_on"),
                to_attr="brought_in_turn",
            )
        )
        .order_by("joined_on", "pk")
    )


def invitations_sent(member: Member, *, organisation: Organisation | None = None) -> QuerySet[JoinInvitation]:
    sent = JoinInvitation.objects.filter(inviter=member).exclude(kind=JoinInvitation.Kind.LINK)
    if organisation is not None:
        sent = sent.filter(organisation=organisation)
    return sent.select_related("used_by__user", "organisation").order_by("-created_at")[:50]


def partner_proposals_pending() -> QuerySet[PartnerProposal]:
    return (
        PartnerProposal.objects.filter(status=PartnerProposal.Status.PENDING)
        .select_related("proposed_by__user", "sector")
        .order_by("created_at")
    )
