from django.http import HttpRequest


def unread_count(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count_for

    return {"unread_notifications": unread_count_for(user=user)}
