"""Macros: canned replies with one text per language.

Reading: `macros_for(case)` lists what an agent may insert on a case and `render_macro` fills in
the text. Managing: `visible_macros`, `access_macro` and `manageable_teams` decide who sees and
edits which macro; `save_macro` and `delete_macro` write.

Who manages what: leads manage the macros of their own teams; managers and admins manage
every macro, including global ones (no team, offered on every case); agents only read.

A macro's `set_status` is not applied when the text is inserted: the desk applies
`macro_status(macro)` when the reply carrying the text is sent, so a macro inserted and then
discarded changes nothing.
"""

import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Macro, MacroTranslation
from opiekun.core.languages import Language

FALLBACK_LANGUAGE = Language.ENGLISH

# {{ customer.name }}, with any spacing inside the braces. Only these names are replaced; the
# text is never evaluated as a template, so an editor cannot reach anything else.
VARIABLE = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")
VARIABLES = ("customer.name", "case.number", "case.subject", "agent.name", "team.name")


def macros_for(case: Case) -> QuerySet[Macro]:
    """The macros an agent may use on `case`: global ones and those of the case's team."""
    return (
        Macro.objects.filter(Q(team__isnull=True) | Q(team_id=case.team_id))
        .prefetch_related("translations")
        .order_by("name", "pk")
    )


def macro_translation(macro: Macro, language: str) -> MacroTranslation | None:
    """The macro's text in `language`, else in English, else in any language it has."""
    texts = sorted(macro.translations.all(), key=lambda translation: translation.pk)
    by_language = {translation.language: translation for translation in texts}
    return (
        by_language.get(language) or by_language.get(FALLBACK_LANGUAGE) or next(iter(texts), None)
    )


def macro_values(*, case: Case, agent: User) -> dict[str, str]:
    return {
        "customer.name": case.customer.name,
        "case.number": case.number,
        "case.subject": case.subject,
        "agent.name": agent.get_full_name() or agent.username,
        "team.name": case.team.name,
    }


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace the whitelisted variables in `text`; any other {{ … }} stays as written, so the
    agent sees it before sending."""
    return VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def render_macro(macro: Macro, *, case: Case, agent: User, language: str | None = None) -> str:
    """The macro's plain text for `case`, in the case's language (or `language`) with the
    variables filled in; empty when the macro has no text at all.

    The result is plain text: escape it wherever it goes into HTML (templates do).
    """
    translation = macro_translation(macro, language or case.language)
    if translation is None:
        return ""
    return substitute(translation.body, macro_values(case=case, agent=agent))


def macro_status(macro: Macro) -> str:
    """The status a reply sent with this macro moves the case to; "" leaves it unchanged."""
    return macro.set_status


def visible_macros(user: User) -> QuerySet[Macro]:
    """Macros the user may see: global ones and their teams' (managers and admins: all)."""
    if not user.is_authenticated or not user.is_active:
        return Macro.objects.none()
    macros = Macro.objects.select_related("team").prefetch_related("translations")
    if not user.sees_all_teams:
        macros = macros.filter(Q(team__isnull=True) | Q(team__in=user.teams.values("pk")))
    return macros.order_by("name", "pk")


def manageable_teams(user: User) -> QuerySet[Team]:
    """Teams whose macros the user may create and edit: every team for managers and admins,
    their own teams for leads, none for agents."""
    if not user.is_authenticated or not user.is_active or not user.is_lead_or_above:
        return Team.objects.none()
    if user.sees_all_teams:
        return Team.objects.order_by("name")
    return user.teams.order_by("name")


def may_manage_global_macros(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.sees_all_teams


def may_create_macros(user: User) -> bool:
    return may_manage_global_macros(user) or manageable_teams(user).exists()


def may_manage_macro(user: User, macro: Macro) -> bool:
    if macro.team_id is None:
        return may_manage_global_macros(user)
    return manageable_teams(user).filter(pk=macro.team_id).exists()


def access_macro(user: User, pk: int, *, manage: bool = False, for_update: bool = False) -> Macro:
    """Fetch a macro the user may see (404 otherwise, so a guessed id reveals nothing); with
    `manage`, also require that they may change it (403)."""
    macros = visible_macros(user)
    if for_update:
        macros = macros.select_for_update(of=("self",))
    macro = macros.filter(pk=pk).first()
    if macro is None:
        raise Http404("No such macro")
    if manage and not may_manage_macro(user, macro):
        raise PermissionDenied
    return macro


@transaction.atomic
def save_macro(
    macro: Macro | None,
    *,
    name: str,
    team: Team | None,
    set_status: str,
    texts: Mapping[str, str],
    by: User,
) -> Macro:
    """Create (`macro` None) or update a macro with its text per language.

    `texts` maps a language code to its text; a blank text removes that language. The caller
    has checked the user may manage the macro and its new team (access_macro, manageable_teams).
    """
    if macro is None:
        macro = Macro(created_by=by)
    macro.name = name.strip()
    macro.team = team
    macro.set_status = set_status
    macro.save()
    for language in Language.values:
        body = texts.get(language, "").strip()
        if body:
            MacroTranslation.objects.update_or_create(
                macro=macro, language=language, defaults={"body": body}
            )
        else:
            MacroTranslation.objects.filter(macro=macro, language=language).delete()
    return macro


@transaction.atomic
def delete_macro(macro: Macro, *, by: User) -> None:
    """Delete a macro and its texts. The caller has checked `by` may manage it."""
    macro.delete()
