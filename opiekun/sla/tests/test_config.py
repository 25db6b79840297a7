"""The SLA configuration each process keeps: changes apply at once here and, through the
generation in the shared cache, in every other process; a rollback leaves nothing behind."""

import pytest
from django.core.cache import cache
from django.db import transaction

from opiekun.sla import config
from opiekun.sla.models import SlaPolicy


def _minutes() -> list[int | None]:
    return [policy.first_response_minutes for policy in config.active_policies()]


@pytest.fixture
def policy(db: None) -> SlaPolicy:
    SlaPolicy.objects.all().delete()
    return SlaPolicy.objects.create(name="Email", first_response_minutes=60)


def test_a_change_applies_at_once_in_the_process_that_made_it(policy: SlaPolicy) -> None:
    assert _minutes() == [60]

    policy.first_response_minutes = 30
    policy.save()
    SlaPolicy.objects.create(name="Phone", order=1, first_response_minutes=5)

    assert _minutes() == [5, 30]


@pytest.mark.django_db(transaction=True)
def test_another_process_change_applies_once_its_generation_is_seen(
    policy: SlaPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "CHECK_EVERY", 0.0)
    assert _minutes() == [60]
    # Another process: its write sends no signal here, its commit issues a new generation.
    SlaPolicy.objects.filter(pk=policy.pk).update(first_response_minutes=15)

    assert _minutes() == [60]  # kept: nothing said it changed
    cache.set(config._GENERATION_KEY, "issued-by-another-process", timeout=None)
    assert _minutes() == [15]


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_issues_a_new_generation(policy: SlaPolicy) -> None:
    config.active_policies()
    before = cache.get(config._GENERATION_KEY)

    with transaction.atomic():
        SlaPolicy.objects.create(name="Phone", order=1, first_response_minutes=5)
        assert cache.get(config._GENERATION_KEY) == before  # not before the commit

    assert cache.get(config._GENERATION_KEY) != before
    assert _minutes() == [5, 60]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_nothing_behind(policy: SlaPolicy) -> None:
    assert _minutes() == [60]

    with transaction.atomic():
        policy.first_response_minutes = 1
        policy.save()
        assert _minutes() == [1]  # this transaction sees its own change...
        transaction.set_rollback(True)

    assert _minutes() == [60]  # ...and nobody keeps it after the rollback


def test_without_a_cache_the_database_is_read(
    policy: SlaPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unavailable:
        def get(self, *args: object, **kwargs: object) -> None:
            raise ConnectionError("cache down")

    monkeypatch.setattr(config, "cache", Unavailable())
    config.forget()

    assert _minutes() == [60]
    SlaPolicy.objects.filter(pk=policy.pk).update(first_response_minutes=20)
    assert _minutes() == [20]
