"""Masking of personal data (个人信息脱敏) in lists, pages and exports.

Who sees full values is decided in ``selectors.personal_data_full``; this module only
hides characters, keeping enough to tell two records apart.
"""

MASK = "*"


def _masked(value: str, head: int, tail: int) -> str:
    """``value`` with all but its first ``head`` and last ``tail`` characters hidden; all
    of it when it is too short to keep those."""
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """110105199001011234 → 1101**********1234 (region and check digits stay)."""
    return _masked(value or "", 4, 4)


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678."""
    return _masked(value or "", 3, 4)


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def masked(field: str, value: str) -> str:
    masker = MASKERS.get(field)
    return masker(value) if masker else value


def is_masked_copy(field: str, value: str, current: str) -> bool:
    """A cell that is the masked form of the current value (a re-imported masked export)
    means "unchanged", never "set the number to these stars"."""
    return MASK in value and field in MASKERS and value == masked(field, current)
