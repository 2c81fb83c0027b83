from allauth.account.adapter import DefaultAccountAdapter

from samen.network.services import member_create


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            member_create(user=user)
        return user
