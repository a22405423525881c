from django.http import HttpResponse


def inbox(request, *args, **kwargs):
    return HttpResponse("inbox")


def mark_read(request, *args, **kwargs):
    return HttpResponse("mark_read")


def mark_all_read(request, *args, **kwargs):
    return HttpResponse("mark_all_read")


def reminders(request, *args, **kwargs):
    return HttpResponse("reminders")
