"""Merging duplicate cases, splitting an interaction off into its own case, and linking cases.

Every function here changes two cases. The caller holds the row locks of both (for example
`access_case(..., for_update=True)` for each), taking the lower id first so that two people
merging the same pair in opposite directions queue instead of deadlocking.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.cases.events import record_event
from opiekun.cases.models import Case, CaseLink, Event, Interaction
from opiekun.cases.services import change_status, open_case
from opiekun.core.errors import Refused as Refused  # re-exported for existing imports


class MergeRefused(Refused):
    pass


class SplitRefused(Refused):
    pass


class LinkRefused(Refused):
    pass


def _linked(one: Case, other: Case) -> Q:
    # Cases are linked at most once, whichever way the link points.
    return Q(source=one, target=other) | Q(source=other, target=one)


def _repoint_links(source: Case, into: Case) -> None:
    """Move the source's links to `into`; drop those that would link `into` to itself or
    repeat a link `into` already has."""
    for link in CaseLink.objects.filter(Q(source=source) | Q(target=source)).order_by("pk"):
        other_id = link.target_id if link.source_id == source.pk else link.source_id
        already = CaseLink.objects.filter(
            Q(source=into, target_id=other_id) | Q(source_id=other_id, target=into)
        ).exists()
        if other_id == into.pk or already:
            link.delete()
        elif link.source_id == source.pk:
            link.source = into
            link.save(update_fields=["source"])
        else:
            link.target = into
            link.save(update_fields=["target"])


@transaction.atomic
def merge_cases(source: Case, *, into: Case, by: User | None) -> Case:
    """Fold `source` into `into` and return `into`.

    All interactions (their attachments follow them) move to `into`, tags are united, links are
    re-pointed where they stay valid, and cases merged into `source` earlier now point at
    `into`. `source` is closed and remembers `into`; both timelines record the merge. When
    `source` was still open and `into` was not, `into` reopens so the moved work is not lost.

    Raises MergeRefused for a case merged into itself or for either case already merged.
    The caller holds the row locks of both cases (lower id first).
    """
    if source.pk == into.pk:
        raise MergeRefused(_("A case cannot be merged into itself."))
    for case in (source, into):
        if case.merged_into_id is not None:
            raise MergeRefused(
                _("Case %(number)s has already been merged into another case.")
                % {"number": case.number}
            )
    moved = Interaction.objects.filter(case=source).update(case=into)
    added = sorted(
        set(source.tags.values_list("name", flat=True))
        - set(into.tags.values_list("name", flat=True))
    )
    if added:
        into.tags.add(*source.tags.filter(name__in=added))
        record_event(into, kind=Event.Kind.TAGGED, by=by, added=added, removed=[])
    _repoint_links(source, into)
    Case.objects.filter(merged_into=source).update(merged_into=into)
    if source.is_open() and not into.is_open():
        change_status(into, status=Case.Status.OPEN, by=by)
    change_status(source, status=Case.Status.CLOSED, by=by)
    source.merged_into = into
    source.save(update_fields=["merged_into"])
    into.updated_at = timezone.now()
    into.save(update_fields=["updated_at"])
    record_event(source, kind=Event.Kind.MERGED, by=by, into=into.number)
    record_event(into, kind=Event.Kind.MERGED, by=by, merged=source.number, interactions=moved)
    return into


@transaction.atomic
def split_interaction(interaction: Interaction, *, by: User | None, subject: str = "") -> Case:
    """Move one interaction to a new case of its own and return the new case.

    The new case has the old one's customer, team, channel and language, is linked to it
    (SPLIT_FROM), and both timelines record the split. A case's only interaction cannot be
    split off (SplitRefused): there would be nothing left to split from.

    The caller holds the row lock of the interaction's case.
    """
    old = interaction.case
    if not Interaction.objects.filter(case=old).exclude(pk=interaction.pk).exists():
        raise SplitRefused(
            _("This is the only interaction on case %(number)s, so it cannot be split off.")
            % {"number": old.number}
        )
    new = open_case(
        customer=old.customer,
        team=old.team,
        subject=subject.strip() or interaction.subject or old.subject,
        channel=old.channel,
        language=old.language,
        by=by,
    )
    interaction.case = new
    interaction.save(update_fields=["case"])
    new.updated_at = max(new.updated_at, interaction.started_at)
    new.save(update_fields=["updated_at"])
    old.updated_at = timezone.now()
    old.save(update_fields=["updated_at"])
    CaseLink.objects.create(source=new, target=old, kind=CaseLink.Kind.SPLIT_FROM, created_by=by)
    record_event(old, kind=Event.Kind.SPLIT, by=by, split_to=new.number, interaction=interaction.pk)
    record_event(
        new, kind=Event.Kind.SPLIT, by=by, split_from=old.number, interaction=interaction.pk
    )
    return new


@transaction.atomic
def link_cases(source: Case, *, to: Case, kind: str, by: User | None) -> CaseLink:
    """Link two cases (related, duplicate, split from) and note it on both timelines.

    Raises LinkRefused for a link to itself, to or from a merged case, or between two cases
    already linked either way. The caller holds the row locks of both cases (lower id first).
    """
    if kind not in CaseLink.Kind.values:
        raise LinkRefused(_("Choose a valid kind of link."))
    if source.pk == to.pk:
        raise LinkRefused(_("A case cannot be linked to itself."))
    for case in (source, to):
        if case.merged_into_id is not None:
            raise LinkRefused(
                _("Case %(number)s has been merged into another case and cannot be linked.")
                % {"number": case.number}
            )
    if CaseLink.objects.filter(_linked(source, to)).exists():
        raise LinkRefused(
            _("Cases %(one)s and %(other)s are already linked.")
            % {"one": source.number, "other": to.number}
        )
    link = CaseLink.objects.create(source=source, target=to, kind=kind, created_by=by)
    record_event(source, kind=Event.Kind.LINKED, by=by, link=kind, other=to.number, outgoing=True)
    record_event(to, kind=Event.Kind.LINKED, by=by, link=kind, other=source.number, outgoing=False)
    return link


@transaction.atomic
def unlink_cases(link: CaseLink, *, by: User | None) -> None:
    """Remove a link and note it on both timelines.

    The caller holds the row locks of both linked cases (lower id first).
    """
    source, target, kind = link.source, link.target, link.kind
    link.delete()
    record_event(
        source, kind=Event.Kind.UNLINKED, by=by, link=kind, other=target.number, outgoing=True
    )
    record_event(
        target, kind=Event.Kind.UNLINKED, by=by, link=kind, other=source.number, outgoing=False
    )
