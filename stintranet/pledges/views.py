"""/pledges/: sign the current pledge; versions and signature figures for the committee."""
import datetime

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from .. import exports
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..htmx import is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import paginate
from ..timezone import office_zone
from ..training.people import COMPLIANCE_ROLES, CONTENT_ROLES
from . import bp, models, services
from .forms import SignForm, VersionForm


def _index_page(form=None, status=200, conflict=None):
    version = models.PledgeVersion.current()
    signature = models.PledgeSignature.find(current_user, version)
    history = list(models.PledgeSignature.of_user(current_user))
    if form is None:
        form = SignForm(formdata=None)
    if version is not None:
        # The version and hash of the text on this page: what the signer saw.
        form.version.data = str(version.number)
        form.text_sha256.data = version.text_sha256
    return render_template('pledges/index.html', version=version, signature=signature,
                           form=form, conflict=conflict, history=history), status


@bp.route('/')
@roles_required(*CONTENT_ROLES)
def index():
    """The current pledge and whether I signed it; my earlier signatures."""
    return _index_page()


@bp.route('/sign', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def sign():
    """Sign the version shown by typing one's own name."""
    form = SignForm()
    if not form.validate_on_submit():
        return _index_page(form, 422)
    number = int_arg(form.version.data, minimum=1)
    if number is None:
        return _index_page(form, 422, _('The form is incomplete; reload the page and sign '
                                         'again.'))
    try:
        services.sign(current_user, number, form.text_sha256.data or '',
                      form.typed_name.data)
    except services.NameMismatch as exc:
        form.typed_name.errors.append(str(exc))
        return _index_page(form, 422)
    except services.Conflict as exc:
        return _index_page(SignForm(formdata=None), 409, str(exc))
    flash(_('Thank you: your signature of the confidentiality pledge was recorded.'),
          'success')
    return redirect(url_for('pledges.index'), 303)


@bp.route('/versions/')
@roles_required(R.COMMITTEE, R.AUDITOR)
def versions():
    """Every version with its number of signatures."""
    return render_template('pledges/versions.html',
                           versions=list(models.PledgeVersion.with_signature_counts()))


@bp.route('/versions/<int:number>')
@roles_required(R.COMMITTEE, R.AUDITOR)
def version(number):
    """One version's exact text and hash."""
    found = models.PledgeVersion.by_number(number)
    if found is None:
        abort(404)
    return render_template('pledges/version.html', version=found,
                           signatures=models.PledgeSignature.select().where(
                               models.PledgeSignature.version == found.id).count())


@bp.route('/versions/new', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def version_new():
    """Publish a new version; everyone is asked to sign it."""
    current = models.PledgeVersion.current()
    form = VersionForm()
    conflict = None
    if request.method == 'GET':
        form.based_on.data = str(current.number if current else 0)
        if current is not None:
            form.title.data, form.text.data = current.title, current.text
    if form.validate_on_submit():
        based_on = int_arg(form.based_on.data)
        based_on = -1 if based_on is None else based_on
        try:
            published = services.publish_version(form.title.data, form.text.data,
                                                 form.note.data or '', current_user, based_on)
        except services.Conflict as exc:
            conflict = str(exc)
        else:
            flash(_('Version %(n)d of the pledge is published; everyone is asked to sign it.',
                    n=published.number), 'success')
            return redirect(url_for('pledges.versions'), 303)
    status = 409 if conflict else (422 if request.method == 'POST' else 200)
    return render_template('pledges/version_form.html', form=form, current=current,
                           conflict=conflict), status


@bp.route('/compliance')
@roles_required(*COMPLIANCE_ROLES)
def compliance():
    """Signatures of the current version per department, with who has not signed."""
    version = models.PledgeVersion.current()
    rows = models.compliance(current_user, version)
    page = paginate(models.unsigned_visible_to(current_user, version))
    total = models.total_row(rows, _('All departments'))
    chart = {'id': 'pledge-compliance-chart',
             'title': _('Pledge signature rate by department'),
             'desc': _('Share of active staff who signed the current version, in percent.'),
             'rows': [(r.code, r.percent, _('%(s)d of %(n)d signed', s=r.signed, n=r.people))
                      for r in rows]}
    template = 'pledges/_unsigned.html' if is_htmx() else 'pledges/compliance.html'
    response = make_response(render_template(template, version=version, rows=rows,
                                             total=total, page=page, chart=chart))
    return vary_on_htmx(response)


@bp.route('/compliance.<any(csv, xlsx):fmt>')
@roles_required(*COMPLIANCE_ROLES)
def compliance_export(fmt):
    """Every person of the reader's departments and their signature of the current
    version, as CSV or XLSX (audit-logged export)."""
    version = models.PledgeVersion.current()
    people = list(models.people_status(current_user, version))
    zone = office_zone()

    def signed_at(person):
        at = getattr(getattr(person, 'signature', None), 'signed_at', None)
        return at.replace(tzinfo=datetime.timezone.utc).astimezone(zone) if at else None

    columns = [exports.column(key, exports.heading(key, label), value)
               for key, label, value in (
        ('department_code', pgettext('column', 'Department code'),
         lambda p: p.department.code),
        ('name', pgettext('column', 'Name'), lambda p: p.name),
        ('email', pgettext('column', 'E-mail'), lambda p: p.email),
        ('version', pgettext('column', 'Version'), lambda p: version.number if version else ''),
        ('signed', pgettext('column', 'Signed'), lambda p: exports.yes_no(signed_at(p))),
        ('signed_at_jst', pgettext('column', 'Signed at (JST)'),
         lambda p: signed_at(p).isoformat(timespec='seconds') if signed_at(p) else ''),
        ('text_sha256', pgettext('column', 'SHA-256 of the text signed'),
         lambda p: getattr(getattr(p, 'signature', None), 'text_sha256', None) or ''))]
    return exports.export_response(
        fmt, 'pledge-signatures', columns, people, object_type='pledge_compliance',
        details={'version': version.number if version else None,
                 'user_ids': [p.id for p in people]})


@bp.route('/versions/export.<any(csv, xlsx):fmt>')
@roles_required(R.COMMITTEE, R.AUDITOR)
def versions_export(fmt):
    """Every version with who published it and its signatures, as CSV or XLSX
    (audit-logged)."""
    columns = [
        exports.column('number', _('Version')),
        exports.column('title', _('Title')),
        exports.column('published_at', _('Published')),
        exports.column('published_by', _('By'), lambda v: v.publisher or ''),
        exports.column('signatures', _('Signatures')),
        exports.column('sha256', _('SHA-256 of the text'), lambda v: v.text_sha256),
    ]
    return exports.export_response(fmt, 'pledge-versions', columns,
                                   models.PledgeVersion.with_signature_counts(),
                                   object_type='pledge_version', title=_('Pledge versions'))
