"""A network of a chosen size, made fast with bulk_create, for query-count and page tests."""

import datetime

from django.contrib.auth.hashers import make_password

from samen.network.models import Member, Membership, Organisation, User


def grow_network(*, members: int, organisations: int, sector, area=None, start=datetime.date(2019, 1, 1)) -> None:
    """`members` people joining one a week (every other one brought by the one before, consenting to be
    shown) and `organisations` partners, each person working at one of them."""
    offset = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"grown{offset + i}@example.org", first_name="Grown", last_name=str(i), password=make_password(None))
        for i in range(members)
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(
            slug=f"grown-{offset}-{i}",
            name=f"Grown partner {i}",
            sector=sector,
            joined_on=start + datetime.timedelta(days=30 * i),
        )
        for i in range(organisations)
    )
    grown = Member.objects.bulk_create(
        Member(user=u, joined_on=start + datetime.timedelta(days=7 * i), neighbourhood=area, show_publicly=i % 2 == 0)
        for i, u in enumerate(users)
    )
    for i, member in enumerate(grown):
        if i % 2 and i > 0:
            member.brought_by = grown[i - 1]
    Member.objects.bulk_update(grown, ["brought_by"])
    if orgs:
        Membership.objects.bulk_create(
            Membership(member=m, organisation=orgs[i % len(orgs)], is_confirmed=True) for i, m in enumerate(grown)
        )
