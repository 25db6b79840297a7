import pytest
from django.utils import translation

from opiekun.accounts.models import Team, User
from opiekun.cases.merging import (
    LinkRefused,
    MergeRefused,
    SplitRefused,
    link_cases,
    merge_cases,
    split_interaction,
    unlink_cases,
)
from opiekun.cases.models import Attachment, Case, CaseLink, Channel, Event, Interaction, Tag
from opiekun.cases.services import store_attachment
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.tests.factories import CustomerFactory


def events(case: Case, kind: str) -> list[dict[str, object]]:
    return list(Event.objects.filter(case=case, kind=kind).values_list("payload", flat=True))


def tagged(case: Case, *names: str) -> Case:
    case.tags.add(*(Tag.objects.get_or_create(name=name)[0] for name in names))
    return case


@pytest.fixture
def source(team_a: Team) -> Case:
    return CaseFactory.create(team=team_a, number="2026-000101", status=Case.Status.OPEN)


@pytest.fixture
def into(team_a: Team) -> Case:
    return CaseFactory.create(team=team_a, number="2026-000102", status=Case.Status.OPEN)


def test_merge_moves_interactions_with_their_attachments(
    source: Case, into: Case, agent_ann: User
) -> None:
    first = InteractionFactory.create(case=source, body_text="Paczka nie dotarła")
    second = InteractionFactory.create(case=source, body_text="Nadal czekam")
    kept = InteractionFactory.create(case=into, body_text="Zamówienie 123")
    attachment = store_attachment(first, filename="paragon.pdf", content=b"%PDF-1.4")

    result = merge_cases(source, into=into, by=agent_ann)

    assert result == into
    assert list(Interaction.objects.filter(case=into).order_by("pk")) == [first, second, kept]
    assert Interaction.objects.filter(case=source).count() == 0
    assert Attachment.objects.get(pk=attachment.pk).interaction.case == into


def test_merge_closes_the_source_and_records_it_on_both_timelines(
    source: Case, into: Case, agent_ann: User
) -> None:
    InteractionFactory.create_batch(2, case=source)

    merge_cases(source, into=into, by=agent_ann)

    source.refresh_from_db()
    assert (source.status, source.merged_into) == (Case.Status.CLOSED, into)
    assert source.closed_at is not None
    assert events(source, Event.Kind.MERGED) == [{"into": "2026-000102"}]
    assert events(source, Event.Kind.STATUS) == [{"before": "open", "after": "closed"}]
    assert events(into, Event.Kind.MERGED) == [{"merged": "2026-000101", "interactions": 2}]
    assert set(Event.objects.filter(kind=Event.Kind.MERGED).values_list("actor", flat=True)) == {
        agent_ann.pk
    }


def test_merge_unites_tags(source: Case, into: Case, agent_ann: User) -> None:
    tagged(source, "faktura", "zwrot")
    tagged(into, "zwrot", "pilne")

    merge_cases(source, into=into, by=agent_ann)

    assert sorted(into.tags.values_list("name", flat=True)) == ["faktura", "pilne", "zwrot"]
    assert events(into, Event.Kind.TAGGED) == [{"added": ["faktura"], "removed": []}]


def test_merge_without_new_tags_records_no_tag_change(
    source: Case, into: Case, agent_ann: User
) -> None:
    tagged(source, "zwrot")
    tagged(into, "zwrot")

    merge_cases(source, into=into, by=agent_ann)

    assert events(into, Event.Kind.TAGGED) == []


def test_merge_repoints_valid_links_and_drops_invalid_ones(
    source: Case, into: Case, agent_ann: User
) -> None:
    related, duplicate, third = CaseFactory.create_batch(3)
    outgoing = CaseLink.objects.create(source=source, target=related)
    incoming = CaseLink.objects.create(source=third, target=source, kind=CaseLink.Kind.DUPLICATE)
    to_into = CaseLink.objects.create(source=source, target=into)
    repeated = CaseLink.objects.create(source=duplicate, target=source)
    CaseLink.objects.create(source=into, target=duplicate)

    merge_cases(source, into=into, by=agent_ann)

    assert sorted(CaseLink.objects.values_list("source", "target", "kind")) == sorted(
        [
            (into.pk, related.pk, "related"),
            (third.pk, into.pk, "duplicate"),
            (into.pk, duplicate.pk, "related"),
        ]
    )
    assert CaseLink.objects.filter(pk__in=[outgoing.pk, incoming.pk]).count() == 2
    assert CaseLink.objects.filter(pk__in=[to_into.pk, repeated.pk]).count() == 0


