from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("信访")

    def ready(self) -> None:
        from office import demo, navigation
        from office.dashboard import registry as dashboard
        from office.desk import providers as desk
        from petitions import services
        from petitions.dashboard import PetitionFigures
        from petitions.desk import PetitionProvider

        def open_reported_item(context, **item):
            from petitions import demo as petitions_demo

            return petitions_demo.open_reported_item(context, **item)

        demo.open_items_from("城东安置小区房屋渗漏问题", open_reported_item)  # petitions.demo.REPORTED_CASE
        desk.register(PetitionProvider())
        dashboard.register(PetitionFigures())
        navigation.offer("petition_register", services.may_register)

        from office.api.routes import register
        from petitions.api import PetitionCaseViewSet, PetitionIntakeViewSet

        register("petitions/cases", PetitionCaseViewSet, basename="petition-case")
        register("petitions/intake", PetitionIntakeViewSet, basename="petition-intake")

        from petitions.api.batches import PetitionBatchViewSet

        register("petitions/batches", PetitionBatchViewSet, basename="petition-batch")
