"""Uploaded documents: checked by content (PDF, PNG, JPEG), size-limited, served as downloads."""
import re
import unicodedata

from flask import Response
from flask_babel import lazy_gettext as _l

MAX_BYTES = 10 * 1024 * 1024

SIGNATURES = (
    (b'%PDF-', 'application/pdf', '.pdf'),
    (b'\x89PNG\r\n\x1a\n', 'image/png', '.png'),
    (b'\xff\xd8\xff', 'image/jpeg', '.jpg'),
)


class UploadError(ValueError):
    """The file is not acceptable; the message is meant for the user."""


def sniff(data):
    """(mime type, extension) from the file's first bytes, or (None, None)."""
    for magic, mime, ext in SIGNATURES:
        if data.startswith(magic):
            if mime == 'application/pdf' and b'%%EOF' not in data[-2048:]:
                return None, None
            if mime == 'image/jpeg' and not data.rstrip(b'\x00').endswith(b'\xff\xd9'):
                return None, None
            return mime, ext
    return None, None


def safe_filename(name, ext=''):
    """A display name without paths or control characters, ending in ``ext``."""
    name = unicodedata.normalize('NFC', (name or '').replace('\\', '/').rsplit('/', 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f"<>:|?*]', '', name).strip(' .') or 'document'
    name = name[:120]
    if ext and not name.lower().endswith(ext) and not (
            ext == '.jpg' and name.lower().endswith('.jpeg')):
        name += ext
    return name


def read_upload(storage, max_bytes=MAX_BYTES):
    """(data, mime, filename) of a werkzeug FileStorage, or raise UploadError."""
    if storage is None or not getattr(storage, 'filename', ''):
        raise UploadError(_l('Choose a file.'))
    data = storage.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(_l('The file is larger than %(mb)d MB.', mb=max_bytes // (1024 * 1024)))
    if not data:
        raise UploadError(_l('The file is empty.'))
    mime, ext = sniff(data)
    if mime is None:
        raise UploadError(_l('Only PDF, PNG and JPEG files are accepted; this file is '
                             'not one of them, whatever its name.'))
    return data, mime, safe_filename(storage.filename, ext)


def download(data, filename, mime):
    """A response that the browser saves instead of rendering."""
    from urllib.parse import quote
    ascii_name = filename.encode('ascii', 'ignore').decode() or 'document'
    response = Response(data, mimetype=mime)
    response.headers['Content-Disposition'] = (
        'attachment; filename="%s"; filename*=UTF-8\'\'%s' % (ascii_name.replace('"', ''),
                                                           quote(filename)))
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers['Content-Security-Policy'] = "default-src 'none'; sandbox"
    return response