def test_cases_merged_into_the_source_earlier_follow_it(
    source: Case, into: Case, agent_ann: User
) -> None:
    older = CaseFactory.create(merged_into=source, status=Case.Status.CLOSED)

    merge_cases(source, into=into, by=agent_ann)

    older.refresh_from_db()
    assert older.merged_into == into


def test_merging_open_work_into_a_closed_case_reopens_it(
    source: Case, team_a: Team, agent_ann: User
) -> None:
    closed = CaseFactory.create(team=team_a, status=Case.Status.CLOSED, number="2026-000103")

    merge_cases(source, into=closed, by=agent_ann)

    closed.refresh_from_db()
    assert closed.status == Case.Status.OPEN
    assert events(closed, Event.Kind.STATUS) == [{"before": "closed", "after": "open"}]


def test_merging_a_closed_case_leaves_the_target_status(
    into: Case, team_a: Team, agent_ann: User
) -> None:
    resolved = CaseFactory.create(team=team_a, status=Case.Status.RESOLVED)
    into.status = Case.Status.PENDING_CUSTOMER
    into.save()

    merge_cases(resolved, into=into, by=agent_ann)

    into.refresh_from_db()
    assert into.status == Case.Status.PENDING_CUSTOMER
    assert events(into, Event.Kind.STATUS) == []


def test_merging_a_case_into_itself_is_refused(source: Case, agent_ann: User) -> None:
    InteractionFactory.create(case=source)

    with pytest.raises(MergeRefused) as refused:
        merge_cases(source, into=source, by=agent_ann)

    assert str(refused.value) == "A case cannot be merged into itself."
    source.refresh_from_db()
    assert (source.status, source.merged_into) == (Case.Status.OPEN, None)
    assert Event.objects.filter(case=source).count() == 0


def test_merging_into_a_merged_case_is_refused_in_the_users_language(
    source: Case, team_a: Team, agent_ann: User
) -> None:
    elsewhere = CaseFactory.create(team=team_a)
    gone = CaseFactory.create(team=team_a, number="2026-000104", merged_into=elsewhere)
    interaction = InteractionFactory.create(case=source)

    with translation.override("en"), pytest.raises(MergeRefused) as refused:
        merge_cases(source, into=gone, by=agent_ann)

    assert str(refused.value) == "Case 2026-000104 has already been merged into another case."
    assert isinstance(refused.value, ValueError)
    interaction.refresh_from_db()
    source.refresh_from_db()
    assert (interaction.case, source.status, source.merged_into) == (
        source,
        Case.Status.OPEN,
        None,
    )
    assert Event.objects.filter(case__in=[source, gone]).count() == 0


def test_merging_a_case_that_was_already_merged_is_refused(
    source: Case, into: Case, team_a: Team, agent_ann: User
) -> None:
    source.merged_into = CaseFactory.create(team=team_a)
    source.save()

    with pytest.raises(MergeRefused):
        merge_cases(source, into=into, by=agent_ann)

    assert Event.objects.filter(case__in=[source, into]).count() == 0


def test_split_moves_the_interaction_to_a_new_case_for_the_same_customer(
    team_a: Team, agent_ann: User
) -> None:
    customer = CustomerFactory.create(language="pl")
    old = CaseFactory.create(
        team=team_a,
        customer=customer,
        channel=Channel.PHONE,
        language="et",
        number="2026-000201",
        subject="Reklamacja butów",
    )
    stays = InteractionFactory.create(case=old)
    moves = InteractionFactory.create(case=old, subject="Zmiana adresu")
    attachment = store_attachment(moves, filename="adres.txt", content=b"ul. Lipowa 1")

    new = split_interaction(moves, by=agent_ann)

    assert (new.customer, new.team, new.channel, new.language, new.subject, new.status) == (
        customer,
        team_a,
        Channel.PHONE,
        "et",
        "Zmiana adresu",
        Case.Status.NEW,
    )
    assert list(Interaction.objects.filter(case=new)) == [moves]
    assert list(Interaction.objects.filter(case=old)) == [stays]
    assert Attachment.objects.get(pk=attachment.pk).interaction.case == new
    link = CaseLink.objects.get()
    assert (link.source, link.target, link.kind, link.created_by) == (
        new,
        old,
        CaseLink.Kind.SPLIT_FROM,
        agent_ann,
    )
    assert events(old, Event.Kind.SPLIT) == [{"split_to": new.number, "interaction": moves.pk}]
    assert events(new, Event.Kind.SPLIT) == [{"split_from": "2026-000201", "interaction": moves.pk}]
    assert events(new, Event.Kind.CREATED) == [{"channel": "phone"}]


