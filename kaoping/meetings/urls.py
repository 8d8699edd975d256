from django.urls import path

from . import exports, views

app_name = "meetings"
urlpatterns = [
    path("branches/<code:code>/meetings/", views.branch_meetings, name="branch"),
    path(
        "branches/<code:code>/attendance.xlsx",
        exports.branch_attendance_xlsx,
        name="attendance_xlsx",
    ),
    path("members/<code:code>/daily/", views.member_daily, name="member_daily"),
    path("meetings/<code:code>/", views.meeting_detail, name="detail"),
    path("meetings/<code:code>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<code:code>/close/", views.meeting_close, name="close"),
    path("meetings/<code:code>/reopen/", views.meeting_reopen, name="reopen"),
    path("meetings/<code:code>/leave/", views.leave_create, name="leave"),
    path("leave/<code:code>/decide/", views.leave_decide, name="leave_decide"),
]
