from samen.activities.events.selectors import Attendance, attendance_shown


def test_public_counts_follow_the_installation_threshold(settings):
    counts = Attendance(registered=7, waiting=0, checked_in=40, walk_ins=0, residents=7)
    assert attendance_shown(counts, can_see=False).registered == 7
    settings.SAMEN_DISCLOSURE_THRESHOLD = 10
    assert attendance_shown(counts, can_see=False).registered == "< 10"
    assert attendance_shown(counts, can_see=True).registered == 7
    assert attendance_shown(counts, can_see=False).residents is None  # 7 of 40
    assert attendance_shown(Attendance(0, 0, 40, 0, 12), can_see=False).residents == 12
