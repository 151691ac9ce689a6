"""The default 问题分类 tree, in the headings 信访 offices classify by (the national system's
first-level classes, each with its commonest sub-classes). Administrators edit it in the admin
afterwards; reversing removes only the rows this migration added and nothing has used."""

from django.db import migrations

# (code, name, ((code, name), ...)) — codes are stable slugs the API and imports refer to.
TREE = (
    (
        "construction",
        "城乡建设",
        (
            ("construction-demolition", "征地拆迁"),
            ("construction-housing", "住房保障与房屋质量"),
            ("construction-property", "物业管理"),
            ("construction-planning", "规划建设"),
        ),
    ),
    ("agriculture", "农村农业", (("agriculture-land", "土地承包"), ("agriculture-collective", "村务管理"), ("agriculture-subsidy", "惠农补贴"))),
    (
        "labour",
        "劳动和社会保障",
        (("labour-wages", "拖欠工资"), ("labour-insurance", "社会保险"), ("labour-relations", "劳动关系")),
    ),
    ("health", "卫生健康", (("health-medical", "医疗纠纷"), ("health-insurance", "医疗保障"), ("health-food", "食品药品安全"))),
    ("education", "教育文化", (("education-school", "入学就学"), ("education-fees", "教育收费"), ("education-culture", "文化体育"))),
    (
        "legal",
        "政法",
        (("legal-litigation", "涉法涉诉"), ("legal-police", "公安执法"), ("legal-justice", "司法行政")),
    ),
    ("resources", "自然资源", (("resources-land", "土地管理"), ("resources-mining", "矿产资源"))),
    (
        "environment",
        "生态环境",
        (("environment-air", "大气污染"), ("environment-water", "水污染"), ("environment-noise", "噪声污染")),
    ),
    ("transport", "交通运输", (("transport-roads", "道路建设"), ("transport-services", "客运出租"))),
    (
        "commerce",
        "商贸旅游",
        (("commerce-market", "市场监管"), ("commerce-consumer", "消费维权"), ("commerce-tourism", "旅游服务")),
    ),
    ("economy", "经济管理", (("economy-enterprise", "企业改制"), ("economy-finance", "金融财税"))),
    ("civil", "民政", (("civil-assistance", "社会救助"), ("civil-elderly", "养老服务"), ("civil-veterans", "退役军人"))),
    ("personnel", "组织人事", (("personnel-appointment", "干部任用"), ("personnel-treatment", "工资待遇"))),
    ("discipline", "纪检监察", (("discipline-corruption", "违纪违法"), ("discipline-style", "作风问题"))),
    ("party", "党务政务", (("party-affairs", "党务工作"), ("party-services", "政务服务"), ("party-disclosure", "政务公开"))),
    ("other", "其他", (("other-general", "其他事项"), ("other-suggestion", "意见建议"))),
)


def codes():
    for code, _name, children in TREE:
        yield code
        yield from (child for child, _n in children)


def create(apps, schema_editor):
    IssueCategory = apps.get_model("petitions", "IssueCategory")
    for order, (code, name, children) in enumerate(TREE, start=1):
        parent, _created = IssueCategory.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        for sub, (child, child_name) in enumerate(children, start=1):
            IssueCategory.objects.get_or_create(
                code=child, defaults={"name": child_name, "parent": parent, "sort_order": sub}
            )


def remove(apps, schema_editor):
    IssueCategory = apps.get_model("petitions", "IssueCategory")
    PetitionCase = apps.get_model("petitions", "PetitionCase")
    RoutingRule = apps.get_model("petitions", "RoutingRule")
    used = set(PetitionCase.objects.values_list("category__code", flat=True))
    used |= set(RoutingRule.objects.values_list("category__code", flat=True))
    ours = [code for code in codes() if code not in used]
    # Children first (a parent is PROTECTed by them); a parent still holding a child stays.
    IssueCategory.objects.filter(code__in=ours, parent__isnull=False).delete()
    IssueCategory.objects.filter(code__in=ours, parent__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_events_append_only")]

    operations = [migrations.RunPython(create, remove)]
