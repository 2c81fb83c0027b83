"""Forecasts look ahead only, a passed target date reads reached or not, and a bar is green only on track."""

import datetime

from samen.measurement import compute
from samen.measurement.compute import Point
from samen.measurement.models import Target
from samen.measurement.selectors import indicator_view

D = datetime.date
SERIES = [Point(D(2020, 7, 1), 10.0), Point(D(2021, 7, 1), 12.0), Point(D(2022, 7, 1), 14.0)]


def test_a_forecast_starts_after_the_last_period_with_a_value():
    line = compute.forecast(SERIES, until=D(2030, 1, 1), after=D(2022, 12, 31))
    assert line.points[0].date == D(2022, 12, 31)


def test_a_forecast_to_a_date_already_passed_is_none():
    assert compute.forecast(SERIES, until=D(2022, 1, 1), after=D(2022, 12, 31)) is None


def test_a_passed_target_date_reads_reached_or_not_reached():
    kwargs = {"baseline": Point(D(2015, 1, 1), 6.0), "targets": [Point(D(2025, 12, 31), 3.0)]}
    kwargs |= {"higher_is_better": False, "frequency": "yearly", "today": D(2026, 12, 1)}
    assert compute.status(latest=Point(D(2025, 12, 31), 2.9), **kwargs) == compute.REACHED
    assert compute.status(latest=Point(D(2025, 12, 31), 4.0), **kwargs) == compute.NOT_REACHED


def _years(indicator, put, areas, values):
    for year, (runkst, kiewit, terhilst) in values.items():
        put(indicator, year, areas["runkst"], num=runkst, den=400)
        put(indicator, year, areas["kiewit"], num=kiewit, den=300)
        put(indicator, year, areas["terhilst"], num=terhilst, den=300)


def on(monkeypatch, day):
    monkeypatch.setattr("samen.measurement.selectors.timezone.localdate", lambda: day)


def test_the_indicator_page_never_forecasts_the_past(client, visits, put, areas, monkeypatch):
    on(monkeypatch, D(2026, 12, 1))
    _years(visits, put, areas, {2022: (60, 50, 50), 2023: (58, 48, 48), 2024: (56, 46, 46)})
    Target.objects.filter(indicator=visits).update(date=D(2025, 12, 31))  # passed by December 2026
    view = indicator_view(visits)
    assert view.forecast is None
    assert view.status in (compute.REACHED, compute.NOT_REACHED)
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "At the current pace" not in body
    assert "on track" not in body


def test_a_forecast_to_a_future_target_starts_today(visits, put, areas, monkeypatch):
    on(monkeypatch, D(2026, 12, 1))
    _years(visits, put, areas, {2022: (60, 50, 50), 2023: (58, 48, 48), 2024: (56, 46, 46)})
    view = indicator_view(visits)  # the target is at the end of 2027
    assert view.forecast.points[0].date == D(2026, 12, 1)
    assert view.forecast.points[-1].date == D(2027, 12, 31)


def test_a_progress_bar_is_not_green_when_off_track(client, visits, put, areas, monkeypatch):
    on(monkeypatch, D(2019, 6, 1))
    _years(visits, put, areas, {2016: (40, 30, 30), 2017: (40, 32, 30), 2018: (41, 33, 32)})  # worse than 5.9%
    Target.objects.filter(indicator=visits).update(value=5.0)
    view = indicator_view(visits)
    assert view.status == compute.OFF_TRACK
    body = client.get("/en/dashboard/").content.decode()
    assert "progress-fill fill-off_track" in body
