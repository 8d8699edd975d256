from django.urls import path

from . import exports, views

app_name = "meetings"
urlpatterns = [
    path("branches/<str:code>/meetings/", views.branch_meetings, name="branch"),
    path(
        "branches/<str:code>/attendance.xlsx",
        exports.branch_attendance_xlsx,
        name="attendance_xlsx",
    ),
    path("members/<str:code>/daily/", views.member_daily, name="member_daily"),
    path("meetings/<str:code>/", views.meeting_detail, name="detail"),
    path("meetings/<str:code>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<str:code>/close/", views.meeting_close, name="close"),
    path("meetings/<str:code>/reopen/", views.meeting_reopen, name="reopen"),
    path("meetings/<str:code>/leave/", views.leave_create, name="leave"),
    path("leave/<str:code>/decide/", views.leave_decide, name="leave_decide"),
]
