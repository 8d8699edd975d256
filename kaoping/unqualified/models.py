"""Unqualified members (不合格党员, rules.md §10): the case file from the branch's proposal
through pre-review, the general meeting's vote and approval to the determination and the
handling that follows; settings of the procedure per scheme year; dismissed candidates."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import Scheme


class Condition(models.TextChoices):
    """The eleven conditions (十一种情形) of the source, section 三 (畅通出口)."""

    LINE = "1", _("一、抵制或不执行党的路线方针政策和决议，编造传播政治谣言，影响恶劣")
    ORG_LIFE = "2", _("二、无正当理由连续6个月不参加组织生活，或不按月足额交纳党费")
    PRINCIPLE = "3", _("三、大是大非问题上丧失党性原则、临阵脱逃，或失职造成严重损失")
    CONDUCT = "4", _("四、作风不正派，拉帮结派，诽谤诬陷、打击报复，侵犯民主权利")
    GATHERING = "5", _("五、组织煽动群众闹事，参与未经批准的集会、示威、游行、罢工等")
    CULT = "6", _("六、参与邪教组织")
    SECRETS = "7", _("七、泄露党和国家秘密以及有其他违法行为")
    WARNING_TWICE = "8", _("八、党员日常管理量化考评连续2年为“警示党员”")
    MISSING = "9", _("九、涉嫌违法违纪后下落不明超过6个月，或受刑事处罚")
    CRIME = "10", _("十、入党后违法犯罪，热衷于组织、参加宗教和迷信活动")
    BRIBERY = "11", _("十一、发展党员中个人收受好处，或换届等选举中行贿受贿")


class VoteBasis(models.TextChoices):
    """Whose half the votes for must exceed (rules.md §10 **Decision**, a setting)."""

    ENTITLED = "entitled", _("超过应到会有表决权党员的半数")
    PRESENT = "present", _("超过到会有表决权党员的半数")


class UnqualifiedSettings(models.Model):
    """The procedure's settings for a scheme year (不合格党员处置设置); without a row the
    defaults apply (``selectors.settings_for``)."""

    scheme = models.OneToOneField(
        Scheme, on_delete=models.CASCADE, related_name="unqualified_settings"
    )
    vote_basis = PlainCharField(
        _("表决通过规则"), max_length=10, choices=VoteBasis.choices, default=VoteBasis.ENTITLED
    )
    absence_months = models.PositiveSmallIntegerField(_("连续未参加组织生活月数"), default=6)
    dues_months = models.PositiveSmallIntegerField(_("党费未交或未足额月数"), default=3)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(absence_months__gte=1, absence_months__lte=24),
                name="unqualified_absence_months_1_24",
            ),
            models.CheckConstraint(
                condition=Q(dues_months__gte=1, dues_months__lte=12),
                name="unqualified_dues_months_1_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.year} {self.vote_basis}"


class UnqualifiedCase(models.Model):
    """A case file (不合格党员处置案卷): one proposal and every step that follows it."""

    class State(models.TextChoices):
        PRE_REVIEW = "pre_review", _("预审中")
        RETURNED = "returned", _("已退回支部")
        VOTE = "vote", _("待党员大会表决")
        APPROVAL = "approval", _("待审批")
        DETERMINED = "determined", _("已认定为不合格党员")
        REFUSED = "refused", _("未通过")

    OPEN_STATES = (State.PRE_REVIEW, State.RETURNED, State.VOTE, State.APPROVAL)

    class Notice(models.TextChoices):
        """Steps at which the member is told (the branch chooses them)."""

        PROPOSED = "proposed", _("提出处置意见")
        PRE_REVIEWED = "pre_reviewed", _("预审通过")
        VOTED = "voted", _("党员大会表决")
        DECIDED = "decided", _("审批结果")

    code = PlainCharField(_("编号"), max_length=32, unique=True)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="unqualified_cases", verbose_name=_("党员")
    )
    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("支部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    condition = PlainCharField(_("情形"), max_length=2, choices=Condition.choices)
    facts = PlainTextField(_("事实"))
    state = PlainCharField(
        _("状态"), max_length=12, choices=State.choices, default=State.PRE_REVIEW
    )
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=1)
    notify = models.JSONField(_("告知党员的环节"), default=list, blank=True)
    created_at = models.DateTimeField(_("提出时间"))
    created_by = author_field()
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome_reason = PlainTextField(_("未通过原因"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(facts=""), name="unqualified_case_facts"),
            models.CheckConstraint(
                condition=Q(condition__in=Condition.values), name="unqualified_case_condition"
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(outcome_reason=""),
                name="unqualified_case_refusal_reason",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["determined", "refused"], closed_at__isnull=False)
                | (~Q(state__in=["determined", "refused"]) & Q(closed_at__isnull=True)),
                name="unqualified_case_closed_iff_final",
            ),
            # One open case per member at a time.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=["pre_review", "returned", "vote", "approval"]),
                name="unqualified_case_one_open_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.member.code} {self.condition} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class CaseStep(models.Model):
    """One step of the case's history (处置过程记录): who, when, what and why."""

    class Body(models.TextChoices):
        BRANCH = "branch", _("党支部")
        COMMITTEE = "committee", _("区直机关党工委")
        ORG_DEPARTMENT = "org_department", _("区委组织部")

    class Stage(models.TextChoices):
        PROPOSAL = "proposal", _("提出")
        PRE_REVIEW = "pre_review", _("预审")
        VOTE = "vote", _("党员大会表决")
        APPROVAL = "approval", _("审批")
        HANDLING = "handling", _("后续处理")

    class Action(models.TextChoices):
        PROPOSE = "propose", _("提出处置意见")
        RESUBMIT = "resubmit", _("修改后重新提交")
        APPROVE = "approve", _("同意")
        RETURN = "return", _("退回")
        REFUSE = "refuse", _("不予批准")
        VOTE_PASSED = "vote_passed", _("表决通过")
        VOTE_FAILED = "vote_failed", _("表决未通过")
        NOT_HELD = "not_held", _("未达到法定人数，会议未举行")
        HANDLING = "handling", _("记录后续处理")

    REVIEW_BODIES = (Body.COMMITTEE, Body.ORG_DEPARTMENT)

    case = models.ForeignKey(UnqualifiedCase, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("轮次"))
    stage = PlainCharField(_("环节"), max_length=12, choices=Stage.choices)
    body = PlainCharField(_("机构"), max_length=16, choices=Body.choices)
    action = PlainCharField(_("操作"), max_length=12, choices=Action.choices)
    actor = author_field()
    at = models.DateTimeField(_("时间"))
    reason = PlainTextField(_("意见或理由"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # Each reviewing body acts once per stage and round.
            models.UniqueConstraint(
                fields=["case", "round", "stage", "body"],
                condition=Q(body__in=["committee", "org_department"]),
                name="unqualified_step_once_per_body",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=["return", "refuse"]) | ~Q(reason=""),
                name="unqualified_step_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} r{self.round} {self.stage} {self.body} {self.action}"


class CaseEvidence(models.Model):
    """An evidence file (证据材料) of the case, kept from the round it was added in."""

    case = models.ForeignKey(UnqualifiedCase, on_delete=models.CASCADE, related_name="evidence")
    round = models.PositiveSmallIntegerField(_("轮次"))
    file = models.FileField(_("文件"), upload_to="unqualified/%Y/%m/")
    name = PlainCharField(_("文件名"), max_length=200)
    uploaded_by = author_field()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name}"


class CaseVote(models.Model):
    """The branch general meeting's vote (党员大会表决); the outcome is computed from the
    counts and the basis in force when it was recorded, never typed."""

    case = models.OneToOneField(UnqualifiedCase, on_delete=models.CASCADE, related_name="vote")
    held_on = models.DateField(_("会议日期"))
    entitled = models.PositiveIntegerField(_("应到会有表决权党员"))
    present = models.PositiveIntegerField(_("到会有表决权党员"))
    in_favour = models.PositiveIntegerField(_("赞成"))
    against = models.PositiveIntegerField(_("反对"))
    abstaining = models.PositiveIntegerField(_("弃权"))
    basis = PlainCharField(_("通过规则"), max_length=10, choices=VoteBasis.choices)
    recorded_by = author_field()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(entitled__gte=1), name="vote_entitled_positive"),
            models.CheckConstraint(
                condition=Q(present__lte=F("entitled")), name="vote_present_le_entitled"
            ),
            models.CheckConstraint(
                condition=Q(present__gte=F("in_favour") + F("against") + F("abstaining")),
                name="vote_counts_le_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.in_favour}/{self.present}/{self.entitled}"

    @property
    def quorate(self) -> bool:
        return 2 * self.present > self.entitled

    @property
    def majority_base(self) -> int:
        return self.entitled if self.basis == VoteBasis.ENTITLED else self.present

    @property
    def passed(self) -> bool:
        return self.quorate and 2 * self.in_favour > self.majority_base


class CaseHandling(models.Model):
    """What follows a determination (后续处理): correction within a time limit, persuading
    the member to withdraw, or removal from the Party, with its dates."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("限期改正")
        PERSUADE = "persuade", _("劝退")
        REMOVAL = "removal", _("除名")

    case = models.ForeignKey(UnqualifiedCase, on_delete=models.CASCADE, related_name="handlings")
    kind = PlainCharField(_("处理方式"), max_length=12, choices=Kind.choices)
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("改正期限"), null=True, blank=True)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    note = PlainTextField(_("说明"), blank=True)
    recorded_by = author_field()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("decided_on")),
                name="handling_due_after_decided",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("decided_on")),
                name="handling_completed_after_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.decided_on}"


class CandidateDismissal(models.Model):
    """A raised candidate the branch dismissed (候选提示已排除), with the reason: it does not
    come back for the same member, year and condition."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    condition = PlainCharField(_("情形"), max_length=2, choices=Condition.choices)
    reason = PlainTextField(_("理由"))
    dismissed_by = author_field()
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "condition"], name="candidate_dismissal_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="candidate_dismissal_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.condition}"
