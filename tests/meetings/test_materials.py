"""会议材料 (``meetings.services.materials``), the clock frozen on Monday 2 March 2026: 报送 at the
meeting's 密级 (never above the sender's clearance, files checked by their bytes), 审核, numbered
copies of a classified material to the attendees who come (份号 1..n, due back the day after), no
second set, 签收 by the holder, 清退 by the 会务员 and who still holds his copy."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Attendee, Material, MeetingEvent, MeetingState, MeetingType, Reply
from meetings.selectors import copies_out
from meetings.services import copy_sign, material_add, material_check, material_issue, material_recall
from meetings.services.materials import outstanding_holders
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent, ClassifiedCopy, CopyState
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def secret_meeting(meeting_city, make_meeting, today):
    """A 机密 常务会议 on Tuesday 3 March 9:00–12:00 in the 保密会议室, 已通知: 钱主任, 周局长, 李市长 and
    刘市长 invited; 刘市长 asked leave."""
    mc = meeting_city
    meeting = make_meeting(
        starts_at=datetime(2026, 3, 3, 9, tzinfo=BEIJING),
        room=mc.secure_room,
        classification=Level.SECRET,
        classification_basis="《国家秘密目录》第3项",
        state=MeetingState.NOTIFIED,
        attendees=[mc.ndrc_head, mc.finance_head, mc.vice_mayor, mc.mayor],
    )
    Attendee.objects.filter(meeting=meeting, person=mc.mayor).update(reply=Reply.LEAVE, reason="出差")
    return meeting


@pytest.fixture
def checked_material(meeting_city, secret_meeting):
    material = material_add(
        actor=meeting_city.officer.user, meeting=secret_meeting, title="关于预算调整的汇报", pages=8
    )
    return material_check(actor=meeting_city.officer.user, material=material)


def audit_actions(material) -> list[str]:
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Material), object_id=str(material.pk)
    )
    return list(events.order_by("id").values_list("action", flat=True))


def test_a_material_takes_the_meeting_level_and_is_recorded(meeting_city, secret_meeting):
    """GIVEN the 机密 meeting
    WHEN 周会务 adds a material without a level
    THEN it is 机密 with the meeting's basis, in the meeting's organ, sent by him, its 定密 audited and
    the meeting's 流转记录 naming it."""
    mc = meeting_city
    material = material_add(actor=mc.officer.user, meeting=secret_meeting, title="  关于预算调整的汇报 ")
    assert (material.classification, material.classification_basis) == (Level.SECRET, "《国家秘密目录》第3项")
    assert (material.organ, material.uploaded_by, material.title, material.checked) == (
        mc.organ,
        mc.officer,
        "关于预算调整的汇报",
        False,
    )
    assert audit_actions(material) == ["classify"]
    event = MeetingEvent.objects.filter(meeting=secret_meeting).latest("id")
    assert (event.action, event.comment) == ("报送会议材料", "关于预算调整的汇报")


def test_a_material_above_the_senders_clearance_or_the_meeting_is_refused(meeting_city, secret_meeting, make_meeting):
    """GIVEN 何会务 (会务员, cleared for 内部 only) and an 内部 meeting run by him
    WHEN he adds a 秘密 material to it, and 周会务 adds a 秘密 one to it
    THEN both are refused on the level (his clearance; the meeting's level) and nothing is stored."""
    mc = meeting_city
    internal = make_meeting(organizer=mc.officer_low, state=MeetingState.NOTIFIED)
    with pytest.raises(ValidationError) as excinfo:
        material_add(actor=mc.officer_low.user, meeting=internal, title="汇报", level=Level.CONFIDENTIAL)
    assert "涉密等级" in excinfo.value.message_dict["level"][0]
    with pytest.raises(ValidationError) as excinfo:
        material_add(actor=mc.officer.user, meeting=internal, title="汇报", level=Level.CONFIDENTIAL)
    assert "会议密级" in excinfo.value.message_dict["level"][0]
    assert not Material.objects.exists()


def test_only_whoever_runs_the_meeting_adds_material_and_files_are_checked(meeting_city, make_meeting):
    """GIVEN an 内部 meeting
    WHEN 吴科员 (no role) adds a material, and 周会务 uploads a "PDF" that is text, then a real text file
    THEN 吴科员 is refused, the fake PDF is refused on its file, and the text file is kept."""
    mc = meeting_city
    meeting = make_meeting(state=MeetingState.NOTIFIED)
    with pytest.raises(PermissionDenied, match="会务员"):
        material_add(actor=mc.low.user, meeting=meeting, title="汇报")
    fake = SimpleUploadedFile("汇报.pdf", "这不是PDF".encode())
    with pytest.raises(ValidationError) as excinfo:
        material_add(actor=mc.officer.user, meeting=meeting, title="汇报", file=fake)
    assert "内容与扩展名不符" in excinfo.value.message_dict["file"][0]
    text = SimpleUploadedFile("汇报.txt", "第一部分：基本情况".encode())
    material = material_add(actor=mc.officer.user, meeting=meeting, title="汇报", file=text)
    assert material.level == Level.INTERNAL and material.file.read().decode() == "第一部分：基本情况"


