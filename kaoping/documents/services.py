"""Writes of the documents app (文书): an organisation's own template of a kind for a
year, checked before anything is stored."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Organization

from .kinds import KINDS
from .models import MAX_TEMPLATE_BYTES, DocumentTemplate
from .rendering import docx_fields_checked
from .selectors import template_organizations


def document_template_upload(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    year: int,
    filename: str,
    content: bytes,
) -> DocumentTemplate:
    """上传文书模板: kept when it is a .docx whose fields all exist for its kind; else a
    ``ValidationError`` on ``file`` naming the reason (the unknown fields by name) and
    nothing stored."""
    if not template_organizations(actor=actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            _("只有 %(org)s 的党工委管理员可以上传它的文书模板。") % {"org": organization.name}
        )
    document_kind = KINDS.get(kind)
    if document_kind is None:
        raise ValidationError({"kind": _("没有这种文书：%(kind)s。") % {"kind": kind}})
    if not 1900 <= year <= 9999:
        raise ValidationError({"year": _("年度应在 1900 到 9999 之间。")})
    if not filename.lower().endswith(".docx"):
        raise ValidationError({"file": _("请上传 Word 文档（.docx）。")})
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ValidationError(
            {"file": _("模板文件不能超过 %(mb)s MB。") % {"mb": MAX_TEMPLATE_BYTES // 2**20}}
        )
    used = docx_fields_checked(content)
    unknown = sorted(used - set(document_kind.fields))
    if unknown:
        raise ValidationError(
            {
                "file": _("模板使用了%(kind)s没有的字段：%(fields)s。")
                % {"kind": document_kind.title, "fields": "、".join(unknown)}
            }
        )
    with transaction.atomic():
        row = DocumentTemplate.objects.create(
            kind=kind,
            year=year,
            organization=organization,
            filename=filename[-200:],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action="document_template.upload",
            target=row,
            after={
                "kind": kind,
                "year": year,
                "organization": organization.code,
                "sha256": row.sha256,
            },
        )
    return row
