from django.db import migrations

from samen.core.renames import stored_names_renamed


def rename_stored_names(apps, schema_editor):
    """Audit entries and permission codenames follow the model's new name."""
    stored_names_renamed(apps, "network", "invitation", "joininvitation")


def restore_stored_names(apps, schema_editor):
    stored_names_renamed(apps, "network", "joininvitation", "invitation")


class Migration(migrations.Migration):
    """The invitation to join Samen is named for what it is (activities has RoleInvitation, issue 10)."""

    dependencies = [
        ("network", "0005_member_show_publicly_label"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.RenameModel(old_name="Invitation", new_name="JoinInvitation"),
        migrations.RenameIndex(
            model_name="joininvitation",
            new_name="network_joi_inviter_ea619f_idx",
            old_name="network_inv_inviter_7e864e_idx",
        ),
        migrations.RenameIndex(
            model_name="joininvitation",
            new_name="network_joi_email_5a5654_idx",
            old_name="network_inv_email_7229f3_idx",
        ),
        migrations.RunPython(rename_stored_names, restore_stored_names),
    ]
