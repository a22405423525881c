"""HTML pages of the groups app (filled in below)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


directory = my_groups = calendar_rotate = join = leave = manage = group_edit = roster = _todo
roster_enroll = roster_remove = attendance = session_cancel = calendar_ics = organization_page = meetings_json = _todo
