"""Every write of the 会议 app, by family (a flow of the fixed shape: docs/architecture.md).

- ``meetings``: 会议 itself — create (第N次 for numbered types), edit, 预订会场 (no double booking),
  邀请参会, 回执, 发通知, 召开, 取消;
- ``topics``: 议题 — create, edit, 报送, 审核, 定题, 退回, 撤回, 列入议程, the agenda's order;
- ``checkin``: the rotating 签到 code, 扫码签到, 会务员代签;
- ``materials``: 会议材料, their 审核, numbered copies (份号) issued to the attendees and recalled;
- ``minutes``: 议定事项 and the 纪要 draft (a 发文 through ``documents``); its issue opens the items
  (``meetings.receivers``);
- ``schedule``: 领导活动安排.
"""

from meetings.services.checkin import *  # noqa: F403
from meetings.services.materials import *  # noqa: F403
from meetings.services.meetings import *  # noqa: F403
from meetings.services.minutes import *  # noqa: F403
from meetings.services.schedule import *  # noqa: F403
from meetings.services.topics import *  # noqa: F403
