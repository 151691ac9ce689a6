"""Every write of the 会议 app, by family (a flow of the fixed shape: docs/architecture.md).

- ``meetings``: 会议 itself — create (第N次 for numbered types), edit, 预订会场 (no double booking),
  邀请参会, 回执, 发通知, 召开, 取消;
- ``topics``: 议题 — create, edit, 报送, 审核, 定题, 退回, 撤回, 列入议程, the agenda's order;
- ``checkin``: the rotating 签到 code, 扫码签到, 会务员代签;
- ``materials``: 会议材料, their 审核, numbered copies (份号) issued to the attendees and recalled;
- ``minutes``: 议定事项 and the 纪要 draft (a 发文 through ``documents``); its issue opens the items
  (``meetings.receivers``);
- ``schedule``: 领导活动安排;
- ``plans``: 会议计划 (拟订, 报批, 批准, 列入计划, 撤销, 计划外报批);
- ``preparation``: 会议方案 and 预案, 会务分工 tasks, 分会场 and their 调试, 会场保密检查, 会后总结 and
  the 会议情况通报;
- ``logistics``: 请假 approval, 座次, 参会证, 分组讨论, 交通食宿 and 报到.
"""

from meetings.services.checkin import *  # noqa: F403
from meetings.services.logistics import *  # noqa: F403
from meetings.services.materials import *  # noqa: F403
from meetings.services.meetings import *  # noqa: F403
from meetings.services.minutes import *  # noqa: F403
from meetings.services.plans import *  # noqa: F403
from meetings.services.preparation import *  # noqa: F403
from meetings.services.schedule import *  # noqa: F403
from meetings.services.topics import *  # noqa: F403
