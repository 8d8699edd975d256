from django.urls import path

from . import imports, views

app_name = "evaluation"
urlpatterns = [
    path("eval/<str:code>/<int:year>/", views.round_page, name="round"),
    path("eval/<str:code>/<int:year>/open/", views.round_open, name="round_open"),
    path("eval/<str:code>/<int:year>/do/<str:action>/", views.round_action, name="round_action"),
    path(
        "eval/<str:code>/<int:year>/comment/<str:member_code>/",
        views.comment_edit,
        name="comment",
    ),
    path("eval/<str:code>/<int:year>/codes/", views.paper_codes, name="paper_codes"),
    path("eval/<str:code>/<int:year>/paper/", views.paper_tally, name="paper_tally"),
    path(
        "eval/<str:code>/<int:year>/paper/template.xlsx",
        imports.paper_template,
        name="paper_template",
    ),
    path(
        "eval/<str:code>/<int:year>/paper/import/",
        imports.paper_import_upload,
        name="paper_import",
    ),
    path(
        "eval/<str:code>/<int:year>/paper/import/confirm/",
        imports.paper_import_confirm,
        name="paper_import_confirm",
    ),
    path("eval/<int:year>/mine/", views.mine, name="mine"),
    path("eval/<int:year>/self/", views.self_save, name="self"),
    path("eval/<int:year>/peer/<str:member_code>/", views.peer_edit, name="peer"),
    path("eval/<int:year>/vote/", views.vote, name="vote"),
    path("vote/code/", views.vote_with_code, name="vote_code"),
    path("vote/receipt/", views.receipt, name="receipt"),
]
