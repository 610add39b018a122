"""Each account's interface language (issue 18).

``user.locale``: 'ja' or 'en' when the account chose a language on its account page;
NULL (every existing account) follows the configured DEFAULT_LOCALE.
"""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('user', 'locale', CharField(max_length=8, null=True)),
    )
