"""The growth page reads on a phone: its charts come in a wide and a narrow drawing, and the
circles are a table (a one-bar chart with a letter per line said nothing)."""

from samen.network.tests.fixtures import grow_network
from samen.network.tests.test_growth_pages import ambition  # noqa: F401 (a fixture)


def test_the_circles_are_a_table_without_a_chart(client, ambition, make_sector):  # noqa: F811
    grow_network(members=60, organisations=4, sector=make_sector("care"))
    page = client.get("/en/network/growth/").content.decode()
    circles = page.split('id="circles-title"')[1].split("</section>")[0]
    assert "<table" in circles and "Members per circle" in circles
    assert "<svg" not in circles and "chart-drawing" not in circles


def test_the_growth_chart_is_drawn_for_a_wide_and_a_narrow_box(client, ambition, make_sector):  # noqa: F811
    grow_network(members=60, organisations=4, sector=make_sector("care"))
    page = client.get("/en/network/growth/").content.decode()
    ambition_part = page.split('id="ambition-title"')[1].split("</section>")[0]
    assert ambition_part.count('class="chart-wide"') == ambition_part.count('class="chart-narrow"') == 1
