from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class LoginView(auth_views.LoginView):
    pass


def landing(request, *args, **kwargs):
    return HttpResponse("landing")


def home(request, *args, **kwargs):
    return HttpResponse("home")


def logout_view(request, *args, **kwargs):
    return HttpResponse("logout_view")


def signup(request, *args, **kwargs):
    return HttpResponse("signup")


def onboarding(request, *args, **kwargs):
    return HttpResponse("onboarding")


def profile(request, *args, **kwargs):
    return HttpResponse("profile")


def privacy(request, *args, **kwargs):
    return HttpResponse("privacy")


def privacy_revoke(request, *args, **kwargs):
    return HttpResponse("privacy_revoke")


def staff_users(request, *args, **kwargs):
    return HttpResponse("staff_users")


def staff_mentors(request, *args, **kwargs):
    return HttpResponse("staff_mentors")


def client_list(request, *args, **kwargs):
    return HttpResponse("client_list")


def client_detail_page(request, *args, **kwargs):
    return HttpResponse("client_detail_page")
