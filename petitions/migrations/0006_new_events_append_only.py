"""The 建议提案 and 依申请公开 流转记录 are append-only, as the 信访流转记录 (0002)."""

from django.db import migrations

from office.confidentiality import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0005_proposals_disclosure"),
        ("confidentiality", "0004_append_only_guards"),
    ]

    operations = [
        append_only.guard("petitions_proposalevent"),
        append_only.guard("petitions_disclosureevent"),
    ]
