"""The one set of pickers every form uses (office/org/forms.py, office/widgets.py, pickers.js):
units labelled with their parents and grouped by organ, people labelled "姓名（单位 · 职务）" and
tied to the unit chosen in the same form, the Chinese date and file boxes, and the 常用组 a person
may add at once — while the plain POST values a browser without JavaScript sends are still what
the forms accept."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse

from documents.incoming.forms import InstructForm
from office.forms import PeriodForm
from office.org.models import Person, Role, Unit, UnitGroup, UnitKind
from office.widgets import MultipleFileInput
from supervision.forms import TaskForm
from tests.factories import OrganFactory, UnitFactory, make_person


@pytest.fixture
def tree(db):
    """临江市人民政府 with its 办公室 (秘书科 under it) and two bureaus, each with a section named
    just "办公室" — the four identical "办公室" entries the old list boxes showed."""
    city = OrganFactory(name="临江市人民政府", short_name="市政府")
    general = UnitFactory(parent=city, name="临江市人民政府办公室", short_name="市政府办公室", kind=UnitKind.DEPARTMENT)
    secretariat = UnitFactory(parent=general, name="秘书科", short_name="秘书科")
    commerce = OrganFactory(parent=city, name="临江市商务局", short_name="市商务局")
    commerce_office = UnitFactory(parent=commerce, name="办公室", short_name="商务局办公室")
    finance = OrganFactory(parent=city, name="临江市财政局", short_name="市财政局")
    finance_office = UnitFactory(parent=finance, name="办公室", short_name="财政局办公室")
    return {
        "city": city,
        "general": general,
        "secretariat": secretariat,
        "commerce": commerce,
        "commerce_office": commerce_office,
        "finance": finance,
        "finance_office": finance_office,
    }


def options(html: str, name: str) -> dict[str, str]:
    """The options of the select named ``name``: value → label."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def select_tag(html: str, name: str) -> str:
    return re.search(rf'<select name="{re.escape(name)}"[^>]*>', html).group(0)


# --- Units ---------------------------------------------------------------------------------------


def test_units_are_labelled_with_their_parents_and_grouped_by_organ(tree):
    """GIVEN two bureaus each with a section called 办公室 and the 秘书科 of the government's 办公室
    WHEN a form offers them THEN each shows its parent ("市商务局 › 办公室", "市政府办公室 › 秘书科"),
    no two look alike, and the options are grouped under their organ."""
    form = InstructForm(units=Unit.objects.all())
    html = str(form["assisting_units"])
    labels = options(html, "assisting_units")
    assert labels[str(tree["commerce_office"].pk)] == "市商务局 › 办公室"
    assert labels[str(tree["finance_office"].pk)] == "市财政局 › 办公室"
    assert labels[str(tree["secretariat"].pk)] == "市政府办公室 › 秘书科"
    assert labels[str(tree["commerce"].pk)] == "临江市商务局"  # an organ under the root: its own name
    assert len(set(labels.values())) == len(labels)
    assert '<optgroup label="临江市商务局">' in html and '<optgroup label="临江市人民政府">' in html


def test_the_unit_pickers_are_marked_for_the_searchable_picker_with_the_groups_address(tree):
    """GIVEN the 批示 form WHEN it is rendered THEN 主办 is a single unit picker and 协办 a multiple
    one that knows where the 常用组 come from; no "Ctrl" instructions are left."""
    form = InstructForm(units=Unit.objects.all())
    assert 'data-picker="unit"' in select_tag(str(form["lead_unit"]), "lead_unit")
    multiple = select_tag(str(form["assisting_units"]), "assisting_units")
    assert 'data-picker="units"' in multiple and "multiple" in multiple
    assert f'data-unit-groups="{reverse("org_unit_group_options")}"' in multiple
    assert "Ctrl" not in str(form.fields["assisting_units"].help_text)


