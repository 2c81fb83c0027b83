"""GET /api/v1/news: published news only, in the asked language when the item has it."""


def test_it_lists_published_news_in_the_asked_language(client, coordinator, publish_news):
    from samen.communication.models import NewsItem
    from samen.communication.services import news_save

    publish_news(coordinator, title="Nieuws", title_en="News", body_en="<p>Text</p>")
    news_save(item=NewsItem(title_nl="Concept"), actor=coordinator)
    rows = client.get("/api/v1/news", headers={"accept-language": "en"}).json()["items"]
    assert [(r["title"], r["language"]) for r in rows] == [("News", "en")]
    assert client.get("/api/v1/news", headers={"accept-language": "nl"}).json()["items"][0]["title"] == "Nieuws"


def test_news_and_meetings_are_in_the_openapi_document(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/news" in schema["paths"] and "/api/v1/meetings" in schema["paths"]
    assert "get" in schema["paths"]["/api/v1/news"] and "post" not in schema["paths"]["/api/v1/news"]


def test_the_news_api_costs_the_same_queries_for_10_and_1000_items(client, coordinator, make_domain):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from samen.communication.models import NewsItem

    domain = make_domain()

    def grow(n):
        start = NewsItem.objects.count()
        items = NewsItem.objects.bulk_create(
            [NewsItem(slug=f"n{start + i}", title_nl="t", published_at=timezone.now()) for i in range(n)]
        )
        NewsItem.action_domains.through.objects.bulk_create(
            [NewsItem.action_domains.through(newsitem_id=i.pk, actiondomain_id=domain.pk) for i in items]
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/news?limit=50").status_code == 200
        return len(ctx)

    grow(10)
    small = count()
    grow(990)
    assert count() == small
