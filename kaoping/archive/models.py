"""The member archive (党员台账): basic information with its history, transfers between
branches, lost-contact tracking and investigations (暂不纳入), rules.md §8 and §11.

Every row here is written by ``archive.services``; the member's ``status`` and ``branch``
on ``orgs.Member`` change only together with the row that explains why.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Member, Organization


class MemberProfile(models.Model):
    """A member's basic information (党员基本信息, rules.md §11).

    A one-to-one row in the archive rather than columns on ``orgs.Member``: the roster,
    the access rules and the bundle format stay small and unchanged, and personal data
    (ID and phone numbers) lives in one table that only the archive reads and masks.
    Name, branch, membership and status stay on ``Member``.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    gender = PlainCharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    ethnicity = PlainCharField(_("民族"), max_length=32, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = PlainCharField(_("公民身份号码"), max_length=18, blank=True)
    education = PlainCharField(_("学历"), max_length=32, blank=True)
    native_place = PlainCharField(_("籍贯"), max_length=100, blank=True)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    full_member_on = models.DateField(_("转正日期"), null=True, blank=True)
    job = PlainCharField(_("工作岗位"), max_length=200, blank=True)
    phone = PlainCharField(_("联系电话"), max_length=32, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(gender__in=["", "male", "female"]), name="profile_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(full_member_on__gte=F("joined_on")),
                name="profile_full_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} profile"


# The fields of the archive, in the order of the pages and spreadsheets.
PROFILE_FIELDS = (
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "native_place",
    "joined_on",
    "full_member_on",
    "job",
    "phone",
)
PERSONAL_FIELDS = frozenset({"id_number", "phone"})


class MemberChange(models.Model):
    """One changed field of a member's archive (变更记录): who, when, old and new value.

    Written in the same transaction as the change by every archive service; never edited.
    """

    class Source(models.TextChoices):
        EDIT = "edit", _("编辑")
        IMPORT = "import", _("名册导入")
        TRANSFER = "transfer", _("组织关系转接")
        LOST_CONTACT = "lost_contact", _("失联")
        INVESTIGATION = "investigation", _("接受调查")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="changes")
    field = PlainCharField(_("字段"), max_length=32)
    old = PlainTextField(_("原值"), blank=True)
    new = PlainTextField(_("新值"), blank=True)
    source = PlainCharField(_("来源"), max_length=16, choices=Source.choices)
    actor = author_field()
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(field=""), name="change_names_field")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.field}"

    @property
    def field_label(self) -> str:
        labels = {
            "name": _("姓名"),
            "membership": _("党员类别"),
            "status": _("状态"),
            "branch": _("支部"),
        }
        if self.field in labels:
            return str(labels[self.field])
        try:
            return str(MemberProfile._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            return self.field

    def _display(self, value: str) -> str:
        choices = {
            "status": Member.Status,
            "membership": Member.Membership,
            "gender": MemberProfile.Gender,
        }.get(self.field)
        if choices is not None and value in choices.values:
            return str(choices(value).label)
        return value

    @property
    def old_display(self) -> str:
        return self._display(self.old)

    @property
    def new_display(self) -> str:
        return self._display(self.new)


class Transfer(models.Model):
    """A transfer of the member's Party relationship (组织关系转接). Within the deployment
    ``to_branch`` is set and the member moves there with their whole ledger; to an
    organisation outside it, ``to_branch`` is empty and the member becomes transferred out."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    from_branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("转出支部")
    )
    to_branch = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("转入支部"),
    )
    destination = PlainCharField(_("转往单位"), max_length=200, blank=True)
    date = models.DateField(_("转接日期"))
    reason = PlainTextField(_("转接原因"))
    actor = author_field()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_branch__isnull=False) | ~Q(destination=""),
                name="transfer_names_destination",
            ),
            models.CheckConstraint(
                condition=~Q(to_branch=F("from_branch")), name="transfer_changes_branch"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="transfer_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.date}"


class LostContact(models.Model):
    """A member out of contact (失联党员): since when, the efforts made, found on."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="lost_contacts")
    since = models.DateField(_("失联日期"))
    efforts = PlainTextField(_("查找情况"))
    found_on = models.DateField(_("恢复联系日期"), null=True, blank=True)
    found_note = PlainTextField(_("恢复联系情况"), blank=True)
    marked_by = author_field()
    found_by = author_field()

    class Meta:
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(found_on__isnull=True), name="lost_one_open"
            ),
            models.CheckConstraint(
                condition=Q(found_on__isnull=True) | Q(found_on__gte=F("since")),
                name="lost_found_after_since",
            ),
            models.CheckConstraint(condition=~Q(efforts=""), name="lost_has_efforts"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} lost since {self.since}"


class Investigation(models.Model):
    """A member under investigation (因违法违纪正在接受调查, rules.md §8): deferred until the
    decision is recorded; then they are assessed for the year with the same rules."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="investigations")
    body = PlainCharField(_("调查机关"), max_length=200)
    started_on = models.DateField(_("开始调查日期"))
    decided_on = models.DateField(_("结论日期"), null=True, blank=True)
    decision = PlainTextField(_("调查结论"), blank=True)
    # The status the decision returns the member to (active or lost contact).
    status_before = PlainCharField(max_length=24, choices=Member.Status.choices)
    started_by = author_field()
    decided_by = author_field()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(decided_on__isnull=True),
                name="investigation_one_open",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("started_on")),
                name="investigation_decided_after_start",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | ~Q(decision=""),
                name="investigation_decision_recorded",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="investigation_names_body"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} investigated since {self.started_on}"
