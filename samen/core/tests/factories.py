"""Plain functions that make test data: the fixtures in the root conftest call them per test, and
`shared_data` fixtures call them once per module (see docs/development.md)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any

_counter = itertools.count(1)


def make_sector(slug: str | None = None, **fields: Any) -> Any:
    from samen.network.models import Sector

    slug = slug or f"sector-{next(_counter)}"
    return Sector.objects.create(
        slug=slug, name_nl=fields.pop("name_nl", slug), name_en=fields.pop("name_en", slug), **fields
    )


def make_domain(slug: str | None = None, **fields: Any) -> Any:
    from samen.agenda.models import ActionDomain

    slug = slug or f"domain-{next(_counter)}"
    return ActionDomain.objects.create(
        slug=slug,
        name_nl=fields.pop("name_nl", f"Domein {slug}"),
        name_en=fields.pop("name_en", f"Domain {slug}"),
        **fields,
    )


def make_org(slug: str | None = None, sector: Any = None, domains: Iterable[Any] = (), **fields: Any) -> Any:
    from samen.network.models import Organisation

    slug = slug or f"org-{next(_counter)}"
    org = Organisation.objects.create(
        slug=slug,
        name=fields.pop("name", slug.replace("-", " ").title()),
        sector=sector or make_sector(),
        joined_on=fields.pop("joined_on", datetime.date(2020, 1, 1)),
        **fields,
    )
    org.action_domains.set(domains)
    return org


def make_user(
    email: str | None = None, password: str = "a-Good-passw0rd", groups: Iterable[str] = (), **fields: Any
) -> Any:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from samen.network.models import User
    from samen.network.services import member_create

    email = email or f"person{next(_counter)}@example.org"
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    member_create(user=user)
    return user


# --- Named people of every role (the fixtures `org`, `other_org`, `member`, `editor`, ...) ----------


def make_our_org() -> Any:
    return make_org("wijkzorg-runkst", name="Wijkzorg Runkst")


def make_other_org() -> Any:
    return make_org("apotheek-de-linde", name="Apotheek De Linde")


def make_member() -> Any:
    return make_user("mila@example.org", first_name="Mila", last_name="Lid")


def make_editor(org: Any) -> Any:
    from samen.core.permissions import PARTNER_EDITORS
    from samen.network.models import Membership

    user = make_user("eva@example.org", first_name="Eva", last_name="Redacteur", groups=[PARTNER_EDITORS])
    Membership.objects.create(member=user.member, organisation=org, role_title="coördinator", is_editor=True)
    return user


def make_former_editor(org: Any) -> Any:
    """An editor membership at `org`, but out of the group `partner-editors` (the right withdrawn there): a
    member like any other for every page and action about editing an organisation."""
    from samen.network.models import Membership

    user = make_user("fee@example.org", first_name="Fee", last_name="Gewezen")
    Membership.objects.create(member=user.member, organisation=org, role_title="coördinator", is_editor=True)
    return user


def make_coordinator() -> Any:
    from samen.core.permissions import BACKBONE

    return make_user("karel@example.org", first_name="Karel", last_name="Coördinator", groups=[BACKBONE], is_staff=True)


def make_admin() -> Any:
    return make_user("ada@example.org", first_name="Ada", last_name="Beheer", is_staff=True, is_superuser=True)
