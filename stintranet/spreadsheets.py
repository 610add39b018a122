"""Uploaded .xlsx workbooks, read so that no file can exhaust the server's memory.

An .xlsx file is a zip archive of XML parts, and openpyxl reads whole parts (the
shared strings, the styles) into memory. So before openpyxl sees a file, its
archive directory is checked: how many members, each member's and the total
uncompressed size (``IMPORT_MAX_UNCOMPRESSED_BYTES``), and the compression ratio
of every large member. The declared sizes can be trusted that far: Python's
``zipfile`` never inflates a member beyond its declared size (it stops there and
fails the CRC check).

Then the sheet is read in openpyxl's read-only mode, row by row. The dimension the
sheet declares (``<dimension ref="A1:XFD1048576"/>``) is ignored: the header is
the first row with a value, and the rows after it are read only as wide as the
header's last named column and only up to the caller's row cap.
"""
import io
import zipfile

from flask import current_app
from flask_babel import gettext as _

# At most this many parts in the archive (a workbook has a dozen or two).
MAX_MEMBERS = 200
# A member that inflates more than this many times is refused ...
MAX_RATIO = 100
# ... once it is this large: a small part cannot exhaust anything, whatever its ratio.
RATIO_FLOOR = 1024 * 1024
# The header is looked for in this many columns; a sheet names far fewer.
MAX_COLUMNS = 200


class WorkbookRefused(ValueError):
    """The file is not a workbook that may be read; the message says why, for the user."""


def _megabytes(n):
    return '%.0f' % (n / 2 ** 20) if n >= 2 ** 20 else '%.1f' % (n / 2 ** 20)


def check_archive(content, limit=None):
    """Refuse ``content`` (bytes) unless it is a zip archive that inflates safely: at most
    ``MAX_MEMBERS`` members, none and all together larger than ``limit`` bytes
    uncompressed (``IMPORT_MAX_UNCOMPRESSED_BYTES``), and no large member compressed more
    than ``MAX_RATIO`` to 1. Nothing is inflated here."""
    limit = limit or current_app.config['IMPORT_MAX_UNCOMPRESSED_BYTES']
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise WorkbookRefused(_('This is not an XLSX workbook.')) from None
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(_('This workbook has %(n)d parts; a workbook has far fewer, so '
                                'it was not opened.', n=len(members)))
    total = 0
    for member in members:
        size = member.file_size
        if size > limit:
            raise WorkbookRefused(_(
                'A part of this workbook (%(part)s) unpacks to %(size)s MB, more than the '
                '%(limit)s MB an import may take. Save the sheet alone in a new workbook.',
                part=member.filename[:80], size=_megabytes(size), limit=_megabytes(limit)))
        if size >= RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1):
            raise WorkbookRefused(_(
                'A part of this workbook (%(part)s) is compressed more than %(ratio)d to 1, '
                'as no ordinary workbook is; it was not opened.',
                part=member.filename[:80], ratio=MAX_RATIO))
        total += size
    if total > limit:
        raise WorkbookRefused(_(
            'This workbook unpacks to %(size)s MB, more than the %(limit)s MB an import may '
            'take. Save the sheet alone in a new workbook.',
            size=_megabytes(total), limit=_megabytes(limit)))


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content, max_rows, sheet_name=None):
    """(header row number, header cells, [(row number, cells)]) of the sheet ``sheet_name``
    (else the first sheet) of the workbook ``content``.

    The header is the first row with a value (looked for among ``max_rows`` rows and
    ``MAX_COLUMNS`` columns), cut after its last non-empty cell; every data row after it
    holds exactly that many cells, whatever the sheet holds to their right. At most
    ``max_rows + 1`` data rows are read (blank ones included), so a caller can tell
    that the file has too many. WorkbookRefused when the file may not or cannot be read.
    """
    check_archive(content)
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign archive
        raise WorkbookRefused(_('This XLSX workbook cannot be read.')) from None
    try:
        if sheet_name in workbook.sheetnames:
            sheet = workbook[sheet_name]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise WorkbookRefused(_('This XLSX workbook has no sheet.'))
        sheet.reset_dimensions()  # the declared dimension would size every row read
        header_number, header = None, None
        for number, cells in enumerate(sheet.iter_rows(max_row=max_rows + 1, max_col=MAX_COLUMNS,
                                                       values_only=True), start=1):
            if any(not _is_blank(c) for c in cells):
                header_number, header = number, list(cells)
                break
        if header is None:
            return None, [], []
        while header and _is_blank(header[-1]):
            header.pop()
        rows = []
        for number, cells in enumerate(
                sheet.iter_rows(min_row=header_number + 1, max_row=header_number + max_rows + 1,
                                max_col=len(header), values_only=True),
                start=header_number + 1):
            rows.append((number, list(cells)))
        return header_number, header, rows
    except WorkbookRefused:
        raise
    except Exception:
        raise WorkbookRefused(_('This XLSX workbook cannot be read.')) from None
    finally:
        workbook.close()
