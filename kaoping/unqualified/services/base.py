"""What the unqualified procedure's writes share: the acting body's check, the case row
locked, a step of its history, evidence files and who is told."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.kit.evidence import evidence_file_check
from kaoping.kit.users import user_or_none
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Organization, RoleAssignment

from ..models import (
    CaseEvidence,
    CaseStep,
    UnqualifiedCase,
)
from ..selectors import bodies_for

State = UnqualifiedCase.State
Body = CaseStep.Body
Stage = CaseStep.Stage
Action = CaseStep.Action
Notice = UnqualifiedCase.Notice
MAX_FILES = 10


def case_link(case: UnqualifiedCase) -> str:
    return f"/unqualified/{case.code}/"


def _require(actor: Actor, case_or_branch: UnqualifiedCase | Organization, body: str) -> None:
    branch = (
        case_or_branch.branch if isinstance(case_or_branch, UnqualifiedCase) else case_or_branch
    )
    if body not in bodies_for(actor, branch):
        raise PermissionDenied(
            _("您不能以“%(body)s”的身份办理 %(branch)s 的案件。")
            % {"body": Body(body).label, "branch": branch.name}
        )


def _reviewers(body: str) -> list:
    role = (
        RoleAssignment.Role.COMMITTEE_ADMIN
        if body == Body.COMMITTEE
        else RoleAssignment.Role.ORG_DEPARTMENT
    )
    return [ra.user for ra in RoleAssignment.objects.filter(role=role).select_related("user")]


def _tell_member(case: UnqualifiedCase, notice: str, text: str) -> None:
    """The member is told only at the steps the branch chose."""
    if notice in case.notify:
        notification_send(user=case.member.user, text=text)


def _step(
    case: Any, *, actor: Actor, stage: Any, body: Any, action: Any, reason: str = ""
) -> CaseStep:
    return CaseStep.objects.create(
        case=case,
        round=case.round,
        stage=stage,
        body=body,
        action=action,
        actor=user_or_none(actor),
        at=timezone.now(),
        reason=reason.strip(),
    )


def _add_files(case: Any, *, actor: Actor, files: Iterable) -> None:
    for upload in files:
        CaseEvidence.objects.create(
            case=case,
            round=case.round,
            file=upload,
            name=(upload.name or "")[:200],
            uploaded_by=user_or_none(actor),
            uploaded_at=timezone.now(),
        )


def _check_files(files: list) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES}})
    for upload in files:
        evidence_file_check(upload, field="files")


def _locked(case: UnqualifiedCase) -> UnqualifiedCase:
    return (
        UnqualifiedCase.objects.select_for_update(of=("self",))
        .select_related("member__user", "branch")
        .get(pk=case.pk)
    )


def _notify_reviewers(case: UnqualifiedCase, text: str) -> None:
    users = {u.pk: u for b in CaseStep.REVIEW_BODIES for u in _reviewers(b)}
    notification_send_many(users=users.values(), text=text, link=case_link(case))
