"""The register records linked to a ledger entry, for ``registers/_for_entry.html``.

The ledger's entry page can include the listing with::

    {% include 'registers/_for_entry.html' %}

after putting ``registers_linked=linked_records(entry, current_user)`` in its
context. Four queries whatever the number of records; every list holds only
what the user may read.
"""
from ..timezone import today_local
from .models import (ProvisionRecord, PurposeChange, assets_for_entry,
                     contractors_for_entry)


def linked_records(entry, user):
    """{'contractors', 'provisions', 'assets', 'purpose_changes', 'entry', 'today'}."""
    return {
        'entry': entry,
        'today': today_local(),
        'contractors': list(contractors_for_entry(entry, user)),
        'provisions': list(ProvisionRecord.for_entry(entry, user)),
        'assets': list(assets_for_entry(entry, user)),
        'purpose_changes': list(PurposeChange.for_entry(entry, user)),
    }
