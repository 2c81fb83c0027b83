from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    """The activity's invitation to a role is named for what it is (the network has its own invitation)."""

    dependencies = [
        ("activities", "0003_merge_0002_campaigns_events_0002_extension"),
        ("network", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Invitation", new_name="RoleInvitation"),
        migrations.RenameIndex(
            model_name="roleinvitation",
            new_name="activities__invited_1ec081_idx",
            old_name="activities__invited_c545de_idx",
        ),
        migrations.RenameIndex(
            model_name="roleinvitation",
            new_name="activities__member__46b819_idx",
            old_name="activities__member__033209_idx",
        ),
    ]
