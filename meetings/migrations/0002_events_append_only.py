"""The 流转记录 of meetings and 议题 are append-only: UPDATE, DELETE and TRUNCATE are refused by the
guards of ``office.confidentiality.append_only`` (as supervision 0002)."""

from django.db import migrations

from office.confidentiality import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("confidentiality", "0004_append_only_guards"),
    ]

    operations = [append_only.guard("meetings_meetingevent"), append_only.guard("meetings_topicevent")]
