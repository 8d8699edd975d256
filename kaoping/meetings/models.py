"""Meetings (三会一课 and 组织生活), who must attend, attendance, written leave (书面请假),
and the link from an unexcused absence to the ledger entry it produced."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.ledger.models import ClosingRecord, entry_link
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import Scheme


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    ORG_LIFE = "org_life", _("组织生活会")


# The template's items for each kind (a scheme's MeetingRule rows override them).
ORG_LIFE_KINDS = (MeetingKind.THEME_DAY, MeetingKind.ORG_LIFE)


# The timing a kind of meeting has without a rule row: check-in from 30 minutes before
# the start to 15 minutes after it; written leave asked after the start is late (the
# behaviour before the setting existed).
DEFAULT_CHECKIN_OPENS_BEFORE = 30
DEFAULT_CHECKIN_CLOSES_AFTER = 15
DEFAULT_LEAVE_CUTOFF_BEFORE = 0


class MeetingRule(models.Model):
    """Which item of the year's scheme an unexcused absence from a kind of meeting deducts,
    for a branch category ("" = every category), and the timing of such meetings (the
    check-in window, the written-leave cut-off). Rows override the default rules."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="meeting_rules")
    kind = PlainCharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    category = PlainCharField(
        _("支部类别"), max_length=20, blank=True, choices=Organization.Category.choices
    )
    item_code = PlainCharField(_("扣分指标代码"), max_length=64)
    # The timing of the kind of meeting (扫码签到 and 书面请假), in minutes around its start.
    checkin_opens_before = models.PositiveSmallIntegerField(
        _("开始前多少分钟可以签到"), default=DEFAULT_CHECKIN_OPENS_BEFORE
    )
    checkin_closes_after = models.PositiveSmallIntegerField(
        _("开始后多少分钟停止签到"), default=DEFAULT_CHECKIN_CLOSES_AFTER
    )
    leave_cutoff_before = models.PositiveSmallIntegerField(
        _("开始前多少分钟截止书面请假"), default=DEFAULT_LEAVE_CUTOFF_BEFORE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind", "category"], name="meeting_rule_unique"
            ),
            # A window of at most a day each side: a longer one is a typing error.
            models.CheckConstraint(
                condition=Q(
                    checkin_opens_before__lte=1440,
                    checkin_closes_after__lte=1440,
                    leave_cutoff_before__lte=10080,
                ),
                name="meeting_rule_timing_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.year} {self.kind} {self.category or '*'} → {self.item_code}"


class Meeting(ClosingRecord):
    class Status(models.TextChoices):
        OPEN = "open", _("考勤未关闭")
        CLOSED = "closed", _("考勤已关闭")

    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("支部")
    )
    kind = PlainCharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    place = PlainCharField(_("地点"), max_length=200)
    topic = PlainCharField(_("议题"), max_length=300)
    status = PlainCharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # 会议记录: written by the branch's officers, usually after the meeting
    host = PlainCharField(_("主持人"), max_length=50, blank=True)
    recorder = PlainCharField(_("记录人"), max_length=50, blank=True)
    minutes = PlainTextField(_("会议记录"), blank=True)

    class Meta(ClosingRecord.Meta):
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["branch", "starts_at"])]
        constraints = [
            *ClosingRecord.Meta.constraints,
            models.CheckConstraint(condition=~Q(place="") & ~Q(topic=""), name="meeting_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic}"


class Attendance(models.Model):
    """One member who must attend a meeting, and how they attended."""

    class Status(models.TextChoices):
        UNMARKED = "unmarked", _("未登记")
        PRESENT = "present", _("出席")
        LEAVE = "leave", _("请假（已批准）")
        ABSENT = "absent", _("缺席")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    status = PlainCharField(
        _("考勤"), max_length=10, choices=Status.choices, default=Status.UNMARKED
    )

    class Meta:
        ordering = ["member__code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.code} {self.member.code} {self.status}"


class AbsenceEntry(models.Model):
    """The ledger entry an unexcused absence produced when the attendance was closed.

    ``active`` turns False when a re-opening reverses the entry; at most one active link per
    attendance, so closing twice never records the same absence twice."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, related_name="absence_entries"
    )
    entry = entry_link()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attendance"], condition=Q(active=True), name="absence_entry_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendance} → {self.entry.code}"


class LeaveRequest(models.Model):
    """A written request for leave (书面请假) from one meeting."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")
        WITHDRAWN = "withdrawn", _("已撤回")  # by the member, who will attend after all

    code = PlainCharField(_("编号"), max_length=32, unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leave_requests")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="leave_requests")
    reason = PlainTextField(_("请假事由"))
    created_at = models.DateTimeField(_("提交时间"))
    late = models.BooleanField(_("会议开始后提交"), default=False)
    status = PlainCharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = author_field()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = PlainTextField(_("审批意见"), blank=True)

    # A request in one of these no longer counts: the member may ask again.
    CLOSED_STATUSES = (Status.REFUSED, Status.WITHDRAWN)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=~Q(status__in=["refused", "withdrawn"]),
                name="leave_one_live_per_meeting",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="leave_reason_given"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="leave_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="leave_decided_at_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.member.code} {self.status}"


class CheckIn(models.Model):
    """A member signed in to a meeting by scanning its rotating code (扫码签到): once
    (the unique constraint holds it under any number of simultaneous scans), with the
    time; after the start it is late (迟到)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checkins")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="checkins")
    at = models.DateTimeField(_("签到时间"))
    late = models.BooleanField(_("迟到"), default=False)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="checkin_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {self.at:%H:%M}{' late' if self.late else ''}"
