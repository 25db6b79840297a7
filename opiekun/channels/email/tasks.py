"""Email background work: sending replies."""

from django.tasks import task

from opiekun.cases.models import Interaction
from opiekun.channels.email.outbound import deliver


@task(queue_name="email")
def send_reply(interaction_id: int) -> None:
    interaction = Interaction.objects.select_related("case", "case__customer", "case__team").get(
        pk=interaction_id
    )
    if interaction.sent_at is None:  # a retried task must not send twice
        deliver(interaction)
