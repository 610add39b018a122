"""Completions import with Japanese headers, and Japanese export headings (issue 18)."""
import csv
import io

from stintranet.training.models import COMPLETED, TrainingImport
from tests.training.factories import current
from tests.training.test_import import TODAY, setup_people, upload


def test_japanese_headers_import(client, login_as):
    """Does a file headed メールアドレス, コースコード, 修了日, 得点 (full-width too) import?"""
    alice, bob, basics, media = setup_people()
    login_as('committee', department='LEGAL')
    text = ('メールアドレス,コースコード,修了日,得点\n'
            'alice@st-group.example,PI-BASICS,%s,80\n' % TODAY.isoformat())
    response = upload(client, text.encode('cp932'), name='修了.csv')
    assert response.status_code == 303, response.text
    stored = TrainingImport.get()
    assert client.post('/training/imports/%d/apply' % stored.id).status_code == 303
    assert current(basics, alice).status == COMPLETED


def test_missing_column_names_both_languages(client, login_as):
    """Does a file lacking a column say so, naming the Japanese headers too?"""
    setup_people()
    login_as('committee', department='LEGAL')
    response = upload(client, 'メールアドレス,修了日\nalice@st-group.example,2026-01-01\n')
    assert response.status_code == 422
    assert 'コースコード' in response.text


def test_japanese_account_exports_overdue_in_japanese(client, login_as):
    """Does a Japanese account's overdue export head its columns in Japanese?"""
    user = login_as('employee', 'manager', manages=('SALES',))
    user.locale = 'ja'
    user.save()
    response = client.get('/training/overdue.csv')
    header = next(csv.reader(io.StringIO(response.data.decode('utf-8-sig'))))
    assert header[:3] == ['部門コード', '氏名', 'メールアドレス']
    assert 'department_code' not in header
