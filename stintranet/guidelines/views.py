"""/guidelines/: read every version, compare two, publish new ones (the committee)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import exports
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..inputs import int_arg
from ..training.content import render_markdown
from ..training.people import CONTENT_ROLES
from . import bp, diff, services
from .forms import CompareForm, GuidelineForm
from .models import Guideline


def guideline_or_404(guideline_id):
    guideline = Guideline.get_or_none(Guideline.id == guideline_id)
    if guideline is None:
        abort(404)
    return guideline


@bp.route('/')
@roles_required(*CONTENT_ROLES)
def index():
    """Every guideline document with its current version."""
    return render_template('guidelines/index.html', guidelines=list(Guideline.listing()))


@bp.route('/<int:guideline_id>')
@bp.route('/<int:guideline_id>/versions/<int:number>')
@roles_required(*CONTENT_ROLES)
def show(guideline_id, number=None):
    """The current version, or an earlier one, with the list of versions."""
    guideline = guideline_or_404(guideline_id)
    versions = list(guideline.versions())
    if not versions:
        abort(404)
    if number is None:
        version = versions[0]
    else:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            abort(404)
    compare = CompareForm(formdata=None, numbers=[v.number for v in versions])
    if len(versions) > 1:
        compare.new.data = versions[0].number
        compare.old.data = version.number if version.number != versions[0].number \
            else versions[1].number
    return render_template('guidelines/show.html', guideline=guideline, version=version,
                           versions=versions, latest=versions[0], compare=compare,
                           body=render_markdown(version.body))


@bp.route('/<int:guideline_id>/diff')
@roles_required(*CONTENT_ROLES)
def compare(guideline_id):
    """What changed between two versions, line by line, words marked."""
    guideline = guideline_or_404(guideline_id)
    versions = {v.number: v for v in guideline.versions()}
    form = CompareForm(request.args, numbers=sorted(versions))
    if not form.validate():
        return render_template('guidelines/diff.html', guideline=guideline, form=form,
                               hunks=None, old=None, new=None), 422
    old, new = versions[form.old.data], versions[form.new.data]
    hunks = diff.diff_lines(old.body, new.body)
    return render_template('guidelines/diff.html', guideline=guideline, form=form,
                           old=old, new=new, hunks=hunks, counts=diff.summary(hunks))


@bp.route('/new', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def new():
    """A new guideline document (its version 1)."""
    form = GuidelineForm()
    status = 422 if request.method == 'POST' else 200
    if form.validate_on_submit():
        try:
            guideline = services.create_guideline(form.code.data, form.title.data,
                                                  form.body.data, form.change_note.data or '',
                                                  current_user)
        except services.Conflict as exc:
            form.code.errors.append(str(exc))
            status = 409
        else:
            flash(_('The guideline %(code)s is published.', code=guideline.code), 'success')
            return redirect(url_for('guidelines.show', guideline_id=guideline.id), 303)
    return render_template('guidelines/form.html', form=form, guideline=None,
                           current=None), status


@bp.route('/<int:guideline_id>/publish', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def publish(guideline_id):
    """A new version, starting from the current text."""
    guideline = guideline_or_404(guideline_id)
    current = guideline.current_version()
    form = GuidelineForm(new=False)
    conflict = None
    if request.method == 'GET':
        form.title.data, form.body.data = current.title, current.body
        form.based_on.data = str(current.number)
    if form.validate_on_submit():
        based_on = int_arg(form.based_on.data)
        based_on = -1 if based_on is None else based_on
        try:
            version = services.publish_version(guideline, form.title.data, form.body.data,
                                               form.change_note.data, current_user, based_on)
        except services.Unchanged as exc:
            form.body.errors.append(str(exc))
        except services.Conflict as exc:
            conflict = str(exc)
            current = guideline.current_version()
        else:
            flash(_('Version %(n)d of %(code)s is published.', n=version.number,
                    code=guideline.code), 'success')
            return redirect(url_for('guidelines.show', guideline_id=guideline.id), 303)
    status = 409 if conflict else (422 if request.method == 'POST' else 200)
    return render_template('guidelines/form.html', form=form, guideline=guideline,
                           current=current, conflict=conflict), status


@bp.route('/export.<any(csv, xlsx):fmt>')
@roles_required(*CONTENT_ROLES)
def export(fmt):
    """Every guideline with its current version, as CSV or XLSX (audit-logged)."""
    columns = [
        exports.column('code', _('Code')),
        exports.column('title', _('Title')),
        exports.column('version', _('Current version'), lambda g: g.current.number),
        exports.column('published_at', _('Last published'), lambda g: g.current.published_at),
        exports.column('published_by', _('By'), publisher_name),
        exports.column('change_note', _('Change note'), lambda g: g.current.change_note),
    ]
    return exports.export_response(fmt, 'guidelines', columns, Guideline.listing(),
                                   object_type='guideline', title=_('Guidelines'))


def publisher_name(guideline):
    """Who published the guideline's current version ('' when unknown)."""
    publisher = getattr(guideline.current, 'publisher', None)
    return publisher.name if publisher is not None and publisher.id else ''
