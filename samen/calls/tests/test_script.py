"""The call script's branches: the page shows only the questions the answers so far lead to, on
the server (a question at a time, without JavaScript); answers off the path are not kept."""

from __future__ import annotations

import re

import pytest

from samen.calls import scripts, services
from samen.calls.models import CallAttempt

pytestmark = pytest.mark.django_db

# 1 yes → 2, no → 3; 2 yes → needs, no → 4; 3 → needs either way; 4 → needs.
SCRIPT = "Gaat het goed? | 2 | 3\nHebt u hulp? | 0 | 4\nWat scheelt er? | 0 | 0\nWie kan u helpen?"


def test_the_path_follows_the_answers_and_stops_at_the_first_unanswered_question():
    script = scripts.script_parse(SCRIPT)
    assert scripts.script_path(script, {}) == [1]
    assert scripts.script_path(script, {"1": "yes"}) == [1, 2]
    assert scripts.script_path(script, {"1": "yes", "2": "no"}) == [1, 2, 4]
    assert scripts.script_path(script, {"1": "yes", "2": "yes", "3": "no"}) == [1, 2]  # 3 is off the path
    assert scripts.script_path(script, {"1": "no", "3": "yes"}) == [1, 3]
    assert scripts.script_path([], {}) == []


def _shown(html: str) -> list[str]:
    """The questions of the page that are not hidden."""
    return re.findall(r'<div data-question="(\d)" data-yes="\d" data-no="\d">', html)


def test_without_javascript_the_caller_goes_a_question_at_a_time(
    client, campaign, make_resident, care_coordinator, caller
):
    campaign.script = scripts.script_parse(SCRIPT)
    campaign.save()
    make_resident()
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = services.batch_reserve(campaign=campaign, actor=caller).entries.get()
    client.force_login(caller)
    url = f"/nl/calls/{campaign.pk}/call/{entry.pk}/"
    page = client.get(url).content.decode()
    assert _shown(page) == ["1"] and "Volgende vraag" in page
    page = client.post(url, {"action": "next", "q1": "yes", "note": "kort"}).content.decode()
    assert _shown(page) == ["1", "2"]
    assert "kort</textarea>" in page  # what was given is kept
    page = client.post(url, {"action": "next", "q1": "yes", "q2": "no"}).content.decode()
    assert _shown(page) == ["1", "2", "4"]
    page = client.post(url, {"action": "next", "q1": "yes", "q2": "no", "q4": "yes"}).content.decode()
    assert _shown(page) == ["1", "2", "4"] and "Volgende vraag" not in page
    assert not CallAttempt.objects.exists()  # going on is not recording
    # Recorded with an answer left on a branch not taken (3): it is not kept.
    answer = client.post(
        url, {"action": "record", "q1": "yes", "q2": "no", "q3": "yes", "q4": "no", "outcome": "reached"}
    )
    assert answer.status_code == 302
    assert CallAttempt.objects.get().answers == {"1": "yes", "2": "no", "4": "no"}
