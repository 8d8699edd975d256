"""What the claims tests share: a member's claim of the bonus item B01."""

import datetime

from kaoping.claims.services import claim_submit


def a_claim(d, member=None, **fields):
    """A pending claim of B01 dated 2026-03-05 by ``member`` (M1's login unless given),
    with a description and a written proof (as ``fields`` change them)."""
    item = d.scheme.items.get(code="B01")
    defaults = {
        "date": datetime.date(2026, 3, 5),
        "description": "获区级先进",
        "proof_text": "证书",
    }
    return claim_submit(actor=member or d.member1, item=item, **(defaults | fields))
