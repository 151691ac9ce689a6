"""The 信访流转记录 is append-only: UPDATE, DELETE and (unless a database superuser) TRUNCATE are
refused by the guards of ``office.confidentiality.append_only`` (as supervision 0002)."""

from django.db import migrations

from office.confidentiality import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial"),
        ("confidentiality", "0004_append_only_guards"),
    ]

    operations = [append_only.guard("petitions_petitionevent")]
