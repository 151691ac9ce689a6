"""Chinese dates everywhere: one ``chinese_date`` filter (office/templatetags/chinese_dates.py, the
same wording as the exports and the printed 公文) for every date a page shows — 2026年12月2日,
never 2026-12-02 or an ISO moment — and the list pages that turn into cards on a phone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from office.templatetags.chinese_dates import chinese_date
from tests.supervision.conftest import city, item, open_item, split, today  # noqa: F401  (fixtures)

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags, attributes and scripts."""
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_filter_writes_dates_and_moments_the_chinese_way():
    """GIVEN a date, an aware moment late on 1 December UTC and nothing WHEN filtered THEN the date
    reads 2026年12月2日, the moment its Beijing day (with the time when asked), nothing is empty."""
    assert chinese_date(date(2026, 12, 2)) == "2026年12月2日"
    moment = datetime(2026, 12, 1, 17, 5, tzinfo=UTC)  # 01:05 on 2 December in Beijing
    assert chinese_date(moment) == "2026年12月2日"
    assert chinese_date(moment, "H:i") == "2026年12月2日 01:05"
    assert chinese_date(None) == "" and chinese_date("") == ""


def test_every_template_may_use_the_filter_without_loading_it():
    """GIVEN a template that loads nothing WHEN it uses |chinese_date THEN it renders (a built-in)."""
    rendered = Template('{{ day|chinese_date }}，{{ day|chinese_date|default:"—" }}').render(
        Context({"day": date(2027, 1, 4)})
    )
    assert rendered == "2027年1月4日，2027年1月4日"


def test_no_template_writes_a_date_the_iso_way():
    """GIVEN every template of the project WHEN read THEN none formats a date as Y-m-d (the pages
    use |chinese_date; only a time of day alone may use |date)."""
    offenders = []
    for folder in ("office", "documents", "supervision"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.html"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r'\|date:"[^"]*Y-m-d', line) or re.search(r"\|date:'[^']*Y-m-d", line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []


def test_the_ledger_and_the_item_page_show_chinese_dates_only(client, city, item):  # noqa: F811
    """GIVEN an item due 30 April 2026 with a milestone on 20 March WHEN the 督查员 opens the ledger,
    the item's page and 我的督办 THEN the dates read 2026年4月30日 and 2026年3月20日, and no
    2026-04-30 style date is shown on the lists. (The item page's 流转记录 still quotes the texts the
    services wrote, "时限：2026-04-30": those are the services' to word.)"""
    client.force_login(city.supervisor.user)
    ledger = client.get("/supervision/").content.decode()
    assert "2026年4月30日" in visible_text(ledger)
    detail = client.get(f"/supervision/{item.pk}/").content.decode()
    assert "2026年4月30日" in visible_text(detail) and "2026年3月20日" in visible_text(detail)
    for page in (ledger, client.get("/supervision/mine/").content.decode()):
        assert ISO_DAY.findall(visible_text(page)) == []


def test_the_list_pages_turn_into_cards_and_fold_their_filters_on_a_phone(client, city, item):  # noqa: F811
    """GIVEN the ledger WHEN opened THEN its table is marked to become cards below the md breakpoint
    and its filters sit in a panel a button folds open on a phone; the item page puts its actions
    first when the columns stack."""
    client.force_login(city.supervisor.user)
    ledger = client.get("/supervision/").content.decode()
    assert re.search(r'<table class="table table-cards[^"]*"[^>]*data-testid="items"', ledger)
    assert re.search(r'<form method="get" id="ledger-filters" class="collapse filter-panel', ledger)
    assert 'data-bs-target="#ledger-filters"' in ledger
    detail = client.get(f"/supervision/{item.pk}/").content.decode()
    assert 'class="col-xl-4 order-first order-xl-last' in detail
