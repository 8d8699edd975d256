from django.urls import include, path

from . import imports, views, vote_views

app_name = "evaluation"

# The pages of one branch's round: ``eval/<branch code>/<year>/…``.
round_urls = [
    path("", views.round_page, name="round"),
    path("open/", views.round_open, name="round_open"),
    path("do/<code:action>/", views.round_action, name="round_action"),
    path("comment/<code:member_code>/", views.comment_edit, name="comment"),
    path("codes/", views.paper_codes, name="paper_codes"),
    path("vote-open/", vote_views.vote_open, name="vote_open"),
    path("count/", vote_views.count, name="count"),
    path("box/", vote_views.ballot_box, name="box"),
    path("box.<str:fmt>", vote_views.box_download, name="box_download"),
    path("recount/", vote_views.recount, name="recount"),
    path("rerun/", vote_views.rerun, name="rerun"),
    path("to-paper/", vote_views.to_paper, name="to_paper"),
    path("paper/", views.paper_tally, name="paper_tally"),
    path("paper/template.xlsx", imports.paper_template, name="paper_template"),
    path("paper/import/", imports.paper_import_upload, name="paper_import"),
    path("paper/import/confirm/", imports.paper_import_confirm, name="paper_import_confirm"),
]
# A member's own part: ``eval/<year>/…``.
member_urls = [
    path("mine/", views.mine, name="mine"),
    path("self/", views.self_save, name="self"),
    path("peer/<code:member_code>/", views.peer_edit, name="peer"),
    path("vote/", views.vote, name="vote"),
]
urlpatterns = [
    path("eval/<code:code>/<year:year>/", include(round_urls)),
    path("eval/<year:year>/", include(member_urls)),
    path("vote/code/", views.vote_with_code, name="vote_code"),
    path("vote/receipt/", views.receipt, name="receipt"),
]
