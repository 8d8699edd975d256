from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Member
from kaoping.schemes.models import BALLOT_OPTION_NAMES


class VoteTally(models.Model):
    """Counts of one ballot option for one member in one year's democratic vote (民主测评
    计票): entered from paper ballots, or counted from the online ballot."""

    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="vote_tallies")
    option = models.CharField(
        _("选项"), max_length=16, choices=[(o, o) for o in BALLOT_OPTION_NAMES]
    )
    count = models.PositiveIntegerField(_("票数"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "member", "option"], name="tally_unique"),
            models.CheckConstraint(
                condition=Q(option__in=BALLOT_OPTION_NAMES), name="tally_option_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} {self.option}={self.count}"


class QuotaDecision(models.Model):
    """The organisation's determination (组织认定) of a tie across the last excellent place:
    who takes the place and why."""

    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="quota_decisions")
    excellent = models.BooleanField(_("评为优秀"))
    note = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "member"], name="quota_decision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} excellent={self.excellent}"
