import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samen.agenda.models import ActionDomain, Goal, Initiative, Milestone
from samen.core.tests.demo_copy import load_demo
from samen.core.tests.shared import shared_data
from samen.network.models import Area, AreaPopulation, Member, Membership, Organisation, Sector, User

pytestmark = pytest.mark.slow


def _counts() -> dict[str, int]:
    models = [
        Initiative,
        Milestone,
        ActionDomain,
        Goal,
        Sector,
        Organisation,
        Area,
        AreaPopulation,
        User,
        Member,
        Membership,
    ]
    return {m.__name__: m.objects.count() for m in models}


@shared_data(scope="class")
def demo_output():
    """The demo loaded once for the tests of a class (the run's copy: test_demo_copy.py shows it is what
    the command leaves); what its first run printed."""
    return load_demo()


@pytest.mark.django_db
class TestTheLoadedDemo:
    def test_it_has_hasselt_and_running_it_again_changes_nothing(self, demo_output):
        first = _counts()
        call_command("demo", stdout=io.StringIO())
        assert _counts() == first
        assert first["Initiative"] == 1
        assert first["ActionDomain"] == 5
        assert first["Member"] >= 50
        initiators = set(Organisation.objects.filter(role="initiator").values_list("name", flat=True))
        assert initiators == {"Stad Hasselt", "Jessa Ziekenhuis", "Hogeschool PXL"}
        assert set(Organisation.objects.values_list("sector__slug", flat=True).distinct()) == set(
            Sector.objects.values_list("slug", flat=True)
        )
        assert [m.members for m in Milestone.objects.order_by("date")] == [50, 100, 500, 5000]
        hasselt = Area.objects.get(code="hasselt")
        assert hasselt.population.get(age_band="80+").count == 5070

    def test_it_prints_one_login_per_role_that_works(self, client, demo_output):
        for role in ("admin", "backbone coordinator", "partner editor", "member", "care network member"):
            assert role in demo_output
        assert "SAMEN_REQUIRE_MFA is off" in demo_output
        response = client.post(
            "/en/account/login/", {"login": "editor@demo.samen.invalid", "password": "hasselt-zorgstad-demo"}
        )
        assert response.status_code == 302
        assert client.get("/en/partners/wijkzorg-runkst/edit/").status_code == 200

    def test_running_it_again_keeps_what_people_changed(self, demo_output):
        editor = User.objects.get(email="editor@demo.samen.invalid")
        editor.set_password("my-own-secret-2026")
        editor.save()
        shown = Member.objects.filter(is_fictional=True, show_publicly=True).first()
        shown.show_publicly = False
        shown.save()
        call_command("demo", stdout=io.StringIO())
        editor.refresh_from_db()
        shown.refresh_from_db()
        assert editor.check_password("my-own-secret-2026")
        assert not shown.show_publicly


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_users_alone(make_user, capsys):
    make_user()
    call_command("demo", "--if-empty")
    assert "was not loaded again" in capsys.readouterr().out
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="does not run in production"):
        call_command("demo")


@pytest.mark.django_db
def test_the_demo_will_not_overwrite_a_real_initiative():
    Initiative.objects.create(name="Real", baseline="b", vision="v", region="r", start_date="2020-01-01")
    with pytest.raises(CommandError, match="real initiative"):
        call_command("demo")
    assert not Organisation.objects.exists()
    assert Initiative.objects.get().name == "Real"
