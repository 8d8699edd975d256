"""The thresholds of the early warnings (监测预警设置), one row per year; without a row the
practice's defaults apply (``selectors.settings_for``)."""

import datetime

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# How often a meeting kind must be held: once in every so many months (0: not required).
# The periods divide the year, so each is a month, a quarter, a half or the year.
EVERY_MONTHS = [
    (0, _("不要求")),
    (1, _("每月")),
    (2, _("每两个月")),
    (3, _("每季度")),
    (6, _("每半年")),
    (12, _("每年")),
]
EVERY_VALUES = [v for v, _label in EVERY_MONTHS]


def default_evaluation_deadline(year: int) -> datetime.date:
    """By this day a branch's democratic evaluation of the year should have started."""
    return datetime.date(year, 12, 15)


class MonitoringSettings(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    general_every = models.PositiveSmallIntegerField(
        _("支部党员大会召开频次"), choices=EVERY_MONTHS, default=3
    )
    committee_every = models.PositiveSmallIntegerField(
        _("支委会召开频次"), choices=EVERY_MONTHS, default=1
    )
    group_every = models.PositiveSmallIntegerField(
        _("党小组会召开频次"), choices=EVERY_MONTHS, default=1
    )
    lecture_every = models.PositiveSmallIntegerField(
        _("党课召开频次"), choices=EVERY_MONTHS, default=3
    )
    absence_months = models.PositiveSmallIntegerField(_("连续未参加组织生活预警月数"), default=3)
    dues_months = models.PositiveSmallIntegerField(_("党费未交或未足额预警月数"), default=2)
    evaluation_deadline = models.DateField(_("民主评议启动截止日期"))
    appeal_days = models.PositiveSmallIntegerField(
        _("公示截止前提醒天数"), default=2, validators=[MaxValueValidator(60)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(general_every__in=EVERY_VALUES)
                & Q(committee_every__in=EVERY_VALUES)
                & Q(group_every__in=EVERY_VALUES)
                & Q(lecture_every__in=EVERY_VALUES),
                name="monitoring_every_months",
            ),
            # The form's limits (the fields' validators), held by the database too.
            models.CheckConstraint(
                condition=Q(absence_months__range=(1, 24))
                & Q(dues_months__range=(1, 12))
                & Q(appeal_days__lte=60),
                name="monitoring_thresholds_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"
