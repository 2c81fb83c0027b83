import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def publish_news(db):
    """A published news item by the backbone (or an organisation), tagged as asked."""

    def make(actor, *, title="Nieuw buurtcafé", organisation=None, domains=(), **fields):
        from samen.communication.models import NewsItem
        from samen.communication.services import news_save

        item = NewsItem(
            title_nl=title,
            summary_nl=fields.pop("summary_nl", "Kort"),
            body_nl=fields.pop("body_nl", "<p>Tekst</p>"),
            organisation=organisation,
            publish_at=fields.pop("publish_at", timezone.now() - datetime.timedelta(minutes=1)),
            **fields,
        )
        return news_save(item=item, actor=actor, tags={"action_domains": list(domains)})

    return make
