from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("planning/", views.drafts, name="drafts"),
    path("planning/<int:pk>/", views.draft_detail, name="draft"),
    path("planning/<int:pk>/settings/", views.draft_settings, name="draft_settings"),
    path("planning/<int:pk>/items/", views.draft_items, name="draft_items"),
    path("planning/<int:pk>/adopt/", views.draft_adopt, name="draft_adopt"),
]
