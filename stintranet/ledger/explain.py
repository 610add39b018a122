"""What the entry form's answers mean, said while the person fills it in: the foreign
storage note, the special-care flag and its override, the number of persons.

Each explanation is a fragment (``ledger/_explain_<part>.html``) included under its fields
by the form, from the form's own values (so it is there on a GET, after a 422 and without
JavaScript), and fetched again by htmx when one of those fields changes
(``/ledger/explain/<part>``).
"""
from collections import namedtuple

from flask import abort, make_response, render_template, request

from ..auth import roles as R
from ..auth.decorators import roles_required
from ..htmx import vary_on_htmx
from . import bp
from . import catalogue as C
from .forms import EntryForm, FormChoices

PARTS = {'country': 'ledger/_explain_country.html',
         'special_care': 'ledger/_explain_special_care.html',
         'persons': 'ledger/_explain_persons.html'}

Country = namedtuple('Country', 'state code name typed')
SpecialCare = namedtuple('SpecialCare', 'derived because override effective needs_reason')
Persons = namedtuple('Persons', 'band estimate estimate_band mismatch reportable_size')

# More than this many persons in a leak makes it reportable to the PPC (APPI Art. 26,
# Enforcement Rules Art. 7(iv)).
PPC_PERSONS = 1000


def country(form):
    """'unknown' (typed text that is no country), 'home' (Japan or nothing) or 'abroad'."""
    field = form.storage_country
    if field.data is None:
        return Country('unknown', None, None, field.typed)
    code = field.data or C.HOME_COUNTRY
    state = 'home' if code == C.HOME_COUNTRY else 'abroad'
    return Country(state, code, C.country_name(code), field.typed)


def special_care(form):
    """Whether the items make the entry special-care-required, which of them, and what
    the override makes of it."""
    codes = [code for code in (form['items'].data or []) if code in C.SPECIAL_CARE_CODES]
    because = [C.item_label(code) for code in codes]
    derived = bool(codes)
    override = form.special_care_override.data or ''
    effective = {'yes': True, 'no': False}.get(override, derived)
    needs_reason = override != '' and not (form.special_care_reason.data or '').strip()
    return SpecialCare(derived, because, override, effective, needs_reason)


def persons(form):
    """The band and the estimate, whether they agree, and whether the size alone would
    make a leak of the whole set reportable."""
    band = form.person_band.data
    band = int(band) if band and str(band).isdigit() else None
    estimate = form.person_estimate.data
    estimate_band = C.band_for(estimate) if estimate is not None else None
    mismatch = band is not None and estimate_band is not None and band != estimate_band
    largest = estimate if estimate is not None else (
        C.BAND_RANGES[band][1] or C.BAND_RANGES[band][0] if band else None)
    return Persons(band, estimate, estimate_band, mismatch,
                   largest is not None and largest > PPC_PERSONS)


@bp.app_template_global('ledger_explain')
def explanations(form):
    """What the three fragments read, from an entry form's values."""
    return {'country': country(form), 'special_care': special_care(form),
            'persons': persons(form), 'C': C}


@bp.route('/explain/<part>')
@roles_required(R.MANAGER)
def explain(part):
    """htmx: one explanation, from the values of its fields in the query string."""
    if part not in PARTS:
        abort(404)
    form = EntryForm(request.args, choices=FormChoices([], [], C.countries()),
                     meta={'csrf': False})
    response = make_response(render_template(PARTS[part], form=form))
    return vary_on_htmx(response)
