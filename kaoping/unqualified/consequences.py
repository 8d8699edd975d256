"""What a decision step on a case will do, for its confirmation step (web/confirm.html
through kit.confirm): the pre-review or approval opinion, the general meeting's vote, the
handling after a determination. Read only: nothing is recorded here."""

from typing import Any

from django.utils.translation import gettext as _

from .models import CaseHandling, CaseStep, CaseVote, UnqualifiedCase
from .selectors import pending_bodies, settings_for
from .services.vote import vote_outcome

Body = CaseStep.Body
State = UnqualifiedCase.State


def _final() -> str:
    return _("记录后不能修改或撤回，并通知相关各方。")


def _review(case: UnqualifiedCase, d: dict[str, Any]) -> list[str]:
    names = {"body": Body(d["body"]).label, "name": case.member.name, "code": case.code}
    approve = d["decision"] == "approve"
    others = pending_bodies(case) - {d["body"]}
    if case.state == State.PRE_REVIEW:
        if not approve:
            return [
                _("以“%(body)s”的名义将 %(name)s 的案卷 %(code)s 退回支部，理由：%(reason)s")
                % {**names, "reason": d["reason"].strip()},
            ]
        if others:
            return [
                _(
                    "以“%(body)s”的名义同意 %(name)s 的案卷 %(code)s 通过预审；"
                    "另一方也同意后，由党支部召开党员大会表决。"
                )
                % names
            ]
        return [
            _(
                "以“%(body)s”的名义同意 %(name)s 的案卷 %(code)s 通过预审；"
                "预审即告通过，由党支部召开党员大会表决。"
            )
            % names
        ]
    if not approve:
        return [
            _(
                "以“%(body)s”的名义不予批准 %(name)s 的案卷 %(code)s，"
                "案卷办结为未通过，理由：%(reason)s"
            )
            % {**names, "reason": d["reason"].strip()},
        ]
    if others:
        return [
            _("以“%(body)s”的名义批准 %(name)s 的案卷 %(code)s；另一方也批准后，认定为不合格党员。")
            % names
        ]
    return [
        _(
            "以“%(body)s”的名义批准 %(name)s 的案卷 %(code)s；"
            "审批即告完成，%(name)s 被认定为不合格党员。"
        )
        % names
    ]


def _vote(case: UnqualifiedCase, d: dict[str, Any]) -> list[str]:
    counts = {k: d[k] for k in ("entitled", "present", "in_favour", "against", "abstaining")}
    basis = settings_for(case.year).vote_basis
    lines = [
        _(
            "记录 %(date)s 党员大会对 %(name)s 的表决：应到 %(entitled)s 人，到会 %(present)s 人，"
            "赞成 %(in_favour)s、反对 %(against)s、弃权 %(abstaining)s。"
        )
        % {**counts, "date": f"{d['held_on']:%Y-%m-%d}", "name": case.member.name}
    ]
    passed, why = vote_outcome(basis=basis, **counts)
    if not CaseVote(basis=basis, **counts).quorate:
        lines.append(_("会议未达到法定人数，记为未举行：%(why)s 案卷仍待表决。") % {"why": why})
    elif passed:
        lines.append(_("按本年度的表决规则，表决通过，案卷交工委和组织部审批。"))
    else:
        lines.append(_("按本年度的表决规则，表决未通过，案卷办结为未通过：%(why)s") % {"why": why})
    return lines


def _handling(case: UnqualifiedCase, d: dict[str, Any]) -> list[str]:
    return [
        _("记录对 %(name)s 的后续处理：%(kind)s，决定日期 %(date)s。")
        % {
            "name": case.member.name,
            "kind": CaseHandling.Kind(d["kind"]).label,
            "date": f"{d['decided_on']:%Y-%m-%d}",
        }
    ]


STEPS = {"review": _review, "vote": _vote, "handling": _handling}


def step_consequences(*, case: UnqualifiedCase, action: str, data: dict[str, Any]) -> list[str]:
    """What recording ``action`` ("review", "vote", "handling") with the form's cleaned
    ``data`` will do to ``case``."""
    return [*STEPS[action](case, data), _final()]
