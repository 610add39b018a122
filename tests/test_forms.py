"""The shared form pieces (stintranet/forms.py) and the form macro's field detection."""
import datetime
import warnings

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from stintranet.disclosure.models import DisclosureRequest
from stintranet.forms import (
    CheckboxesField,
    ChoiceField,
    DateInput,
    MultiChoiceField,
    VersionedForm,
    options,
    required_date,
)
from stintranet.registers.models import Asset
from tests.disclosure.factories import make_request
from tests.registers.factories import make_asset

MACRO = "{% from '_macros/forms.html' import render_field %}{{ render_field(field) }}"


class SampleForm(FlaskForm):
    class Meta:
        csrf = False

    kind = ChoiceField('Kind', choices=[('', 'Choose'), ('usb', 'USB stick')])
    items = CheckboxesField('Items', choices=[('name', 'Name'), ('address', 'Address')],
                            unknown_message='Unknown item: %(values)s.')
    countries = MultiChoiceField('Countries', choices=[('JP', 'Japan'), ('SG', 'Singapore')])
    agree = BooleanField('I agree')
    day = DateInput('Day')
    due = required_date('Due', message='Give the due date.')


def sample(**data):
    return SampleForm(MultiDict(data))


def test_choices_are_select_choices_without_deprecation(app):
    """Are (value, label) pairs handed to WTForms as SelectChoice, with no warning of the
    tuple choices WTForms 3.4 removes?"""
    class PlainForm(FlaskForm):
        class Meta:
            csrf = False

        plain = SelectField('Plain', coerce=int, choices=options([(1, 'One'), (2, 'Two')]))

    with app.test_request_context(), warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        form = sample()
        assert all(isinstance(c, SelectChoice) for c in form.kind.choices)
        assert options(form.kind.choices) == form.kind.choices
        assert '<option value="usb">USB stick</option>' in form.kind()
        plain = PlainForm(MultiDict({'plain': '2'}))
        assert plain.validate() and plain.plain.data == 2
        assert '<option selected value="2">Two</option>' in plain.plain()


@pytest.mark.parametrize('data,field,message', [
    ({'kind': 'lorry'}, 'kind', 'Choose one of the options.'),
    ({'items': ['name', 'telepathy']}, 'items', 'Unknown item: telepathy.'),
    ({'countries': ['JP', 'XX']}, 'countries', 'One of the ticked options is not available'),
    ({'day': '31/12/2026'}, 'day', 'Enter the date as YYYY-MM-DD.'),
    ({'day': '1999-12-31'}, 'day', 'Enter a date from 2000-01-01 on.'),
    ({'due': 'soon'}, 'due', 'Give the due date.'),
    ({'due': ''}, 'due', 'Give the due date.'),
])
def test_bad_values_get_readable_messages(app, data, field, message):
    """Is a value outside the choices, or an unreadable or too early date, a message at
    the field?"""
    with app.test_request_context():
        form = sample(**dict({'due': '2026-04-01'}, **data))
        assert not form.validate()
        assert any(message in str(error) for error in form[field].errors), form.errors


def test_good_values_pass(app):
    """Do values among the choices and readable dates pass, an empty choice included?"""
    with app.test_request_context():
        form = sample(kind='', items=['name'], countries=['SG'], day='2026-04-01',
                      due='2026-04-02')
        assert form.validate(), form.errors
        assert form.day.data == datetime.date(2026, 4, 1)


def test_macro_detects_the_kind_of_field_by_flag_and_widget(app):
    """Does the form macro show check boxes in a fieldset with a legend, a single check
    box before its label, and a multiple select after its label, by the field's flag and
    widget rather than its class name?"""
    with app.test_request_context():
        form = sample()
        boxes = render_template_string(MACRO, field=form.items)
        assert '<fieldset>' in boxes and '<legend>Items</legend>' in boxes
        single = render_template_string(MACRO, field=form.agree)
        assert single.index('type="checkbox"') < single.index('<label')
        select = render_template_string(MACRO, field=form.countries)
        assert '<fieldset>' not in select and select.index('<label') < select.index('<select')

        class Renamed(CheckboxesField):
            """Another name: the macro still sees check boxes."""

        class RenamedForm(FlaskForm):
            class Meta:
                csrf = False

            renamed = Renamed('Renamed', choices=[('a', 'A')])

        field = RenamedForm(MultiDict()).renamed
        assert '<legend>Renamed</legend>' in render_template_string(MACRO, field=field)


@pytest.mark.parametrize('version', [None, '', 'x', '-1', '0', '1.5', '9' * 30, '١'])
def test_a_missing_or_odd_version_does_not_validate(app, version):
    """Is a missing, empty or non-numeric version a form error, not a value for the
    service?"""
    with app.test_request_context():
        form = VersionedForm(MultiDict({} if version is None else {'version': version}),
                             meta={'csrf': False})
        assert not form.validate()
        assert form.version.errors and form.version_value() is None


def test_a_version_is_read_and_a_new_record_needs_none(app):
    """Is a whole version read as an int, and is a form for a new record valid without?"""
    with app.test_request_context():
        form = VersionedForm(MultiDict({'version': ' 3 '}), meta={'csrf': False})
        assert form.validate() and form.version_value() == 3
        assert VersionedForm(MultiDict(), meta={'csrf': False}, new=True).validate()


@pytest.mark.parametrize('version', [None, 'abc'])
def test_register_edit_with_a_bad_version_is_422(client, login_as, version):
    """Does an asset edit whose version is missing or not a number get 422 with a
    message, the typed values kept and nothing saved?"""
    manager = login_as('employee', 'manager', department='SALES', manages=('SALES',))
    asset = make_asset('SALES', actor=manager, location='Drawer 1')
    data = {'tag': asset.tag, 'kind': 'usb', 'department': str(asset.department_id),
            'custodian': str(manager.id), 'location': 'Typed location'}
    if version is not None:
        data['version'] = version
    response = client.post('/registers/assets/%d/edit' % asset.id, data=data)
    assert response.status_code == 422
    assert 'This form is incomplete or damaged' in response.text
    assert 'Typed location' in response.text
    assert Asset.get_by_id(asset.id).location == 'Drawer 1'


@pytest.mark.parametrize('version', [None, '-1'])
def test_disclosure_step_with_a_bad_version_is_422(client, login_as, version):
    """Does a request's state change with a missing or odd version get 422 with a
    message, the request unchanged?"""
    req = make_request('received')
    login_as('customer_center', department='CC')
    data = {} if version is None else {'start-version': version}
    response = client.post('/requests/%d/start-verification' % req.id, data=data)
    assert response.status_code == 422
    assert 'This form is incomplete or damaged' in response.text
    after = DisclosureRequest.get_by_id(req.id)
    assert (after.status, after.version) == (req.status, req.version)
