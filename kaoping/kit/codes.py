"""Public codes of workflow records (decisions.md §2: codes, not database ids, in URLs)."""

import uuid


def new_code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"
