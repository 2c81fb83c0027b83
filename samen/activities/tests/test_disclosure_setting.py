from samen.activities.templatetags.events_counts import part_shown, public_count


def test_public_counts_follow_the_installation_threshold(settings):
    assert public_count(7) == 7
    settings.SAMEN_DISCLOSURE_THRESHOLD = 10
    assert public_count(7) == "< 10"
    assert public_count(7, True) == 7
    assert not part_shown(7, 40)
    assert part_shown(12, 40)
