"""Login, logout, and the user's own password and language."""
import time
from urllib.parse import urljoin, urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from ..languages import default_locale
from . import bp, services
from .decorators import public
from .forms import FOLLOW_DEFAULT, LANGUAGE_NAMES, ChangePasswordForm, LanguageForm, LoginForm


def safe_next(target):
    """Only a path on this host is a valid ``next``."""
    if not target:
        return None
    host = urlsplit(request.host_url)
    test = urlsplit(urljoin(request.host_url, target))
    if test.scheme not in ('http', 'https') or test.netloc != host.netloc:
        return None
    if target.startswith(('//', '\\')) or '\\' in target:
        return None
    return test.path + ('?' + test.query if test.query else '')


@bp.route('/login', methods=['GET', 'POST'])
@public
def login():
    """Sign in; five failures lock the account for a while."""
    if current_user.is_authenticated:
        return redirect(url_for('dashboard.home'))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data,
                                       request.remote_addr or '')
        if result.throttled:
            flash(_('Too many failed sign-ins from your computer. Wait a few minutes '
                    'and try again.'), 'error')
            return render_template('auth/login.html', form=form), 429
        if result.ok:
            session.clear()
            login_user(result.user)
            now = int(time.time())
            session['login_at'] = now
            session['seen_at'] = now
            session.permanent = True
            if result.user.must_change_password:
                flash(_('Choose your own password before you continue.'), 'info')
                return redirect(url_for('auth.change_password'))
            return redirect(safe_next(request.args.get('next')) or url_for('dashboard.home'))
        flash(_('The e-mail or password is not correct, or the account is locked '
                'for a while after several failures.'), 'error')
        form.password.data = ''
        return render_template('auth/login.html', form=form), 401
    status = 422 if request.method == 'POST' else 200
    return render_template('auth/login.html', form=form), status


@bp.route('/logout', methods=['POST'])
@login_required
def logout():
    """Sign out everywhere: the session cookie stops working on the server too."""
    services.logout(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_('You are signed out.'), 'info')
    return redirect(url_for('auth.login'), 303)


@bp.route('/account/password', methods=['GET', 'POST'])
@login_required
def change_password():
    """Change one's own password; the current one is asked."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        services.change_password(user, form.new_password.data)
        # Other sessions ended with the nonce; keep this one.
        login_user(user)
        session['seen_at'] = int(time.time())
        flash(_('Your password was changed.'), 'success')
        return redirect(url_for('dashboard.home'), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('auth/change_password.html', form=form), status


@bp.route('/account/language', methods=['GET', 'POST'])
@login_required
def language():
    """Choose the interface language: 日本語, English, or the organisation's default."""
    user = current_user._get_current_object()
    form = LanguageForm(LANGUAGE_NAMES[default_locale()],
                        data={'language': user.locale or FOLLOW_DEFAULT})
    if form.validate_on_submit():
        chosen = form.language.data
        if services.set_locale(user, None if chosen == FOLLOW_DEFAULT else chosen):
            refresh()  # the message below is in the new language
            flash(_('The interface language was changed.'), 'success')
        return redirect(url_for('auth.language'), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('auth/language.html', form=form), status
