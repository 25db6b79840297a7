import io
import re
import string
import zoneinfo
from datetime import datetime

import pytest

from opiekun.cases.models import Case, Interaction
from opiekun.complaints.models import Complaint
from opiekun.demo.seed import seed_demo
from opiekun.demo.texts import FOLLOWUPS, REPLIES, TOPICS, Topic, topic_of

SEEDED_ON = datetime(2026, 5, 20, 16, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Warsaw"))


def pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching `template` with any text in its {placeholders}."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(".+?")
    return re.compile("".join(parts), re.DOTALL)


def written_from(body: str, templates: list[str]) -> bool:
    return any(pattern(template).fullmatch(body) for template in templates)


def seed_recent() -> None:
    # A fixed day and seed: the same cases, and complaints in both countries, on every run.
    seed_demo(cases=2000, seed=5, now=SEEDED_ON, stderr=io.StringIO())


@pytest.mark.django_db
def test_every_message_belongs_to_the_topic_of_its_subject() -> None:
    seed_recent()

    checked = 0
    for interaction in Interaction.objects.exclude(subject="").select_related("case"):
        case = interaction.case
        topic = topic_of(case.language, interaction.subject)
        assert topic is not None, interaction.subject
        assert topic in TOPICS[case.language][case.kind]
        if interaction.direction == Interaction.Direction.OUTBOUND:
            answers = [topic["reply"], topic["closing"], *REPLIES[case.language]]
            assert written_from(interaction.body_text, answers), interaction.body_text
        elif interaction.subject.startswith("Re: "):
            assert written_from(interaction.body_text, FOLLOWUPS[case.language])
        else:
            first = [topic["message"], topic["call"]]
            assert written_from(interaction.body_text, first), interaction.body_text
        checked += 1
    assert checked > 1000


@pytest.mark.django_db
def test_complaints_follow_the_customers_law_and_their_topic() -> None:
    seed_recent()

    complaints = list(Complaint.objects.select_related("case__customer", "case__team", "regime"))
    assert {complaint.case.customer.language for complaint in complaints} >= {"pl", "et"}
    for complaint in complaints:
        case = complaint.case
        if case.customer.language == "et" or case.team.name == "Klienditeenindus EE":
            assert complaint.regime.code == "ee-consumer"
        else:
            assert complaint.regime.code == "pl-consumer"
        topic: Topic | None = topic_of(case.language, case.subject)
        assert topic is not None
        assert (complaint.demand, complaint.description) == (
            topic.get("demand"),
            topic.get("understanding"),
        )
        # The paraphrase is written down by the agent who has the case.
        if case.assignee_id is not None:
            assert complaint.understanding == complaint.description


def test_every_complaint_topic_says_what_the_customer_wants() -> None:
    for language, kinds in TOPICS.items():
        for kind, topics in kinds.items():
            for topic in topics:
                has_complaint_parts = {"demand", "understanding"} <= topic.keys()
                assert has_complaint_parts == (kind == Case.Kind.COMPLAINT), (language, topic)
                assert topic["demand" if has_complaint_parts else "subject"]
    assert {
        topic["demand"]
        for kinds in TOPICS.values()
        for topic in kinds["complaint"]
        if "demand" in topic
    } <= set(Complaint.Demand.values)


def test_polish_demo_texts_never_guess_a_gender() -> None:
    """Mixed forms like "dodał(a)", past tenses like "złożyłem" and "Pan"/"Pani" would give
    a customer or an agent a gender the demo never chose."""
    texts = REPLIES["pl"] + FOLLOWUPS["pl"]
    for topics in TOPICS["pl"].values():
        for topic in topics:
            texts += [topic["subject"], topic["message"], topic["call"], topic["reply"]]
            texts += [topic["closing"], topic.get("understanding", "")]
    # "złożyłam" gives the writer a gender; "przesyłam" (present tense) does not.
    gendered = re.compile(r"\((-?a|-?am)\)|\w+(?<!sy)ł(am|em)\b|\b(Pan|Pani|(nie)?zadowolon[ay])\b")
    assert [text for text in texts if gendered.search(text)] == []


def test_topic_of_finds_a_subject_with_or_without_re() -> None:
    topic = TOPICS["et"]["complaint"][1]

    assert topic_of("et", topic["subject"]) is topic
    assert topic_of("et", f"Re: {topic['subject']}") is topic
    assert topic_of("pl", topic["subject"]) is None
