"""The public dashboard and indicator page: right figures, small counts protected, people counted."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_the_indicator_page_rolls_up_and_shows_the_number_behind_the_percentage(client, visits):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    # (30 + 3 + 27) / (400 + 60 + 540) = 60 of 1,000 = 6.0%
    assert "6.0%" in body
    assert "60 of 1,000" in body


def test_statistics_become_people(client, visits):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "6.0% of residents (60 of 1,000); about 300 of the 5,070 residents in Hasselt in 2015" in body


def test_small_counts_are_hidden_with_their_neighbour(client, visits):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "3 of 60" not in body  # Kiewit: 3 is below the threshold of 5
    assert "30 of 400" not in body  # Runkst is hidden too, or Kiewit = Centrum − Runkst
    assert "hidden to protect small numbers" in body
    assert "&lt; 5" not in body  # a hidden rate is not "< 5": that would read as "under 5%"


def test_a_small_count_reads_below_the_threshold_and_its_neighbour_just_hidden(client, make_indicator, areas, put):
    counts = make_indicator("visits-count", unit="count", kind="value", direction="up", name_en="Home visits")
    put(counts, 2024, areas["runkst"], value=3)
    put(counts, 2024, areas["kiewit"], value=40)
    put(counts, 2024, areas["terhilst"], value=25)
    body = client.get("/en/indicators/visits-count/").content.decode()
    assert '<th scope="row" class="depth-2">Runkst</th><td>&lt; 5</td>' in body
    assert '<th scope="row" class="depth-2">Kiewit</th><td>hidden</td>' in body
    assert "68" in body  # the city total stays: two hidden parts cannot be told apart


def test_a_breakdown_of_an_area_is_protected_with_that_areas_total(client, visits, put, areas):
    import csv as csv_module

    put(visits, 2016, areas["runkst"], num=50, den=500)
    put(visits, 2016, areas["runkst"], num=47, den=450, dims="sex=f")
    put(visits, 2016, areas["runkst"], num=3, den=50, dims="sex=m")
    text = client.get("/open-data/eld-visit-weekly.csv").content.decode()
    rows = [
        r for r in csv_module.DictReader(io.StringIO(text)) if r["period_end"] == "2016-12-31" and r["area"] == "runkst"
    ]
    shown = {r["dims"]: r["numerator"] for r in rows if r["suppressed"] == "false"}
    # runkst total 50 and women 47 shown would give men = 3
    assert not ("" in shown and "sex=f" in shown)


def test_a_running_total_hidden_once_stays_hidden_while_it_is_carried(client, make_indicator, areas):
    import datetime

    from samen.measurement.models import Measurement

    running = make_indicator("running", unit="count", kind="value", direction="up", frequency="yearly", cumulative=True)

    def put_total(year, area, value):
        Measurement.objects.create(
            indicator=running,
            area=area,
            area_key=area.pk,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            value=value,
            status="approved",
        )

    put_total(2020, areas["runkst"], 3)
    put_total(2020, areas["kiewit"], 10)
    put_total(2020, areas["terhilst"], 15)
    put_total(2021, areas["kiewit"], 25)  # runkst is carried at 3, terhilst at 15
    put_total(2021, areas["terhilst"], 15)
    rows = client.get("/api/v1/indicators/running/measurements?limit=200").json()["items"]
    runkst_2021 = next(r for r in rows if r["area"] == "runkst" and r["period_end"] == "2021-12-31")
    assert runkst_2021["suppressed"]
    city = {r["period_end"]: r["value"] for r in rows if r["area"] == "hasselt"}
    assert city == {"2020-12-31": 28.0, "2021-12-31": 43.0}  # never down, nothing invented


def test_the_steward_sees_the_small_counts(client, visits, editor):
    client.force_login(editor)
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "3 of 60" in body
    assert "You see the small numbers that the public does not." in body


def test_only_approved_values_are_public(client, visits, put, areas):
    put(visits, 2019, areas["runkst"], num=99, den=100, status="submitted")
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "99 of 100" not in body
    assert '<th scope="row">2019</th>' not in body


def test_the_breakdown_by_sex_is_shown_with_its_numbers(client, visits):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "By sex, 2015" in body
    assert "40 of 600" in body


def test_the_dashboard_shows_the_card_with_status_and_progress(client, visits):
    body = client.get("/en/dashboard/").content.decode()
    assert "Caring neighbourhoods" in body
    assert "People over 84 visited less than once a week" in body
    assert "no recent data" in body  # 2015 is long ago
    assert "<svg" not in body.split("People over 84")[0]  # the sparkline needs two points; there is one


def test_the_dashboard_speaks_dutch(client, visits):
    body = client.get("/nl/dashboard/").content.decode()
    assert "84-plussers met weinig bezoek" in body


def test_downloads_carry_numerators_and_hide_small_counts(client, visits):
    rows = list(csv.DictReader(io.StringIO(client.get("/en/indicators/eld-visit-weekly/data.csv").content.decode())))
    total = rows[0]
    assert (total["numerator"], total["denominator"]) == ("60.0", "1000.0")
    kiewit = next(r for r in rows if r["area"] == "kiewit")
    assert kiewit["suppressed"] == "True"
    assert kiewit["numerator"] == kiewit["value"] == ""
    data = json.loads(client.get("/en/indicators/eld-visit-weekly/data.json").content)
    assert data["rows"][0]["numerator"] == 60.0


def test_a_formula_in_a_name_is_defused_in_the_csv(client, visits, areas):
    areas["terhilst"].name = '=HYPERLINK("http://evil")'
    areas["terhilst"].save()
    text = client.get("/en/indicators/eld-visit-weekly/data.csv").content.decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_an_area_name_cannot_inject_markup_through_the_map(client, visits, areas):
    areas["terhilst"].name = "<script>alert(1)</script>"
    areas["terhilst"].save()
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "<script>alert(1)" not in body


def test_an_unknown_or_unpublished_indicator_is_a_404(client, visits):
    assert client.get("/en/indicators/nope/").status_code == 404
    visits.is_published = False
    visits.save()
    assert client.get("/en/indicators/eld-visit-weekly/").status_code == 404


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    from samen.core import local_copies

    cache.clear()  # count the queries of computing the figures, not of reading them from a cache
    local_copies.clear_all()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/en/dashboard/", "/en/indicators/eld-visit-weekly/"])
def test_query_counts_are_the_same_for_10_and_1000_measurements(client, visits, areas, put, url):
    for year in range(2016, 2019):
        put(visits, year, areas["runkst"], num=10, den=100)
    few = _queries(client, url)
    import datetime

    from samen.measurement.models import Measurement

    Measurement.objects.bulk_create(
        Measurement(
            indicator=visits,
            area=areas["runkst"],
            area_key=areas["runkst"].pk,
            period_start=datetime.date(1000 + i, 1, 1),
            period_end=datetime.date(1000 + i, 12, 31),
            value=10.0,
            numerator=10,
            denominator=100,
            status="approved",
        )
        for i in range(1000)
    )
    assert _queries(client, url) == few


def test_the_cached_figures_follow_every_change_of_public_data(client, visits, put, areas, coordinator):
    from samen.measurement.services import measurements_approve, narrative_save

    assert "2019" not in client.get("/en/api/v1/indicators".replace("/en", "")).content.decode()
    client.get("/en/indicators/eld-visit-weekly/")  # the figures are now cached
    waiting = put(visits, 2019, areas["runkst"], num=20, den=400, status="submitted")
    assert '<th scope="row">2019</th>' not in client.get("/en/indicators/eld-visit-weekly/").content.decode()
    measurements_approve(measurements=[waiting], actor=coordinator)
    assert '<th scope="row">2019</th>' in client.get("/en/indicators/eld-visit-weekly/").content.decode()
    narrative_save(
        indicator=visits,
        period_end=waiting.period_end,
        text_nl="Nieuw verhaal.",
        text_en="A new story.",
        actor=coordinator,
    )
    assert "A new story." in client.get("/en/indicators/eld-visit-weekly/").content.decode()


def test_a_changed_definition_is_a_dated_version_the_page_marks(client, visits, put, areas):
    import datetime

    from samen.measurement.services import indicator_save

    visits.definition_en = "Share of people over 84 visited less than once a week, asked by phone."
    indicator_save(indicator=visits, actor=None, note="phone survey", valid_from=datetime.date(2019, 1, 1))
    put(visits, 2019, areas["runkst"], num=20, den=400)
    assert [v.number for v in visits.versions.all()] == [1, 2]
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "(definition 2)" in body
    assert "Version 2, from 1 January 2019" in body
    assert "Dotted vertical line: the definition changed." in body
    visits.name_en = "A new name only"
    indicator_save(indicator=visits, actor=None)
    assert visits.versions.count() == 2  # a name is no definition


def test_the_story_behind_the_curve_is_in_the_csv(client, visits, coordinator):
    import datetime

    from samen.measurement.services import narrative_save

    narrative_save(
        indicator=visits,
        period_end=datetime.date(2015, 12, 31),
        text_nl="Verhaal.",
        text_en="Story.",
        actor=coordinator,
    )
    rows = list(csv.DictReader(io.StringIO(client.get("/en/indicators/eld-visit-weekly/data.csv").content.decode())))
    assert rows[0]["story"] == "Story."


def test_new_population_figures_reach_the_cached_people_sentence(client, visits, areas):
    from samen.network.models import AreaPopulation
    from samen.network.services import area_save

    assert "about 300 of the 5,070 residents" in client.get("/en/indicators/eld-visit-weekly/").content.decode()
    AreaPopulation.objects.filter(area=areas["hasselt"]).update(count=10000)
    area_save(area=areas["hasselt"])  # as the admin and the area loader do after population changes
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "6.0% of residents (60 of 1,000); about 600 of the 10,000 residents in Hasselt in 2015" in body


def test_the_home_page_shows_how_many_people_a_figure_is(client, visits):
    from samen.agenda.models import Initiative

    Initiative.objects.create(
        name="Hasselt Zorgstad", baseline="b", vision="v", region="Hasselt", start_date="2017-06-01"
    )
    body = client.get("/en/").content.decode()
    assert "Statistics become people" in body
    assert "6.0% of residents (60 of 1,000); about 300 of the 5,070 residents in Hasselt in 2015" in body
