from .selectors import unread_count


def unread_notifications(request) -> dict:
    """``unread_notifications`` in every template: the count shown in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(actor=user)}
