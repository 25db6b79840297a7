"""The one base class for refusals that every app's services raise and its views show."""


class Refused(ValueError):
    """A request the domain refuses, with a message for the user in their language.

    Raise it (or an app's subclass) with a translated message that says why; a view shows
    `str(error)` to the user as it is, and an API endpoint answers with it.
    """
