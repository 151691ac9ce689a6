from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("信访")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(ensure_default_categories, sender=self, dispatch_uid="petitions.default_categories")
        from office import demo, navigation
        from office.dashboard import registry as dashboard
        from office.desk import providers as desk
        from petitions import services
        from petitions.dashboard import PetitionFigures
        from petitions.desk import PetitionProvider
        from petitions.disclosure.dashboard import DisclosureFigures
        from petitions.disclosure.desk import DisclosureProvider
        from petitions.proposals.dashboard import ProposalFigures
        from petitions.proposals.desk import ProposalProvider

        def open_reported_item(context, **item):
            from petitions import demo as petitions_demo

            return petitions_demo.open_reported_item(context, **item)

        demo.open_items_from("城东安置小区房屋渗漏问题", open_reported_item)  # petitions.demo.REPORTED_CASE
        desk.register(PetitionProvider())
        desk.register(ProposalProvider())
        desk.register(DisclosureProvider())
        dashboard.register(PetitionFigures())
        dashboard.register(ProposalFigures())
        dashboard.register(DisclosureFigures())
        navigation.offer("petition_register", services.may_register)

        from office.api.routes import register
        from petitions.api import PetitionCaseViewSet, PetitionIntakeViewSet

        register("petitions/cases", PetitionCaseViewSet, basename="petition-case")
        register("petitions/intake", PetitionIntakeViewSet, basename="petition-intake")

        from petitions.api.batches import PetitionBatchViewSet

        register("petitions/batches", PetitionBatchViewSet, basename="petition-batch")

        from petitions.disclosure import api as disclosure_api
        from petitions.disclosure import publication
        from petitions.proposals import api as proposals_api

        proposals_api.register()
        disclosure_api.register()
        publication.connect()


def ensure_default_categories(sender=None, **kwargs) -> None:
    """The default 问题分类 tree (migration 0003) when the table is empty: after a test flush, as the
    deadline kinds are; a tree the administrators keep is never touched."""
    from importlib import import_module

    from django.apps import apps

    from petitions.models import IssueCategory

    if not IssueCategory.objects.exists():
        import_module("petitions.migrations.0003_default_categories").create(apps, None)
