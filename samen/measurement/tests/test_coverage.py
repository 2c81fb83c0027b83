"""A roll-up from some of the areas never stands in for the whole: its coverage is said, and the
headline, status, progress and forecast stand only on periods that cover the whole."""

from samen.measurement import compute
from samen.measurement.compute import ROOT
from samen.measurement.selectors import indicator_view

TREE = {"city": None, "centrum": "city", "kermt": "city", "runkst": "centrum", "kiewit": "centrum", "terhilst": "kermt"}


def test_coverage_counts_at_the_depth_of_the_finest_reported_area():
    covered = compute.coverage(TREE, ["runkst"])
    assert covered[ROOT] == compute.Coverage(1, 3, 2)  # 1 of 3 neighbourhoods
    assert covered["centrum"] == compute.Coverage(1, 2, 2)
    assert covered["runkst"].complete


def test_a_district_that_reports_covers_its_neighbourhoods():
    covered = compute.coverage(TREE, ["centrum", "terhilst"])
    assert covered[ROOT].complete
    assert compute.coverage(TREE, ["centrum"])[ROOT] == compute.Coverage(1, 2, 1)  # 1 of 2 districts


def test_one_neighbourhood_approved_does_not_become_the_city_figure(client, visits, put, areas):
    put(visits, 2016, areas["runkst"], num=9, den=150)  # Runkst, 9 of 150, nothing else for 2016
    view = indicator_view(visits)
    assert view.latest.label == "2015"  # the headline stays on the last year that covers the city
    assert view.partial.label == "2016"
    assert view.partial.figure.coverage == compute.Coverage(1, 3, 2)
    assert all(p.date.year != 2016 for p in ([view.forecast.points[0]] if view.forecast else []))
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "2016 so far: 1 of 3 neighbourhoods reported; not yet a figure for the whole." in body
    key_figure = body.split('class="key-figure"')[1].split("</p>")[0]
    assert "60 of 1,000" in key_figure and "2015" in key_figure
    assert "<td>9 of 150</td><td>1 of 3 neighbourhoods reported</td>" in body  # the year's row says its coverage
    dashboard = client.get("/en/dashboard/").content.decode()
    assert "9 of 150" not in dashboard
    assert "1 of 3 neighbourhoods reported" in dashboard


def test_an_indicator_about_the_areas_that_report_takes_any_coverage(client, visits, put, areas):
    visits.coverage_required = 0
    visits.save()
    put(visits, 2016, areas["runkst"], num=9, den=150)
    view = indicator_view(visits)
    assert view.latest.label == "2016"
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "1 of 3 neighbourhoods reported" in body  # still said beside the figure


def test_the_api_the_downloads_and_the_open_data_say_the_coverage(client, visits, put, areas):
    """The pages say "1 of 3 neighbourhoods reported"; so do the API, the downloads and the open data."""
    import csv
    import io

    put(visits, 2016, areas["runkst"], num=9, den=150)
    api = client.get("/api/v1/indicators/eld-visit-weekly").json()
    assert api["coverage_required"] == 100
    by_year = {p["period_end"][:4]: p for p in api["series"]}
    assert (by_year["2016"]["coverage_reported"], by_year["2016"]["coverage_total"]) == (1, 3)
    assert by_year["2016"]["coverage_unit"] == "neighbourhood" and by_year["2016"]["complete"] is False
    assert by_year["2015"]["complete"] is True
    rows = client.get("/api/v1/indicators/eld-visit-weekly/measurements?limit=100&area=initiative").json()["items"]
    partial = next(r for r in rows if r["period_end"].startswith("2016"))
    assert (partial["coverage_reported"], partial["coverage_total"], partial["complete"]) == (1, 3, False)

    opendata = list(csv.DictReader(io.StringIO(client.get("/open-data/eld-visit-weekly.csv").content.decode())))
    whole_2016 = next(r for r in opendata if r["period_end"].startswith("2016") and not r["area"] and not r["dims"])
    assert (whole_2016["coverage_reported"], whole_2016["coverage_total"], whole_2016["complete"]) == (
        "1",
        "3",
        "false",
    )
    package = client.get("/open-data/datapackage.json").json()
    fields = {f["name"] for r in package["resources"][1:2] for f in r["schema"]["fields"]}
    assert {"coverage_reported", "coverage_total", "coverage_unit", "complete"} <= fields

    download = list(
        csv.DictReader(io.StringIO(client.get("/en/indicators/eld-visit-weekly/data.csv").content.decode()))
    )
    year = next(r for r in download if r["period_end"].startswith("2016") and not r["area"])
    assert (year["coverage_reported"], year["coverage_total"], year["complete"]) == ("1", "3", "False")
