from django.utils import translation

from samen.communication.models import Delivery, Follow, Newsletter, Notification, Topic
from samen.communication.services import users_notify


def test_the_data_download_holds_follows_notifications_and_deliveries(member, make_domain):
    from samen.network.selectors import member_data_export

    domain = make_domain(name_nl="Zorg")
    Follow.objects.create(user=member, kind="domain", object_id=domain.pk)
    users_notify(topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "Bericht voor Mila"})
    letter = Newsletter.objects.create(subject_nl="Brief", body_nl="x")
    Delivery.objects.create(newsletter=letter, user=member, status="sent")
    with translation.override("nl"):  # whatever language an earlier test left active
        export = member_data_export(member)
    assert export["follows"][0]["what"] == "Zorg"
    assert export["notifications"][0]["text"] == "Bericht voor Mila"
    assert export["newsletters"][0]["subject"] == "Brief"


def test_deleting_the_account_removes_follows_notifications_and_deliveries(member, make_domain):
    from samen.network.services import account_delete

    Follow.objects.create(user=member, kind="domain", object_id=make_domain().pk)
    users_notify(topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "x"})
    Delivery.objects.create(newsletter=Newsletter.objects.create(subject_nl="b", body_nl="x"), user=member)
    account_delete(user=member)
    assert not Follow.objects.exists() and not Notification.objects.exists() and not Delivery.objects.exists()
