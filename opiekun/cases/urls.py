from django.urls import path, register_converter

from opiekun.cases import views


class CaseNumberConverter:
    """2026-000123: the year and the number within it. Other paths under /cases/ (macros, say)
    never look like one."""

    regex = r"[0-9]{4}-[0-9]{1,10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseNumberConverter, "case_number")

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("news/", views.case_list_news, name="news"),
    path("counts/", views.case_list_counts, name="counts"),
    path("bulk/", views.bulk, name="bulk"),
    path("bulk/<int:change_id>/undo/", views.undo_bulk, name="undo_bulk"),
    path("views/", views.create_saved_view, name="save_view"),
    path("views/<int:view_id>/delete/", views.remove_saved_view, name="delete_view"),
    path("<case_number:number>/", views.case_detail, name="detail"),
    path("<case_number:number>/assign/", views.assign, name="assign"),
    path("<case_number:number>/status/", views.change_case_status, name="status"),
    path("<case_number:number>/priority/", views.change_case_priority, name="priority"),
    path("<case_number:number>/kind/", views.change_case_kind, name="kind"),
    path("<case_number:number>/team/", views.change_case_team, name="team"),
    path("<case_number:number>/tags/", views.change_tags, name="tags"),
    path(
        "<case_number:number>/tags/suggestions/",
        views.tag_suggestions,
        name="tag_suggestions",
    ),
    path("<case_number:number>/reply/", views.reply, name="reply"),
    path("<case_number:number>/note/", views.note, name="note"),
    path("<case_number:number>/macro/", views.insert_macro, name="insert_macro"),
    path("<case_number:number>/presence/", views.presence, name="presence"),
    path("<case_number:number>/merge/", views.merge, name="merge"),
    path("<case_number:number>/links/", views.link, name="link"),
    path("<case_number:number>/links/<int:link_id>/remove/", views.unlink, name="unlink"),
    path(
        "<case_number:number>/interactions/<int:interaction_id>/retry/", views.retry, name="retry"
    ),
    path(
        "<case_number:number>/interactions/<int:interaction_id>/split/", views.split, name="split"
    ),
    path(
        "<case_number:number>/attachments/<int:attachment_id>/", views.attachment, name="attachment"
    ),
]
