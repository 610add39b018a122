"""The requester's language (issue 19).

``disclosure_request.language``: the language the letters to the requester are written
in ('ja' or 'en'), chosen by the Customer Center from the request; every existing request
is Japanese, the group's customers' language.
"""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('disclosure_request', 'language',
                            CharField(max_length=8, default='ja')),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('disclosure_request', 'language'))