def test_numbered_copies_go_to_the_attendees_who_come(meeting_city, secret_meeting, checked_material):
    """GIVEN a checked 机密 material and four invited, 刘市长 on leave
    WHEN 周会务 issues it
    THEN three copies numbered 1..3 go to 钱主任, 周局长 and 李市长 in the list's order, due back on
    Wednesday 4 March (the day after the meeting), each audited and chased by a reminder."""
    mc = meeting_city
    copies = material_issue(actor=mc.officer.user, material=checked_material)
    assert [(c.copy_number, c.holder_person) for c in copies] == [
        (1, mc.ndrc_head),
        (2, mc.finance_head),
        (3, mc.vice_mayor),
    ]
    assert {(c.due_back, c.state, c.issued_by) for c in copies} == {(date(2026, 3, 4), CopyState.ISSUED, mc.officer)}
    assert audit_actions(checked_material).count("copy_issue") == 3
    assert [d.due_date for d in deadlines_of(copies[0])] == [date(2026, 3, 4)]
    event = MeetingEvent.objects.filter(meeting=secret_meeting).latest("id")
    assert (event.action, event.comment) == ("分发涉密材料", "关于预算调整的汇报 3份")


def test_issuing_again_gives_no_second_set_but_serves_a_late_invitee(meeting_city, secret_meeting, checked_material):
    """GIVEN the copies issued
    WHEN 周会务 issues again, then invites 王督查 and issues once more
    THEN the second issue adds nothing; the third adds copy 4 for 王督查 only."""
    mc = meeting_city
    material_issue(actor=mc.officer.user, material=checked_material)
    assert len(material_issue(actor=mc.officer.user, material=checked_material)) == 3
    assert ClassifiedCopy.objects.count() == 3
    Attendee.objects.create(meeting=secret_meeting, person=mc.supervisor)
    copies = material_issue(actor=mc.officer.user, material=checked_material)
    assert [(c.copy_number, c.holder_person) for c in copies][3:] == [(4, mc.supervisor)]


def test_issue_is_refused_for_an_internal_or_unchecked_material_or_an_uncleared_attendee(
    meeting_city, secret_meeting, make_meeting
):
    """GIVEN an 内部 material of an 内部 meeting, an unchecked 机密 one, and 孙科员 (秘密) invited
    WHEN 周会务 issues them, and 钱主任 tries to issue the checked one
    THEN the 内部 meeting is not offered 分发 at all, the unchecked one must be checked first (and the
    step is offered only once one paper is ready), an 内部 paper of a classified meeting has no 份号,
    孙科员's clearance is named, 钱主任 is refused, and no copy exists."""
    mc = meeting_city
    internal = make_meeting(state=MeetingState.NOTIFIED)
    plain = material_check(
        actor=mc.officer.user, material=material_add(actor=mc.officer.user, meeting=internal, title="a")
    )
    with pytest.raises(TransitionNotAllowed, match="没有可按份号分发"):  # the step is not even offered
        material_issue(actor=mc.officer.user, material=plain)
    secret = material_add(actor=mc.officer.user, meeting=secret_meeting, title="b")
    with pytest.raises(TransitionNotAllowed, match="没有可按份号分发"):
        material_issue(actor=mc.officer.user, material=secret)
    checked = material_check(
        actor=mc.officer.user, material=material_add(actor=mc.officer.user, meeting=secret_meeting, title="c")
    )
    with pytest.raises(TransitionNotAllowed, match="尚未审核"):  # another paper is ready, this one is not
        material_issue(actor=mc.officer.user, material=secret)
    with pytest.raises(ValidationError, match="只有涉密材料"):  # an 内部 paper of a classified meeting
        material_issue(
            actor=mc.officer.user,
            material=material_check(
                actor=mc.officer.user,
                material=material_add(actor=mc.officer.user, meeting=secret_meeting, title="d", level=Level.INTERNAL),
            ),
        )
    assert checked.checked
    secret = material_check(actor=mc.officer.user, material=secret)
    with pytest.raises(PermissionDenied):
        material_issue(actor=mc.ndrc_head.user, material=secret)
    Attendee.objects.create(meeting=secret_meeting, person=mc.ndrc_staff)
    with pytest.raises(ValidationError, match="孙科员"):
        material_issue(actor=mc.officer.user, material=secret)
    assert not ClassifiedCopy.objects.exists()


def test_the_holder_signs_for_his_copy(meeting_city, checked_material):
    """GIVEN copies issued
    WHEN 周局长 signs for 钱主任's copy, then 钱主任 signs for it
    THEN 周局长 is refused; 钱主任's copy is 已签收 at the time, audited."""
    mc = meeting_city
    first = material_issue(actor=mc.officer.user, material=checked_material)[0]
    with pytest.raises(PermissionDenied):
        copy_sign(actor=mc.finance_head.user, copy=first)
    signed = copy_sign(actor=mc.ndrc_head.user, copy=first)
    assert signed.state == CopyState.SIGNED and signed.signed_at is not None
    assert "copy_sign" in audit_actions(checked_material)


