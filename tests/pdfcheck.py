"""Reading server-made PDFs back in tests (stintranet/pdf.py): the text, the page size, the
fonts, the file name of the download and the 'export' row that logged it."""
import io
from urllib.parse import unquote

from pypdf import PdfReader

from stintranet import pdf
from stintranet.auditlog.models import AuditEvent

# A4 in PostScript points (210 x 297 mm).
A4 = (595.28, 841.89)


def read(response):
    """The PDF of a download (checked: 200, application/pdf, an attachment)."""
    assert response.status_code == 200, (response.status_code, response.text[:300])
    assert response.mimetype == pdf.MIMETYPE
    assert response.headers['Content-Disposition'].startswith('attachment; ')
    return PdfReader(io.BytesIO(response.data))


def text(reader):
    """The text of every page, joined, with the line breaks pypdf puts in removed (a
    Japanese sentence wraps anywhere; an English one at a space, kept as one)."""
    pages = []
    for page in reader.pages:
        lines = page.extract_text().splitlines()
        pages.append(' '.join(line.strip() for line in lines))
    return '\n'.join(pages)


def flat(reader):
    """The text with every space and line break removed: Japanese text wrapped at any
    character reads back whole."""
    return ''.join(text(reader).split())


def assert_a4(reader, landscape=False):
    """Every page is A4, upright or turned (the ledger register)."""
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        expected = tuple(reversed(A4)) if landscape else A4
        assert abs(size[0] - expected[0]) < 1 and abs(size[1] - expected[1]) < 1, (
            number, size)


def fonts(reader):
    """{base font name: embedded?} of every font the pages use."""
    found = {}
    for page in reader.pages:
        resources = page.get('/Resources') or {}
        for font in (resources.get('/Font') or {}).values():
            font = font.get_object()
            descendants = font.get('/DescendantFonts')
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get('/FontDescriptor')
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ('/FontFile', '/FontFile2',
                                                         '/FontFile3'))
            found[str(font['/BaseFont']).split('+', 1)[-1]] = embedded
    return found


def assert_fonts_embedded(reader, japanese=False):
    """Every font is embedded; a Japanese document uses Noto Sans/Serif CJK JP (or IPAex)."""
    used = fonts(reader)
    assert used and all(used.values()), used
    if japanese:
        assert any('CJK' in name or 'IPAex' in name for name in used), used


def file_names(response):
    """(the ASCII ``filename``, the UTF-8 ``filename*``) of the Content-Disposition."""
    header = response.headers['Content-Disposition']
    ascii_name = header.split('filename=', 1)[1].split(';', 1)[0].strip().strip('"')
    utf8 = header.split("filename*=UTF-8''", 1)[1].split(';', 1)[0].strip()
    return ascii_name, unquote(utf8)


def last_export():
    """The details of the latest 'export' row of the audit log."""
    event = (AuditEvent.select().where(AuditEvent.action == 'export')
             .order_by(AuditEvent.seq.desc()).first())
    assert event is not None
    return event
