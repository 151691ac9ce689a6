import pytest

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.org.models import Role
from tests.factories import OrganFactory, UnitFactory, make_person


@pytest.fixture
def organ_a(db):
    return OrganFactory(name="甲机关")


@pytest.fixture
def security_officer(organ_a):
    return make_person(
        username="baomi",
        name="保密员甲",
        unit=UnitFactory(parent=organ_a, name="保密办公室"),
        clearance=Level.TOP_SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def register():
    """Register a carrier as ``actor`` (the test ceiling is 内部, so no content above it)."""

    def _register(actor, *, level=Level.SECRET, unit=None, title="涉密载体", **extra):
        return services.carrier_register(
            actor=actor.user,
            title=title,
            unit=unit or actor.unit,
            level=level,
            basis="保密事项范围" if Level(level).is_classified else "",
            **extra,
        )

    return _register
