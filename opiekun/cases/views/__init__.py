"""The agent desk: case lists, the case page and everything done from it."""

from opiekun.cases.views.detail import (
    assign,
    case_detail,
    change_case_kind,
    change_case_priority,
    change_case_status,
    change_case_team,
    change_tags,
)
from opiekun.cases.views.lists import case_list
from opiekun.cases.views.presence import presence
from opiekun.cases.views.related import link, merge, split, unlink
from opiekun.cases.views.replies import attachment, insert_macro, note, reply, retry

__all__ = [
    "assign",
    "attachment",
    "case_detail",
    "case_list",
    "change_case_kind",
    "change_case_priority",
    "change_case_status",
    "change_case_team",
    "change_tags",
    "insert_macro",
    "link",
    "merge",
    "note",
    "presence",
    "reply",
    "retry",
    "split",
    "unlink",
]
