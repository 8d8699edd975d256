from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import CODE_MAX, NAME_MAX, TITLE_MAX, CodeField, NameField, PlainCharField


class Organization(models.Model):
    """A Party organisation (党组织): the working committee, a party committee, a general
    branch or a branch. Only branches hold members.

    ``path`` is the materialised path of codes from the root (``/W/P1/B01/``) so that a
    subtree is one ``startswith`` filter; it is kept by ``organization_*`` services.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("机关工委")
        PARTY_COMMITTEE = "party_committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")

    class Category(models.TextChoices):
        IN_SERVICE = "in_service", _("在职")
        RETIRED = "retired", _("离退休")

    code = CodeField(_("代码"), max_length=CODE_MAX, unique=True)
    name = NameField(_("名称"), max_length=TITLE_MAX)
    kind = PlainCharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    category = PlainCharField(
        _("类别"), max_length=20, choices=Category.choices, default=Category.IN_SERVICE
    )
    path = PlainCharField(max_length=1024, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="committee"),
                name="org_only_committee_is_root",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="org_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind == self.Kind.BRANCH


class Member(models.Model):
    """A Party member (党员) in exactly one branch at a time.

    ``code`` is the member's id in bundles and spreadsheets. A transfer changes ``branch``
    and keeps the ledger (entries point at the member, not the branch).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        UNDER_INVESTIGATION = "under_investigation", _("接受调查（暂不纳入）")
        LOST_CONTACT = "lost_contact", _("失联")
        TRANSFERRED_OUT = "transferred_out", _("已转出")
        DECEASED = "deceased", _("已去世")

    class Membership(models.TextChoices):
        FULL = "full", _("正式党员")
        PROBATIONARY = "probationary", _("预备党员")

    code = CodeField(_("编号"), max_length=CODE_MAX, unique=True)
    name = NameField(_("姓名"), max_length=NAME_MAX)
    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("支部")
    )
    status = PlainCharField(_("状态"), max_length=24, choices=Status.choices, default=Status.ACTIVE)
    membership = PlainCharField(
        _("党员类别"), max_length=16, choices=Membership.choices, default=Membership.FULL
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )

    class Meta:
        ordering = ["branch__path", "code"]
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="member_code_not_empty")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @classmethod
    def assessed_statuses(cls) -> tuple[str, ...]:
        """Statuses whose members are scored (bundle.md): active and lost contact."""
        return (cls.Status.ACTIVE, cls.Status.LOST_CONTACT)

    @property
    def counts_in_branch(self) -> bool:
        """Counted in the branch's quota base (rules.md §7, bundle.md statuses)."""
        return self.status not in DEPARTED_STATUSES


# Members who have left the roll (转出, 去世): not scored, not counted in the branch, no
# login. Every other status is on the roll (dues are owed, the member is listed).
DEPARTED_STATUSES = (Member.Status.TRANSFERRED_OUT, Member.Status.DECEASED)
ON_ROLL_STATUSES = tuple(s for s in Member.Status if s not in DEPARTED_STATUSES)


class RoleAssignment(models.Model):
    """A user's role over an organisation and its whole subtree (角色授权, rules.md §1).

    A branch committee member (支委) keeps the branch as its secretary does (the same scope
    and powers, ``selectors.MANAGE_ROLES``); what only the secretary does personally (sees
    a member's personal data in full on the member's own page, grants 支委) checks
    ``SECRETARY`` alone. Grants and revocations go through ``orgs.roles``.
    """

    class Role(models.TextChoices):
        COMMITTEE_ADMIN = "committee_admin", _("机关工委管理员")
        ORG_DEPARTMENT = "org_department", _("组织部审核人")
        SECRETARY = "secretary", _("支部书记")
        BRANCH_COMMITTEE = "branch_committee", _("支委")
        SUPERVISOR = "supervisor", _("专项督查组成员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kaoping_roles"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = PlainCharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="role_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.organization}"