def test_split_takes_the_given_subject_or_else_the_old_case_subject(
    team_a: Team, agent_ann: User
) -> None:
    old = CaseFactory.create(team=team_a, subject="Reklamacja butów")
    InteractionFactory.create(case=old)
    first, second = InteractionFactory.create_batch(2, case=old, subject="")

    named = split_interaction(first, by=agent_ann, subject="  Faktura korygująca ")
    unnamed = split_interaction(second, by=agent_ann)

    assert (named.subject, unnamed.subject) == ("Faktura korygująca", "Reklamacja butów")


def test_splitting_the_only_interaction_is_refused(team_a: Team, agent_ann: User) -> None:
    old = CaseFactory.create(team=team_a, number="2026-000301")
    only = InteractionFactory.create(case=old)

    with pytest.raises(SplitRefused) as refused:
        split_interaction(only, by=agent_ann)

    assert str(refused.value) == (
        "This is the only interaction on case 2026-000301, so it cannot be split off."
    )
    assert Case.objects.count() == 1
    assert CaseLink.objects.count() == 0
    assert Event.objects.count() == 0


def test_link_cases_links_once_and_records_it_on_both(
    source: Case, into: Case, agent_ann: User
) -> None:
    link = link_cases(source, to=into, kind=CaseLink.Kind.DUPLICATE, by=agent_ann)

    assert (link.source, link.target, link.kind, link.created_by) == (
        source,
        into,
        CaseLink.Kind.DUPLICATE,
        agent_ann,
    )
    assert events(source, Event.Kind.LINKED) == [
        {"link": "duplicate", "other": "2026-000102", "outgoing": True}
    ]
    assert events(into, Event.Kind.LINKED) == [
        {"link": "duplicate", "other": "2026-000101", "outgoing": False}
    ]


@pytest.mark.parametrize("direction", ["same", "reverse"])
def test_linking_cases_already_linked_either_way_is_refused(
    source: Case, into: Case, agent_ann: User, direction: str
) -> None:
    existing = link_cases(source, to=into, kind=CaseLink.Kind.RELATED, by=agent_ann)
    one, other = (source, into) if direction == "same" else (into, source)

    with pytest.raises(LinkRefused) as refused:
        link_cases(one, to=other, kind=CaseLink.Kind.DUPLICATE, by=agent_ann)

    assert str(refused.value) == (f"Cases {one.number} and {other.number} are already linked.")
    assert list(CaseLink.objects.all()) == [existing]
    assert Event.objects.filter(kind=Event.Kind.LINKED).count() == 2


def test_linking_a_case_to_itself_is_refused(source: Case, agent_ann: User) -> None:
    with pytest.raises(LinkRefused) as refused:
        link_cases(source, to=source, kind=CaseLink.Kind.RELATED, by=agent_ann)

    assert str(refused.value) == "A case cannot be linked to itself."
    assert CaseLink.objects.count() == 0
    assert Event.objects.count() == 0


def test_linking_a_merged_case_is_refused(source: Case, into: Case, agent_ann: User) -> None:
    source.merged_into = into
    source.save()

    with pytest.raises(LinkRefused) as refused:
        link_cases(into, to=source, kind=CaseLink.Kind.RELATED, by=agent_ann)

    assert str(refused.value) == (
        "Case 2026-000101 has been merged into another case and cannot be linked."
    )
    assert CaseLink.objects.count() == 0


def test_linking_with_an_unknown_kind_is_refused(source: Case, into: Case, agent_ann: User) -> None:
    with pytest.raises(LinkRefused) as refused:
        link_cases(source, to=into, kind="parent", by=agent_ann)

    assert str(refused.value) == "Choose a valid kind of link."
    assert CaseLink.objects.count() == 0


def test_unlink_removes_the_link_and_records_it_on_both(
    source: Case, into: Case, agent_ann: User, lead_lee: User
) -> None:
    link = link_cases(source, to=into, kind=CaseLink.Kind.RELATED, by=agent_ann)

    unlink_cases(link, by=lead_lee)

    assert CaseLink.objects.count() == 0
    assert events(source, Event.Kind.UNLINKED) == [
        {"link": "related", "other": "2026-000102", "outgoing": True}
    ]
    assert events(into, Event.Kind.UNLINKED) == [
        {"link": "related", "other": "2026-000101", "outgoing": False}
    ]
    assert list(Event.objects.filter(kind=Event.Kind.UNLINKED).values_list("actor", flat=True)) == [
        lead_lee.pk,
        lead_lee.pk,
    ]
