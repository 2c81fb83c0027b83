from samen.core.slugs import unique_slug
from samen.network.models import Organisation


def test_a_slug_is_numbered_while_it_is_taken_or_reserved(db, make_org):
    make_org("buurtzorg", name="Buurtzorg")
    assert unique_slug(Organisation, "Buurtzorg", fallback="partner") == "buurtzorg-2"
    assert unique_slug(Organisation, "New", fallback="partner", reserved={"new"}) == "new-2"
    assert unique_slug(Organisation, "!!!", fallback="partner") == "partner"
    assert unique_slug(Organisation.objects.none(), "Buurtzorg", fallback="partner") == "buurtzorg"
    assert unique_slug(Organisation, "Een heel lange naam", fallback="partner", max_length=8) == "een-heel"
