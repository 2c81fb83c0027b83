"""The language a mail to an address goes out in, when more than one account claims the address (review rule6 #3):
anyone can add someone else's address to their own account, unverified."""

from allauth.account.models import EmailAddress

from samen.communication.models import Profile
from samen.core.mail import recipient_language


def _claims(user, email, *, verified, language):
    EmailAddress.objects.create(user=user, email=email, verified=verified)
    Profile.objects.create(user=user, language=language)


def test_the_account_whose_address_it_is_decides_not_one_that_added_it(make_user):
    adder = make_user()  # made first, settings saved first: the first row without an order
    _claims(adder, "Owner@Example.org", verified=False, language="en")
    owner = make_user("owner@example.org")
    Profile.objects.create(user=owner, language="nl")
    assert recipient_language("owner@example.org", default="en") == "nl"


def test_an_account_that_verified_the_address_comes_before_one_that_only_added_it(make_user):
    first, second = make_user(), make_user()
    _claims(first, "shared@example.org", verified=False, language="en")
    _claims(second, "shared@example.org", verified=True, language="nl")
    assert recipient_language("shared@example.org", default="en") == "nl"


def test_an_owner_without_settings_gets_the_pages_language_not_the_adders(make_user):
    adder = make_user()
    _claims(adder, "owner@example.org", verified=False, language="en")
    make_user("owner@example.org")
    assert recipient_language("owner@example.org", default="nl") == "nl"
