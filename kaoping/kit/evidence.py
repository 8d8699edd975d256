"""Evidence files (佐证材料) of every daily-management workflow: size and type limits.

Checked in the services before anything is stored, with a message a person understands;
the files live under MEDIA_ROOT (never under a static URL) and are served only by views
that first check the viewer may see the record they belong to.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def evidence_file_check(upload, *, field: str = "proof_file") -> None:
    """Refuse a file that is too large, of a type not allowed, or not what its name says."""
    if upload is None:
        return
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            {
                field: _("只能上传 PDF、JPG、PNG、DOCX 或 XLSX 文件（收到的是“%(name)s”）。")
                % {"name": upload.name}
            }
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({field: _("文件不能超过 10 MB。")})
    if upload.size == 0:
        raise ValidationError({field: _("文件是空的。")})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ALLOWED_EXTENSIONS[suffix]):
        raise ValidationError(
            {
                field: _("文件内容与扩展名不符，请上传真实的 %(ext)s 文件。")
                % {"ext": suffix[1:].upper()}
            }
        )


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")
