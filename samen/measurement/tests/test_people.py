"""One population per figure: a rate becomes people with the population of its own group, in the
same area and the same period, and the sentence names both."""

import datetime

from samen.measurement.selectors import about, indicator_view
from samen.network.models import AreaPopulation

SENTENCE = "{numerator} of the {denominator} {group} we asked; about {people} of the {population} {group} in {area} in {period}"


def test_a_rate_uses_the_population_of_its_own_group_and_period(client, visits, make_indicator, put, areas):
    over_84 = make_indicator("res-85plus", unit="count", kind="value", direction="up", name_en="Residents over 84")
    put(over_84, 2015, areas["centrum"], value=800)
    put(over_84, 2015, areas["kermt"], value=740)
    put(over_84, 2014, areas["centrum"], value=9999)  # another year: never used for 2015
    visits.population_indicator = over_84
    visits.population_group_en = "people over 84"
    visits.people_sentence_en = SENTENCE
    visits.save()
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    # 60 of 1,000 asked = 6%; 6% of the 1,540 people over 84 in 2015 is 92.4: about 92
    assert "60 of the 1,000 people over 84 we asked; about 92 of the 1,540 people over 84 in Hasselt in 2015" in body
    assert "5,070" not in body  # the population over 80 is another group


def test_a_population_of_another_year_is_not_used(visits):
    AreaPopulation.objects.update(reference_date=datetime.date(2017, 1, 1))
    view = indicator_view(visits)
    assert view.latest.label == "2015"
    assert view.people_sentence == ""  # no population of 2015: no people, rather than the wrong ones


def test_a_hidden_or_partial_population_gives_no_people(visits, make_indicator, put, areas):
    over_84 = make_indicator("res-85plus", unit="count", kind="value", direction="up")
    put(over_84, 2015, areas["centrum"], value=800)  # Kermt did not report: not the city's population
    visits.population_indicator = over_84
    visits.save()
    assert indicator_view(visits).people_sentence == ""


def test_people_are_rounded_to_two_significant_digits():
    assert [about(n) for n in (4.4, 46.2, 56.4, 304.1, 1549)] == [4, 46, 56, 300, 1500]
