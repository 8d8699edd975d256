from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("planning/", views.drafts, name="drafts"),
    path("planning/<id:pk>/", views.draft_detail, name="draft"),
    path("planning/<id:pk>/settings/", views.draft_settings, name="draft_settings"),
    path("planning/<id:pk>/items/", views.draft_items, name="draft_items"),
    path("planning/<id:pk>/adopt/", views.draft_adopt, name="draft_adopt"),
]
