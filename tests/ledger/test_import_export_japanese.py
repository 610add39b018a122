"""A Japanese account's ledger export is in Japanese and imports back (issue 18)."""
import csv
import io

import pytest
from openpyxl import load_workbook

from stintranet.ledger.exporting import COLUMNS
from stintranet.ledger.models import LedgerEntry, LedgerRevision
from tests.ledger.test_import_export import csv_bytes, new_row, upload, variety  # noqa: F401


@pytest.fixture
def japanese(manager):
    manager.locale = 'ja'
    manager.save()
    return manager


def test_japanese_export_writes_words(client, japanese, variety):  # noqa: F811
    """Are the header and the choices in Japanese, with no column code or choice code?"""
    data = client.get('/ledger/export.csv').data.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(data)))
    header = rows[0]
    assert header[:6] == ['番号', '版', '主管部門', '業務名', '個人情報の区分', '個人データの項目']
    assert not set(header) & set(COLUMNS)
    health = dict(zip(header, next(r for r in rows if 'Health follow-up' in r), strict=True))
    assert health['個人情報の区分'] == '従業者'
    assert health['個人データの項目'] == '健康情報（健康診断の結果、診断名）; 氏名'
    assert health['要配慮個人情報'] == 'はい'
    assert health['状態'] == '有効'
    assert health['保管媒体'] == '電子'


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_japanese_export_imports_back_unchanged(client, japanese, variety, fmt):  # noqa: F811
    """Does a file exported in Japanese import back as four unchanged entries?"""
    exported = client.get('/ledger/export.%s' % fmt).data
    if fmt == 'xlsx':
        assert load_workbook(io.BytesIO(exported)).sheetnames == ['個人情報管理台帳', '個人データの項目']
    response = upload(client, 'ledger.%s' % fmt, exported)
    assert response.status_code == 303, response.text
    preview = client.get(response.headers['Location'])
    assert '変更なし 4件' in preview.text or '4件' in preview.text, preview.text
    revisions = LedgerRevision.select().count()
    assert client.post(response.headers['Location'] + '/commit').status_code == 303
    assert LedgerRevision.select().count() == revisions
    assert LedgerEntry.select().count() == 4


def test_english_file_imports_for_a_japanese_account(client, japanese, departments):
    """Does a Japanese account import a file with English codes and English labels?"""
    row = new_row(category='Customers', medium='Electronic', status='Active',
                  items='Name; E-mail address', responsible=japanese.email)
    response = upload(client, 'new.csv', csv_bytes([row]))
    assert response.status_code == 303, response.text
    assert client.post(response.headers['Location'] + '/commit').status_code == 303
    entry = LedgerEntry.get(LedgerEntry.title == 'Imported process')
    assert (entry.category, entry.medium, entry.status) == ('customer', 'electronic', 'active')


def test_japanese_headers_import_for_an_english_account(client, manager, departments):
    """Does an English account import a file whose header and choices are Japanese?"""
    from flask_babel import force_locale

    from stintranet.ledger.exporting import COLUMN_LABELS
    with force_locale('ja'):
        header = [str(COLUMN_LABELS[c]) for c in COLUMNS]
    row = new_row(category='顧客', medium='電子', status='有効', items='氏名; メールアドレス',
                  outsourced='いいえ', third_party_provision='いいえ', responsible=manager.email)
    by_label = {label: row.get(code, '') for code, label in zip(COLUMNS, header, strict=True)}
    response = upload(client, 'new.csv', csv_bytes([by_label], header=header))
    assert response.status_code == 303, response.text
    assert client.post(response.headers['Location'] + '/commit').status_code == 303
    entry = LedgerEntry.get(LedgerEntry.title == 'Imported process')
    assert (entry.category, entry.medium, entry.status) == ('customer', 'electronic', 'active')
