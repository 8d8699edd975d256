"""The user a record names as its author."""


def user_or_none(actor):
    """``actor`` when it is a signed-in user; None for a system job or an anonymous caller
    (records keep "by whom" only for real users)."""
    return actor if getattr(actor, "is_authenticated", False) else None
