import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField, PlainTextField
from kaoping.kit.users import author_field
from kaoping.orgs.models import Member
from kaoping.schemes.models import BALLOT_OPTION_NAMES
from kaoping.schemes.triggers import frozen_year_trigger


class VoteTally(models.Model):
    """Counts of one ballot option for one member in one year's democratic vote (民主测评
    计票): entered from paper ballots, or counted from the online ballot."""

    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="vote_tallies")
    option = PlainCharField(_("选项"), max_length=16, choices=[(o, o) for o in BALLOT_OPTION_NAMES])
    count = models.PositiveIntegerField(_("票数"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "member", "option"], name="tally_unique"),
            models.CheckConstraint(
                condition=Q(option__in=BALLOT_OPTION_NAMES), name="tally_option_valid"
            ),
        ]
        triggers = [frozen_year_trigger("tally_year_open")]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} {self.option}={self.count}"


class QuotaDecision(models.Model):
    """The organisation's determination (组织认定) of a tie across the last excellent place:
    who takes the place and why."""

    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="quota_decisions")
    excellent = models.BooleanField(_("评为优秀"))
    note = PlainTextField(_("理由"), blank=True)
    decided_by = author_field()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "member"], name="quota_decision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} excellent={self.excellent}"


# --------------------------------------------------------------------------- 四评一定


class EvaluationRound(models.Model):
    """One branch's democratic evaluation of one year (民主评议): the five steps in order,
    their deadlines, and the state of the secret ballot."""

    class Step(models.TextChoices):
        SELF = "self", _("党员自评")
        PEER = "peer", _("党员互评")
        SECRETARY = "secretary", _("书记点评")
        VOTE = "vote", _("民主测评")
        DETERMINATION = "determination", _("组织认定")

    class VoteMethod(models.TextChoices):
        ONLINE = "online", _("网上无记名投票")
        PAPER = "paper", _("纸质选票（双人录入票数）")

    class VoteState(models.TextChoices):
        NOT_OPEN = "not_open", _("未开始")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已截止")
        COUNTED = "counted", _("已计票")
        PUBLISHED = "published", _("已公布票数")

    year = models.PositiveSmallIntegerField(_("年度"))
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    step = PlainCharField(_("当前环节"), max_length=16, choices=Step.choices, default=Step.SELF)
    anonymous_peer = models.BooleanField(_("互评不署名"), default=False)
    vote_method = PlainCharField(
        _("测评方式"), max_length=8, choices=VoteMethod.choices, default=VoteMethod.ONLINE
    )
    vote_state = PlainCharField(
        _("投票状态"), max_length=12, choices=VoteState.choices, default=VoteState.NOT_OPEN
    )
    self_deadline = models.DateField(_("自评截止日期"), null=True, blank=True)
    peer_deadline = models.DateField(_("互评截止日期"), null=True, blank=True)
    secretary_deadline = models.DateField(_("点评截止日期"), null=True, blank=True)
    vote_deadline = models.DateField(_("测评截止日期"), null=True, blank=True)
    opened_by = author_field()
    opened_at = models.DateTimeField(default=timezone.now)
    # The vote's public key (X25519, hex); its private key exists only as the scrutineers'
    # shares (decisions.md).
    vote_key = PlainCharField(_("投票公钥"), max_length=64, blank=True)
    vote_threshold = models.PositiveSmallIntegerField(_("计票所需份额数"), default=2)

    STEP_ORDER = (Step.SELF, Step.PEER, Step.SECRETARY, Step.VOTE, Step.DETERMINATION)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "branch"], name="round_unique_per_branch_year"),
            models.CheckConstraint(
                condition=Q(step__in=["self", "peer", "secretary", "vote", "determination"]),
                name="round_step_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.branch_id} {self.step}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:round", args=[self.branch.code, self.year])

    def deadline_of(self, step: str) -> datetime.date | None:
        deadlines: dict[str, datetime.date | None] = {
            self.Step.SELF: self.self_deadline,
            self.Step.PEER: self.peer_deadline,
            self.Step.SECRETARY: self.secretary_deadline,
            self.Step.VOTE: self.vote_deadline,
        }
        return deadlines.get(step)

    @property
    def step_index(self) -> int:
        return self.STEP_ORDER.index(self.step)


