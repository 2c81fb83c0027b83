from django.db import migrations


def install(apps, schema_editor):
    from samen.backbone.instrument import install as install_instrument

    install_instrument(apps.get_model("backbone", "Instrument"), apps.get_model("backbone", "Section"), apps.get_model("backbone", "Item"))


class Migration(migrations.Migration):
    dependencies = [("backbone", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
