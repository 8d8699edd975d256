from django.urls import path

from . import checkin_views, exports, views

MEETING = "meetings/<code:code>/"  # one meeting and its forms

app_name = "meetings"
urlpatterns = [
    path("branches/<code:code>/meetings/", views.branch_meetings, name="branch"),
    path(
        "branches/<code:code>/attendance.xlsx",
        exports.branch_attendance_xlsx,
        name="attendance_xlsx",
    ),
    path("members/<code:code>/daily/", views.member_daily, name="member_daily"),
    path(MEETING, views.meeting_detail, name="detail"),
    path(f"{MEETING}change/", views.meeting_change, name="change"),
    path(f"{MEETING}minutes/", views.meeting_minutes, name="minutes"),
    path(f"{MEETING}attendance/", views.meeting_attendance, name="attendance"),
    path(f"{MEETING}close/", views.meeting_close, name="close"),
    path(f"{MEETING}reopen/", views.meeting_reopen, name="reopen"),
    path(f"{MEETING}leave/", views.leave_create, name="leave"),
    path(f"{MEETING}check-in/", checkin_views.checkin, name="checkin"),
    path(f"{MEETING}check-in/screen/", checkin_views.checkin_screen, name="checkin_screen"),
    path(f"{MEETING}check-in/live/", checkin_views.checkin_live, name="checkin_live"),
    path("leave/<code:code>/decide/", views.leave_decide, name="leave_decide"),
    path("leave/<code:code>/withdraw/", views.leave_withdraw, name="leave_withdraw"),
]