def test_recalling_two_leaves_the_third_holder_outstanding(meeting_city, secret_meeting, checked_material):
    """GIVEN three copies out and the meeting held
    WHEN 钱主任 tries to recall one, then 周会务 recalls 钱主任's and 周局长's
    THEN 钱主任 is refused; those two are 已清退 with their reminders met and COPY_RETURN audited;
    only 李市长 still holds his copy 3; recalling a returned copy again is refused."""
    mc = meeting_city
    copies = material_issue(actor=mc.officer.user, material=checked_material)
    secret_meeting.state = MeetingState.HELD
    secret_meeting.save(update_fields=["state"])
    with pytest.raises(PermissionDenied, match="会务员"):
        material_recall(actor=mc.ndrc_head.user, copy=copies[0])
    for copy in copies[:2]:
        back = material_recall(actor=mc.officer.user, copy=copy)
        assert back.state == CopyState.RETURNED and back.returned_at is not None
        assert [d.state for d in deadlines_of(copy)] == [DeadlineState.MET]
    assert audit_actions(checked_material).count("copy_return") == 2
    held = outstanding_holders(secret_meeting)
    assert [(person, [c.copy_number for c in held_copies]) for person, held_copies in held] == [(mc.vice_mayor, [3])]
    assert list(copies_out(secret_meeting).values_list("copy_number", flat=True)) == [3]
    with pytest.raises(TransitionNotAllowed, match="已清退"):
        material_recall(actor=mc.officer.user, copy=copies[0])


def test_recall_waits_for_the_meeting(meeting_city, checked_material):
    """GIVEN copies issued to a meeting still 已通知
    WHEN 周会务 recalls one
    THEN it is refused: papers are recalled once the meeting is held."""
    copy = material_issue(actor=meeting_city.officer.user, material=checked_material)[0]
    with pytest.raises(TransitionNotAllowed):
        material_recall(actor=meeting_city.officer.user, copy=copy)


# --- 发言材料: 篇幅 and 发言时间 limits, checked at 审核 -------------------------------------------------------


@pytest.fixture
def limited(meeting_city, make_meeting, today):
    """A 常务会议 whose speeches are limited to 3000字 and 10分钟."""
    MeetingType.objects.filter(code="standing").update(speech_max_chars=3000, speech_max_minutes=10)
    return make_meeting()


def test_a_speech_over_the_types_limits_fails_its_check_naming_the_limit(meeting_city, limited):
    """GIVEN speeches limited to 3000字 and 10分钟 WHEN the 会务员 checks a speech of 3001字, one of 11分钟 and
    one whose 字数 was never given THEN each is refused in Chinese naming the limit, stays unchecked and
    leaves no 审核 in the 流转记录; a speech of exactly 3000字 and 10分钟 and a 会议材料 of any length pass."""
    officer = meeting_city.officer.user

    def speech(title, **fields):
        return material_add(actor=officer, meeting=limited, title=title, kind="speech", **fields)

    cases = [
        (speech("超长发言", chars=3001, speaking_minutes=5), "chars", "发言材料超过篇幅限制（不超过3000字）"),
        (speech("超时发言", chars=1000, speaking_minutes=11), "speaking_minutes", "发言时间限制（不超过10分钟）"),
        (speech("未登记字数的发言", speaking_minutes=5), "chars", "请先登记发言材料的字数（篇幅限制：不超过3000字）"),
    ]
    for material, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            material_check(actor=officer, material=material)
        assert message in refused.value.message_dict[field][0], material.title
        assert not Material.objects.get(pk=material.pk).checked
    assert not MeetingEvent.objects.filter(meeting=limited, action="审核会议材料").exists()
    at_limit = material_check(actor=officer, material=speech("刚好的发言", chars=3000, speaking_minutes=10))
    paper = material_check(
        actor=officer, material=material_add(actor=officer, meeting=limited, title="长篇汇报", chars=20000)
    )
    assert at_limit.checked and paper.checked


def test_a_speech_with_a_bad_kind_or_length_is_refused_and_stores_nothing(meeting_city, limited):
    """GIVEN the 会务员 WHEN he 报送 a material of an unknown 类别, or a speech of 0字 or 0分钟 THEN each is a
    Chinese field error and nothing is stored; a type without limits lets any speech pass 审核."""
    officer = meeting_city.officer.user
    for fields, field in (
        ({"kind": "poem"}, "kind"),
        ({"chars": 0}, "chars"),
        ({"speaking_minutes": 0}, "speaking_minutes"),
    ):
        with pytest.raises(ValidationError) as refused:
            material_add(actor=officer, meeting=limited, title="发言", **{"kind": "speech", **fields})
        assert field in refused.value.message_dict
    assert not Material.objects.filter(meeting=limited).exists()
    MeetingType.objects.filter(code="standing").update(speech_max_chars=None, speech_max_minutes=None)
    long = material_add(actor=officer, meeting=limited, title="长发言", kind="speech", chars=9000, speaking_minutes=40)
    assert material_check(actor=officer, material=long).checked
