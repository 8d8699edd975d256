from django.urls import path

from . import imports, views, vote_views

app_name = "evaluation"
urlpatterns = [
    path("eval/<code:code>/<year:year>/", views.round_page, name="round"),
    path("eval/<code:code>/<year:year>/open/", views.round_open, name="round_open"),
    path("eval/<code:code>/<year:year>/do/<code:action>/", views.round_action, name="round_action"),
    path(
        "eval/<code:code>/<year:year>/comment/<code:member_code>/",
        views.comment_edit,
        name="comment",
    ),
    path("eval/<code:code>/<year:year>/codes/", views.paper_codes, name="paper_codes"),
    path("eval/<code:code>/<year:year>/vote-open/", vote_views.vote_open, name="vote_open"),
    path("eval/<code:code>/<year:year>/count/", vote_views.count, name="count"),
    path("eval/<code:code>/<year:year>/box/", vote_views.ballot_box, name="box"),
    path(
        "eval/<code:code>/<year:year>/box.<str:fmt>",
        vote_views.box_download,
        name="box_download",
    ),
    path("eval/<code:code>/<year:year>/recount/", vote_views.recount, name="recount"),
    path("eval/<code:code>/<year:year>/rerun/", vote_views.rerun, name="rerun"),
    path("eval/<code:code>/<year:year>/to-paper/", vote_views.to_paper, name="to_paper"),
    path("eval/<code:code>/<year:year>/paper/", views.paper_tally, name="paper_tally"),
    path(
        "eval/<code:code>/<year:year>/paper/template.xlsx",
        imports.paper_template,
        name="paper_template",
    ),
    path(
        "eval/<code:code>/<year:year>/paper/import/",
        imports.paper_import_upload,
        name="paper_import",
    ),
    path(
        "eval/<code:code>/<year:year>/paper/import/confirm/",
        imports.paper_import_confirm,
        name="paper_import_confirm",
    ),
    path("eval/<year:year>/mine/", views.mine, name="mine"),
    path("eval/<year:year>/self/", views.self_save, name="self"),
    path("eval/<year:year>/peer/<code:member_code>/", views.peer_edit, name="peer"),
    path("eval/<year:year>/vote/", views.vote, name="vote"),
    path("vote/code/", views.vote_with_code, name="vote_code"),
    path("vote/receipt/", views.receipt, name="receipt"),
]
