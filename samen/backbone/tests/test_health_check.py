"""The health check: anonymous answers, one per person, only while open, scores only from five people."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from samen.backbone.instrument import install
from samen.backbone.models import Instrument, Item, Participation, Section, SurveyRound, Tally
from samen.backbone.services import AnswerRefused, survey_answer
from samen.core.models import AuditEntry
from samen.network.models import Membership


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def instrument(db):
    return install(Instrument, Section, Item)  # the migration installs it; a flushed database has lost it


@pytest.fixture
def make_round(instrument):
    def make(title="Gezondheidscheck 2025", days_open=30, closed=False, **fields):
        now = timezone.now()
        opens = now - datetime.timedelta(days=days_open + (40 if closed else 0))
        closes = now - datetime.timedelta(days=1) if closed else now + datetime.timedelta(days=10)
        return SurveyRound.objects.create(
            instrument=instrument, title=title, opens_at=opens, closes_at=closes, **fields
        )

    return make


def answers(instrument, value):
    return dict.fromkeys(Item.objects.filter(section__instrument=instrument).values_list("pk", flat=True), value)


def everyone_answers(survey, people, value, *, at):
    for person in people:
        survey_answer(user=person, survey=survey, scores=answers(survey.instrument, value), now=at)


def test_a_member_answers_an_open_round_on_the_page(client, member, make_round, instrument):
    survey = make_round()
    client.force_login(member)
    assert survey.title in client.get(reverse("backbone:health_check")).content.decode()
    data = {f"item_{pk}": "4" for pk in answers(instrument, 4)}
    response = client.post(reverse("backbone:health_answer", kwargs={"pk": survey.pk}), data)
    assert response.status_code == 302
    assert Participation.objects.filter(round=survey, user=member).exists()
    assert set(Tally.objects.filter(round=survey, count__gt=0).values_list("score", "count")) == {(4, 1)}


def test_who_answered_is_stored_apart_from_what_they_answered(member, make_round, instrument):
    survey = make_round()
    survey_answer(user=member, survey=survey, scores=answers(instrument, 3))
    # No time on the participation, no person, row or time on the answers: only counts.
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "round", "user", "group"}
    assert {f.name for f in Tally._meta.concrete_fields} == {"id", "round", "item", "group", "score", "count"}
    assert not AuditEntry.objects.filter(object_type__startswith="backbone.").exists()


def test_a_second_answer_by_the_same_person_is_refused(member, make_round, instrument):
    survey = make_round()
    survey_answer(user=member, survey=survey, scores=answers(instrument, 3))
    with pytest.raises(AnswerRefused, match="already answered"):
        survey_answer(user=member, survey=survey, scores=answers(instrument, 5))
    assert set(Tally.objects.filter(round=survey, count__gt=0).values_list("score", "count")) == {(3, 1)}


def test_an_answer_after_the_round_closed_is_refused(client, member, make_round, instrument):
    survey = make_round(closed=True)
    client.force_login(member)
    data = {f"item_{pk}": "4" for pk in answers(instrument, 4)}
    response = client.post(reverse("backbone:health_answer", kwargs={"pk": survey.pk}), data)
    assert response.status_code == 400
    assert "This round closed on" in response.content.decode()
    assert not Participation.objects.exists() and not Tally.objects.exists()


def test_an_answer_to_another_organisations_private_round_is_refused(client, editor, make_round, other_org, instrument):
    survey = make_round(organisation=other_org)
    with pytest.raises(AnswerRefused, match="private"):
        survey_answer(user=editor, survey=survey, scores=answers(instrument, 4))
    client.force_login(editor)
    assert client.get(reverse("backbone:health_answer", kwargs={"pk": survey.pk})).status_code == 403
    assert survey.title not in client.get(reverse("backbone:health_check")).content.decode()


def test_an_organisations_own_people_answer_its_private_round(editor, make_round, org, instrument):
    survey = make_round(organisation=org)
    survey_answer(user=editor, survey=survey, scores=answers(instrument, 4))
    assert Participation.objects.filter(round=survey).count() == 1


def test_incomplete_answers_are_refused(member, make_round, instrument):
    survey = make_round()
    partial = dict(list(answers(instrument, 4).items())[:2])
    with pytest.raises(AnswerRefused):
        survey_answer(user=member, survey=survey, scores=partial)
    assert not Participation.objects.exists()


def _people(make_user, n, prefix):
    return [make_user(f"{prefix}{i}@example.org") for i in range(n)]


def _partners(make_user, make_org, n, prefix):
    org = make_org()
    people = _people(make_user, n, prefix)
    for person in people:
        Membership.objects.create(member=person.member, organisation=org, is_confirmed=True)
    return people


def test_scores_stay_hidden_under_five_respondents(client, coordinator, make_round, make_user):
    survey = make_round(closed=True)
    everyone_answers(survey, _people(make_user, 4, "m"), 4, at=survey.opens_at + datetime.timedelta(days=1))
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health_round", kwargs={"pk": survey.pk})).content.decode()
    assert "Fewer than 5 people answered" in page
    assert "data-score=" not in page


def test_scores_of_an_open_round_are_not_shown(client, coordinator, make_round, make_user):
    survey = make_round()
    everyone_answers(survey, _people(make_user, 6, "m"), 4, at=timezone.now())
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health_round", kwargs={"pk": survey.pk})).content.decode()
    assert "still open" in page and "data-score=" not in page


def test_scores_from_five_people_with_spread_and_the_change_since_the_last_round(
    client, coordinator, make_round, make_user
):
    earlier = make_round("Gezondheidscheck 2024", closed=True)
    earlier.opens_at -= datetime.timedelta(days=400)
    earlier.closes_at -= datetime.timedelta(days=365)
    earlier.save()
    people = _people(make_user, 6, "m")
    everyone_answers(earlier, people, 2, at=earlier.opens_at + datetime.timedelta(days=1))
    survey = make_round(closed=True)
    everyone_answers(survey, people[:3], 5, at=survey.opens_at + datetime.timedelta(days=1))
    everyone_answers(survey, people[3:], 3, at=survey.opens_at + datetime.timedelta(days=1))
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health")).content.decode()
    assert 'data-score="trust">4.00<' in page
    assert "1.00" in page  # the spread of 5, 5, 5, 3, 3, 3
    assert "2.00" in page and "↑</span> up (2.00)" in page  # the previous round, and what went up


def test_a_group_is_not_shown_when_the_other_could_be_worked_out_by_subtraction(
    client, coordinator, make_round, make_user, make_org
):
    survey = make_round(closed=True)
    at = survey.opens_at + datetime.timedelta(days=1)
    everyone_answers(survey, _partners(make_user, make_org, 5, "p"), 5, at=at)
    everyone_answers(survey, _people(make_user, 4, "m"), 1, at=at)
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health_round", kwargs={"pk": survey.pk})).content.decode()
    assert "data-score=" in page  # nine people: the total is shown
    assert page.count("data-group-hidden") == 2  # neither five partners nor, by subtraction, four members


def test_both_groups_are_shown_when_each_has_five(client, coordinator, make_round, make_user, make_org):
    survey = make_round(closed=True)
    at = survey.opens_at + datetime.timedelta(days=1)
    everyone_answers(survey, _partners(make_user, make_org, 5, "p"), 5, at=at)
    everyone_answers(survey, _people(make_user, 5, "m"), 1, at=at)
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health_round", kwargs={"pk": survey.pk})).content.decode()
    assert "data-group-hidden" not in page


def test_every_cell_of_a_round_exists_before_any_count_so_row_order_tells_nothing(make_user, make_round, instrument):
    first, second = make_round("A"), make_round("B")
    survey_answer(user=make_user(), survey=first, scores=answers(instrument, 1))
    survey_answer(user=make_user(), survey=second, scores=answers(instrument, 5))
    order = lambda survey: list(  # noqa: E731
        Tally.objects.filter(round=survey).order_by("pk").values_list("item_id", "group", "score")
    )
    assert order(first) == order(second)
    assert len(order(first)) == Item.objects.filter(section__instrument=instrument).count() * 2 * 5


@pytest.mark.django_db(transaction=True)
def test_an_answer_writes_every_cell_so_no_transaction_id_points_at_its_scores(make_user, make_round, instrument):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    install(Instrument, Section, Item)
    survey = make_round()
    for value in (2, 4):
        survey_answer(user=make_user(), survey=survey, scores=answers(instrument, value))
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM backbone_tally WHERE round_id = %s", [survey.pk])
        assert len(cursor.fetchall()) == 1  # all cells last written by the same (the last) answer


def test_an_unconfirmed_role_does_not_open_a_private_round(client, member, make_round, other_org, instrument):
    survey = make_round(organisation=other_org)
    Membership.objects.create(member=member.member, organisation=other_org, role_title="claimed")
    with pytest.raises(AnswerRefused, match="private"):
        survey_answer(user=member, survey=survey, scores=answers(instrument, 3))
    client.force_login(member)
    assert client.get(reverse("backbone:health_answer", kwargs={"pk": survey.pk})).status_code == 403
    assert not Participation.objects.exists()


def test_a_closed_round_cannot_be_reopened(admin_client, make_round):
    from django.core.exceptions import ValidationError

    survey = make_round(closed=True)
    closes = survey.closes_at
    url = reverse("admin:backbone_surveyround_change", args=[survey.pk])
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=5))
    response = admin_client.post(
        url,
        {
            "title": survey.title,
            "instrument": survey.instrument_id,
            "opens_at_0": f"{later:%Y-%m-%d}",
            "opens_at_1": "00:00:00",
            "closes_at_0": f"{later:%Y-%m-%d}",
            "closes_at_1": "23:00:00",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.closes_at == closes
    survey.closes_at = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="closed round"):
        survey.full_clean()


def test_the_questions_are_frozen_once_a_round_has_opened(admin_client, make_round, instrument, make_user):
    from django.db.models import ProtectedError

    section = Section.objects.filter(instrument=instrument).first()
    url = reverse("admin:backbone_section_change", args=[section.pk])
    assert admin_client.get(url).status_code == 200  # before any round: still editable
    survey = make_round()
    survey_answer(user=make_user(), survey=survey, scores=answers(instrument, 3))
    items = Item.objects.count()
    response = admin_client.post(
        url,
        {
            "instrument": instrument.pk,
            "slug": section.slug,
            "title_nl": "Nieuw",
            "title_en": "New",
            "order": section.order,
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-text_nl": "nieuw",
            "items-0-text_en": "new",
            "items-0-order": "99",
        },
    )
    assert response.status_code in (302, 403)
    section.refresh_from_db()
    assert section.title_en != "New" and Item.objects.count() == items
    add = admin_client.post(
        reverse("admin:backbone_section_add"),
        {"instrument": instrument.pk, "slug": "extra", "title_nl": "x", "title_en": "x", "order": 9}
        | {"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"},
    )
    assert add.status_code == 200 and "no longer change" in add.content.decode()
    with pytest.raises(ProtectedError):
        Item.objects.filter(section__instrument=instrument).first().delete()


def test_an_answer_that_arrives_after_the_round_closed_meanwhile_is_refused(member, make_round, instrument):
    survey = make_round()  # as the page loaded it, still open
    SurveyRound.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(AnswerRefused, match="closed"):
        survey_answer(user=member, survey=survey, scores=answers(instrument, 3))
    assert not Participation.objects.exists() and not Tally.objects.filter(count__gt=0).exists()


def test_the_list_of_open_rounds_costs_the_same_queries_for_one_and_many_private_rounds(
    client, editor, make_round, org, other_org
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_round("Own", organisation=org)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("backbone:health_check")).content.decode()
    assert "Own" in page
    for i in range(5):
        make_round(f"Theirs {i}", organisation=other_org)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("backbone:health_check")).content.decode()
    assert len(many) == len(one) and "Theirs" not in page