def test_the_plain_post_of_a_unit_picker_is_still_accepted(tree):
    """GIVEN a browser without JavaScript (a plain multiple select) WHEN the 批示 form is posted with
    unit ids THEN it is valid with those units; a unit not offered is still refused."""
    units = Unit.objects.exclude(pk=tree["finance"].pk)
    data = {
        "decision": InstructForm.APPROVE,
        "instruction": "请商务局牵头办理。",
        "lead_unit": str(tree["commerce"].pk),
        "assisting_units": [str(tree["commerce_office"].pk), str(tree["secretariat"].pk)],
        "time_limit": "2026-12-02",
    }
    form = InstructForm(data, units=units)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_unit"] == tree["commerce"]
    assert set(form.cleaned_data["assisting_units"]) == {tree["commerce_office"], tree["secretariat"]}
    assert form.cleaned_data["time_limit"] == date(2026, 12, 2)

    refused = InstructForm({**data, "lead_unit": str(tree["finance"].pk)}, units=units)
    assert not refused.is_valid() and "lead_unit" in refused.errors


def test_a_unit_picker_reads_the_tree_once_however_many_units(tree, django_assert_max_num_queries):
    """GIVEN thirty more units WHEN a unit picker is rendered THEN the labels cost one query for the
    tree and one for the choices, not one per unit."""
    for n in range(30):
        UnitFactory(parent=tree["commerce"], name=f"科室{n}")
    form = InstructForm(units=Unit.objects.all())
    with django_assert_max_num_queries(2):
        html = str(form["assisting_units"])
    assert html.count("<option") == Unit.objects.count()


# --- People --------------------------------------------------------------------------------------


def test_people_are_labelled_by_unit_and_post_and_carry_their_units(tree):
    """GIVEN people in the 商务局's 办公室 and in the 秘书科 WHEN a person picker offers them THEN each
    reads "姓名（单位 · 职务）" with the unit's parents, and carries the ids of their units up to their
    organ (what the picker filters on)."""
    clerk = make_person(name="王五", unit=tree["commerce_office"], post="科员")
    secretary = make_person(name="赵六", unit=tree["secretariat"])
    form = TaskForm(units=Unit.objects.all(), people=Person.objects.all())
    html = str(form["responsible_person"])
    labels = options(html, "responsible_person")
    assert labels[str(clerk.pk)] == "王五（市商务局 › 办公室 · 科员）"
    assert labels[str(secretary.pk)] == "赵六（市政府办公室 › 秘书科 · 内部）"  # no post: the clearance
    assert '<optgroup label="临江市商务局">' in html and '<optgroup label="临江市人民政府">' in html
    clerk_units = re.search(rf'<option value="{clerk.pk}" data-units="([^"]*)"', html).group(1).split()
    assert clerk_units == [str(tree["commerce_office"].pk), str(tree["commerce"].pk)]
    secretary_units = re.search(rf'<option value="{secretary.pk}" data-units="([^"]*)"', html).group(1).split()
    assert secretary_units == [str(u.pk) for u in (tree["secretariat"], tree["general"], tree["city"])]


def test_the_person_picker_is_tied_to_the_unit_picker_of_its_form(tree):
    """GIVEN the 分解 form, whose 责任人 belongs to the 主办单位 WHEN it is rendered (alone and with a
    formset prefix) THEN the person picker names the unit field it follows, prefix included."""
    make_person(name="王五", unit=tree["commerce_office"])
    form = TaskForm(units=Unit.objects.all(), people=Person.objects.all())
    assert 'data-unit-field="lead_unit"' in select_tag(str(form["responsible_person"]), "responsible_person")
    prefixed = TaskForm(units=Unit.objects.all(), people=Person.objects.all(), prefix="tasks-0")
    html = str(prefixed["responsible_person"])
    assert 'data-unit-field="tasks-0-lead_unit"' in select_tag(html, "tasks-0-responsible_person")


def test_the_server_still_decides_whom_a_task_may_name(tree):
    """GIVEN the 分解 form offering only the 商务局's people WHEN the plain POST names one of them THEN it
    is accepted; naming someone not offered is refused as before (the filter only helps)."""
    clerk = make_person(name="王五", unit=tree["commerce_office"])
    other = make_person(name="赵六", unit=tree["secretariat"])
    people = Person.objects.filter(pk=clerk.pk)
    data = {"lead_unit": str(tree["commerce"].pk), "responsible_person": str(clerk.pk), "due": "2026-12-31"}
    form = TaskForm(data, units=Unit.objects.all(), people=people)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["responsible_person"] == clerk
    refused = TaskForm({**data, "responsible_person": str(other.pk)}, units=Unit.objects.all(), people=people)
    assert not refused.is_valid() and "responsible_person" in refused.errors


