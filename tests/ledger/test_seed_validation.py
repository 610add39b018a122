"""The demo ledger passes its own entry form's validation."""
import types

from werkzeug.datastructures import MultiDict

from stintranet import seed
from stintranet.auth.models import Department
from stintranet.ledger.forms import EntryForm, form_choices, form_data_of
from stintranet.ledger.models import LedgerEntry


def as_posted(data):
    """The form's ``data`` as a browser would post it."""
    posted = MultiDict()
    for name, value in data.items():
        if isinstance(value, (list, tuple)):
            for item in value:
                posted.add(name, str(item))
        elif isinstance(value, bool):
            if value:
                posted.add(name, 'y')
        elif value is not None:
            posted.add(name, str(value))
    return posted


def test_every_seeded_entry_passes_the_entry_form(app):
    """Does every demo ledger entry, opened in the edit form and saved unchanged, validate (no band contradicting its estimate)?"""
    seed.seed_demo('Demo-password-for-tests-2026')
    editor = types.SimpleNamespace(
        managed_department_ids=[d.id for d in Department.select(Department.id)])
    entries = list(LedgerEntry.select().order_by(LedgerEntry.id))
    LedgerEntry.attach_items(entries)
    assert len(entries) >= 20
    invalid = {}
    for entry in entries:
        with app.test_request_context('/'):
            form = EntryForm(formdata=as_posted(form_data_of(entry)),
                             choices=form_choices(editor, entry))
            if not form.validate():
                invalid[entry.title] = {name: [str(e) for e in errors]
                                        for name, errors in form.errors.items()}
    assert not invalid
