"""The agent desk: case lists, the case page and everything done from it."""

from opiekun.cases.views.bulk import (
    bulk,
    create_saved_view,
    remove_saved_view,
    undo_bulk,
)
from opiekun.cases.views.detail import (
    assign,
    case_detail,
    change_case_kind,
    change_case_priority,
    change_case_status,
    change_case_team,
    change_tags,
    tag_suggestions,
)
from opiekun.cases.views.lists import case_list, case_list_counts, case_list_news
from opiekun.cases.views.presence import presence
from opiekun.cases.views.related import link, merge, split, unlink
from opiekun.cases.views.replies import attachment, insert_macro, note, reply, retry

__all__ = [
    "assign",
    "attachment",
    "bulk",
    "case_detail",
    "case_list",
    "case_list_counts",
    "case_list_news",
    "change_case_kind",
    "change_case_priority",
    "change_case_status",
    "change_case_team",
    "change_tags",
    "create_saved_view",
    "insert_macro",
    "link",
    "merge",
    "note",
    "presence",
    "remove_saved_view",
    "reply",
    "retry",
    "split",
    "tag_suggestions",
    "undo_bulk",
    "unlink",
]
