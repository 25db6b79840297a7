import factory
from factory.django import DjangoModelFactory

from opiekun.accounts.models import Team, User

PASSWORD = "correct horse battery staple"


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@opiekun.test")
    role = User.Role.AGENT
    language = "en"
    availability = User.Availability.ONLINE
    password = factory.django.Password(PASSWORD)
