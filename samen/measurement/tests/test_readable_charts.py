"""Charts a person can read: the area map names its areas, sparklines name their ends, every
chart is drawn for a narrow box too, and drawings stay out of the accessibility tree."""

import re

import pytest

from samen.measurement.models import Measurement
from samen.network.models import Area


def _square(x: float, y: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]}


@pytest.fixture
def mapped(visits, areas):
    # Kiewit large enough to show, so that no neighbourhood is hidden to protect another.
    Measurement.objects.filter(indicator=visits, area=areas["kiewit"]).update(numerator=12, value=20.0)
    for i, code in enumerate(("runkst", "kiewit", "terhilst")):
        Area.objects.filter(pk=areas[code].pk).update(geometry=_square(5.33 + i * 0.01, 50.93))
    return visits


def test_the_area_map_names_every_area_with_its_value_and_says_what_grey_means(client, mapped):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    key = body.split('class="map-key"')[1].split("</ol>")[0]
    names = re.findall(r'class="map-name">([^<]+)<', key)
    values = re.findall(r'class="map-value">([^<]+)<', key)
    assert names == ["Kiewit", "Runkst", "Terhilst"]
    assert values == ["20.0%", "7.5%", "5.0%"]
    assert "grey means no value" in body
    assert 'aria-label="Map of People over 84 visited less than once a week by area, 2015' in body


def test_the_map_numbers_its_areas_in_the_drawing(client, mapped):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    drawing = body.split('class="chart area-map"')[1].split("</figure>")[0]
    for number in ("1", "2", "3"):
        assert f">{number}</text>" in drawing


def test_each_area_of_the_map_has_a_tooltip_with_its_number_name_and_value(client, mapped):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    drawing = body.split('class="chart area-map"')[1].split("</figure>")[0]
    wide = drawing.split('class="chart-narrow"')[0]
    titles = re.findall(r"<path[^>]*><title>([^<]+)</title></path>", wide)
    # Every area in the grey layer, and those with a value again in the coloured layer on top.
    assert set(titles) == {"1. Kiewit: 20.0%", "2. Runkst: 7.5%", "3. Terhilst: 5.0%"}
    assert 'role="graphics-symbol"' not in drawing  # the drawing stays out of the accessibility tree
    dutch = client.get("/nl/indicators/eld-visit-weekly/").content.decode()
    assert "<title>1. Kiewit: 20,0%</title>" in dutch


def test_every_chart_is_drawn_for_a_wide_and_a_narrow_box(client, mapped):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert body.count('class="chart-wide"') == body.count('class="chart-narrow"') >= 2
    widths = [int(w) for w in re.findall(r'class="chart-narrow"><svg[^>]* width="(\d+)"', body)]
    assert widths and max(widths) <= 390


def test_drawings_keep_no_roles_of_their_own(client, mapped):
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    for svg in re.findall(r"<svg.*?</svg>", body, flags=re.S):
        assert 'aria-hidden="true"' in svg.split(">", 1)[0]
        assert "graphics-symbol" not in svg and "aria-roledescription" not in svg


def test_a_sparkline_names_its_first_and_last_value(client, visits, areas, put):
    put(visits, 2019, num=30, den=600)
    body = client.get("/en/dashboard/").content.decode()
    ends = body.split('class="sparkline-ends"')[1].split("</p>")[0]
    assert re.findall(r"<span>(\d{4}): <strong>([^<]+)</strong>", ends) == [("2015", "6.0%"), ("2019", "5.0%")]