class SelfEvaluation(models.Model):
    """党员自评: problems found, causes, corrective measures; a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="selfs")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    problems = PlainTextField(_("查找的问题"), blank=True)
    causes = PlainTextField(_("原因分析"), blank=True)
    measures = PlainTextField(_("整改措施"), blank=True)
    status = PlainCharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="self_eval_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="self_eval_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.member_id} {self.status}"


class PeerComment(models.Model):
    """党员互评: one member's comment on another (never on oneself)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="peers")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    strengths = PlainTextField(_("优点"), blank=True)
    shortcomings = PlainTextField(_("不足"), blank=True)
    suggestions = PlainTextField(_("建议"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "author", "subject"], name="peer_unique"),
            models.CheckConstraint(condition=~Q(author=F("subject")), name="peer_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.author_id}→{self.subject_id}"


class SecretaryComment(models.Model):
    """书记点评: the secretary's comment on one member, with requirements for correction."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    comment = PlainTextField(_("点评意见"))
    requirements = PlainTextField(_("整改要求"), blank=True)
    written_by = author_field()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="secretary_comment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.member_id}"


# --------------------------------------------------------------------------- the secret ballot
#
# While the vote is open the database holds only ciphertext: a ballot is sealed with the
# round's public key before it is stored (``SealedBallot``), in the same transaction that
# uses the right, so what a transaction ties to a voter is unreadable. The private key
# exists only as the scrutineers' shares. At counting the sealed ballots are decrypted,
# shuffled and written as ``Ballot``/``BallotMark`` rows (no receipt, no voter, no time)
# in one transaction that deletes the ciphertexts (docs/decisions.md).


class VoteRight(models.Model):
    """A voter on the frozen list of one round (选举权名单); ``used`` once, never a time."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="rights")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="vote_right_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.member_id} used={self.used}"


class Scrutineer(models.Model):
    """A scrutineer (监票人) of a round's online vote: holds share ``position`` of the vote's
    private key. Only a hash of the share is kept, to name a mistyped share."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="scrutineers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("份额序号"))
    share_hash = PlainCharField(max_length=64)
    took_part = models.BooleanField(_("参加计票"), default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="scrutineer_unique"),
            models.UniqueConstraint(fields=["round", "position"], name="scrutineer_position"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.position} {self.member_id}"


class SealedBallot(models.Model):
    """A ballot as stored while the vote is open: ciphertext only (a sealed box to the
    round's key, base64) and its receipt, the SHA-256 of the ciphertext."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="sealed")
    ciphertext = models.TextField()
    receipt = PlainCharField(max_length=64, unique=True)

    class Meta:
        ordering = ["receipt"]

    def __str__(self) -> str:
        return self.receipt


class CountedReceipt(models.Model):
    """The receipt of a ballot the count covered (kept after counting, never tied to the
    counted ballot)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="receipts")
    receipt = PlainCharField(max_length=64, unique=True)

    class Meta:
        ordering = ["receipt"]

    def __str__(self) -> str:
        return self.receipt


class VoteCount(models.Model):
    """The count of a round's online ballots (唱票计票): when, how many ballots, how many
    invalid, and the totals {member code: {option: count}}."""

    round = models.OneToOneField(EvaluationRound, on_delete=models.CASCADE, related_name="count")
    counted_at = models.DateTimeField(default=timezone.now)
    ballots = models.PositiveIntegerField(_("选票数"))
    invalid = models.PositiveIntegerField(_("无效票数"))
    totals = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.round_id} {self.ballots} ({self.invalid} invalid)"


class Ballot(models.Model):
    """One counted ballot (选票), written only at counting: random key, no voter, no time,
    no receipt. An invalid ballot (did not decrypt, or named someone or something outside
    the round) has no marks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="ballots")
    valid = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)


class BallotMark(models.Model):
    """The option one ballot gives one member ('' = blank, left out of the count)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    option = PlainCharField(max_length=16, blank=True)

    class Meta:
        ordering = ["ballot", "member"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="mark_unique_per_ballot"),
            models.CheckConstraint(
                condition=Q(option__in=[*BALLOT_OPTION_NAMES, ""]), name="mark_option_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.member_id}"


class PaperCode(models.Model):
    """A one-time code for meeting-room voting (会场投票码), stored hashed; nothing records
    who received which code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="codes")
    code_hash = PlainCharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.round_id} used={self.used}"


class PaperTallyEntry(models.Model):
    """One person's independent entry of the paper-ballot counts of the whole branch
    (纸质计票双人录入): ``counts`` is {member code: {option: count}}."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="paper")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField(default=dict)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "entered_by"], name="paper_entry_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} by {self.entered_by_id}"
