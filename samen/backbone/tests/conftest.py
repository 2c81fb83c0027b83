import datetime
from decimal import Decimal

import pytest


@pytest.fixture
def funder(db):
    from samen.backbone.models import Funder

    return Funder.objects.create(name="Koning Boudewijnstichting", website="https://kbs-frb.be")


@pytest.fixture
def make_grant(db, funder, coordinator):
    from samen.backbone.services import grant_save

    def make(amount="20000", shares=None, **fields):
        return grant_save(
            actor=coordinator,
            funder=fields.pop("funder", funder),
            title=fields.pop("title", "Buurtnetwerken"),
            amount=Decimal(amount),
            start=fields.pop("start", datetime.date(2025, 1, 1)),
            end=fields.pop("end", datetime.date(2025, 12, 31)),
            shares=shares or {},
            **fields,
        )

    return make
