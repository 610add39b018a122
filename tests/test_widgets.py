"""OptionsSelect: WTForms' select, its options kept once rendered."""
import pytest
from flask_babel import force_locale
from markupsafe import Markup
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from stintranet import i18n
from stintranet.ledger.forms import ChoiceField, FilterForm
from stintranet.widgets import OptionsSelect
from tests.test_i18n import translations  # noqa: F401 - the Japanese catalogue fixture

LAZY = i18n.lazy_gettext('Paper & <electronic>')
CHOICES = [
    ('', 'All'),
    ('a&b', 'Tom & Jerry <tj@example.com>'),
    ('lazy', LAZY),
    ('markup', Markup('<b>bold</b>')),
    ('empty', ''),
    ('same', 'Same label'),
    ('same2', 'Same label'),
    ('"quoted"', '"quoted"'),
]


def pair_of(field_class, widget, choices, data, **kwargs):
    class F(Form):
        field = field_class('Label', choices=choices, widget=widget, **kwargs)

    form = F(data={'field': data})
    return form.field


@pytest.fixture
def app_config(translations):  # noqa: F811
    return {'DEFAULT_LOCALE': 'ja', 'BABEL_TRANSLATION_DIRECTORIES': translations}


@pytest.fixture(autouse=True)
def fresh_options(monkeypatch):
    monkeypatch.setattr(OptionsSelect, '_options', {})


@pytest.mark.parametrize('as_select_choice', [False, True])
def test_same_html_as_wtforms(app, as_select_choice):
    """Is each select exactly WTForms' own, whichever option is chosen, the first time
    and when its options are kept?"""
    choices = [SelectChoice(value=v, label=l) for v, l in CHOICES] if as_select_choice \
        else CHOICES
    with app.test_request_context('/'):
        for _ in range(2):
            for data in ['', 'a&b', 'lazy', 'markup', 'empty', 'same2', '"quoted"', 'unknown',
                         None]:
                ours = pair_of(SelectField, OptionsSelect(), choices, data)
                theirs = pair_of(SelectField, Select(), choices, data)
                assert ours(**{'aria-describedby': 'x-hint'}) == \
                    theirs(**{'aria-describedby': 'x-hint'}), data
                assert ours() == theirs(), data
        assert OptionsSelect._options


def test_plain_and_markup_labels_of_the_same_text_are_kept_apart(app):
    """Is a plain label escaped and a Markup one not, even with the same text and value?"""
    with app.test_request_context('/'):
        for label in ('x &amp; y', Markup('x &amp; y'), 'x &amp; y'):
            ours = pair_of(SelectField, OptionsSelect(), [('v', label)], 'v')
            assert ours() == pair_of(SelectField, Select(), [('v', label)], 'v')()


def test_groups_attributes_and_other_values_render_as_wtforms(app):
    """Do options with attributes, groups or non-string values fall back to WTForms?"""
    cases = [
        [SelectChoice(value='a', label='A', render_kw={'disabled': True}), ('b', 'B')],
        [SelectChoice(value='a', label='A', optgroup='G'), SelectChoice(value='b', label='B')],
        [(1, 'One'), (2, 'Two')],
        [('a', 'A', {'data-x': '1'})],
    ]
    with app.test_request_context('/'):
        for choices in cases:
            ours = pair_of(SelectField, OptionsSelect(), choices, 'a', coerce=str)
            theirs = pair_of(SelectField, Select(), choices, 'a', coerce=str)
            assert ours() == theirs()
        assert not OptionsSelect._options


def test_kept_options_are_bounded(app, monkeypatch):
    """Does the store of rendered options stay under its limit with many distinct labels?"""
    monkeypatch.setattr(OptionsSelect, 'MAX_OPTIONS', 50)
    with app.test_request_context('/'):
        for n in range(10):
            choices = [(str(i), 'Person %d-%d' % (n, i)) for i in range(30)]
            ours = pair_of(SelectField, OptionsSelect(), choices, '3')
            assert ours() == pair_of(SelectField, Select(), choices, '3')()
            assert len(OptionsSelect._options) <= 50


def test_translated_labels_follow_the_locale(app):
    """Is a lazily translated label shown in the language of the moment, not in the one
    it was first rendered in? (The ledger's ChoiceField renders with OptionsSelect.)"""
    choices = [('', i18n.lazy_gettext('Any')), ('name', i18n.lazy_gettext('Name'))]
    with app.test_request_context('/'):
        for _ in range(2):
            japanese = pair_of(ChoiceField, ChoiceField.widget, choices, 'name')()
            with force_locale('en'):
                english = pair_of(ChoiceField, ChoiceField.widget, choices, 'name')()
            assert '<option selected value="name">氏名</option>' in japanese
            assert '<option selected value="name">Name</option>' in english


def test_filter_form_options_as_wtforms(app):
    """Is the ledger filter form's item select what WTForms renders?"""
    with app.test_request_context('/ledger/?item=name'):
        from flask import request
        form = FilterForm(request.args, departments=[])
        ours = form.item()
        form.item.widget = Select()
        assert ours == form.item()
        assert '<option selected value="name">氏名</option>' in ours
