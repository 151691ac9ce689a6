from django.db import migrations


def load(apps, schema_editor):
    from office.workdays.services import load_from_package

    load_from_package(year_model=apps.get_model("workdays", "CalendarYear"),
                      day_model=apps.get_model("workdays", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
