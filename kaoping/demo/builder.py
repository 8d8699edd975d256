"""The demo's people and their year (演示数据): names, a profile per member, and the
ledger entries and paper-ballot counts each profile makes."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from .district import SPECIAL, TIE_BRANCHES

# Roughly by frequency: the first ones come up far more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_SINGLE = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞玲婷燕斌宇浩凯健俊帆帅旭宁琳晶颖欣峰"
)
GIVEN_FIRST = "建志国文晓海春立永玉红秀丽小俊子思雨嘉梦家明佳宏德振雪金云新海晨美"
GIVEN_SECOND = "华平明英军杰峰涛辉兰芳霞梅红玲敏强伟东亮波宇轩然涵琪怡婷颖鑫磊昊阳林"

OPTIONS = ("excellent", "qualified", "basic", "unqualified")
MEETINGS = ("支部党员大会", "党小组会", "党课")
SLACK_NOTES = (
    "专项督查组明察暗访：上班时间玩手机游戏",
    "监控查验：上班迟到20分钟",
    "电话查询：工作时间擅自离岗",
    "实地检查：上班时间浏览购物网站",
    "考勤记录：无故早退",
    "实地检查：工作时间在办公室睡觉",
)
STUDY_NOTES = (
    "第{q}季度学习笔记未按时提交",
    "专题学习心得体会无故未提交",
    "“学习强国”学习任务无故未完成",
)
TASK_NOTES = (
    "未完成支部安排的社区报到服务任务",
    "支部交办的信息报送任务无故未完成",
    "未按要求参加党组织安排的结对帮扶走访",
)
DUTY_NOTES = (
    "季度工作报表无故未按时报送",
    "督办件逾期未办结",
    "年度重点工作任务未按节点完成",
)
ERROR_NOTES = (
    "公文核稿出现差错，经局党委确认",
    "资金拨付审核失误，经组织确认",
    "政策解答口径错误引发投诉，经核实确认",
)
CIRCULAR_NOTES = (
    "负责的项目进度滞后，被区政府督查室通报",
    "信访件办理超期，被区委督查室通报",
)
VOLUNTEER_NOTES = (
    "参加社区文明城市创建志愿服务",
    "参加无偿献血志愿活动",
    "参加“学雷锋”志愿服务活动",
    "参加防汛值守志愿服务",
    "参加疫苗接种点秩序维护志愿服务",
    "参加关爱留守儿童志愿服务",
)
PRODUCT_NOTES = (
    "调研报告《关于优化营商环境的调研》获区领导批示",
    "理论文章在市级党刊发表",
    "新闻稿件被市级媒体采用",
    "微信推文被“学习强国”平台采用",
    "协商意见被区政协采纳",
)
ACTIVITY_NOTES = (
    "区直机关党建知识竞赛获二等奖",
    "“七一”主题演讲比赛获三等奖",
    "区直机关“书香机关”读书征文获优秀奖",
)
AWARD_NOTES = {
    "B01": ("获评区级先进工作者", "年度考核获区级嘉奖", "获区级优秀公务员表彰"),
    "B02": ("获市级先进工作者表彰", "获市级系统先进个人", "获评市级优秀共产党员"),
    "B06": ("获省级先进工作者表彰", "获评省级系统先进个人"),
}
RETIRED_NOTES = ("老干部活动室集中学习无故缺席", "离退休支部主题党日活动无故缺席")
REVERSAL_NOTES = {
    "D01": ("补交会前书面请假条，经支委会核实后撤销", "当日外出公务已报备，考勤登记有误"),
    "D03": ("补交会前书面请假条，经支委会核实后撤销",),
    "D04": ("党费系银行代扣延迟，当月已足额交纳，予以撤销",),
    "D08": ("当日经批准外出办理公务，督查记录有误", "录入错误：应记入同名党员，予以撤销"),
    "D02": ("学习笔记已按时交支部，登记遗漏，予以撤销",),
}
EXEMPTION_REASONS = (
    "身体原因：长期卧床，无法参加支部活动",
    "年逾八旬、行动不便，经支委会研究免于该项考核",
)
SERIOUS_NOTE = "在政务服务窗口对办事群众态度恶劣，被媒体曝光，造成不良影响"


@dataclass
class DemoMember:
    id: str
    name: str
    branch: str
    category: str
    status: str = "active"
    membership: str = "full"
    profile: str = "normal"
    exemptions: list[dict] = field(default_factory=list)


class YearBuilder:
    def __init__(self, year: int, seed: int):
        self.year = year
        # The roster (names, statuses, who tends to slack) is the same every year; the
        # year's ledger, ballots and last year's grades differ from year to year.
        self.roster_rng = random.Random(f"kaoping-demo:{seed}")
        self.rng = random.Random(f"kaoping-demo:{seed}:{year}")
        self.entries: list[dict] = []
        self.names: set[str] = set()
        self.last_day = datetime.date(year, 11, 30)

    # ----------------------------------------------------------------- helpers

    def name(self) -> str:
        rng = self.roster_rng
        while True:
            # Weighted towards the common surnames at the front of the list.
            surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
            if rng.random() < 0.3:
                given = rng.choice(GIVEN_SINGLE)
            else:
                given = rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)
                if given[0] == given[1]:
                    continue
            if surname + given not in self.names:
                self.names.add(surname + given)
                return surname + given

    def day(self, month: int | None = None, weekday: bool = True) -> datetime.date:
        rng = self.rng
        if month is None:
            month = rng.randint(1, 11)
        date = datetime.date(self.year, month, rng.randint(1, 28))
        if weekday and date.weekday() >= 5:
            date -= datetime.timedelta(days=date.weekday() - 4)
        return min(date, self.last_day)

    def add(
        self,
        member: DemoMember,
        item: str,
        note: str,
        date: datetime.date | None = None,
        occurrences: int = 1,
    ) -> dict:
        entry = {
            "id": f"DEMO{self.year}-{len(self.entries) + 1:05d}",
            "member": member.id,
            "item": item,
            "date": (date or self.day()).isoformat(),
            "occurrences": occurrences,
            "note": note,
        }
        self.entries.append(entry)
        return entry

    def meeting_absence(self, m: DemoMember, month: int | None = None) -> None:
        month = month or self.rng.randint(1, 11)
        kind = self.rng.choice(MEETINGS)
        self.add(m, "D01", f"{month}月{kind}无故缺席", self.meeting_day(m, month))

    def life_absence(self, m: DemoMember, month: int | None = None) -> None:
        month = month or self.rng.randint(1, 11)
        self.add(m, "D03", f"{month}月主题党日活动无故缺席", self.meeting_day(m, month, 20))

    def dues_late(self, m: DemoMember, month: int | None = None) -> None:
        month = month or self.rng.randint(1, 11)
        note = self.rng.choice(("{m}月党费未按时交纳", "{m}月党费未足额交纳（交纳基数有误）"))
        self.add(m, "D04", note.format(m=month), datetime.date(self.year, month, 25))

    def meeting_day(self, m: DemoMember, month: int, base: int = 8) -> datetime.date:
        # Each branch meets on its own day of the month.
        day = base + int(m.branch[1:]) % 6
        date = datetime.date(self.year, month, day)
        if date.weekday() >= 5:
            date += datetime.timedelta(days=7 - date.weekday())
        return min(date, self.last_day)

    def study(self, m: DemoMember) -> None:
        note = self.rng.choice(STUDY_NOTES).format(q=self.rng.randint(1, 3))
        self.add(m, "D02", note)

    def slack(self, m: DemoMember) -> None:
        self.add(m, "D08", self.rng.choice(SLACK_NOTES))

    def volunteer(self, m: DemoMember, times: int | None = None) -> None:
        times = times or self.rng.randint(1, 3)
        for _ in range(times):
            occurrences = 2 if self.rng.random() < 0.15 else 1
            note = self.rng.choice(VOLUNTEER_NOTES)
            self.add(m, "B03", note, self.day(weekday=False), occurrences)

    def award(self, m: DemoMember, item: str) -> None:
        self.add(m, item, self.rng.choice(AWARD_NOTES[item]))

    # ----------------------------------------------------------------- profiles

    def ledger(self, m: DemoMember) -> None:
        rng = self.rng
        profile = m.profile
        if m.category == "retired":
            self.retired_ledger(m)
            return
        if profile == "star":  # bonus of 10 or more, no deduction
            self.award(m, "B06")
            self.award(m, "B02")
            self.award(m, "B01")
            self.volunteer(m, rng.randint(0, 2))
            return
        if profile == "tie":  # bonus of exactly 8, no deduction
            self.award(m, "B02")
            self.award(m, "B01")
            self.add(m, "B04", rng.choice(PRODUCT_NOTES))
            self.add(m, "B03", VOLUNTEER_NOTES[0], self.day(weekday=False))
            self.add(m, "B03", VOLUNTEER_NOTES[1], self.day(weekday=False), 2)
            return
        if profile == "lost":  # absent from everything since going missing
            since = rng.randint(4, 7)
            for month in range(since, 12):
                self.meeting_absence(m, month)
                self.life_absence(m, month)
                self.dues_late(m, month)
            return
        if profile == "deferred":  # recorded before the investigation began
            for _ in range(rng.randint(0, 2)):
                self.slack(m)
            return
        if profile == "transferred":
            if rng.random() < 0.6:
                self.volunteer(m, 1)
            return
        if profile == "warning":
            for month in rng.sample(range(1, 12), 5):
                self.meeting_absence(m, month)
            for month in rng.sample(range(1, 12), 4):
                self.life_absence(m, month)
            for month in rng.sample(range(1, 12), 3):
                self.dues_late(m, month)
            for _ in range(3):
                self.study(m)
            self.add(m, "D05", rng.choice(TASK_NOTES))
            self.add(m, "D06", rng.choice(DUTY_NOTES))
            for _ in range(5):
                self.slack(m)
            return
        if profile == "poor":
            for month in rng.sample(range(1, 12), rng.randint(3, 5)):
                self.meeting_absence(m, month)
            for month in rng.sample(range(1, 12), rng.randint(2, 3)):
                self.life_absence(m, month)
            for month in rng.sample(range(1, 12), 2):
                self.dues_late(m, month)
            for _ in range(rng.randint(1, 3)):
                self.study(m)
            self.add(m, "D06", rng.choice(DUTY_NOTES))
            if rng.random() < 0.5:
                self.add(m, "D07", rng.choice(ERROR_NOTES))
            for _ in range(rng.randint(2, 6)):
                self.slack(m)
            return
        if profile == "slack":
            for _ in range(rng.randint(3, 8)):
                self.slack(m)
            if rng.random() < 0.6:
                self.meeting_absence(m)
            if rng.random() < 0.4:
                self.study(m)
            if rng.random() < 0.3:
                self.add(m, "D06", rng.choice(DUTY_NOTES))
            if rng.random() < 0.15:
                self.add(m, "D09", rng.choice(CIRCULAR_NOTES))
            if rng.random() < 0.5:
                self.volunteer(m, 1)
            return
        # normal: a little of everything, raw bonus at most 6
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            self.slack(m)
        if rng.random() < 0.15:
            self.meeting_absence(m)
        if rng.random() < 0.2:
            self.study(m)
        if rng.random() < 0.08:
            self.dues_late(m)
        if rng.random() < 0.05:
            self.add(m, "D05", rng.choice(TASK_NOTES))
        if rng.random() < 0.05:
            self.add(m, "D07", rng.choice(ERROR_NOTES))
        if rng.random() < 0.85:
            self.volunteer(m)
        if rng.random() < 0.2:
            self.add(m, "B04", rng.choice(PRODUCT_NOTES))
        if rng.random() < 0.15:
            self.add(m, "B05", rng.choice(ACTIVITY_NOTES))
        if rng.random() < 0.08:
            self.award(m, "B01")

    def retired_ledger(self, m: DemoMember) -> None:
        rng = self.rng
        if m.status != "active":
            return
        if m.exemptions:
            self.add(m, "B05", "离退休支部书画展作品获优秀奖")
            return
        weak = m.profile in ("slack", "poor")
        for month in rng.sample(range(1, 12), rng.randint(2, 5) if weak else rng.randint(0, 2)):
            note = rng.choice(RETIRED_NOTES)
            self.add(m, "R01", f"{month}月{note}", self.meeting_day(m, month, 15))
        if rng.random() < (0.4 if weak else 0.05):
            self.dues_late(m)
        if rng.random() < 0.7:
            self.volunteer(m)
        if rng.random() < 0.1:
            self.add(m, "B05", "离退休支部书画展作品获优秀奖")

    # ----------------------------------------------------------------- ballots

    def tally(self, m: DemoMember, voters: int) -> dict[str, int]:
        """Counts per option from ``voters`` paper ballots, a blank mark now and then."""
        weights = {
            "star": (88, 12, 0, 0),
            "tie": (100, 0, 0, 0),
            "normal": (self.rng.randint(40, 80), 30, 3, 0),
            "slack": (20, 55, 20, 5),
            "poor": (8, 42, 38, 12),
            "warning": (0, 18, 50, 32),
        }[m.profile if m.category == "in_service" else "normal"]
        if m.profile == "star" and m.branch in TIE_BRANCHES:
            weights = (100, 0, 0, 0)
        marks = voters - (1 if self.rng.random() < 0.08 and voters > 3 else 0)
        votes = self.rng.choices(OPTIONS, weights, k=marks)
        counts = {option: votes.count(option) for option in OPTIONS}
        if weights[0] < 100 and counts["qualified"] + counts["basic"] + counts["unqualified"] == 0:
            # Only the designed members of the tie branches are voted excellent by all.
            counts["excellent"] -= 1
            counts["qualified"] += 1
        return counts


def members_of(b: YearBuilder, branches: list[tuple[str, str, int, str]]) -> list[DemoMember]:
    rng = b.roster_rng
    members: list[DemoMember] = []
    for code, _name, size, category in branches:
        roster: list[DemoMember] = []
        for position in range(size):
            m = DemoMember(
                id=f"M{len(members) + len(roster) + 1:04d}",
                name=b.name(),
                branch=code,
                category=category,
            )
            special = SPECIAL.get((code, position)) or SPECIAL.get((code, position - size), {})
            if category == "in_service":
                m.profile = rng.choices(("normal", "star", "slack", "poor"), (74, 8, 14, 4))[0]
                if code in TIE_BRANCHES and m.profile == "star":
                    m.profile = "normal"
                if position >= 3 and rng.random() < 0.06:
                    m.membership = "probationary"
            else:
                m.profile = rng.choices(("normal", "slack"), (85, 15))[0]
            m.status = special.get("status", "active")
            m.profile = special.get("profile", m.profile)
            if "exemption" in special:
                m.exemptions = [{"item": "R01", "reason": EXEMPTION_REASONS[special["exemption"]]}]
            roster.append(m)
        if code in TIE_BRANCHES:
            # The branch's best: `above` members clearly first, then two level members.
            above = TIE_BRANCHES[code]
            ordinary = [m for m in roster[3:] if m.status == "active" and m.profile == "normal"]
            for m in ordinary[:above]:
                m.profile = "star"
            for m in ordinary[above : above + 2]:
                m.profile = "tie"
        members.extend(roster)
    return members
