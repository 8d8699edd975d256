"""The database's own copy of the frozen-year rule (``schemes.selectors.year_is_frozen``).

PostgreSQL refuses, row by row, an insert for a member whose branch-year is finalised
(the year's scheme is final, or the member's branch has a ``BranchYearClosing`` for it),
so a raw INSERT or a COPY cannot bypass the services' check. The services still check
first, to answer with a Chinese message naming the field; this is the last line.
"""

import pgtrigger

# Plain table names: this runs inside the trigger, for tables whose names Django chose.
FROZEN_YEAR_GUARD = """
IF EXISTS (
    SELECT 1 FROM schemes_scheme s
    WHERE s.year = NEW.year AND (
        s.finalised_at IS NOT NULL OR EXISTS (
            SELECT 1 FROM schemes_branchyearclosing c
            JOIN orgs_member m ON m.branch_id = c.branch_id
            WHERE c.scheme_id = s.id AND m.id = NEW.member_id
        )
    )
) THEN
    RAISE EXCEPTION 'kaoping: % refused: year % is finalised for member %''s branch',
        TG_TABLE_NAME, NEW.year, NEW.member_id
        USING ERRCODE = 'check_violation';
END IF;
RETURN NEW;
"""


def frozen_year_trigger(name: str) -> pgtrigger.Trigger:
    """A BEFORE INSERT row trigger refusing rows (with ``year`` and ``member_id``) of a
    frozen branch-year. A restore of a backup loads closings before their entries and
    passes by ``pgtrigger.ignore`` (``bundles.backup``)."""
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Insert,
        level=pgtrigger.Row,
        when=pgtrigger.Before,
        func=FROZEN_YEAR_GUARD,
    )
