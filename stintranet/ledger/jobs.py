"""The ledger's part of the daily job."""
from .. import jobs
from . import importing


@jobs.register(100, 'ledger-imports')
def purge_import_uploads(today):
    """Uploaded ledger files nobody committed are deleted once they expire."""
    return '%d expired uploads deleted' % importing.purge_expired()
