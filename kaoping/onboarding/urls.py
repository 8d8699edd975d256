from django.urls import path

from . import views

app_name = "onboarding"
urlpatterns = [
    path("setup/", views.start, name="start"),
    path("setup/committee/", views.committee, name="committee"),
    path("setup/branches/", views.branch, name="branch"),
    path("setup/scheme/", views.scheme, name="scheme"),
    path("setup/username-rule/", views.username_rule, name="username_rule"),
]
