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


# --- The office the 保密 pages (test_pages_*.py) are tried in ------------------------------------


@pytest.fixture
def organ(db):
    return OrganFactory(name="甲市人民政府")


@pytest.fixture
def general_office(organ):
    return UnitFactory(parent=organ, name="市政府办公室")


@pytest.fixture
def planning_bureau(organ):
    return UnitFactory(parent=organ, name="发展改革局")


@pytest.fixture
def officer(general_office):
    """The organ's 保密员, cleared for 绝密."""
    return make_person(
        username="p_officer",
        name="吴敏",
        unit=general_office,
        clearance=Level.TOP_SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def second_officer(general_office):
    return make_person(
        username="p_officer2",
        name="郑洁",
        unit=general_office,
        clearance=Level.SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def owner(general_office):
    """A 核心涉密人员 who registers carriers."""
    return make_person(username="p_owner", name="李明华", unit=general_office, clearance=Level.TOP_SECRET)


@pytest.fixture
def colleague(general_office):
    """Same unit as the owner, cleared for 机密 but not for 绝密."""
    return make_person(username="p_colleague", name="陈晓静", unit=general_office, clearance=Level.SECRET)


@pytest.fixture
def outsider(planning_bureau):
    """Another unit of the same organ, cleared for 机密: outside the 知悉范围 of the office's carriers."""
    return make_person(username="p_outsider", name="韩磊", unit=planning_bureau, clearance=Level.SECRET)


@pytest.fixture
def leader(general_office):
    return make_person(
        username="p_leader", name="王局长", unit=general_office, clearance=Level.TOP_SECRET, roles=(Role.LEADER,)
    )


@pytest.fixture
def top_secret_ceiling(settings):
    """A certified classified network: content up to 绝密 may be kept."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