# --- Dates and files -----------------------------------------------------------------------------


def test_date_fields_render_for_the_chinese_picker_and_accept_iso(db):
    """GIVEN a period form WHEN rendered with a date THEN the box is a date input marked for the
    Chinese picker holding the ISO value; the ISO value posted is accepted unchanged."""
    form = PeriodForm(initial={"start": date(2026, 12, 2)})
    html = str(form["start"])
    assert 'type="date"' in html and 'data-datepicker="zh"' in html and 'value="2026-12-02"' in html
    posted = PeriodForm({"start": "2026-01-05", "end": "2026-12-02"})
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["end"] == date(2026, 12, 2)


def test_the_file_box_says_choose_a_file_in_chinese():
    """GIVEN the shared file widget WHEN rendered THEN it has the "选择文件" button for the input and
    says "未选择文件" until a file is chosen, and keeps the multiple selection."""
    html = MultipleFileInput().render("attachments", None, {"id": "id_attachments"})
    assert '<label class="btn btn-outline-secondary btn-sm file-picker-button" for="id_attachments">' in html
    assert "选择文件" in html and "未选择文件" in html
    assert re.search(r'<input type="file" name="attachments"[^>]*multiple', html)


# --- 常用组 --------------------------------------------------------------------------------------


@pytest.fixture
def groups(tree):
    owner = make_person(username="owner", name="李文", unit=tree["secretariat"])
    other = make_person(username="other", name="周武", unit=tree["secretariat"])
    shared = UnitGroup.objects.create(name="市直各部门")
    shared.units.set([tree["commerce"], tree["finance"]])
    own = UnitGroup.objects.create(name="我常发的两个局", owner=owner)
    own.units.set([tree["commerce"]])
    others = UnitGroup.objects.create(name="别人的组", owner=other)
    others.units.set([tree["finance"]])
    return {"owner": owner, "other": other, "shared": shared, "own": own, "others": others}


def test_a_person_is_offered_the_shared_groups_and_their_own_only(client, groups, tree):
    """GIVEN a shared group, the person's own and someone else's WHEN the picker asks for the groups
    THEN it gets the shared one and their own, with their units — never the other person's."""
    client.force_login(groups["owner"].user)
    response = client.get(reverse("org_unit_group_options"))
    assert response.status_code == 200
    offered = {group["name"]: group for group in response.json()["groups"]}
    assert set(offered) == {"市直各部门", "我常发的两个局"}
    assert offered["市直各部门"]["shared"] is True
    assert sorted(offered["市直各部门"]["units"]) == sorted([tree["commerce"].pk, tree["finance"].pk])
    assert offered["我常发的两个局"]["units"] == [tree["commerce"].pk]


def test_the_groups_page_lists_own_and_shared_groups_and_makes_a_new_one(client, groups, tree):
    """GIVEN the person's 常用组 page WHEN opened THEN it shows their group and the shared one, not
    another person's; WHEN a new group is posted THEN it is theirs, with the units chosen."""
    client.force_login(groups["owner"].user)
    page = client.get(reverse("org_unit_groups")).content.decode()
    assert "我常发的两个局" in page and "市直各部门" in page and "别人的组" not in page
    assert 'data-picker="units"' in page  # the units of a new group are chosen with the same picker

    response = client.post(
        reverse("org_unit_groups"),
        {"name": "两个办公室", "units": [tree["commerce_office"].pk, tree["finance_office"].pk]},
    )
    assert response.status_code == 302
    made = UnitGroup.objects.get(name="两个办公室")
    assert made.owner == groups["owner"]
    assert set(made.units.all()) == {tree["commerce_office"], tree["finance_office"]}


