"""Test data for the charts: many branches with long names whose rates sit near the top."""

import datetime
from decimal import Decimal

from kaoping.dues.models import DuesPayment, DuesRate
from kaoping.orgs.models import Organization
from kaoping.testing.factories import MemberFactory, OrganizationFactory

LONG_NAME = "区财政局机关第{n}党支部（预算科、国库科、政府采购管理办公室联合）"


def many_branches(d, n: int, members: int = 3, year: int = 2026) -> list[Organization]:
    """``n`` more branches under P1 with long names, ``members`` members each, a dues rate
    for everybody and dues paid on time every month but up to 3 months of one member (so the
    branches' rates lie between 91 % and 100 %)."""
    branches = []
    payments = []
    for b in range(n):
        branch = OrganizationFactory(code=f"BX{b:02d}", name=LONG_NAME.format(n=b + 3), parent=d.p1)
        branches.append(branch)
        for k in range(members):
            member = MemberFactory(code=f"BX{b:02d}M{k}", name=f"党员{b}-{k}", branch=branch)
            DuesRate.objects.create(member=member, year=year, amount=Decimal(10))
            for month in range(1, 13):
                if k == 0 and month <= b % 4:  # 0 to 3 months unpaid
                    continue
                period = datetime.date(year, month, 1)
                payments.append(
                    DuesPayment(member=member, period=period, amount=Decimal(10), paid_on=period)
                )
    DuesPayment.objects.bulk_create(payments)
    return branches
