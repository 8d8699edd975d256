"""Masking of personal data (个人信息脱敏) in lists, pages and exports.

Who sees full values is decided in ``selectors.personal_data_full``; this module only
hides characters, keeping enough to tell two records apart.
"""

MASK = "*"


def mask_id_number(value: str) -> str:
    """110105199001011234 → 1101**********1234 (region and check digits stay)."""
    if not value:
        return ""
    if len(value) <= 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return MASK * len(value)
    return value[:3] + MASK * (len(value) - 7) + value[-4:]


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def masked(field: str, value: str) -> str:
    masker = MASKERS.get(field)
    return masker(value) if masker else value


def is_masked_copy(field: str, value: str, current: str) -> bool:
    """A cell that is the masked form of the current value (a re-imported masked export)
    means "unchanged", never "set the number to these stars"."""
    return MASK in value and field in MASKERS and value == masked(field, current)
