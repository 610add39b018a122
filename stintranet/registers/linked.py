"""The register records linked to a ledger entry, for ``registers/_for_entry.html``.

The ledger's entry page can include the listing with::

    {% include 'registers/_for_entry.html' %}

after putting ``registers_linked=linked_records(entry, current_user)`` in its
context. Which registers hold a record of the entry at all (most entries are in
none or a few) is known from ``presence_columns`` selected with the entry, or
else from one query; each register that does costs one query more, whatever the
number of its records. Every list holds only what the user may read.
"""
from peewee import SQL, Select, fn

from ..db import database
from ..timezone import today_local
from .models import (
    AssetEntry,
    ContractorEntry,
    ProvisionRecord,
    PurposeChange,
    assets_for_entry,
    contractors_for_entry,
)

LISTS = {
    'contractors': (ContractorEntry, contractors_for_entry),
    'provisions': (ProvisionRecord, ProvisionRecord.for_entry),
    'assets': (AssetEntry, assets_for_entry),
    'purpose_changes': (PurposeChange, PurposeChange.for_entry),
}
PREFIX = 'linked_'


def presence_columns(entry_id):
    """EXISTS columns (aliased ``linked_<list>``) to select with the entry whose id is
    ``entry_id`` (a column or a value): whether each register holds a record of it,
    whatever the department."""
    return [fn.EXISTS(model.select(SQL('1')).where(model.entry == entry_id)).alias(PREFIX + name)
            for name, (model, _records) in LISTS.items()]


def linked_kinds(entry):
    """The names of ``LISTS`` with a record of ``entry``: from the entry's own row when
    it was selected with ``presence_columns``, else in one query."""
    row = {name: getattr(entry, PREFIX + name, None) for name in LISTS}
    if None in row.values():
        found = Select(columns=presence_columns(entry.id)).bind(database).dicts().get()
        row = {name[len(PREFIX):]: value for name, value in found.items()}
    return {name for name, present in row.items() if present}


def linked_records(entry, user):
    """{'contractors', 'provisions', 'assets', 'purpose_changes', 'entry', 'today'}."""
    present = linked_kinds(entry)
    records = {name: list(records_of(entry, user)) if name in present else []
               for name, (_model, records_of) in LISTS.items()}
    return dict(records, entry=entry, today=today_local())