def test_a_group_without_units_or_with_a_name_in_use_is_refused(client, groups, tree):
    """GIVEN the person's page WHEN a group is posted without units, or with the name of one of theirs
    THEN it is refused with a Chinese message and nothing is stored."""
    client.force_login(groups["owner"].user)
    before = UnitGroup.objects.count()
    empty = client.post(reverse("org_unit_groups"), {"name": "空组"})
    assert empty.status_code == 400
    twice = client.post(reverse("org_unit_groups"), {"name": "我常发的两个局", "units": [tree["finance"].pk]})
    assert twice.status_code == 400 and "您已有同名的常用组" in twice.content.decode()
    assert UnitGroup.objects.count() == before


def test_another_persons_group_and_a_shared_one_cannot_be_deleted_from_the_page(client, groups):
    """GIVEN someone else's group and a shared one WHEN the person posts their deletion THEN both are
    not found (404) and stay; their own is deleted."""
    client.force_login(groups["owner"].user)
    for group in (groups["others"], groups["shared"]):
        assert client.post(reverse("org_unit_group_delete", args=[group.pk])).status_code == 404
        assert UnitGroup.objects.filter(pk=group.pk).exists()
    assert client.post(reverse("org_unit_group_delete", args=[groups["own"].pk])).status_code == 302
    assert not UnitGroup.objects.filter(pk=groups["own"].pk).exists()


def test_anonymous_callers_get_no_groups(client, groups):
    """GIVEN no login WHEN the groups are asked for THEN the login page answers, no group is named."""
    response = client.get(reverse("org_unit_group_options"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_system_administrator_keeps_only_the_shared_groups_in_the_admin(client, groups, tree):
    """GIVEN a 系统管理员 WHEN the admin's 常用组 list is opened THEN it shows the shared group and no
    person's own; a group added there is shared (no owner). Another person may not open it."""
    admin = make_person(username="sysadm", name="管理员", roles=(Role.SYSTEM_ADMIN,))
    client.force_login(admin.user)
    listing = client.get(reverse("admin:org_unitgroup_changelist"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "市直各部门" in body and "我常发的两个局" not in body and "别人的组" not in body
    response = client.post(
        reverse("admin:org_unitgroup_add"), {"name": "各区县政府", "units": [tree["commerce"].pk], "sort_order": 0}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UnitGroup.objects.get(name="各区县政府").owner is None
    assert UnitGroup in admin_site._registry

    client.force_login(groups["owner"].user)
    assert client.get(reverse("admin:org_unitgroup_changelist")).status_code in (302, 403)


# --- The libraries ---------------------------------------------------------------------------------


def test_every_page_loads_the_picker_libraries_from_npm(client, db):
    """GIVEN the login page (base layout) WHEN it is served THEN it loads Tom Select, flatpickr with
    its Chinese locale and the pickers script from the static files, and each is served (npm's
    node_modules, no CDN, nothing inline)."""
    page = client.get("/login/").content.decode()
    for path in (
        "/static/vendor/tom-select/js/tom-select.complete.min.js",
        "/static/vendor/tom-select/css/tom-select.bootstrap5.min.css",
        "/static/vendor/flatpickr/flatpickr.min.js",
        "/static/vendor/flatpickr/l10n/zh.js",
        "/static/office/pickers.js",
        "/static/office/lists.js",
    ):
        assert f'"{path}"' in page
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, path
    zh = client.get("/static/vendor/flatpickr/l10n/zh.js")
    assert "周一" in b"".join(zh.streaming_content).decode() if zh.streaming else zh.content.decode()


def test_the_signer_picker_carries_clearances_for_the_level_chosen(db):
    """The 拟请签发人 picker names the 密级 field and each option its person's clearance, so the
    browser offers only people cleared for the level chosen (the service refuses the others)."""
    from django import forms as django_forms

    from documents.outgoing.forms import OutgoingForm
    from office.confidentiality.levels import Level
    from office.org.forms import PersonChoiceField

    assert OutgoingForm.base_fields["designated_signer"].widget.clearance_field == "classification"
    leader = make_person(name="签发人", clearance=Level.SECRET)

    class SignerForm(django_forms.Form):
        classification = django_forms.IntegerField()
        signer = PersonChoiceField(queryset=Person.objects.filter(pk=leader.pk), clearance_field="classification")

    html = str(SignerForm()["signer"])
    assert 'data-clearance-field="classification"' in html
    assert f'data-clearance="{int(Level.SECRET)}"' in html
