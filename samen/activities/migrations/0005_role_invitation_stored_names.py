from django.db import migrations

from samen.core.renames import stored_names_renamed


def rename_stored_names(apps, schema_editor):
    """Audit entries and permission codenames follow the model's new name."""
    stored_names_renamed(apps, "activities", "invitation", "roleinvitation")


def restore_stored_names(apps, schema_editor):
    stored_names_renamed(apps, "activities", "roleinvitation", "invitation")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_rename_invitation_roleinvitation"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(rename_stored_names, restore_stored_names)]
